// Package libheif binds the few calls of the system's libheif (1.14 or
// later, loaded with purego: no cgo) that codecs/heic and codecs/avif use:
// decoding a file's primary image to its coded YCbCr planes (HEVC items,
// which codecs/heic places and converts itself) or to 8-bit RGBA (AVIF,
// whose grids, alpha and colour libheif handles), always without applying
// the file's transformations (the caller orients and crops).
package libheif

import (
	"errors"
	"image"
	"sync"
)

// ErrDecode is the error of a file libheif cannot decode.
var ErrDecode = errors.New("libheif could not decode the image")

// Planes is a decoded image's 8-bit planes, valid during the callback of
// DecodePlanes only (they are libheif's memory).
type Planes struct {
	W, H             int
	Chroma           int // 0 mono, 1 4:2:0, 2 4:2:2, 3 4:4:4
	Y, Cb, Cr        []byte
	YStride, CStride int
}

// ChromaSize is the size of a chroma plane.
func (p *Planes) ChromaSize() (int, int) {
	switch p.Chroma {
	case 1:
		return (p.W + 1) / 2, (p.H + 1) / 2
	case 2:
		return (p.W + 1) / 2, p.H
	}
	return p.W, p.H
}

var (
	once sync.Once
	lib  *Lib
)

// Load returns the system library, loaded on the first call, or nil when
// there is none that can be used: absent, older than 1.14, or a binary that
// cannot load libraries (static, or built with -tags nodynamic).
func Load() *Lib {
	once.Do(func() { lib = open() })
	return lib
}

// Version is the library's "major.minor".
func (l *Lib) Version() string { return l.version }

// DecodeRGBA decodes the primary image of a whole file (grids and alpha
// included) to 8-bit non-premultiplied RGBA, colours converted by libheif
// (nclx matrix and range), without rotation, mirroring or clean aperture.
func (l *Lib) DecodeRGBA(file []byte) (*image.NRGBA, error) {
	var out *image.NRGBA
	err := l.decode(file, csRGB, chromaRGBA, func(img uintptr) error {
		var stride int32
		pix := l.planeReadonly(img, chanInterleaved, &stride)
		w, h := int(l.width(img, chanInterleaved)), int(l.height(img, chanInterleaved))
		if pix == nil || w <= 0 || h <= 0 || int(stride) < 4*w {
			return ErrDecode
		}
		out = image.NewNRGBA(image.Rect(0, 0, w, h))
		src := bytesAt(pix, int(stride)*h)
		for y := range h {
			copy(out.Pix[y*out.Stride:y*out.Stride+4*w], src[y*int(stride):])
		}
		return nil
	})
	return out, err
}

// DecodePlanes decodes the primary image of file (a standalone coded
// item) to its planes in chroma format chroma (the coded one; 0 mono) and
// hands them to into.
func (l *Lib) DecodePlanes(file []byte, chroma int, into func(*Planes) error) error {
	cs, ch := int32(csYCbCr), int32(chroma)
	if chroma == 0 {
		cs, ch = csMono, 0
	}
	return l.decode(file, cs, ch, func(img uintptr) error {
		p := &Planes{W: int(l.width(img, chanY)), H: int(l.height(img, chanY))}
		switch cs, ch := l.colorspace(img), l.chromaFormat(img); {
		case cs == csMono, cs == csYCbCr && ch == 0:
			p.Chroma = 0
		case cs == csYCbCr && ch >= chroma420 && ch <= chroma444:
			p.Chroma = int(ch)
		default:
			return errors.New("libheif: unexpected colourspace or chroma")
		}
		var stride int32
		y := l.planeReadonly(img, chanY, &stride)
		if y == nil || p.W <= 0 || p.H <= 0 {
			return ErrDecode
		}
		p.YStride = int(stride)
		p.Y = bytesAt(y, p.YStride*p.H)
		if p.Chroma != 0 {
			_, ch := p.ChromaSize()
			cb := l.planeReadonly(img, chanCb, &stride)
			cr := l.planeReadonly(img, chanCr, &stride)
			if cb == nil || cr == nil {
				return ErrDecode
			}
			p.CStride = int(stride)
			p.Cb, p.Cr = bytesAt(cb, p.CStride*ch), bytesAt(cr, p.CStride*ch)
		}
		return into(p)
	})
}

// libheif's enums.
const (
	csYCbCr = 0
	csRGB   = 1
	csMono  = 2

	chroma420  = 1
	chroma444  = 3
	chromaRGBA = 11 // heif_chroma_interleaved_RGBA

	chanY           = 0
	chanCb          = 1
	chanCr          = 2
	chanInterleaved = 10
)
