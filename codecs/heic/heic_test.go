package heic_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/codecs/heic"
	"github.com/imgprep/imgprep/internal/raster"
	"github.com/imgprep/imgprep/internal/testimg"
)

// The fixtures are made by scripts/make-heif-fixtures.sh (heif-enc 1.15,
// heiftool for grids and transforms).
var fixtures = []struct {
	name        string
	w, h, bits  int
	alpha       bool
	orientation int
	transform   string
	thumbs      bool
}{
	{"heic-8bit.heic", 96, 64, 8, false, 1, "", false},
	{"heic-thumb.heic", 96, 64, 8, false, 1, "", true},
	{"heic-10bit.heic", 96, 64, 10, false, 1, "", false},
	{"heic-alpha.heic", 48, 64, 8, true, 1, "", false}, // heif-enc writes a 1x1 grid of 64x64
	{"heic-bt709-limited.heic", 96, 64, 8, false, 1, "", false},
	{"heic-irot1-imir1.heic", 96, 64, 8, false, 7, "irot 90° anti-clockwise, imir left-right", false},
	{"heic-clap-irot3.heic", 80, 48, 8, false, 6, "clap 80x48, irot 270° anti-clockwise", false},
	{"heic-grid.heic", 120, 100, 8, false, 1, "", false},
	{"heic-mif1-brand.heic", 96, 64, 8, false, 1, "", false},
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
	if !codecs.HEIC.Decodable() {
		t.Fatal("importing codecs/heic does not make HEIC decodable")
	}
	t.Logf("HEVC path: %s", heic.Path())
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
			if info.Format != codecs.HEIC || info.Width != fx.w || info.Height != fx.h || info.BitDepth != fx.bits ||
				info.HasAlpha != fx.alpha || info.Orientation != fx.orientation || info.Transform != fx.transform || info.Images != 1 {
				t.Errorf("probe = %+v", info)
			}
			img, dinfo, err := codecs.Decode(b, codecs.DecodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if dinfo != info {
				t.Errorf("decode info %+v, probe %+v", dinfo, info)
			}
			got := raster.Orient(raster.ToNRGBA(img), info.Orientation)
			ref := testimg.VipsDecode(t, path(fx.name))
			if got.Bounds() != ref.Bounds() {
				t.Fatalf("upright %v, libvips %v", got.Bounds(), ref.Bounds())
			}
			mean, p99 := testimg.Diff(got, ref)
			t.Logf("vs libvips: mean %.2f, 99th percentile %d levels (%s)", mean, p99, heic.Path())
			// The WebAssembly libde265 (1.0.15) decodes chroma a few levels
			// off Debian's 1.0.11 on some samples (on photos, mean 0.25 and
			// 99.8% within 4 levels; these 96-pixel fixtures are mostly
			// edges); the system library matches libvips.
			maxMean, maxP99 := 0.6, 2
			if heic.Path() == "wasm" {
				maxMean, maxP99 = 1.5, 12
			}
			if mean > maxMean || p99 > maxP99 {
				t.Errorf("colours differ from libvips': mean %.2f, 99th percentile %d levels", mean, p99)
			}
		})
	}
}

func TestCut(t *testing.T) {
	for _, name := range []string{"heic-cut-half.heic", "heic-cut-meta.heic"} {
		b := read(t, name)
		if _, err := codecs.Probe(b); !errors.Is(err, codecs.ErrTruncated) {
			t.Errorf("%s: probe err = %v, want ErrTruncated", name, err)
		}
		if _, _, err := codecs.Decode(b, codecs.DecodeOptions{}); !errors.Is(err, codecs.ErrTruncated) {
			t.Errorf("%s: decode err = %v, want ErrTruncated", name, err)
		}
	}
}

// TestPixelLimit: the limit applies to the grid's tiles, from the
// headers, before anything is decoded.
func TestPixelLimit(t *testing.T) {
	b := read(t, "heic-grid.heic")
	_, _, err := codecs.Decode(b, codecs.DecodeOptions{MaxPixels: 120 * 100})
	if !errors.Is(err, codecs.ErrTooLarge) {
		t.Errorf("128x128 tiles for 120x100 at a 12000-pixel limit: err = %v, want ErrTooLarge", err)
	}
	if _, _, err := codecs.Decode(b, codecs.DecodeOptions{MaxPixels: 128 * 128}); err != nil {
		t.Errorf("at the tiles' size: %v", err)
	}
}

func BenchmarkDecodeGrid(b *testing.B) {
	data, _ := os.ReadFile(path("heic-grid.heic"))
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := codecs.Decode(data, codecs.DecodeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// The WebAssembly path is tested in a child process when this one uses
// the system library (the choice is made once per process).
const wasmEnv = "IMGPREP_TEST_HEIC_WASM"

func TestMain(m *testing.M) {
	if os.Getenv(wasmEnv) == "1" {
		heic.UseWASM()
	}
	os.Exit(m.Run())
}

func TestDecodeWASM(t *testing.T) {
	if heic.Path() == "wasm" {
		t.Skip("this process already decodes with WebAssembly")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^(TestDecode|TestCut|TestPixelLimit|TestCorpus)$", "-test.v")
	cmd.Env = append(os.Environ(), wasmEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "(wasm)") || !strings.Contains(string(out), "--- PASS: TestCorpus/prepare") {
		t.Fatalf("WebAssembly path: %v\n%s", err, out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "vs libvips") {
			t.Log(strings.TrimSpace(l))
		}
	}
}
