package pngdec

import "encoding/binary"

// Row conversions from stored samples to image/png's pixel layouts.

// scaleGray widens a low-depth gray sample to 8 bits as image/png does
// (wrapping for out-of-range tRNS values, as image/png's byte arithmetic).
func scaleGray(v byte, depth int) byte {
	switch depth {
	case 1:
		return v * 0xff
	case 2:
		return v * 0x55
	case 4:
		return v * 0x11
	}
	return v
}

// unpack calls f with each of the w samples of depth bits (1, 2, 4 or 8)
// packed in src, most significant first.
func unpack(src []byte, depth, w int, f func(x int, v byte)) {
	if depth == 8 {
		for x, v := range src[:w] {
			f(x, v)
		}
		return
	}
	per := 8 / depth
	mask := byte(1<<depth - 1)
	for x := 0; x < w; x += per {
		b := src[x/per]
		for k := 0; k < per && x+k < w; k++ {
			f(x+k, b>>(8-depth)&mask)
			b <<= depth
		}
	}
}

// grayConv widens low-depth gray samples to *image.Gray's bytes.
func grayConv(depth, w int) func(dst, src []byte) {
	return func(dst, src []byte) {
		unpack(src, depth, w, func(x int, v byte) { dst[x] = scaleGray(v, depth) })
	}
}

// grayKeyConv writes gray samples as NRGBA, transparent where the widened
// sample equals key.
func grayKeyConv(depth, w int, key byte) func(dst, src []byte) {
	return func(dst, src []byte) {
		unpack(src, depth, w, func(x int, v byte) {
			y := scaleGray(v, depth)
			a := byte(0xff)
			if y == key {
				a = 0
			}
			d := dst[4*x : 4*x+4 : 4*x+4]
			d[0], d[1], d[2], d[3] = y, y, y, a
		})
	}
}

// indexConv unpacks low-depth palette indices to *image.Paletted's bytes.
func indexConv(depth, w int) func(dst, src []byte) {
	return func(dst, src []byte) {
		unpack(src, depth, w, func(x int, v byte) { dst[x] = v })
	}
}

// rgbConv writes RGB samples as opaque RGBA, a 4-byte store a pixel.
func rgbConv(dst, src []byte) {
	n := len(src) / 3
	dst = dst[:4*n]
	for i := 0; i < n; i++ {
		s := src[3*i : 3*i+3 : 3*i+3]
		binary.LittleEndian.PutUint32(dst[4*i:], uint32(s[0])|uint32(s[1])<<8|uint32(s[2])<<16|0xff000000)
	}
}

// rgbKeyConv writes RGB samples as NRGBA, transparent where they equal
// the tRNS colour (compared on its low bytes, as image/png does).
func rgbKeyConv(kr, kg, kb byte) func(dst, src []byte) {
	return func(dst, src []byte) {
		n := len(src) / 3
		for i := 0; i < n; i++ {
			s := src[3*i : 3*i+3 : 3*i+3]
			d := dst[4*i : 4*i+4 : 4*i+4]
			a := byte(0xff)
			if s[0] == kr && s[1] == kg && s[2] == kb {
				a = 0
			}
			d[0], d[1], d[2], d[3] = s[0], s[1], s[2], a
		}
	}
}

// grayAlphaConv writes gray+alpha samples as NRGBA.
func grayAlphaConv(dst, src []byte) {
	n := len(src) / 2
	for i := 0; i < n; i++ {
		y, a := src[2*i], src[2*i+1]
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0], d[1], d[2], d[3] = y, y, y, a
	}
}
