package conformance

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/raster"
	"github.com/imgprep/imgprep/internal/testcorpus"
	"github.com/imgprep/imgprep/internal/testimg"
)

// Fixture is one HEIC or AVIF file of testdata/heif and what its probe
// must report.
type Fixture struct {
	Name        string
	W, H, Bits  int
	Alpha       bool
	Orientation int
	Transform   string
}

// HEIFPath is the path of a testdata/heif file.
func HEIFPath(t testing.TB, name string) string {
	return filepath.Join(testcorpus.RepoRoot(t), "testdata", "heif", name)
}

// ReadHEIF reads a testdata/heif file.
func ReadHEIF(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(HEIFPath(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// DecodeVsVips checks fx's probe (format f, one image), that Decode reports
// the probe's Info, and that the upright pixels are within maxMean (mean)
// and maxP99 (99th percentile) levels of libvips' decode of the same file;
// it skips without vips.
func DecodeVsVips(t *testing.T, f codecs.Format, fx Fixture, maxMean float64, maxP99 int) {
	t.Helper()
	b := ReadHEIF(t, fx.Name)
	info, err := codecs.Probe(b)
	if err != nil {
		t.Fatal(err)
	}
	if info.Format != f || info.Width != fx.W || info.Height != fx.H || info.BitDepth != fx.Bits ||
		info.HasAlpha != fx.Alpha || info.Orientation != fx.Orientation || info.Transform != fx.Transform || info.Images != 1 {
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
	ref := testimg.VipsDecode(t, HEIFPath(t, fx.Name))
	if got.Bounds() != ref.Bounds() {
		t.Fatalf("upright %v, libvips %v", got.Bounds(), ref.Bounds())
	}
	mean, p99 := testimg.Diff(got, ref)
	t.Logf("vs libvips: mean %.2f, 99th percentile %d levels", mean, p99)
	if mean > maxMean || p99 > maxP99 {
		t.Errorf("colours differ from libvips': mean %.2f, 99th percentile %d levels", mean, p99)
	}
}
