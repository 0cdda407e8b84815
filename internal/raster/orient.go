package raster

import "image"

// Orient applies EXIF orientation o to src and returns the upright image:
// 2 flips horizontally, 3 rotates 180°, 4 flips vertically, 5 transposes,
// 6 rotates 90° clockwise, 7 transverses, 8 rotates 90° counter-clockwise.
// Any other value (including 1) returns src itself; otherwise the result is
// a new image with Rect at the origin.
func Orient(src *image.NRGBA, o int) *image.NRGBA {
	if o < 2 || o > 8 {
		return src
	}
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	// Upright (x, y) reads stored (ax + bx*x + cx*y, ay + by*x + cy*y).
	ax, bx, cx, ay, by, cy := orientMap(w, h, o)
	step := 4*bx + src.Stride*by
	const tile = 64
	parallelRows(dh, dw, func(y0, y1 int) {
		for ty := y0; ty < y1; ty += tile {
			for tx := 0; tx < dw; tx += tile {
				for y := ty; y < min(ty+tile, y1); y++ {
					j := 4*(ax+bx*tx+cx*y) + src.Stride*(ay+by*tx+cy*y)
					d := dst.Pix[y*dst.Stride+4*tx : y*dst.Stride+4*min(tx+tile, dw)]
					for i := 0; i < len(d); i += 4 {
						*(*[4]uint8)(d[i:]) = *(*[4]uint8)(src.Pix[j:])
						j += step
					}
				}
			}
		}
	})
	return dst
}

// orientMap returns the coefficients of the upright -> stored pixel map for
// a stored w x h image: stored = (ax + bx*x + cx*y, ay + by*x + cy*y).
func orientMap(w, h, o int) (ax, bx, cx, ay, by, cy int) {
	switch o {
	case 2:
		return w - 1, -1, 0, 0, 0, 1
	case 3:
		return w - 1, -1, 0, h - 1, 0, -1
	case 4:
		return 0, 1, 0, h - 1, 0, -1
	case 5:
		return 0, 0, 1, 0, 1, 0
	case 6:
		return 0, 0, 1, h - 1, -1, 0
	case 7:
		return w - 1, 0, -1, h - 1, -1, 0
	case 8:
		return w - 1, 0, -1, 0, 1, 0
	}
	return 0, 1, 0, 0, 0, 1
}

// OrientRect maps rectangle r of a stored w x h image to the upright image
// that Orient(_, o) produces.
func OrientRect(r image.Rectangle, w, h, o int) image.Rectangle {
	r = r.Canon()
	x0, y0, x1, y1 := r.Min.X, r.Min.Y, r.Max.X, r.Max.Y
	switch o {
	case 2:
		return image.Rect(w-x1, y0, w-x0, y1)
	case 3:
		return image.Rect(w-x1, h-y1, w-x0, h-y0)
	case 4:
		return image.Rect(x0, h-y1, x1, h-y0)
	case 5:
		return image.Rect(y0, x0, y1, x1)
	case 6:
		return image.Rect(h-y1, x0, h-y0, x1)
	case 7:
		return image.Rect(h-y1, w-x1, h-y0, w-x0)
	case 8:
		return image.Rect(y0, w-x1, y1, w-x0)
	}
	return r
}

// UnorientRect maps rectangle r of the upright image back to the stored
// w x h image (w, h are the stored size): the inverse of OrientRect.
func UnorientRect(r image.Rectangle, w, h, o int) image.Rectangle {
	r = r.Canon()
	x0, y0, x1, y1 := r.Min.X, r.Min.Y, r.Max.X, r.Max.Y
	switch o {
	case 2, 3, 4:
		return OrientRect(r, w, h, o) // self-inverse
	case 5:
		return image.Rect(y0, x0, y1, x1)
	case 6:
		return image.Rect(y0, h-x1, y1, h-x0)
	case 7:
		return image.Rect(w-y1, h-x1, w-y0, h-x0)
	case 8:
		return image.Rect(w-y1, x0, w-y0, x1)
	}
	return r
}
