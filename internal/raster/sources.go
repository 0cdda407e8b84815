package raster

import "image"

// plane is one resampled channel of a source: its sample grid, how
// destination pixel centres map onto it, and how to read it.
type plane struct {
	w, h   int
	sx, ox float64 // destination x centre -> (x+0.5)*sx+ox in plane samples
	sy, oy float64
	narrow bool  // 8-bit samples; otherwise 16-bit samples in x255 units
	hf, vf *fold // subsampled chroma: weights folded from the luma grid
	pack   packFunc

	// Plane row r is read from source rows up to (rowBase+r)*rowDiv, in
	// the source's coordinates (see need); set for direct 8-bit planes.
	rowBase, rowDiv int

	// The plane's destination size, when not the output's (set before
	// planning; 0: the output's), and odiv: its rows are output rows
	// 0, odiv, 2*odiv, ... (0 or 1: every row).
	ow, oh, odiv int

	// Set by the planner.
	box    int // vertical box pre-reduction factor (1: none)
	vh     int // rows after pre-reduction
	hw, vw *weights
	ring   int // rows in the horizontal-pass ring buffer
}

// source describes how to resample one image: its planes, the stage that
// turns resampled planes into pixels and, for formats without a direct
// plane layout, a per-row converter into an interleaved buffer.
type source struct {
	w, h   int
	planes []*plane
	emit   func(dst []uint8, rows [][]int32)
	ch     int // samples per pixel of converted rows, 0 when direct
	conv8  func(y int, dst []uint8)
	conv16 func(y int, dst []uint16)
}

// newSource describes src for resampling to dw x dh.
func newSource(src image.Image, dw, dh int) *source {
	return newSourceHint(src, dw, dh, false)
}

