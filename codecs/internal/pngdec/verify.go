package pngdec

import "io"

// verifyBuf is the inflate buffer of Verify: the inflated data passes
// through it and is dropped.
const verifyBuf = 32 << 10

// Verify checks the PNG file b without keeping or unfiltering its pixels:
// the chunk list up to IEND with every CRC and image/png's order rules,
// and the zlib stream of its IDAT chunks, whose Adler-32 must match, whose
// inflated size must be exactly one filter byte and one stored row per
// row, with filter types 0-4, and which must end with the IDAT data. It
// returns nil when image/png.Decode would decode b, and ErrUnhandled
// otherwise, or when that cannot be told without the pixels: interlaced
// images, and palette images whose PLTE has fewer entries than the bit
// depth can index (an out-of-range index is an error). The caller then
// decodes the file.
func Verify(b []byte) error {
	hd, ok := walk(b)
	if !ok || hd.interlace != 0 {
		return ErrUnhandled
	}
	if hd.ctype == ctPalette && len(hd.plte)/3 < 1<<hd.depth {
		return ErrUnhandled
	}
	row := int64(hd.rowBytes()) + 1
	total := row * int64(hd.h)
	s, ok := openStream(&hd)
	if !ok {
		return ErrUnhandled
	}
	buf := make([]byte, verifyBuf)
	var pos int64 // inflated bytes before buf
	next := int64(0)
	for pos < total {
		n, err := s.zr.Read(buf[:min(int64(len(buf)), total-pos)])
		for ; next < pos+int64(n); next += row {
			if buf[next-pos] > ftPaeth {
				return ErrUnhandled
			}
		}
		pos += int64(n)
		if err != nil && (err != io.EOF || pos < total) {
			return ErrUnhandled
		}
	}
	if !s.finish() {
		return ErrUnhandled
	}
	return nil
}
