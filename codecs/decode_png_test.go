package codecs_test

import (
	"errors"
	"hash/crc32"
	"reflect"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/testcorpus"
)

// samePNGDecode fails t unless Decode gives b exactly what it gives with
// image/png only: the same image (type, pixels, palette) or the same error
// kind, and that Verify agrees.
func samePNGDecode(t *testing.T, name string, b []byte) {
	t.Helper()
	opts := codecs.DecodeOptions{MaxPixels: 50_000_000}
	want, _, werr := codecs.Decode(b, codecs.WithStdPNG(opts))
	got, _, err := codecs.Decode(b, opts)
	if (err == nil) != (werr == nil) {
		t.Fatalf("%s: error %v, image/png %v", name, err, werr)
	}
	if err != nil {
		var fe, we *codecs.FormatError
		if !errors.As(err, &fe) || !errors.As(werr, &we) || fe.Kind != we.Kind {
			t.Fatalf("%s: error %v, image/png %v", name, err, werr)
		}
	} else if reflect.TypeOf(got) != reflect.TypeOf(want) || !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: %T differs from image/png's %T", name, got, want)
	}
	verr := codecs.Verify(b, opts)
	if (verr == nil) != (werr == nil) {
		t.Fatalf("%s: Verify %v, image/png %v", name, verr, werr)
	}
	if verr != nil && !errors.Is(verr, kindOf(werr)) {
		t.Fatalf("%s: Verify %v, image/png %v", name, verr, werr)
	}
}

func kindOf(err error) error {
	var fe *codecs.FormatError
	if errors.As(err, &fe) {
		return fe.Kind
	}
	return err
}

func TestDecodePNGMatchesImagePNG(t *testing.T) {
	for name, b := range testcorpus.PNGs(t, 50_000_000) {
		samePNGDecode(t, name, b)
	}
}

// TestDecodePNGDamaged damages every corpus PNG in the ways that matter
// (CRCs, zlib data, short and extra data, filter bytes, truncation) and
// checks that Decode and Verify report what image/png alone does.
func TestDecodePNGDamaged(t *testing.T) {
	n := 0
	for name, b := range testcorpus.PNGs(t, 50_000_000) {
		if len(b) > 1<<20 {
			continue // the bench photos: the small files cover the cases
		}
		idat := chunkOffsets(b, "IDAT")
		if len(idat) == 0 {
			continue
		}
		o, l := idat[0][0], idat[0][1]
		mut := func(what string, f func(c []byte) []byte) {
			n++
			samePNGDecode(t, name+"/"+what, f(append([]byte(nil), b...)))
		}
		mut("idat-crc", func(c []byte) []byte { c[o+l] ^= 0x40; return c })
		mut("truncated", func(c []byte) []byte { return c[:o+l/2] })
		mut("no-iend", func(c []byte) []byte { return c[:len(c)-12] })
		for _, at := range []int{0, 1, 2, l / 3, l / 2, l - 5, l - 1} {
			if at < 0 || at >= l {
				continue
			}
			mut("zlib-byte", func(c []byte) []byte { c[o+at] ^= 0x5a; return reCRC(c, o, l) })
		}
		mut("short-data", func(c []byte) []byte { // one more row declared
			h := int(c[20])<<24 | int(c[21])<<16 | int(c[22])<<8 | int(c[23]) + 1
			c[20], c[21], c[22], c[23] = byte(h>>24), byte(h>>16), byte(h>>8), byte(h)
			return reCRC(c, 16, 13)
		})
		mut("fewer-rows", func(c []byte) []byte { // extra data
			h := int(c[20])<<24 | int(c[21])<<16 | int(c[22])<<8 | int(c[23]) - 1
			if h < 1 {
				h = 1
			}
			c[20], c[21], c[22], c[23] = byte(h>>24), byte(h>>16), byte(h>>8), byte(h)
			return reCRC(c, 16, 13)
		})
	}
	t.Logf("%d damaged files", n)
}

// chunkOffsets returns the data offset and length of every chunk of type
// typ in the PNG b.
func chunkOffsets(b []byte, typ string) [][2]int {
	var out [][2]int
	for p := 8; p+12 <= len(b); {
		n := int(b[p])<<24 | int(b[p+1])<<16 | int(b[p+2])<<8 | int(b[p+3])
		if n < 0 || p+12+n > len(b) {
			break
		}
		if string(b[p+4:p+8]) == typ {
			out = append(out, [2]int{p + 8, n})
		}
		p += 12 + n
	}
	return out
}

// reCRC rewrites the CRC of the chunk whose data is b[o:o+l].
func reCRC(b []byte, o, l int) []byte {
	c := crc32.ChecksumIEEE(b[o-4 : o+l])
	b[o+l], b[o+l+1], b[o+l+2], b[o+l+3] = byte(c>>24), byte(c>>16), byte(c>>8), byte(c)
	return b
}

func FuzzDecodePNG(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if codecs.Sniff(b) != codecs.PNG {
			return
		}
		info, err := codecs.Probe(b)
		if err == nil && info.Pixels() > 1<<20 {
			return
		}
		samePNGDecode(t, "fuzz", b)
	})
}
