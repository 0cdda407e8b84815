package raster

import (
	"encoding/binary"
	"image"
	"image/color"
)

// Place draws src onto a new w x h canvas filled with bg, with src's
// top-left corner at offset at (a plain copy, no blending; parts falling
// outside the canvas are clipped).
func Place(src *image.NRGBA, w, h int, at image.Point, bg color.NRGBA) *image.NRGBA {
	dst := image.NewNRGBA(image.Rect(0, 0, max(w, 0), max(h, 0)))
	fill(dst.Pix, bg)
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	r := image.Rect(at.X, at.Y, at.X+sw, at.Y+sh).Intersect(dst.Rect)
	if r.Empty() {
		return dst
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		so := (y-at.Y)*src.Stride + 4*(r.Min.X-at.X)
		copy(dst.Pix[y*dst.Stride+4*r.Min.X:y*dst.Stride+4*r.Max.X], src.Pix[so:])
	}
	return dst
}

// fill sets every pixel of pix to c.
func fill(pix []uint8, c color.NRGBA) {
	if len(pix) == 0 {
		return
	}
	copy(pix, []uint8{c.R, c.G, c.B, c.A})
	for n := 4; n < len(pix); n *= 2 {
		copy(pix[n:], pix[:n])
	}
}

// Flatten composites src over the opaque colour bg (bg.A is ignored) and
// returns a new opaque image with Rect at origin.
func Flatten(src *image.NRGBA, bg color.NRGBA) *image.NRGBA {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	parallelRows(h, w, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			s := src.Pix[y*src.Stride : y*src.Stride+4*w]
			d := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
			for i := 0; i+3 < len(s); i += 4 {
				p, q := s[i:i+4:i+4], d[i:i+4:i+4]
				a := uint32(p[3])
				if a == 255 {
					q[0], q[1], q[2], q[3] = p[0], p[1], p[2], 255
					continue
				}
				na := 255 - a
				q[0] = uint8((uint32(p[0])*a + uint32(bg.R)*na + 127) / 255)
				q[1] = uint8((uint32(p[1])*a + uint32(bg.G)*na + 127) / 255)
				q[2] = uint8((uint32(p[2])*a + uint32(bg.B)*na + 127) / 255)
				q[3] = 255
			}
		}
	})
	return dst
}

// Opaque reports whether every pixel of img has alpha 255, stopping at the
// first one that does not.
func Opaque(img *image.NRGBA) bool {
	return opaque(img.Pix, img.Stride, img.Rect.Dx(), img.Rect.Dy())
}

// opaque reports whether every 4th byte (from index 3) of the w x h pixel
// rows in pix is 255.
func opaque(pix []uint8, stride, w, h int) bool {
	const mask = 0xff000000ff000000
	for y := 0; y < h; y++ {
		row := pix[y*stride : y*stride+4*w]
		for len(row) >= 32 {
			v := binary.LittleEndian.Uint64(row) & binary.LittleEndian.Uint64(row[8:]) &
				binary.LittleEndian.Uint64(row[16:]) & binary.LittleEndian.Uint64(row[24:])
			if v&mask != mask {
				return false
			}
			row = row[32:]
		}
		for i := 3; i < len(row); i += 4 {
			if row[i] != 255 {
				return false
			}
		}
	}
	return true
}
