package raster_test

import (
	"image"
	"testing"

	"github.com/disintegration/imaging"
	"github.com/imgprep/imgprep/internal/raster"
)

// benchSources returns the 12 MP benchmark inputs: the real photo (4:2:2)
// when present and its conversions to other pixel types.
func benchSources(b *testing.B) []struct {
	name string
	img  image.Image
} {
	ycc := loadPhoto(b)
	nrgba := raster.ToNRGBA(ycc)
	alpha := image.NewNRGBA(nrgba.Rect)
	copy(alpha.Pix, nrgba.Pix)
	for i := 3; i < len(alpha.Pix); i += 4 {
		alpha.Pix[i] = uint8(i / 4096)
	}
	gray := image.NewGray(ycc.Rect)
	copy(gray.Pix, ycc.Y)
	return []struct {
		name string
		img  image.Image
	}{
		{"ycbcr422-12mp", ycc},
		{"nrgba-opaque-12mp", nrgba},
		{"nrgba-alpha-12mp", alpha},
		{"gray-12mp", gray},
	}
}

func BenchmarkResize(b *testing.B) {
	for _, s := range benchSources(b) {
		for _, d := range []struct {
			name string
			w, h int
		}{{"1024", 1024, 768}, {"2048", 2048, 1536}} {
			b.Run("src="+s.name+"/dst="+d.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					raster.Resize(s.img, d.w, d.h)
				}
			})
			if d.name == "1024" {
				b.Run("src="+s.name+"/dst="+d.name+"/imaging", func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						imaging.Resize(s.img, d.w, d.h, imaging.Lanczos)
					}
				})
			}
		}
	}
}
