package raster

import (
	"image"
	"image/color"
)

// ToNRGBA converts any image to an *image.NRGBA with Rect at the origin. It
// returns src itself when src already is an *image.NRGBA at the origin with
// Stride == 4*width; otherwise the result is a new image.
func ToNRGBA(src image.Image) *image.NRGBA {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if m, ok := src.(*image.NRGBA); ok && b.Min == (image.Point{}) && m.Stride == 4*w {
		return m
	}
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	row := rowConverter(src)
	parallelRows(h, w, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			row(dst.Pix[y*dst.Stride:y*dst.Stride+4*w], y)
		}
	})
	return dst
}

// rowConverter returns a function writing row y (relative to the bounds)
// of src as NRGBA bytes.
func rowConverter(src image.Image) func(d []uint8, y int) {
	b := src.Bounds()
	w := b.Dx()
	switch m := src.(type) {
	case *image.NRGBA:
		return func(d []uint8, y int) { copy(d, m.Pix[y*m.Stride:]) }
	case *image.RGBA:
		return func(d []uint8, y int) { unpremulRow(d, m.Pix[y*m.Stride:y*m.Stride+4*w]) }
	case *image.YCbCr:
		return func(d []uint8, y int) { ycbcrRow(d, m, y) }
	case *image.Gray:
		return func(d []uint8, y int) {
			for i, v := range m.Pix[y*m.Stride : y*m.Stride+w] {
				d[4*i], d[4*i+1], d[4*i+2], d[4*i+3] = v, v, v, 255
			}
		}
	case *image.Gray16:
		return func(d []uint8, y int) {
			for i := 0; i < w; i++ {
				v := m.Pix[y*m.Stride+2*i]
				d[4*i], d[4*i+1], d[4*i+2], d[4*i+3] = v, v, v, 255
			}
		}
	case *image.NRGBA64:
		return func(d []uint8, y int) {
			s := m.Pix[y*m.Stride : y*m.Stride+8*w]
			for i := range d[:4*w] {
				d[i] = s[2*i]
			}
		}
	case *image.RGBA64: // image/png's type for opaque 16-bit RGB
		return func(d []uint8, y int) { unpremul64Row(d, m.Pix[y*m.Stride:y*m.Stride+8*w]) }
	case *image.CMYK:
		return func(d []uint8, y int) {
			s := m.Pix[y*m.Stride : y*m.Stride+4*w]
			for i := 0; i+3 < len(s); i += 4 {
				r, g, bb := color.CMYKToRGB(s[i], s[i+1], s[i+2], s[i+3])
				d[i], d[i+1], d[i+2], d[i+3] = r, g, bb, 255
			}
		}
	case *image.Paletted:
		lut, _, _ := paletteLUT(m.Palette)
		return func(d []uint8, y int) {
			for i, v := range m.Pix[y*m.Stride : y*m.Stride+w] {
				copy(d[4*i:4*i+4], lut[v][:])
			}
		}
	}
	return func(d []uint8, y int) {
		for i := 0; i < w; i++ {
			c := color.NRGBAModel.Convert(src.At(b.Min.X+i, b.Min.Y+y)).(color.NRGBA)
			d[4*i], d[4*i+1], d[4*i+2], d[4*i+3] = c.R, c.G, c.B, c.A
		}
	}
}

// unpremulRow converts premultiplied RGBA bytes to NRGBA, as
// color.NRGBAModel does.
func unpremulRow(d, s []uint8) {
	for i := 0; i+3 < len(s); i += 4 {
		p, q := s[i:i+4:i+4], d[i:i+4:i+4]
		switch a := uint32(p[3]); a {
		case 255:
			q[0], q[1], q[2], q[3] = p[0], p[1], p[2], 255
		case 0:
			q[0], q[1], q[2], q[3] = 0, 0, 0, 0
		default:
			a16 := a * 0x101
			q[0] = uint8((uint32(p[0]) * 0x101 * 0xffff / a16) >> 8)
			q[1] = uint8((uint32(p[1]) * 0x101 * 0xffff / a16) >> 8)
			q[2] = uint8((uint32(p[2]) * 0x101 * 0xffff / a16) >> 8)
			q[3] = uint8(a)
		}
	}
}

// unpremul64Row converts premultiplied big-endian RGBA64 samples to NRGBA
// bytes, exactly as color.NRGBAModel does.
func unpremul64Row(d, s []uint8) {
	for i := 0; i+7 < len(s); i += 8 {
		p, q := s[i:i+8:i+8], d[i/2:i/2+4:i/2+4]
		switch a := uint32(p[6])<<8 | uint32(p[7]); a {
		case 0xffff:
			q[0], q[1], q[2], q[3] = p[0], p[2], p[4], 0xff
		case 0:
			q[0], q[1], q[2], q[3] = 0, 0, 0, 0
		default:
			q[0] = uint8((uint32(p[0])<<8 | uint32(p[1])) * 0xffff / a >> 8)
			q[1] = uint8((uint32(p[2])<<8 | uint32(p[3])) * 0xffff / a >> 8)
			q[2] = uint8((uint32(p[4])<<8 | uint32(p[5])) * 0xffff / a >> 8)
			q[3] = uint8(a >> 8)
		}
	}
}

// ycbcrRow converts row y of m with the image/color conversion.
func ycbcrRow(d []uint8, m *image.YCbCr, y int) {
	b := m.Rect
	w := b.Dx()
	ay := b.Min.Y + y
	yrow := m.Y[y*m.YStride : y*m.YStride+w]
	ci := m.COffset(b.Min.X, ay)
	hd, _ := chromaDiv(m.SubsampleRatio)
	for i, yy := range yrow {
		c := ci + (b.Min.X+i)/hd - b.Min.X/hd
		r, g, bb := color.YCbCrToRGB(yy, m.Cb[c], m.Cr[c])
		q := d[4*i : 4*i+4 : 4*i+4]
		q[0], q[1], q[2], q[3] = r, g, bb, 255
	}
}
