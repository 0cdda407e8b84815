package raster

// Output stages: they turn the resampled plane rows (x255 units, possibly
// overshooting because of Lanczos ringing) into NRGBA pixels.

// full is the x255-unit value of an 8-bit 255.
const full = 255 * 255

// to8 converts an x255-unit sample to 8 bits, rounding and clamping.
func to8(v int32) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= full {
		return 255
	}
	return uint8((uint32(v) + 127) / 255)
}

// emitRGB writes opaque pixels from R, G, B planes.
func emitRGB(dst []uint8, rows [][]int32) {
	r, g, b := rows[0], rows[1], rows[2]
	n := len(dst) / 4
	r, g, b = r[:n], g[:n], b[:n]
	for i := range r {
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0], d[1], d[2], d[3] = to8(r[i]), to8(g[i]), to8(b[i]), 255
	}
}

// emitGray writes opaque grey pixels from one plane.
func emitGray(dst []uint8, rows [][]int32) {
	n := len(dst) / 4
	g := rows[0][:n]
	for i, v := range g {
		c := to8(v)
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0], d[1], d[2], d[3] = c, c, c, 255
	}
}

// emitPremul writes pixels from premultiplied R, G, B, A planes.
func emitPremul(dst []uint8, rows [][]int32) {
	n := len(dst) / 4
	r, g, b, a := rows[0][:n], rows[1][:n], rows[2][:n], rows[3][:n]
	for i, av := range a {
		d := dst[4*i : 4*i+4 : 4*i+4]
		if av >= full-127 { // rounds to alpha 255
			d[0], d[1], d[2], d[3] = to8(r[i]), to8(g[i]), to8(b[i]), 255
			continue
		}
		if av < 128 { // rounds to alpha 0
			d[0], d[1], d[2], d[3] = 0, 0, 0, 0
			continue
		}
		// c = p/a*255 with a reciprocal: floor(2^24*255/a) keeps p == a
		// (and p == c*a from a flat input) exact after rounding.
		inv := (uint64(255) << 24) / uint64(av)
		d[0] = unpremul(r[i], av, inv)
		d[1] = unpremul(g[i], av, inv)
		d[2] = unpremul(b[i], av, inv)
		d[3] = uint8((uint32(av) + 127) / 255)
	}
}

func unpremul(p, a int32, inv uint64) uint8 {
	if p <= 0 {
		return 0
	}
	if p >= a {
		return 255
	}
	return uint8((uint64(p)*inv + 1<<23) >> 24)
}

// emitYCbCr converts Y, Cb, Cr planes (JFIF, full range) to RGB with the
// arithmetic of image/color.YCbCrToRGB (which image/jpeg users and imaging
// see) applied to the unrounded resampled values: for 8-bit inputs it is
// bit-exact, so flat areas match a per-pixel conversion exactly.
func emitYCbCr(dst []uint8, rows [][]int32) {
	n := len(dst) / 4
	yy, cb, cr := rows[0][:n], rows[1][:n], rows[2][:n]
	const mid = 128 * 255
	for i, yv := range yy {
		y := int64(yv) * 0x10101
		b1, r1 := int64(cb[i])-mid, int64(cr[i])-mid
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0] = fromJFIF(y + 91881*r1)
		d[1] = fromJFIF(y - 22554*b1 - 46802*r1)
		d[2] = fromJFIF(y + 116130*b1)
		d[3] = 255
	}
}

// fromJFIF turns a YCbCrToRGB numerator scaled by 255 into 8 bits.
func fromJFIF(v int64) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 256*255<<16 {
		return 255
	}
	return uint8(uint64(v) / (255 << 16))
}
