package uploadtest

import (
	"strconv"

	"github.com/imgprep/imgprep/upload"
)

// SetParam sets the Request field that carries the wire parameter name to
// v (parsed for numbers and booleans), with what the parameter needs to be
// valid: output_compression picks output_format jpeg when none is set, and
// partial_images turns stream on. It reports false for a parameter
// Request has no field for (a relay's extra, which goes in Extra).
func SetParam(req *upload.Request, name, v string) bool {
	num := func() *int { n, _ := strconv.Atoi(v); return &n }
	switch name {
	case "n":
		req.N = *num()
	case "size":
		req.Size = v
	case "quality":
		req.Quality = v
	case "background":
		req.Background = v
	case "output_format":
		req.OutputFormat = v
	case "output_compression":
		req.OutputCompression = num()
		if req.OutputFormat == "" {
			req.OutputFormat = "jpeg"
		}
	case "input_fidelity":
		req.InputFidelity = v
	case "moderation":
		req.Moderation = v
	case "response_format":
		req.ResponseFormat = v
	case "user":
		req.User = v
	case "aspect_ratio":
		req.AspectRatio = v
	case "stream":
		req.Stream = v == "true"
	case "partial_images":
		req.Stream, req.PartialImages = true, num()
	default:
		return false
	}
	return true
}
