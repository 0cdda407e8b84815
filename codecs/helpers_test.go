package codecs_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"testing"
)

// This file holds byte-level builders for handcrafted test files.

// pngChunk returns one PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[4:]))
}

// pngInsertAfterIHDR inserts chunks right after IHDR (offset 33).
func pngInsertAfterIHDR(p []byte, chunks ...[]byte) []byte {
	out := append([]byte(nil), p[:33]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, p[33:]...)
}

// ihdr builds a PNG signature plus IHDR.
func ihdr(w, h uint32, depth, ctype byte) []byte {
	d := binary.BigEndian.AppendUint32(nil, w)
	d = binary.BigEndian.AppendUint32(d, h)
	d = append(d, depth, ctype, 0, 0, 0)
	return append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", d)...)
}

// jpegSegment builds a marker segment.
func jpegSegment(marker byte, payload []byte) []byte {
	out := []byte{0xff, marker}
	out = binary.BigEndian.AppendUint16(out, uint16(len(payload)+2))
	return append(out, payload...)
}

// jpegInsertAfterSOI inserts segments right after SOI.
func jpegInsertAfterSOI(j []byte, segs ...[]byte) []byte {
	out := append([]byte(nil), j[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, j[2:]...)
}

// byteOrder is a byte order that can append.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// exifTIFF builds a TIFF structure whose IFD0 holds one Orientation entry
// of the given type (3 SHORT, 4 LONG).
func exifTIFF(bo byteOrder, typ uint16, orientation uint32) []byte {
	var out []byte
	if bo == any(binary.LittleEndian) {
		out = []byte("II*\x00")
	} else {
		out = []byte("MM\x00*")
	}
	out = bo.AppendUint32(out, 8)
	out = bo.AppendUint16(out, 2)
	// an unrelated entry first (ImageWidth), then Orientation
	out = bo.AppendUint16(out, 0x0100)
	out = bo.AppendUint16(out, 3)
	out = bo.AppendUint32(out, 1)
	out = bo.AppendUint32(out, 0)
	out = bo.AppendUint16(out, 0x0112)
	out = bo.AppendUint16(out, typ)
	out = bo.AppendUint32(out, 1)
	if typ == 3 {
		out = bo.AppendUint16(out, uint16(orientation))
		out = bo.AppendUint16(out, 0)
	} else {
		out = bo.AppendUint32(out, orientation)
	}
	return bo.AppendUint32(out, 0) // no next IFD
}

// riffChunk builds one RIFF chunk with its pad byte.
func riffChunk(id string, data []byte) []byte {
	out := append([]byte(id), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	out = append(out, data...)
	if len(data)%2 == 1 {
		out = append(out, 0)
	}
	return out
}

// riffWebP wraps chunks in a RIFF WEBP container.
func riffWebP(chunks ...[]byte) []byte {
	body := []byte("WEBP")
	for _, c := range chunks {
		body = append(body, c...)
	}
	out := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
	return append(out, body...)
}

// webpChunks splits a RIFF WEBP file into its top-level chunks.
func webpChunks(t testing.TB, b []byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for pos := 12; pos+8 <= len(b); {
		n := int(binary.LittleEndian.Uint32(b[pos+4:]))
		out[string(b[pos:pos+4])] = b[pos+8 : pos+8+n]
		pos += 8 + n + n%2
	}
	return out
}

// vp8x builds a VP8X payload.
func vp8x(flags byte, w, h int) []byte {
	d := make([]byte, 10)
	d[0] = flags
	put24(d[4:], w-1)
	put24(d[7:], h-1)
	return d
}

// anmf builds an ANMF payload for a frame at (x, y) (even) of size w x h.
func anmf(x, y, w, h int, sub ...[]byte) []byte {
	d := make([]byte, 16)
	put24(d[0:], x/2)
	put24(d[3:], y/2)
	put24(d[6:], w-1)
	put24(d[9:], h-1)
	put24(d[12:], 100) // duration
	for _, s := range sub {
		d = append(d, s...)
	}
	return d
}

func put24(b []byte, v int) { b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16) }

// mustPNG encodes img with image/png at best speed.
func mustPNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
