package codecstream

import (
	"fmt"
	"image"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/jpegenc"
)

// JPEGEncoder encodes a JPEG while its image is still being produced, top
// to bottom (by a resize that runs while its source is decoded): Advance
// entropy-codes the rows that are final on the calling goroutine, and
// Bytes codes the rest on all cores. The result is exactly
// codecs.EncodeBytes' for the finished image.
type JPEGEncoder struct {
	s *jpegenc.Stream
}

// NewJPEGEncoder starts encoding img with opts, whose Format must be JPEG
// and whose Quality must be 1..100 (the encoder does not apply Encode's
// default for 0). img's pixels are read only by Advance (the rows it is
// told are final) and Bytes. Errors are *codecs.FormatError with Kind
// codecs.ErrEncode.
func NewJPEGEncoder(img image.Image, opts codecs.EncodeOptions) (*JPEGEncoder, error) {
	switch {
	case opts.Format != codecs.JPEG:
		return nil, encodeErr(opts.Format, "streamed encoding is for JPEG only", nil)
	case img == nil || img.Bounds().Empty():
		return nil, encodeErr(codecs.JPEG, "no pixels to encode", nil)
	case opts.Quality < 1 || opts.Quality > 100:
		return nil, encodeErr(codecs.JPEG, fmt.Sprintf("quality %d outside 1..100", opts.Quality), nil)
	}
	s, err := jpegenc.NewStream(img, opts.Quality)
	if err != nil {
		return nil, encodeErr(codecs.JPEG, err.Error(), err)
	}
	return &JPEGEncoder{s: s}, nil
}

// Advance reports that the first n rows of the image are final; the rows
// of 16 they complete are coded now.
func (e *JPEGEncoder) Advance(n int) {
	e.s.Advance(n)
}

// Bytes codes what Advance has not (every row must be final by now) and
// returns the file.
func (e *JPEGEncoder) Bytes() (data []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			data, err = nil, encodeErr(codecs.JPEG, fmt.Sprintf("encoder panic: %v", r), nil)
		}
	}()
	return e.s.Bytes(), nil
}

// encodeErr is an encoding error as codecs reports them.
func encodeErr(f codecs.Format, reason string, err error) error {
	return &codecs.FormatError{Format: f, Kind: codecs.ErrEncode, Reason: reason, Err: err}
}
