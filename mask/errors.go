package mask

import (
	"errors"
	"fmt"
	"image"
)

// Error categories of Validate, Decode and Fit; match them with errors.Is.
var (
	// ErrFormat: the mask is not a PNG, or its file cannot be decoded
	// (Decode, Validate) or encoded (Encode).
	ErrFormat = errors.New("mask is not a readable PNG")
	// ErrSize: the mask's width and height differ from the image's (see
	// *SizeError for both sizes).
	ErrSize = errors.New("mask size does not match image size")
	// ErrNoAlpha: the mask PNG has no alpha channel (colour type 4 or 6,
	// or a tRNS chunk).
	ErrNoAlpha = errors.New("mask has no alpha channel")
	// ErrTooLarge: the mask file is not under the byte limit.
	ErrTooLarge = errors.New("mask file too large")
)

// Error is a mask rejection: Kind is one of the sentinels above, Reason
// says what is wrong and what to do.
type Error struct {
	Kind   error
	Reason string
	Err    error // underlying error, if any
}

// Error formats the error as "mask: <reason>".
func (e *Error) Error() string { return "mask: " + e.Reason }

// Detail returns the message without the "mask: " prefix: Reason.
func (e *Error) Detail() string { return e.Reason }

// Unwrap returns the category and the underlying error.
func (e *Error) Unwrap() []error {
	if e.Err != nil {
		return []error{e.Kind, e.Err}
	}
	return []error{e.Kind}
}

func newErr(kind error, format string, a ...any) *Error {
	return &Error{Kind: kind, Reason: fmt.Sprintf(format, a...)}
}

// SizeError is a mask whose size does not fit the image it goes with. It
// matches ErrSize with errors.Is.
type SizeError struct {
	Mask  image.Point // the mask's width and height
	Image image.Point // the image's width and height
	// Scaling is true when the sizes were compared by aspect ratio (Fit),
	// false when they must be equal (Validate).
	Scaling bool
}

// Error states both sizes and what to do: "mask: " + Detail.
func (e *SizeError) Error() string { return "mask: " + e.Detail() }

// Detail returns the message without the "mask: " prefix.
func (e *SizeError) Detail() string {
	m, i := e.Mask, e.Image
	if e.Scaling {
		return fmt.Sprintf("mask is %dx%d (aspect %.3f) but the image is %dx%d (aspect %.3f): "+
			"more than 1%% apart, so it cannot be scaled; draw the mask on the upright image "+
			"(as displayed, after EXIF rotation) or crop it to the image's aspect ratio",
			m.X, m.Y, aspect(m), i.X, i.Y, aspect(i))
	}
	return fmt.Sprintf("mask is %dx%d but the image is %dx%d: the edit API needs exactly the "+
		"image's size; rebuild the mask at %dx%d or prepare it together with the image",
		m.X, m.Y, i.X, i.Y, i.X, i.Y)
}

// Is reports whether target is ErrSize.
func (e *SizeError) Is(target error) bool { return target == ErrSize }

func aspect(p image.Point) float64 {
	if p.Y == 0 {
		return 0
	}
	return float64(p.X) / float64(p.Y)
}
