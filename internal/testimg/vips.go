package testimg

import (
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
)

// VipsDecode decodes path with libvips (`vips copy path out.png`), the
// reference for HEIC and AVIF colours; it skips the test when vips is not
// installed (scripts/setup-tools.sh installs it).
func VipsDecode(t testing.TB, path string) image.Image {
	t.Helper()
	vips, err := exec.LookPath("vips")
	if err != nil {
		t.Skip("vips not installed (scripts/setup-tools.sh)")
	}
	out := filepath.Join(t.TempDir(), "ref.png")
	if b, err := exec.Command(vips, "copy", path, out).CombinedOutput(); err != nil {
		t.Fatalf("vips copy %s: %v\n%s", path, err, b)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// Diff compares two images of the same bounds channel by channel at 8
// bits (alpha included, colour premultiplied): the mean absolute
// difference and the 99th percentile.
func Diff(a, b image.Image) (mean float64, p99 int) {
	bd := a.Bounds()
	var ds []int
	var sum int
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x-bd.Min.X+b.Bounds().Min.X, y-bd.Min.Y+b.Bounds().Min.Y).RGBA()
			for _, d := range [4]int{int(r1>>8) - int(r2>>8), int(g1>>8) - int(g2>>8), int(b1>>8) - int(b2>>8), int(a1>>8) - int(a2>>8)} {
				d = max(d, -d)
				ds = append(ds, d)
				sum += d
			}
		}
	}
	if len(ds) == 0 {
		return 0, 0
	}
	sort.Ints(ds)
	return float64(sum) / float64(len(ds)), ds[len(ds)*99/100]
}
