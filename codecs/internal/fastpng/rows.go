package fastpng

import (
	"image"

	"github.com/imgprep/imgprep/internal/raster"
)

// PNG colour types written.
const (
	ctGray = 0
	ctRGB  = 2
	ctRGBA = 6
)

// rows gives the raw (unfiltered) scanlines of the image being encoded.
type rows struct {
	w, h      int
	bpp       int // bytes per pixel
	colorType int
	pix       []byte // first row
	stride    int
	dropAlpha bool // pix is RGBA but RGB is written
}

// newRows picks the colour type for img.
func newRows(img image.Image, keepAlpha bool) *rows {
	if g, ok := img.(*image.Gray); ok {
		return &rows{w: g.Rect.Dx(), h: g.Rect.Dy(), bpp: 1, colorType: ctGray, pix: g.Pix, stride: g.Stride}
	}
	m, ok := img.(*image.NRGBA)
	if rgba, isRGBA := img.(*image.RGBA); isRGBA {
		// Opaque premultiplied pixels are the same bytes as NRGBA ones.
		m = &image.NRGBA{Pix: rgba.Pix, Stride: rgba.Stride, Rect: rgba.Rect}
		ok = raster.Opaque(m)
	}
	if !ok {
		m = raster.ToNRGBA(img)
	}
	r := &rows{w: m.Rect.Dx(), h: m.Rect.Dy(), bpp: 4, colorType: ctRGBA, pix: m.Pix, stride: m.Stride}
	if !keepAlpha && raster.Opaque(m) {
		r.bpp, r.colorType, r.dropAlpha = 3, ctRGB, true
	}
	return r
}

// rowBytes is the length of one raw scanline.
func (r *rows) rowBytes() int { return r.w * r.bpp }

// row returns raw scanline y, using buf (rowBytes long) when it has to
// convert.
func (r *rows) row(y int, buf []byte) []byte {
	src := r.pix[y*r.stride:]
	if !r.dropAlpha {
		return src[:r.rowBytes()]
	}
	buf = buf[:3*r.w]
	src = src[:4*r.w]
	for i, j := 0, 0; j+2 < len(buf); i, j = i+4, j+3 {
		s, d := src[i:i+3:i+3], buf[j:j+3:j+3]
		d[0], d[1], d[2] = s[0], s[1], s[2]
	}
	return buf
}
