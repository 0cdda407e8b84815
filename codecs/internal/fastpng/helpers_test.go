package fastpng_test

import (
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/imgprep/imgprep/internal/raster"
	"github.com/imgprep/imgprep/internal/testcorpus"
)

// sharedFile returns the path of a shared benchmark input, skipping when
// it is absent.
func sharedFile(tb testing.TB, name string) string {
	tb.Helper()
	path := filepath.Join(testcorpus.SharedDir(tb), "bench-photos", name)
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("%s absent", path)
	}
	return path
}

var photoOnce struct {
	sync.Once
	img *image.NRGBA
}

// photo1024 is the imgprep workload's output: the 12 MP benchmark photo
// resized to 1024x768 and centred on a transparent 1024x1024 canvas; a
// synthetic photo-like image of the same layout when the photo is absent.
func photo1024(tb testing.TB) *image.NRGBA {
	tb.Helper()
	photoOnce.Do(func() {
		var small *image.NRGBA
		path := filepath.Join(testcorpus.RepoRoot(tb), "..", "shared", "bench-photos", "photo12_s7edge.jpg")
		if f, err := os.Open(path); err == nil {
			defer f.Close()
			if src, err := jpeg.Decode(f); err == nil {
				small = raster.Resize(src, 1024, 768)
			}
		}
		if small == nil {
			small = smooth(1024, 768, 1)
		}
		photoOnce.img = raster.Place(small, 1024, 1024, image.Pt(0, 128), color.NRGBA{})
	})
	return photoOnce.img
}

// smooth is a photo-like image: gradients, a sine texture and mild noise.
func smooth(w, h int, seed uint32) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			seed = seed*1664525 + 1013904223
			n := float64(seed>>28) - 8
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			i := y*m.Stride + 4*x
			m.Pix[i] = clamp(128 + 100*math.Sin(7*fx+3*fy) + n)
			m.Pix[i+1] = clamp(255*fy + n)
			m.Pix[i+2] = clamp(128 + 90*math.Cos(30*fx*fy) + n)
			m.Pix[i+3] = 255
		}
	}
	return m
}

func clamp(v float64) uint8 {
	return uint8(math.Max(0, math.Min(255, v)))
}

func loadPNG(tb testing.TB, path string) image.Image {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		tb.Fatal(err)
	}
	return img
}
