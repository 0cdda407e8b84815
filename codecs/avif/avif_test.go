package avif_test

import (
	"errors"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/codecs/avif"
	"github.com/imgprep/imgprep/internal/conformance"
)

// The fixtures are made by scripts/make-heif-fixtures.sh (heif-enc -A
// 1.15 and avifenc 0.11).
var fixtures = []conformance.Fixture{
	{Name: "avif-heifenc.avif", W: 96, H: 64, Bits: 8, Orientation: 1},
	{Name: "avif-alpha.avif", W: 48, H: 64, Bits: 8, Alpha: true, Orientation: 1},
	{Name: "avif-10bit.avif", W: 96, H: 64, Bits: 10, Orientation: 1},
	{Name: "avif-grid.avif", W: 128, H: 128, Bits: 8, Orientation: 1},
	{Name: "avif-irot1-imir0.avif", W: 96, H: 64, Bits: 8, Orientation: 5, Transform: "irot 90° anti-clockwise, imir top-bottom"},
}

func read(t *testing.T, name string) []byte { return conformance.ReadHEIF(t, name) }

func TestRegistered(t *testing.T) {
	if !codecs.AVIF.Decodable() {
		t.Fatal("importing codecs/avif does not make AVIF decodable")
	}
}

// TestDecode checks the probe, then the decoded pixels against libvips'
// decode of the same file (through libheif), upright.
func TestDecode(t *testing.T) {
	t.Logf("AV1 decoded by %s", avif.Path())
	for _, fx := range fixtures {
		t.Run(fx.Name, func(t *testing.T) { conformance.DecodeVsVips(t, codecs.AVIF, fx, 0.5, 2) })
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

// The WebAssembly path is tested in a child process when this one uses
// the system library (the choice is made once per process): TestDecodeWASM
// runs the decode, cut, limit and corpus tests again there.
const wasmEnv = "IMGPREP_TEST_AVIF_WASM"

func TestMain(m *testing.M) { conformance.RunMain(m, wasmEnv, avif.UseWASM) }

func TestDecodeWASM(t *testing.T) {
	conformance.WASMChild(t, avif.Path, wasmEnv, "AV1 decoded by wasm")
}
