package raster

import (
	"errors"
	"image"
)

// PlanarYCbCr reports whether ResizeYCbCrInto can resample src: a
// *image.YCbCr whose planes are laid out as image.NewYCbCr does, at a
// non-negative origin (what the JPEG decoder returns, and sub-images of it).
func PlanarYCbCr(src *image.YCbCr) bool {
	return newSource(src, 1, 1).planarYCbCr()
}

// planarYCbCr reports whether s reads a YCbCr image's planes directly
// (newSource falls back to converted rows for a malformed one).
func (s *source) planarYCbCr() bool {
	return len(s.planes) == 3 && s.ch == 0 && s.planes[1].rowDiv != 0
}

// ResizeYCbCrInto resamples src onto dst, a 4:2:0 *image.YCbCr at the
// origin (image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)),
// without going through RGB: luma to dst's size and each chroma plane
// straight from its own grid to dst's half-size one, all with the
// Lanczos-3 of Resize. That is what a JPEG-to-JPEG resize needs: no
// colour conversion either way, and chroma filtered once at the size it
// is stored at instead of upsampled to full size, converted and averaged
// down again by the encoder (about half of Resize's work on a photo).
// Chroma samples are centred between their luma samples, as in JFIF.
//
// ready and done are ResizeRowsInto's: with ready (nil: src is final),
// the rows of src are resampled as they arrive; done, when not nil, is
// told on the calling goroutine how many rows of dst are final (with the
// chroma rows they use), the last time with n = dst's height unless there
// is an error.
func ResizeYCbCrInto(dst *image.YCbCr, src *image.YCbCr, ready func(y int) error, done func(n int)) error {
	return resizeYCbCr(dst, src, ready, done, false, false)
}

// ResizeYCbCrOriented is ResizeYCbCrInto to a new w x h 4:2:0 image
// (upright size) followed by EXIF orientation o (see Orient) of its planes:
// the JPEG-to-JPEG resize of a photo stored sideways. Where the
// orientation reverses an axis of odd length, the stored chroma grid is
// laid one luma sample over, so that the upright chroma samples still
// cover luma pairs (0,1), (2,3), ... as 4:2:0 wants.
func ResizeYCbCrOriented(src *image.YCbCr, w, h, o int, ready func(y int) error) (*image.YCbCr, error) {
	if o < 2 || o > 8 {
		dst := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
		return dst, ResizeYCbCrInto(dst, src, ready, nil)
	}
	sw, sh := w, h // stored size
	if o >= 5 {
		sw, sh = h, w
	}
	revX := o == 2 || o == 3 || o == 7 || o == 8 // stored x runs backwards upright
	revY := o == 3 || o == 4 || o == 6 || o == 7 // stored y does
	st := image.NewYCbCr(image.Rect(0, 0, sw, sh), image.YCbCrSubsampleRatio420)
	if err := resizeYCbCr(st, src, ready, nil, revX && sw%2 == 1, revY && sh%2 == 1); err != nil {
		return nil, err
	}
	dst := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	orientPlane(dst.Y, dst.YStride, w, h, st.Y, st.YStride, sw, sh, o)
	cw, ch := (w+1)/2, (h+1)/2
	scw, sch := (sw+1)/2, (sh+1)/2
	orientPlane(dst.Cb, dst.CStride, cw, ch, st.Cb, st.CStride, scw, sch, o)
	orientPlane(dst.Cr, dst.CStride, cw, ch, st.Cr, st.CStride, scw, sch, o)
	return dst, nil
}

// orientPlane writes the w x h upright plane of stored plane src (sw x sh)
// under orientation o.
func orientPlane(dst []uint8, stride, w, h int, src []uint8, sstride, sw, sh, o int) {
	ax, bx, cx, ay, by, cy := orientMap(sw, sh, o)
	step := bx + sstride*by
	const tile = 64
	parallelRows(h, w, func(y0, y1 int) {
		for ty := y0; ty < y1; ty += tile {
			for tx := 0; tx < w; tx += tile {
				for y := ty; y < min(ty+tile, y1); y++ {
					j := ax + bx*tx + cx*y + sstride*(ay+by*tx+cy*y)
					d := dst[y*stride+tx : y*stride+min(tx+tile, w)]
					for i := range d {
						d[i] = src[j]
						j += step
					}
				}
			}
		}
	})
}

// resizeYCbCr is ResizeYCbCrInto; shiftX, shiftY lay the chroma grid one
// luma sample left (up) of the usual (see ResizeYCbCrOriented).
func resizeYCbCr(dst *image.YCbCr, src *image.YCbCr, ready func(y int) error, done func(n int), shiftX, shiftY bool) error {
	if dst.SubsampleRatio != image.YCbCrSubsampleRatio420 || dst.Rect.Min != (image.Point{}) {
		return errors.New("raster: ResizeYCbCrInto needs a 4:2:0 destination at the origin")
	}
	dw, dh := dst.Rect.Dx(), dst.Rect.Dy()
	s := newSource(src, max(dw, 1), max(dh, 1))
	if !s.planarYCbCr() {
		return errors.New("raster: ResizeYCbCrInto needs a planar YCbCr source (see PlanarYCbCr)")
	}
	sb := src.Bounds()
	if dw <= 0 || dh <= 0 || sb.Empty() {
		if ready != nil {
			if err := ready(sb.Max.Y); err != nil {
				return err
			}
		}
		return nil
	}
	hd, vd := chromaDiv(src.SubsampleRatio)
	for _, p := range s.planes[1:] {
		// From fractions of the luma grid to the 4:2:0 chroma grid: an
		// output chroma sample covers two output luma samples each way.
		p.hf, p.vf = nil, nil
		p.sx, p.sy = 2*float64(sb.Dx())/float64(dw)/float64(hd), 2*float64(sb.Dy())/float64(dh)/float64(vd)
		p.ow, p.oh, p.odiv = (dw+1)/2, (dh+1)/2, 2
		if shiftX {
			p.ox -= float64(sb.Dx()) / float64(dw) / float64(hd)
		}
		if shiftY {
			p.oy -= float64(sb.Dy()) / float64(dh) / float64(vd)
		}
	}
	out := output{w: dw, h: dh, put: func(y int, rows [][]int32) {
		put8(dst.Y[y*dst.YStride:y*dst.YStride+dw], rows[0])
		if y%2 == 0 {
			c, cw := (y/2)*dst.CStride, (dw+1)/2
			put8(dst.Cb[c:c+cw], rows[1])
			put8(dst.Cr[c:c+cw], rows[2])
		}
	}}
	if err := resample(s, out, ready, sb.Max.Y, done); err != nil {
		return err
	}
	if done != nil {
		done(dh)
	}
	return nil
}

// put8 stores resampled x255-unit values as 8-bit samples.
func put8(dst []uint8, row []int32) {
	row = row[:len(dst)]
	for i, v := range row {
		dst[i] = to8(v)
	}
}
