package pngdec

import (
	"errors"
	"fmt"
	"image"
	"math/rand/v2"
	"testing"

	"github.com/imgprep/imgprep/internal/testcorpus"
)

func TestDecodeGenerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i, s := range specs(rng) {
		name := fmt.Sprintf("%d:%dx%d-ct%d-d%d-f%d-trns%v", i, s.w, s.h, s.ctype, s.depth, s.filter, s.trns != nil)
		b := s.encode(rng)
		want, err := stdDecode(b)
		if err != nil {
			t.Fatalf("%s: image/png: %v", name, err)
		}
		got, err := Decode(b, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sameImage(t, name, got, want)
		smallPLTE := s.ctype == ctPalette && len(s.plte)/3 < 1<<s.depth
		if err := Verify(b); (err != nil) != smallPLTE {
			t.Fatalf("%s: Verify: %v", name, err)
		}
	}
}

func TestDecodeCorpus(t *testing.T) {
	decoded := 0
	for name, b := range testcorpus.PNGs(t, 50_000_000) {
		want, werr := stdDecode(b)
		got, err := Decode(b, nil)
		if errors.Is(err, ErrUnhandled) {
			continue
		}
		if err != nil || werr != nil {
			t.Fatalf("%s: Decode %v, image/png %v", name, err, werr)
		}
		sameImage(t, name, got, want)
		decoded++
	}
	t.Logf("%d corpus PNGs decoded here, the rest left to image/png", decoded)
}

// TestDecodeDamaged checks that damaged files are left to image/png (which
// then reports the error), and that what Decode does accept image/png
// accepts identically.
func TestDecodeDamaged(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	base := spec{w: 40, h: 30, depth: 8, ctype: ctRGBA, filter: -1, idatSplit: 1000}
	good := base.encode(rng)
	idat := func(b []byte) int { // offset of the first IDAT's data
		for p := 8; ; {
			n := int(b[p])<<24 | int(b[p+1])<<16 | int(b[p+2])<<8 | int(b[p+3])
			if string(b[p+4:p+8]) == "IDAT" {
				return p + 8
			}
			p += 12 + n
		}
	}
	cases := map[string][]byte{}
	bad := func(name string, f func(b []byte) []byte) {
		cases[name] = f(append([]byte(nil), good...))
	}
	bad("idat-crc", func(b []byte) []byte { b[idat(b)+5] ^= 1; return b })
	bad("iend-crc", func(b []byte) []byte { b[len(b)-1] ^= 1; return b })
	bad("truncated", func(b []byte) []byte { return b[:len(b)-20] })
	bad("no-iend", func(b []byte) []byte { return b[:len(b)-12] })
	fixCRC := func(b []byte, off int) []byte { // re-CRC the chunk whose data starts at off
		n := int(b[off-8])<<24 | int(b[off-7])<<16 | int(b[off-6])<<8 | int(b[off-5])
		c := crc32IEEE(b[off-4 : off+n])
		b[off+n], b[off+n+1], b[off+n+2], b[off+n+3] = byte(c>>24), byte(c>>16), byte(c>>8), byte(c)
		return b
	}
	bad("zlib-header", func(b []byte) []byte { o := idat(b); b[o] = 0x79; return fixCRC(b, o) })
	bad("zlib-data", func(b []byte) []byte { o := idat(b); b[o+40] ^= 0xff; return fixCRC(b, o) })
	short := base
	short.h = 30
	sb := short.encode(rng)
	// Declare one more row than the data holds.
	sb[8+8+7] = 31
	cases["short-data"] = fixCRC(sb, 16)
	extra := base
	extra.zlibTrailing = []byte{1, 2, 3}
	cases["extra-data"] = extra.encode(rng)
	for name, b := range cases {
		_, err := Decode(b, nil)
		_, werr := stdDecode(b)
		if err == nil && werr != nil {
			t.Errorf("%s: Decode accepted what image/png rejects (%v)", name, werr)
		}
		if err != nil && !errors.Is(err, ErrUnhandled) {
			t.Errorf("%s: error %v, want ErrUnhandled", name, err)
		}
		if verr := Verify(b); verr == nil && werr != nil {
			t.Errorf("%s: Verify accepted what image/png rejects (%v)", name, werr)
		}
	}
}

func TestDecodeBadFilter(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	s := spec{w: 9, h: 4, depth: 8, ctype: ctGray, filter: 5}
	b := s.encode(rng) // filterRow treats 5 as None, the byte is written as is
	if _, err := stdDecode(b); err == nil {
		t.Fatal("image/png accepted filter type 5")
	}
	if _, err := Decode(b, nil); !errors.Is(err, ErrUnhandled) {
		t.Fatalf("Decode: %v, want ErrUnhandled", err)
	}
	if err := Verify(b); err == nil {
		t.Fatal("Verify accepted filter type 5")
	}
}

func TestDecodeProgress(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	b := spec{w: 20, h: 21, depth: 8, ctype: ctRGB, filter: -1}.encode(rng)
	var started image.Image
	var seen []int
	img, err := Decode(b, &Progress{
		Start: func(m image.Image) { started = m },
		Rows:  func(n int) error { seen = append(seen, n); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	if started != img {
		t.Fatal("Start's image is not the result")
	}
	if want := []int{8, 16, 21}; fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Fatalf("rows reported %v, want %v", seen, want)
	}
	stop := errors.New("stop")
	if _, err := Decode(b, &Progress{Rows: func(int) error { return stop }}); err != stop {
		t.Fatalf("Rows' error: got %v", err)
	}
}

func TestDecodeUnhandled(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, s := range []spec{
		{w: 8, h: 8, depth: 16, ctype: ctRGB},
		{w: 8, h: 8, depth: 8, ctype: ctRGBA, interlace: 1},
	} {
		if _, err := Decode(s.encode(rng), nil); !errors.Is(err, ErrUnhandled) {
			t.Errorf("%+v: %v, want ErrUnhandled", s, err)
		}
	}
}
