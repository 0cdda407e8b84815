package pngdec

// PNG filter types.
const (
	ftNone = iota
	ftSub
	ftUp
	ftAverage
	ftPaeth
)

// unfilter undoes filter ft on row cur (without its filter byte) in place,
// given the previous unfiltered row prev (zeros for the first row) and
// bpp bytes per complete pixel (at least 1). It reports false for an
// unknown filter type.
func unfilter(ft byte, cur, prev []byte, bpp int) bool {
	prev = prev[:len(cur)]
	switch ft {
	case ftNone:
	case ftSub:
		for i := bpp; i < len(cur); i++ {
			cur[i] += cur[i-bpp]
		}
	case ftUp:
		for i, p := range prev {
			cur[i] += p
		}
	case ftAverage:
		for i := 0; i < bpp && i < len(cur); i++ {
			cur[i] += prev[i] / 2
		}
		for i := bpp; i < len(cur); i++ {
			cur[i] += uint8((int(cur[i-bpp]) + int(prev[i])) / 2)
		}
	case ftPaeth:
		switch bpp {
		case 3:
			paeth3(cur, prev)
		case 4:
			paeth4(cur, prev)
		default:
			paethN(cur, prev, bpp)
		}
	default:
		return false
	}
	return true
}

// predict is the Paeth predictor of a (left), b (above) and c (above left).
func predict(a, b, c int) int {
	pa := b - c
	pb := a - c
	pc := pa + pb
	pa = abs(pa)
	pb = abs(pb)
	pc = abs(pc)
	if pb < pa {
		pa, a = pb, b
	}
	if pc < pa {
		a = c
	}
	return a
}

func abs(x int) int {
	m := x >> (63)
	return (x ^ m) - m
}

// paethN undoes the Paeth filter for any pixel size.
func paethN(cur, prev []byte, bpp int) {
	for i := 0; i < bpp && i < len(cur); i++ {
		cur[i] += prev[i] // a = c = 0: the predictor is b
	}
	for i := bpp; i < len(cur); i++ {
		cur[i] += uint8(predict(int(cur[i-bpp]), int(prev[i]), int(prev[i-bpp])))
	}
}

// paeth3 is paethN for 3 bytes per pixel, keeping the left and above-left
// pixels in registers.
func paeth3(cur, prev []byte) {
	var a0, a1, a2, c0, c1, c2 int
	for i := 0; i+3 <= len(cur); i += 3 {
		p := prev[i : i+3 : i+3]
		x := cur[i : i+3 : i+3]
		b0, b1, b2 := int(p[0]), int(p[1]), int(p[2])
		a0 = int(x[0]+uint8(predict(a0, b0, c0))) & 0xff
		a1 = int(x[1]+uint8(predict(a1, b1, c1))) & 0xff
		a2 = int(x[2]+uint8(predict(a2, b2, c2))) & 0xff
		x[0], x[1], x[2] = uint8(a0), uint8(a1), uint8(a2)
		c0, c1, c2 = b0, b1, b2
	}
}

// paeth4 is paethN for 4 bytes per pixel.
func paeth4(cur, prev []byte) {
	var a0, a1, a2, a3, c0, c1, c2, c3 int
	for i := 0; i+4 <= len(cur); i += 4 {
		p := prev[i : i+4 : i+4]
		x := cur[i : i+4 : i+4]
		b0, b1, b2, b3 := int(p[0]), int(p[1]), int(p[2]), int(p[3])
		a0 = int(x[0] + uint8(predict(a0, b0, c0)))
		a1 = int(x[1] + uint8(predict(a1, b1, c1)))
		a2 = int(x[2] + uint8(predict(a2, b2, c2)))
		a3 = int(x[3] + uint8(predict(a3, b3, c3)))
		x[0], x[1], x[2], x[3] = uint8(a0), uint8(a1), uint8(a2), uint8(a3)
		c0, c1, c2, c3 = b0, b1, b2, b3
	}
}
