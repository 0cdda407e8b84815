package mask

import (
	"image"
	"image/color"
	"image/draw"
)

// previewTint is the colour Preview paints over the editable area.
var previewTint = color.NRGBA{255, 0, 255, 255}

// Preview returns img (the prepared image) with m's editable area shown
// for people: transparent parts of img over a light checkerboard, the
// editable area tinted (50% magenta where alpha 0, proportionally less on
// soft edges) and outlined with a one-pixel magenta (#ff00ff) line on its
// edge pixels. img and m should have the same size; m is read from its
// origin and clipped to img.
func Preview(img image.Image, m *image.Alpha) *image.NRGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	checker(out)
	draw.Draw(out, out.Rect, img, b.Min, draw.Over)
	mw, mh := m.Rect.Dx(), m.Rect.Dy()
	edit := func(x, y int) bool { // clipped: outside counts as kept
		return x >= 0 && y >= 0 && x < mw && y < mh && m.Pix[y*m.Stride+x] < 255
	}
	t := previewTint
	for y := range min(h, mh) {
		for x := range min(w, mw) {
			a := m.Pix[y*m.Stride+x]
			if a == 255 {
				continue
			}
			p := out.Pix[y*out.Stride+4*x : y*out.Stride+4*x+3 : y*out.Stride+4*x+3]
			if !edit(x-1, y) || !edit(x+1, y) || !edit(x, y-1) || !edit(x, y+1) {
				p[0], p[1], p[2] = t.R, t.G, t.B
				continue
			}
			k := uint32(255-a) / 2 // tint weight out of 255: 50% at alpha 0
			p[0] = blend(p[0], t.R, k)
			p[1] = blend(p[1], t.G, k)
			p[2] = blend(p[2], t.B, k)
		}
	}
	return out
}

func blend(v, t uint8, k uint32) uint8 {
	return uint8((uint32(v)*(255-k) + uint32(t)*k + 127) / 255)
}

// checker fills an opaque image with an 8 px light-grey checkerboard.
func checker(img *image.NRGBA) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for y := range h {
		row := img.Pix[y*img.Stride:]
		for x := range w {
			v := uint8(0xff)
			if (x/8+y/8)%2 == 1 {
				v = 0xcc
			}
			row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = v, v, v, 255
		}
	}
}
