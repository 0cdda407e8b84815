package raster

import "image"

// packFunc packs source rows y0 and y1 of a plane (y1 < 0: zero lane) into
// dst, one uint64 per sample.
type packFunc func(c *rowCache, y0, y1 int, dst []uint64)

// plane is one resampled channel of a source: its sample grid, how
// destination pixel centres map onto it, and how to read it.
type plane struct {
	w, h   int
	sx, ox float64 // destination x centre -> (x+0.5)*sx+ox in plane samples
	sy, oy float64
	narrow bool  // 8-bit samples; otherwise 16-bit samples in x255 units
	hf, vf *fold // subsampled chroma: weights folded from the luma grid
	pack   packFunc

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

// rowCache holds the last two converted rows of a source (by row parity):
// planes are filtered in lockstep, so each row is converted once.
type rowCache struct {
	src *source
	y   [2]int
	b8  [2][]uint8
	b16 [2][]uint16
}

func (c *rowCache) reset(s *source) {
	c.src = s
	c.y = [2]int{-1, -1}
	n := s.w * s.ch
	for i := range c.b8 {
		if s.conv8 != nil && cap(c.b8[i]) < n {
			c.b8[i] = make([]uint8, n)
		}
		if s.conv16 != nil && cap(c.b16[i]) < n {
			c.b16[i] = make([]uint16, n)
		}
	}
}

func (c *rowCache) row8(y int) []uint8 {
	s := y & 1
	b := c.b8[s][:c.src.w*c.src.ch]
	if c.y[s] != y {
		c.src.conv8(y, b)
		c.y[s] = y
	}
	return b
}

func (c *rowCache) row16(y int) []uint16 {
	s := y & 1
	b := c.b16[s][:c.src.w*c.src.ch]
	if c.y[s] != y {
		c.src.conv16(y, b)
		c.y[s] = y
	}
	return b
}

// direct8 reads a plane of one byte per sample straight from pix.
func direct8(pix []uint8, stride, w int) packFunc {
	return func(_ *rowCache, y0, y1 int, dst []uint64) {
		a := pix[y0*stride : y0*stride+w]
		var b []uint8
		if y1 >= 0 {
			b = pix[y1*stride : y1*stride+w]
		}
		pack8(dst[:w], a, b)
	}
}

// direct8x4 reads channel ch of 4-byte pixels straight from pix.
func direct8x4(pix []uint8, stride, w, ch int) packFunc {
	return func(_ *rowCache, y0, y1 int, dst []uint64) {
		a := pix[y0*stride+ch : y0*stride+4*w]
		var b []uint8
		if y1 >= 0 {
			b = pix[y1*stride+ch : y1*stride+4*w]
		}
		pack8x4(dst[:w], a, b)
	}
}

// premul8x4 reads channel ch of NRGBA pixels premultiplied by alpha (alpha
// itself scaled by 255), in x255 units: no conversion buffer needed.
func premul8x4(pix []uint8, stride, w, ch int) packFunc {
	return func(_ *rowCache, y0, y1 int, dst []uint64) {
		dst = dst[:w]
		a := pix[y0*stride : y0*stride+4*w]
		var b []uint8
		if y1 >= 0 {
			b = pix[y1*stride : y1*stride+4*w]
		}
		if ch == 3 {
			for i := range dst {
				v := uint64(a[4*i+3]) * 255
				if b != nil {
					v |= uint64(b[4*i+3]) * 255 << 32
				}
				dst[i] = v
			}
			return
		}
		for i := range dst {
			p := a[4*i : 4*i+4 : 4*i+4]
			v := uint64(p[ch]) * uint64(p[3])
			if b != nil {
				q := b[4*i : 4*i+4 : 4*i+4]
				v |= uint64(q[ch]) * uint64(q[3]) << 32
			}
			dst[i] = v
		}
	}
}

// cached8x4 reads channel ch of converted 4-byte pixels.
func cached8x4(w, ch int) packFunc {
	return func(c *rowCache, y0, y1 int, dst []uint64) {
		a := c.row8(y0)[ch:]
		var b []uint8
		if y1 >= 0 {
			b = c.row8(y1)[ch:]
		}
		pack8x4(dst[:w], a, b)
	}
}

// cached16 reads channel ch of converted 16-bit samples, n per pixel.
func cached16(w, n, ch int) packFunc {
	return func(c *rowCache, y0, y1 int, dst []uint64) {
		a := c.row16(y0)[ch:]
		var b []uint16
		if y1 >= 0 {
			b = c.row16(y1)[ch:]
		}
		if n == 1 {
			if b != nil {
				b = b[:w]
			}
			pack16(dst[:w], a[:w], b)
			return
		}
		pack16x4(dst[:w], a, b)
	}
}

// newSource describes src for resampling to dw x dh.
func newSource(src image.Image, dw, dh int) *source {
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
		s.planes = append(s.planes, full(true, direct8(m.Y, m.YStride, w)))
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
			})
		}
	case *image.Gray:
		s.emit = emitGray
		s.planes = append(s.planes, full(true, direct8(m.Pix, m.Stride, w)))
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
