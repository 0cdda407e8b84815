package codecs

import (
	"image"
	"io"

	"github.com/imgprep/imgprep/internal/jpeg"
)

// JPEG inputs are decoded with DCT-domain downscaling when the caller asks
// for it: image/jpeg cannot, and a full decode of a 12 MP photo costs
// several times a 1/2 or 1/4 decode in time and memory.
func init() {
	jpegScaledDecoder = jpeg.DecodeScaled
	jpegProgressDecoder = jpeg.DecodeProgress
}

// jpegProgress receives the rows of a sequential JPEG as they are decoded.
type jpegProgress = jpeg.Progress

// jpegProgressDecoder is jpegScaledDecoder, reporting rows to a progress
// receiver.
var jpegProgressDecoder func(r io.Reader, denom int, p *jpegProgress) (image.Image, error)
