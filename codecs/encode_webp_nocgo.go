//go:build !cgo

package codecs

import (
	"bytes"
	"image"

	"github.com/HugoSmits86/nativewebp"
	"github.com/gen2brain/webp"
)

// LossyWebPAvailable reports whether this build can encode lossy WebP. It
// always can: with cgo through libwebp (chai2010/webp), without it through
// libwebp compiled to WebAssembly (gen2brain/webp, run by wazero: compiled
// once per process, about a fifth of a second).
func LossyWebPAvailable() bool { return true }

// encodeWebPLossy encodes with gen2brain/webp's libwebp 1.4 build, method 4
// as libwebp's default (and chai2010's). Its quality 100 means lossless,
// so lossy quality is capped at 99.
func encodeWebPLossy(img image.Image, quality int) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, newErr(WebP, ErrEncode, "lossy encoder panic: %v", r)
		}
	}()
	// gen2brain/webp hands *image.RGBA's premultiplied bytes to libwebp as
	// straight alpha, which darkens semi-transparent pixels: un-premultiply.
	if m, ok := img.(*image.RGBA); ok {
		img, _ = asNRGBA(m)
	}
	var buf bytes.Buffer
	if err := webp.Encode(&buf, img, webp.Options{Quality: min(quality, 99), Method: webp.DefaultMethod}); err != nil {
		return nil, encodeErr(WebP, err)
	}
	if buf.Len() == 0 {
		return nil, newErr(WebP, ErrEncode, "lossy encoder produced no data")
	}
	return buf.Bytes(), nil
}

// encodeWebPLossless encodes losslessly with nativewebp (pure Go) into a
// buffer (its Encode ignores writer errors) and turns a panic into
// ErrEncode. Builds with cgo use libwebp instead (3-4x faster).
func encodeWebPLossless(img image.Image, _ bool) (out []byte, err error) {
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
