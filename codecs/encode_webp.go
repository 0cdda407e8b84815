package codecs

import (
	"image"
	"image/draw"
)

// encodeWebP dispatches to the lossless or the lossy encoder.
func encodeWebP(img image.Image, opts EncodeOptions) ([]byte, error) {
	if opts.Lossless {
		return encodeWebPLossless(img, opts.ScratchPixels)
	}
	return encodeWebPLossy(img, opts.Quality)
}

// asNRGBA returns img's pixels as non-premultiplied RGBA, converting
// (un-premultiplying *image.RGBA) when img is another type; copied reports
// whether it did, that is whether the result is Encode's own.
func asNRGBA(img image.Image) (n *image.NRGBA, copied bool) {
	if n, ok := img.(*image.NRGBA); ok {
		return n, false
	}
	b := img.Bounds()
	n = image.NewNRGBA(b)
	draw.Draw(n, b, img, b.Min, draw.Src)
	return n, true
}
