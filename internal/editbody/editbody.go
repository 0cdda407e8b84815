package editbody

import (
	"io"
	"mime"
)

// Kind is the encoding of an edit request body.
type Kind int

// The body kinds Parse understands.
const (
	Multipart Kind = iota + 1 // multipart/form-data
	JSON                      // application/json
)

// String returns "multipart" or "json".
func (k Kind) String() string {
	switch k {
	case Multipart:
		return "multipart"
	case JSON:
		return "json"
	}
	return "unknown"
}

// Part is one image or the mask of an edit request. Change Data,
// ContentType and Filename (or put a new *Part in its place) and Encode
// writes the change.
type Part struct {
	// Field is the wire field the part came in. Multipart: "image",
	// "image[]", "image[0]" or "mask"; Encode writes an image under Field
	// (it must stay an image field name; "" keeps the received one) and
	// the mask as "mask". JSON: "images[0]" (official form, index in the
	// images array), "image" or "image[1]" (relay form), "mask";
	// informational only, as the position in the body decides where
	// Encode writes the part.
	Field string
	// Filename is the multipart filename as sent (no directory stripped),
	// "" when none; unused for JSON.
	Filename string
	// ContentType is the media type as sent: the multipart part's
	// Content-Type header, or the media type of a JSON data URL ("" for
	// plain base64, which Encode writes as plain base64 again).
	ContentType string
	// Data holds the image bytes (base64 decoded for JSON).
	Data []byte
}

// Body is a parsed edit request body. Images and Mask are the parts to
// prepare; everything else is kept, unexported, so that Encode reproduces
// it (see the package documentation for what is kept verbatim).
type Body struct {
	// Images holds every image part in wire order. Encode needs exactly as
	// many non-nil parts as Parse found; their contents may change.
	Images []*Part
	// Mask is the mask, nil when the body has none (or has one Parse
	// cannot touch, such as a file_id). Setting it to nil makes Encode drop
	// the mask; a body without one cannot be given one.
	Mask *Part

	kind    Kind
	form    form
	nImages int  // image slots in the body
	hasMask bool // the body has a mask slot
}

// form is the kind-specific rest of a body: its fields and its encoder.
type form interface {
	field(name string) (string, bool)
	names() []string
	carries(name string) bool // an image or the mask is under name
	setField(name, value string)
	deleteField(name string)
	encode(b *Body) (contentType string, body []byte, err error)
}

// Parse reads an edit request body of the given Content-Type
// (multipart/form-data or application/json, with any parameters). It
// returns ErrNotEditBody, without reading, for other content types, and
// an *Error for a body it cannot parse: malformed, longer than
// lim.MaxBytes (errors.Is(err, ErrTooLarge)), with more than lim.MaxParts
// parts, or with an image string that is not base64 or not a base64
// data URL.
func Parse(contentType string, body io.Reader, lim Limits) (*Body, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil && err != mime.ErrInvalidMediaParameter {
		return nil, ErrNotEditBody
	}
	lim = lim.withDefaults()
	switch mt {
	case "multipart/form-data":
		return parseMultipart(params["boundary"], body, lim)
	case "application/json":
		return parseJSON(contentType, body, lim)
	}
	return nil, ErrNotEditBody
}

// Kind reports how the body is encoded; Encode keeps that encoding.
func (b *Body) Kind() Kind { return b.kind }

// Model returns the "model" field, "" when absent. Change it with
// SetField("model", ...).
func (b *Body) Model() string {
	m, _ := b.Field("model")
	return m
}

// Field returns a text field and whether the body has it. Multipart: the
// value of the last non-file part of that name. JSON: the last top-level
// member of that name as text, when it is a string (unquoted), a number
// (as written) or a boolean ("true", "false"); null, objects and arrays
// report false. Parts and members that carry images are not fields.
func (b *Body) Field(name string) (string, bool) { return b.form.field(name) }

// FieldNames returns the names of the body's text fields (multipart text
// parts; JSON top-level members), each once, in wire order. Names that
// carry the images or the mask are not listed.
func (b *Body) FieldNames() []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range b.form.names() {
		if !seen[n] && !b.form.carries(n) {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// SetField sets a text field, so that afterwards the body has exactly one
// field of that name: the first one is replaced in place (later ones are
// removed), or a new one is added at the end. In JSON the value is
// written as a string, except that a member that was a number or a
// boolean stays one when value is a valid number or "true"/"false".
// SetField and DeleteField do nothing for a name that one of the body's
// images or its mask came under ("image[]", "mask", JSON "images"...):
// change Images and Mask instead.
func (b *Body) SetField(name, value string) {
	if !b.form.carries(name) {
		b.form.setField(name, value)
	}
}

// DeleteField removes every text field of that name (JSON: every member
// of that name), unless the name carries images (see SetField).
func (b *Body) DeleteField(name string) {
	if !b.form.carries(name) {
		b.form.deleteField(name)
	}
}

// Encode rebuilds the body with the current Images and Mask and returns
// its Content-Type: for multipart a new random boundary, for JSON the
// Content-Type Parse was given. It fails with an *Error (code
// invalid_part) when Images no longer has one non-nil part per image of
// the body, a Mask is set on a body without one, or a part cannot be
// written (a Field that is not an image field, a ContentType with a line
// break, or one that cannot sit in a data URL).
func (b *Body) Encode() (contentType string, body []byte, err error) {
	if len(b.Images) != b.nImages {
		return "", nil, newError("", CodeInvalidPart, nil, "the body has %d images, Images has %d parts", b.nImages, len(b.Images))
	}
	for i, p := range b.Images {
		if p == nil {
			return "", nil, newError("", CodeInvalidPart, nil, "Images[%d] is nil", i)
		}
	}
	if b.Mask != nil && !b.hasMask {
		return "", nil, newError("mask", CodeInvalidPart, nil, "the body has no mask to replace")
	}
	return b.form.encode(b)
}
