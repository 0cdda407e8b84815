package jpeg

import (
	"bytes"
	"image"
	"image/color"
	"math"
)

// This file is a small JPEG encoder for the tests: image/jpeg only writes
// 4:2:0 and grayscale baseline images, and the decoder also has to be
// exercised with other sampling factors, restart intervals and progressive
// scans (spectral selection and successive approximation, like libjpeg's
// default progression script).

type encComp struct {
	id   byte
	h, v int
	tq   int // Quantization and Huffman table index (0 luma, 1 chroma).
}

type encOptions struct {
	comps       []encComp // 1 (gray) or 3 (YCbCr) components.
	quality     int
	restart     int // Restart interval in MCUs, 0 for none.
	progressive bool
}

// Standard tables from Annex K of the JPEG specification.
var (
	stdLumaQuant = [64]int{
		16, 11, 10, 16, 24, 40, 51, 61,
		12, 12, 14, 19, 26, 58, 60, 55,
		14, 13, 16, 24, 40, 57, 69, 56,
		14, 17, 22, 29, 51, 87, 80, 62,
		18, 22, 37, 56, 68, 109, 103, 77,
		24, 35, 55, 64, 81, 104, 113, 92,
		49, 64, 78, 87, 103, 121, 120, 101,
		72, 92, 95, 98, 112, 100, 103, 99,
	}
	stdChromaQuant = [64]int{
		17, 18, 24, 47, 99, 99, 99, 99,
		18, 21, 26, 66, 99, 99, 99, 99,
		24, 26, 56, 99, 99, 99, 99, 99,
		47, 66, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
	}
	stdHuff = [2][2]struct {
		counts [16]byte
		vals   []byte
	}{
		{ // Luma: DC, AC.
			{[16]byte{0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
			{[16]byte{0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d}, []byte{
				0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
				0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
				0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
				0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
				0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
				0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
				0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
				0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
				0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
				0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
				0xf9, 0xfa,
			}},
		},
		{ // Chroma: DC, AC.
			{[16]byte{0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
			{[16]byte{0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77}, []byte{
				0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
				0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
				0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
				0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
				0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
				0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
				0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
				0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
				0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
				0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
				0xf9, 0xfa,
			}},
		},
	}
)

type huffCode struct {
	code uint32
	size uint8
}

// huffEncTable derives the code of every symbol from counts and vals.
func huffEncTable(counts [16]byte, vals []byte) (t [256]huffCode) {
	code, k := uint32(0), 0
	for l := 0; l < 16; l++ {
		for i := 0; i < int(counts[l]); i++ {
			t[vals[k]] = huffCode{code, uint8(l + 1)}
			code++
			k++
		}
		code <<= 1
	}
	return t
}

// bitWriter writes entropy-coded data with byte stuffing.
type bitWriter struct {
	out  *bytes.Buffer
	acc  uint32
	nacc uint
}

func (w *bitWriter) bits(v uint32, n uint) {
	for i := int(n) - 1; i >= 0; i-- {
		w.acc = w.acc<<1 | (v>>uint(i))&1
		w.nacc++
		if w.nacc == 8 {
			b := byte(w.acc)
			w.out.WriteByte(b)
			if b == 0xff {
				w.out.WriteByte(0)
			}
			w.acc, w.nacc = 0, 0
		}
	}
}

// flush pads the last byte with 1 bits.
func (w *bitWriter) flush() {
	for w.nacc != 0 {
		w.bits(1, 1)
	}
}

func (w *bitWriter) sym(t *[256]huffCode, s byte) {
	c := t[s]
	if c.size == 0 {
		panic("symbol not in table")
	}
	w.bits(c.code, uint(c.size))
}

// magnitude returns the size category of v and its extra bits.
func magnitude(v int) (uint, uint32) {
	a := v
	if a < 0 {
		a = -a
	}
	n := uint(0)
	for a>>n != 0 {
		n++
	}
	if v < 0 {
		v += 1<<n - 1
	}
	return n, uint32(v) & (1<<n - 1)
}

// zigzag is the inverse of unzig.
var zigzag = func() (z [64]int) {
	for i, k := range unzig {
		z[k] = i
	}
	return z
}()

// encodeTestJPEG encodes m (converted to gray or YCbCr, full range).
func encodeTestJPEG(m image.Image, opt encOptions) []byte {
	bnd := m.Bounds()
	w, h := bnd.Dx(), bnd.Dy()
	nc := len(opt.comps)
	// Full-resolution planes.
	full := make([][]float64, nc)
	for c := range full {
		full[c] = make([]float64, w*h)
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			r, g, b, _ := m.At(bnd.Min.X+x, bnd.Min.Y+y).RGBA()
			if nc == 1 {
				gy := color.GrayModel.Convert(color.RGBA64{uint16(r), uint16(g), uint16(b), 0xffff}).(color.Gray)
				full[0][y*w+x] = float64(gy.Y)
				continue
			}
			yy, cb, cr := color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(b>>8))
			full[0][y*w+x] = float64(yy)
			full[1][y*w+x] = float64(cb)
			full[2][y*w+x] = float64(cr)
		}
	}
	hmax, vmax := 1, 1
	for _, c := range opt.comps {
		hmax, vmax = max(hmax, c.h), max(vmax, c.v)
	}
	if nc == 1 {
		hmax, vmax = 1, 1
		opt.comps[0].h, opt.comps[0].v = 1, 1
	}
	mxx := (w + 8*hmax - 1) / (8 * hmax)
	myy := (h + 8*vmax - 1) / (8 * vmax)

	// Quantization tables.
	scale := 5000 / opt.quality
	if opt.quality >= 50 {
		scale = 200 - 2*opt.quality
	}
	var quant [2][64]int
	for i := range 64 {
		for t, base := range [2]*[64]int{&stdLumaQuant, &stdChromaQuant} {
			q := (base[i]*scale + 50) / 100
			quant[t][i] = min(max(q, 1), 255)
		}
	}

	// Quantized coefficients of every block of the padded grid, natural order.
	type compData struct {
		bw, bh int // Blocks in the padded grid.
		nbw    int // Blocks per row in non-interleaved scans.
		nbh    int
		blocks [][64]int
	}
	cds := make([]compData, nc)
	for ci, c := range opt.comps {
		cw := (w*c.h + hmax - 1) / hmax
		ch := (h*c.v + vmax - 1) / vmax
		// Downsample by box averaging.
		fx, fy := hmax/c.h, vmax/c.v
		plane := make([]float64, cw*ch)
		for y := 0; y < ch; y++ {
			for x := 0; x < cw; x++ {
				s, n := 0.0, 0
				for yy := y * fy; yy < min(h, (y+1)*fy); yy++ {
					for xx := x * fx; xx < min(w, (x+1)*fx); xx++ {
						s += full[ci][yy*w+xx]
						n++
					}
				}
				plane[y*cw+x] = s / float64(n)
			}
		}
		cd := compData{bw: mxx * c.h, bh: myy * c.v, nbw: (cw + 7) / 8, nbh: (ch + 7) / 8}
		cd.blocks = make([][64]int, cd.bw*cd.bh)
		for by := 0; by < cd.bh; by++ {
			for bx := 0; bx < cd.bw; bx++ {
				var px [64]float64
				for y := 0; y < 8; y++ {
					for x := 0; x < 8; x++ {
						sx := min(bx*8+x, cw-1)
						sy := min(by*8+y, ch-1)
						px[y*8+x] = plane[sy*cw+sx] - 128
					}
				}
				cd.blocks[by*cd.bw+bx] = fdctQuant(&px, &quant[c.tq])
			}
		}
		cds[ci] = cd
	}

	var out bytes.Buffer
	out.Write([]byte{0xff, 0xd8})
	seg := func(marker byte, data []byte) {
		out.Write([]byte{0xff, marker, byte((len(data) + 2) >> 8), byte(len(data) + 2)})
		out.Write(data)
	}
	// JFIF, so that 3-component images are YCbCr.
	seg(0xe0, []byte{'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0})
	for t := 0; t < 2 && t < nc; t++ {
		q := []byte{byte(t)}
		for zig := 0; zig < 64; zig++ {
			q = append(q, byte(quant[t][unzig[zig]]))
		}
		seg(0xdb, q)
	}
	sof := []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), byte(nc)}
	for _, c := range opt.comps {
		sof = append(sof, c.id, byte(c.h<<4|c.v), byte(c.tq))
	}
	if opt.progressive {
		seg(0xc2, sof)
	} else {
		seg(0xc0, sof)
	}
	var tables [2][2][256]huffCode
	for t := 0; t < 2 && t < nc; t++ {
		for class := 0; class < 2; class++ {
			spec := stdHuff[t][class]
			seg(0xc4, append(append([]byte{byte(class<<4 | t)}, spec.counts[:]...), spec.vals...))
			tables[t][class] = huffEncTable(spec.counts, spec.vals)
		}
	}
	if opt.restart > 0 {
		seg(0xdd, []byte{byte(opt.restart >> 8), byte(opt.restart)})
	}

	type scanSpec struct {
		comps          []int
		ss, se, ah, al int
	}
	var scans []scanSpec
	all := make([]int, nc)
	for i := range all {
		all[i] = i
	}
	if !opt.progressive {
		scans = []scanSpec{{all, 0, 63, 0, 0}}
	} else {
		scans = append(scans, scanSpec{all, 0, 0, 0, 1})
		scans = append(scans, scanSpec{[]int{0}, 1, 5, 0, 2})
		for c := nc - 1; c >= 1; c-- {
			scans = append(scans, scanSpec{[]int{c}, 1, 63, 0, 1})
		}
		scans = append(scans, scanSpec{[]int{0}, 6, 63, 0, 2})
		scans = append(scans, scanSpec{[]int{0}, 1, 63, 2, 1})
		scans = append(scans, scanSpec{all, 0, 0, 1, 0})
		for c := nc - 1; c >= 1; c-- {
			scans = append(scans, scanSpec{[]int{c}, 1, 63, 1, 0})
		}
		scans = append(scans, scanSpec{[]int{0}, 1, 63, 1, 0})
	}

	for _, sc := range scans {
		sos := []byte{byte(len(sc.comps))}
		for _, ci := range sc.comps {
			t := byte(opt.comps[ci].tq)
			sos = append(sos, opt.comps[ci].id, t<<4|t)
		}
		sos = append(sos, byte(sc.ss), byte(sc.se), byte(sc.ah<<4|sc.al))
		seg(0xda, sos)

		bw := &bitWriter{out: &out}
		var pred [4]int
		nrst := 0
		encBlock := func(ci int, blk *[64]int) {
			t := opt.comps[ci].tq
			dcT, acT := &tables[t][0], &tables[t][1]
			if sc.ss == 0 {
				if sc.ah == 0 {
					v := blk[0] >> sc.al
					n, bits := magnitude(v - pred[ci])
					pred[ci] = v
					bw.sym(dcT, byte(n))
					bw.bits(bits, n)
				} else {
					bw.bits(uint32(blk[0]>>sc.al)&1, 1)
				}
				if sc.se == 0 {
					return
				}
			}
			ss := max(sc.ss, 1)
			if sc.ah == 0 {
				r := 0
				for k := ss; k <= sc.se; k++ {
					v := blk[unzig[k]]
					if v < 0 {
						v = -(-v >> sc.al)
					} else {
						v >>= sc.al
					}
					if v == 0 {
						r++
						continue
					}
					for r > 15 {
						bw.sym(acT, 0xf0)
						r -= 16
					}
					n, bits := magnitude(v)
					bw.sym(acT, byte(r<<4)|byte(n))
					bw.bits(bits, n)
					r = 0
				}
				if r > 0 {
					bw.sym(acT, 0x00)
				}
				return
			}
			// Successive approximation refinement (libjpeg's
			// encode_mcu_AC_refine with EOB runs of 1).
			var abs [64]int
			eob := -1
			for k := ss; k <= sc.se; k++ {
				v := blk[unzig[k]]
				if v < 0 {
					v = -v
				}
				abs[k] = v >> sc.al
				if abs[k] == 1 {
					eob = k
				}
			}
			r := 0
			var corr []uint32
			for k := ss; k <= sc.se; k++ {
				a := abs[k]
				if a == 0 {
					r++
					continue
				}
				for r > 15 && k <= eob {
					bw.sym(acT, 0xf0)
					r -= 16
					for _, b := range corr {
						bw.bits(b, 1)
					}
					corr = corr[:0]
				}
				if a > 1 {
					corr = append(corr, uint32(a&1))
					continue
				}
				bw.sym(acT, byte(r<<4)|1)
				sign := uint32(1)
				if blk[unzig[k]] < 0 {
					sign = 0
				}
				bw.bits(sign, 1)
				for _, b := range corr {
					bw.bits(b, 1)
				}
				corr = corr[:0]
				r = 0
			}
			if r > 0 || len(corr) > 0 {
				bw.sym(acT, 0x00)
				for _, b := range corr {
					bw.bits(b, 1)
				}
			}
		}
		restartCheck := func(units, total int) {
			if opt.restart > 0 && units%opt.restart == 0 && units < total {
				bw.flush()
				out.Write([]byte{0xff, byte(0xd0 + nrst%8)})
				nrst++
				pred = [4]int{}
			}
		}
		if len(sc.comps) == 1 {
			ci := sc.comps[0]
			cd := &cds[ci]
			units := 0
			for by := 0; by < cd.nbh; by++ {
				for bx := 0; bx < cd.nbw; bx++ {
					encBlock(ci, &cd.blocks[by*cd.bw+bx])
					units++
					restartCheck(units, cd.nbw*cd.nbh)
				}
			}
		} else {
			units := 0
			for my := 0; my < myy; my++ {
				for mx := 0; mx < mxx; mx++ {
					for _, ci := range sc.comps {
						c := opt.comps[ci]
						cd := &cds[ci]
						for j := 0; j < c.h*c.v; j++ {
							bx := mx*c.h + j%c.h
							by := my*c.v + j/c.h
							encBlock(ci, &cd.blocks[by*cd.bw+bx])
						}
					}
					units++
					restartCheck(units, mxx*myy)
				}
			}
		}
		bw.flush()
	}
	out.Write([]byte{0xff, 0xd9})
	return out.Bytes()
}

// fdctQuant returns the quantized DCT of px (level-shifted samples).
func fdctQuant(px *[64]float64, q *[64]int) (out [64]int) {
	var tmp [64]float64
	for v := 0; v < 8; v++ {
		for x := 0; x < 8; x++ {
			s := 0.0
			for y := 0; y < 8; y++ {
				s += px[y*8+x] * cosTab[y][v]
			}
			tmp[v*8+x] = s
		}
	}
	for v := 0; v < 8; v++ {
		for u := 0; u < 8; u++ {
			s := 0.0
			for x := 0; x < 8; x++ {
				s += tmp[v*8+x] * cosTab[x][u]
			}
			cu, cv := 1.0, 1.0
			if u == 0 {
				cu = 1 / math.Sqrt2
			}
			if v == 0 {
				cv = 1 / math.Sqrt2
			}
			f := s * cu * cv / 4
			out[v*8+u] = int(math.Round(f / float64(q[v*8+u])))
		}
	}
	return out
}

// cosTab[x][u] = cos((2x+1)uπ/16).
var cosTab = func() (t [8][8]float64) {
	for x := range 8 {
		for u := range 8 {
			t[x][u] = math.Cos(float64(2*x+1) * float64(u) * math.Pi / 16)
		}
	}
	return t
}()
