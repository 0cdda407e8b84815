package codecs

import (
	"image"

	"github.com/imgprep/imgprep/internal/jpegenc"
)

// JPEGStream encodes a JPEG while its image is still being produced, top
// to bottom (by a resize that runs while its source is decoded): Advance
// entropy-codes the rows that are final on the calling goroutine, and
// Bytes codes the rest on all cores. The result is exactly EncodeBytes'
// for the finished image.
type JPEGStream struct {
	s *jpegenc.Stream
}

// NewJPEGStream starts encoding img with opts (whose Format must be
// JPEG). img's pixels are read only by Advance (the rows it is told are
// final) and Bytes.
func NewJPEGStream(img image.Image, opts EncodeOptions) (*JPEGStream, error) {
	if opts.Format != JPEG {
		return nil, newErr(opts.Format, ErrEncode, "streamed encoding is for JPEG only")
	}
	if err := checkEncode(img, &opts); err != nil {
		return nil, err
	}
	s, err := jpegenc.NewStream(img, opts.Quality)
	if err != nil {
		return nil, encodeErr(JPEG, err)
	}
	return &JPEGStream{s: s}, nil
}

// Advance reports that the first n rows of the image are final; the rows
// of 16 they complete are coded now.
func (s *JPEGStream) Advance(n int) {
	s.s.Advance(n)
}

// Bytes codes what Advance has not (every row must be final by now) and
// returns the file.
func (s *JPEGStream) Bytes() (data []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			data, err = nil, newErr(JPEG, ErrEncode, "encoder panic: %v", r)
		}
	}()
	return s.s.Bytes(), nil
}
