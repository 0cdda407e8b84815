package avif_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	_ "github.com/imgprep/imgprep/codecs/avif"
	"github.com/imgprep/imgprep/internal/raster"
	"github.com/imgprep/imgprep/internal/testimg"
)

// The fixtures are made by scripts/make-heif-fixtures.sh (heif-enc -A
// 1.15 and avifenc 0.11).
var fixtures = []struct {
	name        string
	w, h, bits  int
	alpha       bool
	orientation int
	transform   string
}{
	{"avif-heifenc.avif", 96, 64, 8, false, 1, ""},
	{"avif-alpha.avif", 48, 64, 8, true, 1, ""},
	{"avif-10bit.avif", 96, 64, 10, false, 1, ""},
	{"avif-grid.avif", 128, 128, 8, false, 1, ""},
	{"avif-irot1-imir0.avif", 96, 64, 8, false, 5, "irot 90° anti-clockwise, imir top-bottom"},
}

func path(name string) string { return filepath.Join("..", "..", "testdata", "heif", name) }

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(path(name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRegistered(t *testing.T) {
	if !codecs.AVIF.Decodable() {
		t.Fatal("importing codecs/avif does not make AVIF decodable")
	}
}

// TestDecode checks the probe, then the decoded pixels against libvips'
// decode of the same file (through libheif), upright.
func TestDecode(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			b := read(t, fx.name)
			info, err := codecs.Probe(b)
			if err != nil {
				t.Fatal(err)
			}
			if info.Format != codecs.AVIF || info.Width != fx.w || info.Height != fx.h || info.BitDepth != fx.bits ||
				info.HasAlpha != fx.alpha || info.Orientation != fx.orientation || info.Transform != fx.transform || info.Images != 1 {
				t.Errorf("probe = %+v", info)
			}
			img, _, err := codecs.Decode(b, codecs.DecodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got := raster.Orient(raster.ToNRGBA(img), info.Orientation)
			ref := testimg.VipsDecode(t, path(fx.name))
			if got.Bounds() != ref.Bounds() {
				t.Fatalf("upright %v, libvips %v", got.Bounds(), ref.Bounds())
			}
			mean, p99 := testimg.Diff(got, ref)
			t.Logf("vs libvips: mean %.2f, 99th percentile %d levels", mean, p99)
			if mean > 0.5 || p99 > 2 {
				t.Errorf("colours differ from libvips': mean %.2f, 99th percentile %d levels", mean, p99)
			}
		})
	}
}

func TestCut(t *testing.T) {
	b := read(t, "avif-cut-half.avif")
	if _, err := codecs.Probe(b); !errors.Is(err, codecs.ErrTruncated) {
		t.Errorf("probe err = %v, want ErrTruncated", err)
	}
	if _, _, err := codecs.Decode(b, codecs.DecodeOptions{}); !errors.Is(err, codecs.ErrTruncated) {
		t.Errorf("decode err = %v, want ErrTruncated", err)
	}
}

func TestPixelLimit(t *testing.T) {
	b := read(t, "avif-grid.avif")
	if _, _, err := codecs.Decode(b, codecs.DecodeOptions{MaxPixels: 100 * 100}); !errors.Is(err, codecs.ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
}
