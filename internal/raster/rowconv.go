package raster

import (
	"image"
	"image/color"
)

// Row converters into 16-bit samples in x255 units (an 8-bit value v is
// v*255; premultiplied colour is c*a), the resampler's common scale.

// to255 maps a 16-bit value to x255 units.
func to255(v uint32) uint16 {
	return uint16((v*full + 32767) / 65535)
}

// scale16 converts big-endian 16-bit samples (already premultiplied when
// they carry colour) to x255 units.
func scale16(d []uint16, s []uint8) {
	d = d[:len(s)/2]
	for i := range d {
		d[i] = to255(uint32(s[2*i])<<8 | uint32(s[2*i+1]))
	}
}

// premulNRGBA64 premultiplies one NRGBA64 row into x255 units.
func premulNRGBA64(d []uint16, s []uint8) {
	const den = 65535 * 65535
	d = d[:len(s)/2]
	for i := 0; i+3 < len(d); i += 4 {
		p := s[2*i : 2*i+8 : 2*i+8]
		a := uint64(p[6])<<8 | uint64(p[7])
		for c := 0; c < 3; c++ {
			v := uint64(p[2*c])<<8 | uint64(p[2*c+1])
			d[i+c] = uint16((v*a*full + den/2) / den)
		}
		d[i+3] = to255(uint32(a))
	}
}

// cmykRow converts one CMYK row to RGB in x255 units (exact).
func cmykRow(d []uint16, s []uint8) {
	d = d[:len(s)]
	for i := 0; i+3 < len(s); i += 4 {
		p, q := s[i:i+4:i+4], d[i:i+4:i+4]
		k := 255 - uint16(p[3])
		q[0], q[1], q[2], q[3] = (255-uint16(p[0]))*k, (255-uint16(p[1]))*k, (255-uint16(p[2]))*k, full
	}
}

// paletteLUT builds 8-bit RGBA and premultiplied x255 lookup tables for a
// palette; indices past its end read as opaque black. opq reports whether
// every palette entry is opaque.
func paletteLUT(pal color.Palette) (lut8 [256][4]uint8, lut16 [256][4]uint16, opq bool) {
	opq = true
	for i := range lut8 {
		lut8[i] = [4]uint8{0, 0, 0, 255}
		lut16[i] = [4]uint16{0, 0, 0, full}
	}
	for i, c := range pal {
		if i >= 256 {
			break
		}
		r, g, b, a := c.RGBA()
		if a != 0xffff {
			opq = false
		}
		n := color.NRGBAModel.Convert(c).(color.NRGBA)
		lut8[i] = [4]uint8{n.R, n.G, n.B, n.A}
		lut16[i] = [4]uint16{to255(r), to255(g), to255(b), to255(a)}
	}
	return lut8, lut16, opq
}

// genericRow converts row y of any image through its color.Color values.
func genericRow(d []uint16, img image.Image, x0, y int) {
	for i := 0; i+3 < len(d); i += 4 {
		r, g, b, a := img.At(x0+i/4, y).RGBA()
		d[i], d[i+1], d[i+2], d[i+3] = to255(r), to255(g), to255(b), to255(a)
	}
}
