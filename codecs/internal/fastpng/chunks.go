package fastpng

import (
	"encoding/binary"
	"hash/crc32"
	"io"
)

// chunkWriter writes PNG chunks, keeping the first error.
type chunkWriter struct {
	w   io.Writer
	err error
}

func (c *chunkWriter) chunk(typ string, data []byte) {
	if c.err != nil {
		return
	}
	var hdr [8]byte
	binary.BigEndian.PutUint32(hdr[:4], uint32(len(data)))
	copy(hdr[4:], typ)
	crc := crc32.Update(crc32.ChecksumIEEE(hdr[4:]), crc32.IEEETable, data)
	var tail [4]byte
	binary.BigEndian.PutUint32(tail[:], crc)
	for _, p := range [][]byte{hdr[:], data, tail[:]} {
		if _, err := c.w.Write(p); err != nil {
			c.err = err
			return
		}
	}
}

// idatSize is the payload size of the IDAT chunks written.
const idatSize = 1 << 18

// idatWriter packs the zlib stream into IDAT chunks.
type idatWriter struct {
	cw  *chunkWriter
	buf []byte
}

func (d *idatWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(d.buf) == 0 && len(p) >= idatSize {
			d.cw.chunk("IDAT", p[:idatSize]) // no copy for big writes
			p = p[idatSize:]
			continue
		}
		k := copy(d.buf[len(d.buf):cap(d.buf)], p)
		d.buf, p = d.buf[:len(d.buf)+k], p[k:]
		if len(d.buf) == cap(d.buf) {
			d.flush()
		}
	}
	return n, d.cw.err
}

func (d *idatWriter) flush() {
	if len(d.buf) > 0 {
		d.cw.chunk("IDAT", d.buf)
		d.buf = d.buf[:0]
	}
}
