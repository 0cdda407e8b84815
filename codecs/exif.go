package codecs

import (
	"bytes"
	"encoding/binary"
)

// EXIF and TIFF share one structure: a byte-order mark, a magic number and a
// chain of IFDs (image file directories) of 12-byte entries. This file reads
// just enough of IFD0 for Probe: the Orientation tag for EXIF blocks (JPEG
// APP1, PNG eXIf, WebP EXIF) and a few tags of TIFF files.

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

// ifd0Tag finds tag in IFD0 of the TIFF structure b. Only scalar numeric
// types (BYTE, SHORT, LONG) are decoded; the first value is returned.
func ifd0Tag(b []byte, tag uint16) (tiffTag, bool) {
	if len(b) < 8 {
		return tiffTag{}, false
	}
	var bo binary.ByteOrder
	switch string(b[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return tiffTag{}, false
	}
	off := uint64(bo.Uint32(b[4:8]))
	if off < 8 || off+2 > uint64(len(b)) {
		return tiffTag{}, false
	}
	n := uint64(bo.Uint16(b[off:]))
	for i := uint64(0); i < n; i++ {
		e := off + 2 + 12*i
		if e+12 > uint64(len(b)) {
			break
		}
		if bo.Uint16(b[e:]) != tag {
			continue
		}
		t := tiffTag{typ: bo.Uint16(b[e+2:]), count: bo.Uint32(b[e+4:])}
		v := b[e+8 : e+12]
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
	return tiffTag{}, false
}
