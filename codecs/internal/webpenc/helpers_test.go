//go:build cgo

package webpenc_test

import (
	"image"
	"image/draw"
	_ "image/jpeg" // for image.Decode
	_ "image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/chai2010/webp"
	"github.com/imgprep/imgprep/internal/raster"
	"github.com/imgprep/imgprep/internal/testcorpus"
)

// encode runs webpenc.Encode on img, failing the test on error.
func encode(tb testing.TB, img *image.NRGBA, o webpencOptions) []byte {
	tb.Helper()
	b, err := webpencEncode(img.Pix, img.Rect.Dx(), img.Rect.Dy(), img.Stride, raster.Opaque(img), o)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// decode decodes a WebP file with libwebp to NRGBA.
func decode(tb testing.TB, data []byte) *image.NRGBA {
	tb.Helper()
	m, err := webp.DecodeRGBA(data)
	if err != nil {
		tb.Fatal(err)
	}
	// libwebp's RGBA output is straight alpha, as NRGBA.
	return &image.NRGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
}

// psnr is the PSNR of b against a over the colour channels.
func psnr(a, b *image.NRGBA) float64 {
	var se, n float64
	for y := range a.Rect.Dy() {
		ra, rb := a.Pix[y*a.Stride:][:4*a.Rect.Dx()], b.Pix[y*b.Stride:][:4*a.Rect.Dx()]
		for i := range ra {
			if i%4 != 3 {
				d := float64(ra[i]) - float64(rb[i])
				se, n = se+d*d, n+1
			}
		}
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(se/n))
}

// sharedImage decodes a shared benchmark photo (JPEG or PNG) to NRGBA,
// resized so its longer side is at most side; it skips when absent.
func sharedImage(tb testing.TB, name string, side int) *image.NRGBA {
	tb.Helper()
	path := filepath.Join(testcorpus.SharedDir(tb), "bench-photos", name)
	f, err := os.Open(path)
	if err != nil {
		tb.Skipf("%s absent", path)
	}
	defer f.Close()
	m, _, err := image.Decode(f) // JPEG or PNG
	if err != nil {
		tb.Fatal(err)
	}
	b := m.Bounds()
	if w, h := b.Dx(), b.Dy(); max(w, h) > side {
		if w >= h {
			w, h = side, h*side/w
		} else {
			w, h = w*side/h, side
		}
		return raster.Resize(m, w, h)
	}
	n := image.NewNRGBA(b)
	draw.Draw(n, b, m, b.Min, draw.Src)
	return n
}
