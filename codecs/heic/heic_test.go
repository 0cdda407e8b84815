package heic_test

import (
	"errors"
	"os"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/codecs/heic"
	"github.com/imgprep/imgprep/internal/conformance"
)

// The fixtures are made by scripts/make-heif-fixtures.sh (heif-enc 1.15,
// heiftool for grids and transforms); heic-thumb carries a thumbnail,
// which the probe must not count as an image.
var fixtures = []conformance.Fixture{
	{Name: "heic-8bit.heic", W: 96, H: 64, Bits: 8, Orientation: 1},
	{Name: "heic-thumb.heic", W: 96, H: 64, Bits: 8, Orientation: 1},
	{Name: "heic-10bit.heic", W: 96, H: 64, Bits: 10, Orientation: 1},
	{Name: "heic-alpha.heic", W: 48, H: 64, Bits: 8, Alpha: true, Orientation: 1}, // heif-enc writes a 1x1 grid of 64x64
	{Name: "heic-bt709-limited.heic", W: 96, H: 64, Bits: 8, Orientation: 1},
	{Name: "heic-irot1-imir1.heic", W: 96, H: 64, Bits: 8, Orientation: 7, Transform: "irot 90° anti-clockwise, imir left-right"},
	{Name: "heic-clap-irot3.heic", W: 80, H: 48, Bits: 8, Orientation: 6, Transform: "clap 80x48, irot 270° anti-clockwise"},
	{Name: "heic-grid.heic", W: 120, H: 100, Bits: 8, Orientation: 1},
	{Name: "heic-mif1-brand.heic", W: 96, H: 64, Bits: 8, Orientation: 1},
}

func read(t *testing.T, name string) []byte { return conformance.ReadHEIF(t, name) }

func TestRegistered(t *testing.T) {
	if !codecs.HEIC.Decodable() {
		t.Fatal("importing codecs/heic does not make HEIC decodable")
	}
	t.Logf("HEVC path: %s", heic.Path())
}

// TestDecode checks the probe, then the decoded pixels against libvips'
// decode of the same file (through libheif), upright.
func TestDecode(t *testing.T) {
	// The WebAssembly libde265 (1.0.15) decodes chroma a few levels off
	// Debian's 1.0.11 on some samples (on photos, mean 0.25 and 99.8%
	// within 4 levels; these 96-pixel fixtures are mostly edges); the
	// system library matches libvips.
	maxMean, maxP99 := 0.6, 2
	if heic.Path() == "wasm" {
		maxMean, maxP99 = 1.5, 12
	}
	t.Logf("HEVC decoded by libheif (%s)", heic.Path())
	for _, fx := range fixtures {
		t.Run(fx.Name, func(t *testing.T) { conformance.DecodeVsVips(t, codecs.HEIC, fx, maxMean, maxP99) })
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
	data, _ := os.ReadFile(conformance.HEIFPath(b, "heic-grid.heic"))
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := codecs.Decode(data, codecs.DecodeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// The WebAssembly path is tested in a child process when this one uses
// the system library (the choice is made once per process): TestDecodeWASM
// runs the decode, cut, limit and corpus tests again there.
const wasmEnv = "IMGPREP_TEST_HEIC_WASM"

func TestMain(m *testing.M) { conformance.RunMain(m, wasmEnv, heic.UseWASM) }

func TestDecodeWASM(t *testing.T) { conformance.WASMChild(t, heic.Path, wasmEnv, "(wasm)") }
