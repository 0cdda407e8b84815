package codecs

import (
	"errors"
	"fmt"
)

// Error categories; every error returned by this package matches one of
// these with errors.Is.
var (
	// ErrEmpty: zero-byte input.
	ErrEmpty = errors.New("empty file")
	// ErrUnknownFormat: no known signature.
	ErrUnknownFormat = errors.New("unknown image format")
	// ErrUnsupported: a recognised format that cannot be decoded: HEIC or
	// AVIF without a registered decoder, or an unsupported variant such as
	// 12-bit JPEG or an HEIF overlay image.
	ErrUnsupported = errors.New("unsupported format")
	// ErrCorrupt: the data is malformed (bad checksum, bad header, bad stream).
	ErrCorrupt = errors.New("corrupt image")
	// ErrTruncated: the data ends early.
	ErrTruncated = errors.New("truncated image")
	// ErrTooLarge: the declared dimensions exceed the pixel or size limit.
	ErrTooLarge = errors.New("image too large")
	// ErrAnimated: an animated image where a still one is required.
	ErrAnimated = errors.New("animated image")
	// ErrEncode: an encoder failed or is unavailable in this build.
	ErrEncode = errors.New("encode failed")
)

// FormatError describes why an image was rejected. Kind is one of the
// sentinel errors above; errors.Is(err, codecs.ErrCorrupt) etc. works.
type FormatError struct {
	Format Format // the sniffed format, Unknown if none
	Kind   error  // one of the Err* sentinels
	Reason string // short, lower-case detail, e.g. "IHDR CRC mismatch"
	Err    error  // underlying error, if any
}

// Error formats the error as "codecs: <format>: <kind>: <reason>".
func (e *FormatError) Error() string {
	msg := "codecs: "
	if e.Format != Unknown {
		msg += string(e.Format) + ": "
	}
	msg += e.Kind.Error()
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Unwrap returns the category and the underlying error.
func (e *FormatError) Unwrap() []error {
	if e.Err != nil {
		return []error{e.Kind, e.Err}
	}
	return []error{e.Kind}
}

func newErr(f Format, kind error, format string, args ...any) *FormatError {
	return &FormatError{Format: f, Kind: kind, Reason: fmt.Sprintf(format, args...)}
}