// newSourceHint is newSource; opaqueRGBA says that src, if an *image.RGBA,
// is opaque without looking at its pixels (which may not be decoded yet),
// and makes its planes direct, read as their rows arrive (see need).
func newSourceHint(src image.Image, dw, dh int, opaqueRGBA bool) *source {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	s := &source{w: w, h: h}
	sx, sy := float64(w)/float64(dw), float64(h)/float64(dh)
	full := func(narrow bool, p packFunc) *plane {
		return &plane{w: w, h: h, sx: sx, sy: sy, narrow: narrow, pack: p}
	}
	rgb8 := func(pix []uint8, stride int) {
		s.emit = emitRGB
		for c := 0; c < 3; c++ {
			s.planes = append(s.planes, full(true, direct8x4(pix, stride, w, c)))
		}
	}
	conv16x4 := func(planes int, conv func(y int, dst []uint16)) {
		s.ch, s.conv16, s.emit = 4, conv, emitPremul
		if planes == 3 {
			s.emit = emitRGB
		}
		for c := 0; c < planes; c++ {
			s.planes = append(s.planes, full(false, cached16(w, 4, c)))
		}
	}
	switch m := src.(type) {
	case *image.YCbCr:
		r := m.Rect
		hd, vd := chromaDiv(m.SubsampleRatio)
		hf := &fold{div: hd, base: r.Min.X, n: w, scale: sx}
		vf := &fold{div: vd, base: r.Min.Y, n: h, scale: sy}
		cw, ch := hf.coarse(w-1)+1, vf.coarse(h-1)+1
		if r.Min.X < 0 || r.Min.Y < 0 || len(m.Y) < (h-1)*m.YStride+w ||
			min(len(m.Cb), len(m.Cr)) < (ch-1)*m.CStride+cw {
			return newSource(generic{src}, dw, dh) // negative origin or malformed
		}
		s.emit = emitYCbCr
		y := full(true, direct8(m.Y, m.YStride, w))
		y.rowBase, y.rowDiv = r.Min.Y, 1
		s.planes = append(s.planes, y)
		if hd == 1 {
			hf = nil
		}
		if vd == 1 {
			vf = nil
		}
		ox := float64(r.Min.X)/float64(hd) - float64(r.Min.X/hd)
		oy := float64(r.Min.Y)/float64(vd) - float64(r.Min.Y/vd)
		for _, c := range [][]uint8{m.Cb, m.Cr} {
			s.planes = append(s.planes, &plane{
				w: cw, h: ch, narrow: true, pack: direct8(c, m.CStride, cw), hf: hf, vf: vf,
				sx: sx / float64(hd), ox: ox, sy: sy / float64(vd), oy: oy,
				rowBase: r.Min.Y / vd, rowDiv: vd,
			})
		}
	case *image.Gray:
		s.emit = emitGray
		g := full(true, direct8(m.Pix, m.Stride, w))
		g.rowBase, g.rowDiv = m.Rect.Min.Y, 1
		s.planes = append(s.planes, g)
	case *image.NRGBA:
		if opaque(m.Pix, m.Stride, w, h) {
			rgb8(m.Pix, m.Stride)
			break
		}
		s.emit = emitPremul
		for c := 0; c < 4; c++ {
			s.planes = append(s.planes, full(false, premul8x4(m.Pix, m.Stride, w, c)))
		}
	case *image.RGBA:
		if opaqueRGBA {
			rgb8(m.Pix, m.Stride)
			for _, p := range s.planes {
				p.rowBase, p.rowDiv = m.Rect.Min.Y, 1
			}
			break
		}
		if opaque(m.Pix, m.Stride, w, h) {
			rgb8(m.Pix, m.Stride)
			break
		}
		s.emit = emitPremul
		for c := 0; c < 4; c++ {
			s.planes = append(s.planes, full(true, direct8x4(m.Pix, m.Stride, w, c)))
		}
	case *image.Gray16:
		s.ch, s.emit = 1, emitGray
		s.conv16 = func(y int, d []uint16) { scale16(d, m.Pix[y*m.Stride:y*m.Stride+2*w]) }
		s.planes = append(s.planes, full(false, cached16(w, 1, 0)))
	case *image.RGBA64:
		conv16x4(4, func(y int, d []uint16) { scale16(d, m.Pix[y*m.Stride:y*m.Stride+8*w]) })
	case *image.NRGBA64:
		conv16x4(4, func(y int, d []uint16) { premulNRGBA64(d, m.Pix[y*m.Stride:y*m.Stride+8*w]) })
	case *image.CMYK:
		conv16x4(3, func(y int, d []uint16) { cmykRow(d, m.Pix[y*m.Stride:y*m.Stride+4*w]) })
	case *image.Paletted:
		lut8, lut16, opq := paletteLUT(m.Palette)
		pixRow := func(y int) []uint8 { return m.Pix[y*m.Stride : y*m.Stride+w] }
		if opq {
			s.ch, s.emit = 4, emitRGB
			s.conv8 = func(y int, d []uint8) {
				for i, v := range pixRow(y) {
					p := lut8[v]
					copy(d[4*i:4*i+4], p[:])
				}
			}
			for c := 0; c < 3; c++ {
				s.planes = append(s.planes, full(true, cached8x4(w, c)))
			}
			break
		}
		conv16x4(4, func(y int, d []uint16) {
			for i, v := range pixRow(y) {
				p := lut16[v]
				copy(d[4*i:4*i+4], p[:])
			}
		})
	default:
		conv16x4(4, func(y int, d []uint16) { genericRow(d, src, b.Min.X, b.Min.Y+y) })
	}
	return s
}

// outRows returns the plane rows [lo, hi) that output rows [y0, y1)
// produce.
func (p *plane) outRows(y0, y1 int) (lo, hi int) {
	d := max(p.odiv, 1)
	return (y0 + d - 1) / d, (y1 + d - 1) / d
}

// need returns the number of source rows, counted from y = 0 in the
// source's coordinates, that must be final to read plane row r: for a
// subsampled chroma plane, up to the first image row that uses it.
func (p *plane) need(r int) int {
	return (p.rowBase+r)*p.rowDiv + 1
}

// generic hides an image's concrete type (forcing the generic path).
type generic struct{ image.Image }

// chromaDiv returns the horizontal and vertical chroma subsampling factors.
func chromaDiv(r image.YCbCrSubsampleRatio) (hd, vd int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return 2, 1
	case image.YCbCrSubsampleRatio420:
		return 2, 2
	case image.YCbCrSubsampleRatio440:
		return 1, 2
	case image.YCbCrSubsampleRatio411:
		return 4, 1
	case image.YCbCrSubsampleRatio410:
		return 4, 2
	}
	return 1, 1
}
