package mask_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/imgprep/imgprep/mask"
)

// FuzzFromImage: any file either fails to decode or yields a mask of the
// image's size that encodes and validates against that size.
func FuzzFromImage(f *testing.F) {
	seeds, _ := filepath.Glob("../testdata/codecs/*.png")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil && len(b) < 32<<10 {
			f.Add(b, false)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, invert bool) {
		img, err := mask.Decode(data)
		if err != nil {
			return
		}
		b := img.Bounds()
		if b.Dx()*b.Dy() > 1<<22 {
			return
		}
		m, _ := mask.FromAny(img, mask.ImageOptions{Invert: invert})
		if m.Bounds().Size() != b.Size() {
			t.Fatalf("mask %v for a %v image", m.Bounds(), b)
		}
		png, err := mask.Encode(m)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mask.Validate(png, b.Dx(), b.Dy(), 1<<30); err != nil {
			t.Fatalf("own mask does not validate: %v", err)
		}
	})
}
