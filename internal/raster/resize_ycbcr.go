package raster

import (
	"errors"
	"image"
)

// PlanarYCbCr reports whether ResizeYCbCrInto can resample src: a
// *image.YCbCr whose planes are laid out as image.NewYCbCr does, at a
// non-negative origin (what the JPEG decoder returns, and sub-images of it).
func PlanarYCbCr(src *image.YCbCr) bool {
	s := newSource(src, 1, 1)
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
	if dst.SubsampleRatio != image.YCbCrSubsampleRatio420 || dst.Rect.Min != (image.Point{}) {
		return errors.New("raster: ResizeYCbCrInto needs a 4:2:0 destination at the origin")
	}
	if !PlanarYCbCr(src) {
		return errors.New("raster: ResizeYCbCrInto needs a planar YCbCr source (see PlanarYCbCr)")
	}
	dw, dh := dst.Rect.Dx(), dst.Rect.Dy()
	sb := src.Bounds()
	if dw <= 0 || dh <= 0 || sb.Empty() {
		if ready != nil {
			if err := ready(sb.Max.Y); err != nil {
				return err
			}
		}
		return nil
	}
	s := newSource(src, dw, dh)
	hd, vd := chromaDiv(src.SubsampleRatio)
	for _, p := range s.planes[1:] {
		// From fractions of the luma grid to the 4:2:0 chroma grid: an
		// output chroma sample covers two output luma samples each way.
		p.hf, p.vf = nil, nil
		p.sx, p.sy = 2*float64(sb.Dx())/float64(dw)/float64(hd), 2*float64(sb.Dy())/float64(dh)/float64(vd)
		p.ow, p.oh, p.odiv = (dw+1)/2, (dh+1)/2, 2
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
