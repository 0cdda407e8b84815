package pngdec

import "io"

// stream is the inflated IDAT data: a zlib reader over the IDAT payloads.
type stream struct {
	zr *inflater
}

// openStream starts inflating hd's IDAT payloads. A single IDAT chunk is
// read in place; several are joined first (the inflater reads a slice,
// and the copy costs far less than the inflate).
func openStream(hd *header) (*stream, bool) {
	var data []byte
	switch len(hd.idat) {
	case 0:
		return nil, false
	case 1:
		data = hd.idat[0]
	default:
		data = make([]byte, 0, hd.idatLen)
		for _, d := range hd.idat {
			data = append(data, d...)
		}
	}
	zr, ok := newInflater(data)
	if !ok {
		return nil, false
	}
	return &stream{zr: zr}, true
}

// finish checks that the stream ends here: no inflated byte is left, the
// Adler-32 matches and no compressed byte follows in the IDAT data.
func (s *stream) finish() bool {
	var one [1]byte
	n, err := io.ReadFull(s.zr, one[:])
	return n == 0 && err == io.EOF
}
