package codecs

import (
	"bytes"
	"image"

	"github.com/HugoSmits86/nativewebp"
)

// encodeWebP dispatches to the lossless (pure Go) or lossy (cgo) encoder.
func encodeWebP(img image.Image, opts EncodeOptions) ([]byte, error) {
	if opts.Lossless {
		return encodeWebPLossless(img)
	}
	return encodeWebPLossy(img, opts.Quality)
}

// encodeWebPLossless encodes with nativewebp into a buffer (its Encode
// ignores writer errors) and turns a panic into ErrEncode.
func encodeWebPLossless(img image.Image) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, newErr(WebP, ErrEncode, "lossless encoder panic: %v", r)
		}
	}()
	var buf bytes.Buffer
	if err := nativewebp.Encode(&buf, img, nil); err != nil {
		return nil, encodeErr(WebP, err)
	}
	if buf.Len() == 0 {
		return nil, newErr(WebP, ErrEncode, "lossless encoder produced no data")
	}
	return buf.Bytes(), nil
}
