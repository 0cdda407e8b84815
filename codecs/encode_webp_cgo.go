//go:build cgo

package codecs

import (
	"image"
	"image/draw"

	"github.com/chai2010/webp"
)

// LossyWebPAvailable reports whether this build can encode lossy WebP
// (it needs cgo for libwebp).
func LossyWebPAvailable() bool { return true }

// encodeWebPLossy encodes with libwebp via chai2010/webp. Quality is always
// set (its zero Options mean quality 0). Pixels with alpha are passed as
// non-premultiplied NRGBA data wrapped in *image.RGBA, because the library
// treats RGBA data as straight alpha and would otherwise darken
// semi-transparent pixels.
func encodeWebPLossy(img image.Image, quality int) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, newErr(WebP, ErrEncode, "lossy encoder panic: %v", r)
		}
	}()
	q := float32(quality)
	switch m := img.(type) {
	case *image.Gray:
		out, err = webp.EncodeGray(m, q)
	case *image.YCbCr: // opaque: libwebp takes it as RGB
		out, err = webp.EncodeRGB(m, q)
	default:
		n, ok := img.(*image.NRGBA)
		if !ok {
			b := img.Bounds()
			n = image.NewNRGBA(b)
			draw.Draw(n, b, img, b.Min, draw.Src)
		}
		out, err = webp.EncodeRGBA(&image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}, q)
	}
	if err != nil {
		return nil, encodeErr(WebP, err)
	}
	return out, nil
}
