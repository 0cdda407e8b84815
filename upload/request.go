package upload

import (
	"strconv"

	"github.com/imgprep/imgprep/codecs"
)

// Encoding is the wire encoding of an edit request body.
type Encoding int

// Encodings.
const (
	// Multipart is multipart/form-data with image/image[] file parts.
	Multipart Encoding = iota
	// JSON is the official application/json body with
	// images:[{image_url: data URL}] (GPT image models only).
	JSON
	// RelayJSON is the relay JSON body with "image": "<base64>" (an array
	// for several images) and "mask": "<base64>".
	RelayJSON
)

// String returns "multipart", "json" or "relay-json".
func (e Encoding) String() string {
	switch e {
	case Multipart:
		return "multipart"
	case JSON:
		return "json"
	case RelayJSON:
		return "relay-json"
	}
	return "encoding(" + itoa(int(e)) + ")"
}

// Request is one image edit call. Only set fields are sent; Validate checks
// them against the model's profile before any byte is sent.
type Request struct {
	// Model is the model name sent as is (an alias such as gpt-image-1-all
	// is resolved to its profile for validation only).
	Model  string
	Prompt string
	// Images are the input images, 1 to the model's MaxImages.
	Images []File
	// Mask is the optional PNG mask (transparent = edit), where supported.
	Mask *File
	// N is the number of images to return; 0 leaves it to the server.
	N int
	// Size, Quality, Background, OutputFormat are sent when non-empty.
	Size, Quality, Background, OutputFormat string
	// OutputCompression is 0..100, only with jpeg or webp OutputFormat.
	OutputCompression *int
	// InputFidelity, Moderation, ResponseFormat, User, AspectRatio are sent
	// when non-empty. Moderation needs a JSON encoding; ResponseFormat is
	// not accepted by GPT image models.
	InputFidelity, Moderation, ResponseFormat, User, AspectRatio string
	// Stream asks for an SSE answer; PartialImages (0..3) needs it.
	Stream        bool
	PartialImages *int
	// Extra are relay fields sent verbatim (as strings, also in JSON
	// bodies). They bypass the profile checks, so a relay parameter the
	// profiles do not know can be sent; they may not repeat a field the
	// request already sets.
	Extra map[string]string
	// OnPartial receives each partial image of a stream, on the goroutine
	// calling Edit.
	OnPartial func(PartialImage)
}

// param is one optional parameter as sent.
type param struct {
	name  string
	value string // text form, as sent in multipart
	kind  byte   // 's' string, 'i' integer, 'b' boolean (for JSON)
}

// params returns the set optional parameters in wire order.
func (r *Request) params() []param {
	var ps []param
	str := func(name, v string) {
		if v != "" {
			ps = append(ps, param{name, v, 's'})
		}
	}
	if r.N != 0 {
		ps = append(ps, param{"n", itoa(r.N), 'i'})
	}
	str("size", r.Size)
	str("quality", r.Quality)
	str("background", r.Background)
	str("output_format", r.OutputFormat)
	if r.OutputCompression != nil {
		ps = append(ps, param{"output_compression", itoa(*r.OutputCompression), 'i'})
	}
	str("input_fidelity", r.InputFidelity)
	str("moderation", r.Moderation)
	str("response_format", r.ResponseFormat)
	str("user", r.User)
	str("aspect_ratio", r.AspectRatio)
	if r.Stream {
		ps = append(ps, param{"stream", "true", 'b'})
	}
	if r.PartialImages != nil {
		ps = append(ps, param{"partial_images", itoa(*r.PartialImages), 'i'})
	}
	return ps
}

// files returns the images and mask normalised for sending.
func (r *Request) files() (images []File, mask *File) {
	images = make([]File, len(r.Images))
	for i, f := range r.Images {
		images[i] = f.Normalized(imageName(i, len(r.Images)))
	}
	if r.Mask != nil {
		m := r.Mask.Normalized("mask")
		mask = &m
	}
	return images, mask
}

func itoa(i int) string { return strconv.Itoa(i) }

// PartialImage is one image_edit.partial_image event of a stream.
type PartialImage struct {
	// Index is partial_image_index (0-based).
	Index int
	// Data is the decoded image and Format its sniffed format.
	Data   []byte
	Format codecs.Format
	// CreatedAt is the event's created_at (Unix seconds).
	CreatedAt int64
	// Size, Quality, Background, OutputFormat echo the event's fields.
	Size, Quality, Background, OutputFormat string
}
