package finish

import (
	"bytes"
	"encoding/binary"

	"github.com/imgprep/imgprep/codecs"
)

// keepMetadata copies the original JPEG's EXIF (orientation reset to 1:
// the pixels are upright now) and ICC segments into a JPEG output.
func (f *job) keepMetadata(out []byte, format codecs.Format) []byte {
	if format != codecs.JPEG || codecs.Sniff(f.o.Original) != codecs.JPEG {
		f.warn("metadata is kept for JPEG originals written as JPEG only; none copied")
		return out
	}
	segs := jpegMetadata(f.o.Original)
	if len(segs) == 0 {
		return out
	}
	var b bytes.Buffer
	b.Write(out[:2]) // SOI
	rest := out[2:]
	// Keep the encoder's JFIF APP0 first, as the standard wants.
	if len(rest) > 4 && rest[0] == 0xFF && rest[1] == 0xE0 {
		n := 2 + int(binary.BigEndian.Uint16(rest[2:]))
		b.Write(rest[:n])
		rest = rest[n:]
	}
	for _, s := range segs {
		b.Write(s)
	}
	b.Write(rest)
	return b.Bytes()
}

// jpegMetadata returns the APP1 Exif and APP2 ICC_PROFILE segments of a
// JPEG (marker and length included), with EXIF orientation set to 1.
func jpegMetadata(b []byte) [][]byte {
	var segs [][]byte
	for i := 2; i+4 <= len(b) && b[i] == 0xFF; {
		m := b[i+1]
		if m == 0xDA || m == 0xD9 {
			break
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			break
		}
		seg := b[i : i+2+n]
		switch {
		case m == 0xE1 && bytes.HasPrefix(seg[4:], []byte("Exif\x00\x00")):
			s := bytes.Clone(seg)
			resetOrientation(s[10:])
			segs = append(segs, s)
		case m == 0xE2 && bytes.HasPrefix(seg[4:], []byte("ICC_PROFILE\x00")):
			segs = append(segs, bytes.Clone(seg))
		}
		i += 2 + n
	}
	return segs
}

// resetOrientation sets IFD0's Orientation tag (0x0112) to 1 in place in a
// TIFF structure; malformed data is left alone.
func resetOrientation(t []byte) {
	if len(t) < 8 {
		return
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return
	}
	n := int(bo.Uint16(t[off:]))
	for k := range n {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			return
		}
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 {
			bo.PutUint16(t[e+8:], 1)
			return
		}
	}
}
