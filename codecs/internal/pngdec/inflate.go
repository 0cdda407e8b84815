package pngdec

import (
	"bytes"
	"io"

	"github.com/klauspost/compress/zlib"
)

// stream is the inflated IDAT data: a zlib reader over the IDAT payloads.
type stream struct {
	src *bytes.Reader
	zr  io.ReadCloser
}

// openStream starts inflating hd's IDAT payloads. A single IDAT chunk is
// read in place; several are joined first (klauspost's inflate is fastest
// on a *bytes.Reader, and the copy costs far less than the inflate).
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
	src := bytes.NewReader(data)
	zr, err := zlib.NewReader(src)
	if err != nil {
		return nil, false
	}
	return &stream{src: src, zr: zr}, true
}

// finish checks that the stream ends here: no inflated byte is left, the
// Adler-32 matches and no compressed byte follows in the IDAT data.
func (s *stream) finish() bool {
	var one [1]byte
	n, err := io.ReadFull(s.zr, one[:])
	s.zr.Close()
	return n == 0 && err == io.EOF && s.src.Len() == 0
}
