package codecs_test

import (
	"bytes"
	"encoding/binary"
	"image"
	"slices"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/testimg"
)

func TestSetOrientation(t *testing.T) {
	for _, bo := range []byteOrder{binary.LittleEndian, binary.BigEndian} {
		tiff := exifTIFF(bo, 3, 6)
		exif := append([]byte("Exif\x00\x00"), tiff...)
		if !codecs.SetOrientation(exif, 1) {
			t.Fatalf("%v: orientation not set", bo)
		}
		j := jpegInsertAfterSOI(smallJPEG(t), jpegSegment(0xe1, exif))
		if info, err := codecs.Probe(j); err != nil || info.Orientation != 1 {
			t.Errorf("%v: orientation %d after SetOrientation(1), err %v", bo, info.Orientation, err)
		}
		if !codecs.SetOrientation(tiff, 8) || !bytes.Equal(tiff, exifTIFF(bo, 3, 8)) {
			t.Errorf("%v: a bare TIFF structure was not set to 8", bo)
		}
	}
	long := exifTIFF(binary.LittleEndian, 4, 6) // LONG: not what EXIF writes
	for _, tc := range []struct {
		name string
		b    []byte
		o    int
	}{
		{"out of range", exifTIFF(binary.LittleEndian, 3, 6), 9},
		{"LONG entry", long, 1},
		{"no TIFF", []byte("Exif\x00\x00garbage"), 1},
		{"empty", nil, 1},
	} {
		before := bytes.Clone(tc.b)
		if codecs.SetOrientation(tc.b, tc.o) || !bytes.Equal(tc.b, before) {
			t.Errorf("%s: set or changed", tc.name)
		}
	}
}

func TestJPEGMetadataCarriedOver(t *testing.T) {
	exif := append([]byte("Exif\x00\x00"), exifTIFF(binary.BigEndian, 3, 6)...)
	icc1, icc2 := []byte("ICC_PROFILE\x00\x01\x02first"), []byte("ICC_PROFILE\x00\x02\x02second")
	src := jpegInsertAfterSOI(smallJPEG(t),
		jpegSegment(0xe1, []byte("http://ns.adobe.com/xap/1.0/\x00<x/>")), // XMP before Exif
		jpegSegment(0xe1, exif), jpegSegment(0xe2, icc1),
		[]byte{0xff, 0xff}, // fill bytes are allowed before a marker
		jpegSegment(0xe2, icc2), jpegSegment(0xe1, []byte("Exif\x00\x00second")))
	m := codecs.ReadJPEGMetadata(src)
	if !bytes.Equal(m.Exif, exif) || len(m.ICC) != 2 || !bytes.Equal(m.ICC[0], icc1) || !bytes.Equal(m.ICC[1], icc2) {
		t.Fatalf("read %q, ICC %q", m.Exif, m.ICC)
	}
	m.Exif[len(m.Exif)-1] ^= 1
	if bytes.Contains(src, m.Exif) {
		t.Error("Exif is not a copy")
	}
	m.Exif[len(m.Exif)-1] ^= 1

	// Into a JPEG with a JFIF APP0: after it, before the rest.
	app0 := jpegSegment(0xe0, []byte("JFIF\x00\x01\x02\x00\x00\x01\x00\x01\x00\x00"))
	dst := jpegInsertAfterSOI(smallJPEG(t), app0)
	out := m.Insert(dst)
	want := slices.Concat(dst[:2], app0, jpegSegment(0xe1, exif), jpegSegment(0xe2, icc1), jpegSegment(0xe2, icc2), dst[2+len(app0):])
	if !bytes.Equal(out, want) {
		t.Fatal("segments not inserted after SOI and APP0")
	}
	if info, err := codecs.Probe(out); err != nil || info.Orientation != 6 || !info.HasICC {
		t.Errorf("probe after Insert: orientation %d, ICC %v, err %v", info.Orientation, info.HasICC, err)
	}
	if _, _, err := codecs.Decode(out, codecs.DecodeOptions{}); err != nil {
		t.Errorf("decode after Insert: %v", err)
	}
	// Without APP0: right after SOI.
	plain := smallJPEG(t)
	if out := m.Insert(plain); !bytes.Equal(out[2:4], []byte{0xff, 0xe1}) || !bytes.Equal(out[len(out)-len(plain)+2:], plain[2:]) {
		t.Error("segments not inserted after SOI")
	}

	// Nothing to read or to insert into.
	for _, b := range [][]byte{nil, []byte("not a jpeg"), smallJPEG(t), {0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff}} {
		if m := codecs.ReadJPEGMetadata(b); m.Exif != nil || m.ICC != nil {
			t.Errorf("metadata read from %q", b[:min(len(b), 8)])
		}
	}
	if out := m.Insert([]byte("not a jpeg")); string(out) != "not a jpeg" {
		t.Errorf("inserted into a non-JPEG: %q", out)
	}
	if out := (codecs.JPEGMetadata{}).Insert(plain); !bytes.Equal(out, plain) {
		t.Error("empty metadata changed the JPEG")
	}
}

// smallJPEG encodes an 8x8 grey JPEG (SOI, no APP segments).
func smallJPEG(t *testing.T) []byte {
	t.Helper()
	return testimg.EncodeJPEG(t, image.NewGray(image.Rect(0, 0, 8, 8)), 90)
}
