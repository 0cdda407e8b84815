package heif_test

import (
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/heif"
)

// FuzzParse: the box parser never panics, returns a *codecs.FormatError
// on failure, and a successful parse resolves an image whose extents are
// in the data and whose layout fits it.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "heif", "*"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, format := range []codecs.Format{codecs.HEIC, codecs.AVIF} {
			file, err := heif.Parse(b, format)
			if err != nil {
				if _, ok := err.(*codecs.FormatError); !ok {
					t.Fatalf("error %T %v is not a *codecs.FormatError", err, err)
				}
				continue
			}
			img := file.Primary
			if img.Width <= 0 || img.Height <= 0 || !file.Layout.Crop.In(imageRect(img)) || file.Layout.Orientation < 1 || file.Layout.Orientation > 8 {
				t.Fatalf("bad result %dx%d %+v", img.Width, img.Height, file.Layout)
			}
			if img.Grid == nil {
				if _, err := file.Data(img.Item, 0); err != nil {
					t.Fatalf("primary data: %v", err)
				}
				if format == codecs.HEIC {
					if _, err := file.Standalone(img, true); err != nil {
						t.Fatalf("standalone: %v", err)
					}
				}
			}
		}
	})
}

func imageRect(img *heif.Image) image.Rectangle { return image.Rect(0, 0, img.Width, img.Height) }
