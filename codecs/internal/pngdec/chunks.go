package pngdec

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
)

// ErrUnhandled is returned for a file that this package does not decode:
// a colour type, depth or interlacing left to image/png, or any file that
// image/png might reject. The caller decodes it with image/png.
var ErrUnhandled = errors.New("pngdec: not handled, use image/png")

const pngSig = "\x89PNG\r\n\x1a\n"

// PNG colour types.
const (
	ctGray      = 0
	ctRGB       = 2
	ctPalette   = 3
	ctGrayAlpha = 4
	ctRGBA      = 6
)

// header is what the chunk walk collects: IHDR's fields, PLTE and tRNS,
// and the IDAT payloads in order (slices of the file).
type header struct {
	w, h      int
	depth     int
	ctype     byte
	interlace byte
	plte      []byte // PLTE payload, 3 bytes an entry
	trns      []byte // tRNS payload
	hasTRNS   bool
	idat      [][]byte
	idatLen   int
}

// Chunk stages, in the order image/png requires them.
const (
	stIHDR = iota
	stPLTE
	stTRNS
	stIDAT
)

// walk parses the whole chunk list of b up to IEND, checking every CRC and
// the chunk order rules of image/png. It fails (false) on anything image/png
// might reject, and on what this package leaves to it.
func walk(b []byte) (header, bool) {
	var hd header
	if len(b) < 8+25 || string(b[:8]) != pngSig {
		return hd, false
	}
	stage := -1
	idatRun := false // the last chunk was IDAT (IDATs must be consecutive)
	idatDone := false
	for pos := 8; ; {
		if len(b)-pos < 12 {
			return hd, false
		}
		n := binary.BigEndian.Uint32(b[pos:])
		if n > 0x7fffffff || int64(n) > int64(len(b)-pos-12) {
			return hd, false
		}
		end := pos + 12 + int(n)
		typ := string(b[pos+4 : pos+8])
		data := b[pos+8 : end-4]
		if crc32.ChecksumIEEE(b[pos+4:end-4]) != binary.BigEndian.Uint32(b[end-4:]) {
			return hd, false
		}
		if typ != "IDAT" && idatRun {
			idatRun, idatDone = false, true
		}
		switch typ {
		case "IHDR":
			if stage != -1 || n != 13 {
				return hd, false
			}
			stage = stIHDR
			if !hd.parseIHDR(data) {
				return hd, false
			}
		case "PLTE":
			np := int(n / 3)
			if stage != stIHDR || n%3 != 0 || np == 0 || np > 256 || np > 1<<hd.depth {
				return hd, false
			}
			if hd.ctype != ctPalette && hd.ctype != ctRGB && hd.ctype != ctRGBA {
				return hd, false
			}
			stage = stPLTE
			hd.plte = data
		case "tRNS":
			switch hd.ctype {
			case ctPalette:
				if stage != stPLTE || n > 256 {
					return hd, false
				}
			case ctRGB:
				if (stage != stIHDR && stage != stPLTE) || n != 6 {
					return hd, false
				}
			case ctGray:
				if stage != stIHDR || n != 2 {
					return hd, false
				}
			default:
				return hd, false
			}
			stage = stTRNS
			hd.trns, hd.hasTRNS = data, true
		case "IDAT":
			if idatDone {
				// image/png ignores IDAT chunks after the image's.
				break
			}
			if stage < stIHDR || (stage == stIHDR && hd.ctype == ctPalette) {
				return hd, false
			}
			stage, idatRun = stIDAT, true
			hd.idat = append(hd.idat, data)
			hd.idatLen += len(data)
		case "IEND":
			return hd, stage == stIDAT && n == 0
		}
		if stage == -1 {
			return hd, false
		}
		pos = end
	}
}

// parseIHDR reads IHDR's fields, accepting what image/png accepts.
func (hd *header) parseIHDR(d []byte) bool {
	w, h := binary.BigEndian.Uint32(d[0:]), binary.BigEndian.Uint32(d[4:])
	if w == 0 || h == 0 || w > 0x7fffffff || h > 0x7fffffff {
		return false
	}
	hd.w, hd.h, hd.depth, hd.ctype, hd.interlace = int(w), int(h), int(d[8]), d[9], d[12]
	if d[10] != 0 || d[11] != 0 || d[12] > 1 {
		return false
	}
	// image/png's "dimension overflow": w*h*8 and w*8 must fit int64.
	if int64(w)*int64(h) > (1<<63-1)/8 {
		return false
	}
	switch hd.ctype {
	case ctGray:
		return hd.depth == 1 || hd.depth == 2 || hd.depth == 4 || hd.depth == 8 || hd.depth == 16
	case ctPalette:
		return hd.depth == 1 || hd.depth == 2 || hd.depth == 4 || hd.depth == 8
	case ctRGB, ctGrayAlpha, ctRGBA:
		return hd.depth == 8 || hd.depth == 16
	}
	return false
}

// bitsPerPixel is the size of one stored pixel.
func (hd *header) bitsPerPixel() int {
	ch := [...]int{ctGray: 1, ctRGB: 3, ctPalette: 1, ctGrayAlpha: 2, ctRGBA: 4}[hd.ctype]
	return ch * hd.depth
}

// rowBytes is the size of one stored row, without its filter byte.
func (hd *header) rowBytes() int {
	return int((int64(hd.bitsPerPixel())*int64(hd.w) + 7) / 8)
}
