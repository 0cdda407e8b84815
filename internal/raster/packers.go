package raster

// packFunc packs source rows y0 and y1 of a plane (y1 < 0: zero lane) into
// dst, one uint64 per sample.
type packFunc func(c *rowCache, y0, y1 int, dst []uint64)

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

func (c *rowCache) row8(y int) []uint8 { return cachedRow(c, &c.b8, c.src.conv8, y) }

func (c *rowCache) row16(y int) []uint16 { return cachedRow(c, &c.b16, c.src.conv16, y) }

// cachedRow returns source row y converted by conv, from c's buffers bufs
// (a source has one converter, so c.y serves both widths).
func cachedRow[T sample](c *rowCache, bufs *[2][]T, conv func(int, []T), y int) []T {
	s := y & 1
	b := bufs[s][:c.src.w*c.src.ch]
	if c.y[s] != y {
		conv(y, b)
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
		pack(dst[:w], a, b)
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
		pack4(dst[:w], a, b)
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
		pack4(dst[:w], a, b)
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
			pack(dst[:w], a[:w], b)
			return
		}
		pack4(dst[:w], a, b)
	}
}
