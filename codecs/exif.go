package codecs

import (
	"bytes"
	"encoding/binary"
)

// EXIF and TIFF share one structure: a byte-order mark, a magic number and a
// chain of IFDs (image file directories) of 12-byte entries. This file reads
// just enough of IFD0 for Probe: the Orientation tag for EXIF blocks (JPEG
// APP1, PNG eXIf, WebP EXIF) and a few tags of TIFF files. It also resets
// that tag, and carries a JPEG's picture metadata (EXIF, ICC profile) over
// to another JPEG.

const (
	tagOrientation  = 0x0112
	tagExtraSamples = 0x0152
)

// tiffTag is one IFD entry; val holds the first value, widened.
type tiffTag struct {
	typ   uint16
	count uint32
	val   uint32
}

// exifOrientation returns the IFD0 Orientation (1..8) of an EXIF block, with
// or without the "Exif\0\0" prefix, in either byte order. It returns 0 when the
// tag is absent, the block is malformed or the value is out of range.
func exifOrientation(b []byte) int {
	t, ok := ifd0Tag(trimExifPrefix(b), tagOrientation)
	if !ok || t.count < 1 || t.val < 1 || t.val > 8 {
		return 0
	}
	return int(t.val)
}

// trimExifPrefix removes an "Exif\0\0" (or the rarer "Exif\0\xff") prefix.
func trimExifPrefix(b []byte) []byte {
	if bytes.HasPrefix(b, []byte("Exif\x00")) && len(b) >= 6 {
		return b[6:]
	}
	return b
}

// SetOrientation sets the IFD0 Orientation tag of an EXIF block to o (1..8)
// in place. b is a TIFF structure, with or without the "Exif\0\0" prefix: a
// JPEG APP1 payload (JPEGMetadata.Exif), a PNG eXIf or a WebP EXIF chunk. It
// reports whether the tag was there to set; a block without it, or
// malformed, is left alone.
func SetOrientation(b []byte, o int) bool {
	e, bo, ok := ifd0Entry(trimExifPrefix(b), tagOrientation)
	if !ok || o < 1 || o > 8 || bo.Uint16(e[2:]) != 3 { // SHORT
		return false
	}
	bo.PutUint16(e[8:], uint16(o))
	return true
}

// ifd0Tag finds tag in IFD0 of the TIFF structure b. Only scalar numeric
// types (BYTE, SHORT, LONG) are decoded; the first value is returned.
func ifd0Tag(b []byte, tag uint16) (tiffTag, bool) {
	e, bo, ok := ifd0Entry(b, tag)
	if !ok {
		return tiffTag{}, false
	}
	t := tiffTag{typ: bo.Uint16(e[2:]), count: bo.Uint32(e[4:])}
	v := e[8:12]
	switch t.typ {
	case 1: // BYTE
		t.val = uint32(v[0])
	case 3: // SHORT
		t.val = uint32(bo.Uint16(v))
	case 4: // LONG
		t.val = bo.Uint32(v)
	default:
		return tiffTag{}, false
	}
	return t, true
}

// ifd0Entry returns the 12-byte IFD0 entry of tag in the TIFF structure b
// (a slice of b) and b's byte order.
func ifd0Entry(b []byte, tag uint16) ([]byte, binary.ByteOrder, bool) {
	if len(b) < 8 {
		return nil, nil, false
	}
	var bo binary.ByteOrder
	switch string(b[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return nil, nil, false
	}
	off := uint64(bo.Uint32(b[4:8]))
	if off < 8 || off+2 > uint64(len(b)) {
		return nil, nil, false
	}
	n := uint64(bo.Uint16(b[off:]))
	for i := uint64(0); i < n; i++ {
		e := off + 2 + 12*i
		if e+12 > uint64(len(b)) {
			break
		}
		if bo.Uint16(b[e:]) == tag {
			return b[e : e+12], bo, true
		}
	}
	return nil, nil, false
}

// JPEGMetadata is the metadata of a JPEG that describes the picture rather
// than its coding, as segment payloads (the bytes after the length field).
type JPEGMetadata struct {
	// Exif is the first APP1 Exif payload ("Exif\0\0" and the TIFF
	// structure), nil if none.
	Exif []byte
	// ICC are the APP2 ICC_PROFILE payloads in file order (a large
	// profile spans several).
	ICC [][]byte
}

// ReadJPEGMetadata returns copies of the Exif and ICC profile segments of
// the JPEG b, read from the header up to the first scan; a malformed header
// ends the reading there, keeping what came before.
func ReadJPEGMetadata(b []byte) JPEGMetadata {
	var m JPEGMetadata
	if Sniff(b) != JPEG {
		return m
	}
	for pos := 2; ; {
		marker, seg, next, ok := jpegSegment(b, pos)
		if !ok || marker == jpegSOS {
			return m
		}
		switch {
		case marker == jpegAPP1 && m.Exif == nil && bytes.HasPrefix(seg, []byte("Exif\x00")):
			m.Exif = bytes.Clone(seg)
		case marker == jpegAPP2 && bytes.HasPrefix(seg, []byte("ICC_PROFILE\x00")):
			m.ICC = append(m.ICC, bytes.Clone(seg))
		}
		pos = next
	}
}

// Insert returns the JPEG b with m's segments written after the SOI marker
// and the APP0 (JFIF) segment that follows it, which the standard wants
// first. A payload too long for one segment (over 65533 bytes) is left out.
func (m JPEGMetadata) Insert(b []byte) []byte {
	if Sniff(b) != JPEG || (m.Exif == nil && len(m.ICC) == 0) {
		return b
	}
	at := 2
	if marker, _, next, ok := jpegSegment(b, 2); ok && marker == jpegAPP0 {
		at = next
	}
	n := len(b) + 4 + len(m.Exif)
	for _, p := range m.ICC {
		n += 4 + len(p)
	}
	out := append(make([]byte, 0, n), b[:at]...)
	add := func(marker byte, payload []byte) {
		if payload != nil && len(payload) <= 0xffff-2 {
			n := len(payload) + 2
			out = append(append(out, 0xff, marker, byte(n>>8), byte(n)), payload...)
		}
	}
	add(jpegAPP1, m.Exif)
	for _, p := range m.ICC {
		add(jpegAPP2, p)
	}
	return append(out, b[at:]...)
}

// jpegSegment reads the marker segment at or after pos, skipping stray and
// fill bytes and the markers without a length (RSTn, TEM, SOI) as probeJPEG
// does. It returns the marker, the payload, the position after the segment,
// and false at the end of the data, at EOI or at a malformed length.
func jpegSegment(b []byte, pos int) (marker byte, payload []byte, next int, ok bool) {
	for {
		for pos < len(b) && b[pos] != 0xff {
			pos++
		}
		for pos < len(b) && b[pos] == 0xff {
			pos++
		}
		if pos+3 > len(b) {
			return 0, nil, 0, false
		}
		marker = b[pos]
		pos++
		switch {
		case marker == jpegTEM, marker >= jpegRST0 && marker <= jpegRST7, marker == jpegSOI, marker == 0:
			continue
		case marker == jpegEOI:
			return 0, nil, 0, false
		}
		n := be16(b[pos:])
		if n < 2 || pos+n > len(b) {
			return 0, nil, 0, false
		}
		return marker, b[pos+2 : pos+n], pos + n, true
	}
}
