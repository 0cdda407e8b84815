package pngdec

import (
	"image"
	"image/color"
	"io"
)

// Progress, given to Decode, hears about rows as they are decoded, so
// that another goroutine can read them while the decode goes on.
type Progress struct {
	// Start is called once the image is allocated, before any row is
	// decoded, with the image Decode fills and returns on success.
	Start func(img image.Image)
	// Rows is called from the decoding goroutine every time rows [0, n)
	// of the image are final; n grows up to the height. A non-nil error
	// stops the decode, which returns it.
	Rows func(n int) error
}

// progressEvery is how many rows Decode decodes between Rows calls.
const progressEvery = 8

// Decode decodes the PNG file b as image/png.Decode would, reporting rows
// to p (which may be nil). It returns ErrUnhandled for files it leaves to
// image/png (see the package documentation), p.Rows' error if it stops the
// decode, or the image, whose type, pixels and palette are image/png's.
// Rows reported to p may have come from a file that turns out to be
// damaged further on (ErrUnhandled): the caller must then discard what it
// computed from them.
func Decode(b []byte, p *Progress) (image.Image, error) {
	hd, ok := walk(b)
	if !ok || hd.interlace != 0 || hd.depth == 16 {
		return nil, ErrUnhandled
	}
	rb := hd.rowBytes()
	if int64(rb+1)*int64(hd.h) > int64(maxInt) || int64(hd.w)*int64(hd.h) > int64(maxInt)/4 {
		return nil, ErrUnhandled
	}
	r := newRows(&hd)
	if r == nil {
		return nil, ErrUnhandled
	}
	s, ok := openStream(&hd)
	if !ok {
		return nil, ErrUnhandled
	}
	if p != nil && p.Start != nil {
		p.Start(r.img)
	}
	for y := 0; y < hd.h; y++ {
		if !r.row(s.zr, y) {
			return nil, ErrUnhandled
		}
		if p != nil && p.Rows != nil && (y%progressEvery == progressEvery-1 || y == hd.h-1) {
			if err := p.Rows(y + 1); err != nil {
				return nil, err
			}
		}
	}
	if !s.finish() {
		return nil, ErrUnhandled
	}
	return r.img, nil
}

const maxInt = int(^uint(0) >> 1)

// rows decodes one stored row at a time into img.
type rows struct {
	img    image.Image
	pix    []byte // img's pixels
	stride int
	rb     int // stored row bytes
	bpp    int // filter distance: bytes per pixel, at least 1
	ft     [1]byte
	// direct is set when stored rows are img's rows (8-bit gray without
	// tRNS, RGBA, 8-bit palette): they are inflated and unfiltered in
	// place. Otherwise cr and pr hold the current and previous stored rows
	// and conv turns cr into img's row y.
	direct bool
	zero   []byte // a row of zeros: the row above the first
	cr, pr []byte
	conv   func(dst, src []byte)
	np     int // palette entries (palette images)
}

// newRows allocates the image image/png would return for hd, and picks the
// row conversion. It returns nil for what Decode leaves to image/png.
func newRows(hd *header) *rows {
	r := &rows{rb: hd.rowBytes(), bpp: max(1, hd.bitsPerPixel()/8)}
	rect := image.Rect(0, 0, hd.w, hd.h)
	switch hd.ctype {
	case ctGray:
		if hd.hasTRNS {
			m := image.NewNRGBA(rect)
			r.img, r.pix, r.stride = m, m.Pix, m.Stride
			r.conv = grayKeyConv(hd.depth, hd.w, scaleGray(hd.trns[1], hd.depth))
			break
		}
		m := image.NewGray(rect)
		r.img, r.pix, r.stride = m, m.Pix, m.Stride
		if hd.depth == 8 {
			r.direct = true
		} else {
			r.conv = grayConv(hd.depth, hd.w)
		}
	case ctRGB:
		if hd.hasTRNS {
			m := image.NewNRGBA(rect)
			r.img, r.pix, r.stride = m, m.Pix, m.Stride
			r.conv = rgbKeyConv(hd.trns[1], hd.trns[3], hd.trns[5])
			break
		}
		m := image.NewRGBA(rect)
		r.img, r.pix, r.stride = m, m.Pix, m.Stride
		r.conv = rgbConv
	case ctGrayAlpha:
		m := image.NewNRGBA(rect)
		r.img, r.pix, r.stride = m, m.Pix, m.Stride
		r.conv = grayAlphaConv
	case ctRGBA:
		m := image.NewNRGBA(rect)
		r.img, r.pix, r.stride = m, m.Pix, m.Stride
		r.direct = true
	case ctPalette:
		r.np = len(hd.plte) / 3
		m := image.NewPaletted(rect, palette(hd))
		r.img, r.pix, r.stride = m, m.Pix, m.Stride
		if hd.depth == 8 {
			r.direct = true
		} else {
			r.conv = indexConv(hd.depth, hd.w)
		}
	default:
		return nil
	}
	if r.direct {
		r.zero = make([]byte, r.rb)
	} else {
		r.cr, r.pr = make([]byte, r.rb), make([]byte, r.rb)
	}
	return r
}

// row inflates, unfilters and converts stored row y. It reports false on
// short data, a bad filter type or an index outside the palette.
func (r *rows) row(zr io.Reader, y int) bool {
	if _, err := io.ReadFull(zr, r.ft[:]); err != nil {
		return false
	}
	var cur, prev []byte
	if r.direct {
		cur = r.pix[y*r.stride : y*r.stride+r.rb]
		prev = r.zero
		if y > 0 {
			prev = r.pix[(y-1)*r.stride : (y-1)*r.stride+r.rb]
		}
	} else {
		r.cr, r.pr = r.pr, r.cr
		cur, prev = r.cr, r.pr
		if y == 0 {
			clear(prev)
		}
	}
	if _, err := io.ReadFull(zr, cur); err != nil {
		return false
	}
	if !unfilter(r.ft[0], cur, prev, r.bpp) {
		return false
	}
	if r.np > 0 && r.direct && r.np < 256 && !indicesBelow(cur, r.np) {
		return false
	}
	if r.conv != nil {
		dst := r.pix[y*r.stride : (y+1)*r.stride]
		r.conv(dst, cur)
		if r.np > 0 && r.np < 1<<8 && !indicesBelow(dst, r.np) {
			return false
		}
	}
	return true
}

// indicesBelow reports whether every byte of b is below n.
func indicesBelow(b []byte, n int) bool {
	for _, v := range b {
		if int(v) >= n {
			return false
		}
	}
	return true
}

// palette builds image/png's palette: opaque color.RGBA entries, those
// that tRNS covers color.NRGBA, extended with opaque black when tRNS is
// longer than PLTE.
func palette(hd *header) color.Palette {
	np := len(hd.plte) / 3
	pal := make(color.Palette, 256)
	for i := range pal {
		pal[i] = color.RGBA{0, 0, 0, 0xff}
		if i < np {
			pal[i] = color.RGBA{hd.plte[3*i], hd.plte[3*i+1], hd.plte[3*i+2], 0xff}
		}
	}
	pal = pal[:max(np, len(hd.trns))]
	for i, a := range hd.trns {
		c := pal[i].(color.RGBA)
		pal[i] = color.NRGBA{c.R, c.G, c.B, a}
	}
	return pal
}
