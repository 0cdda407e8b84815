package jpegenc_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand"
	"testing"

	"github.com/imgprep/imgprep/codecs/internal/jpegenc"
)

// TestSamePixelsAsImageJPEG: the parallel encoder's output decodes to
// exactly the pixels of image/jpeg's for the same input and quality (the
// coefficients are the same; only restart markers are added).
func TestSamePixelsAsImageJPEG(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for _, sz := range []image.Point{{1, 1}, {17, 9}, {37, 29}, {300, 200}, {1023, 70}} {
		rect := image.Rect(3, 5, 3+sz.X, 5+sz.Y)
		opq, tr := image.NewNRGBA(rect), image.NewNRGBA(rect)
		rgba, gray := image.NewRGBA(rect), image.NewGray(rect)
		for y := rect.Min.Y; y < rect.Max.Y; y++ {
			for x := rect.Min.X; x < rect.Max.X; x++ {
				c := color.NRGBA{uint8(x*7 + r.Intn(40)), uint8(y*5 + r.Intn(40)), uint8(x + y), 255}
				opq.SetNRGBA(x, y, c)
				c.A = uint8(r.Intn(256))
				tr.SetNRGBA(x, y, c)
				rgba.Set(x, y, c)
				gray.Set(x, y, c)
			}
		}
		ycc := image.NewYCbCr(rect, image.YCbCrSubsampleRatio420)
		for y := rect.Min.Y; y < rect.Max.Y; y++ {
			for x := rect.Min.X; x < rect.Max.X; x++ {
				c := opq.NRGBAAt(x, y)
				yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
				ycc.Y[ycc.YOffset(x, y)], ycc.Cb[ycc.COffset(x, y)], ycc.Cr[ycc.COffset(x, y)] = yy, cb, cr
			}
		}
		for name, img := range map[string]image.Image{"nrgba": opq, "nrgba-translucent": tr, "rgba": rgba, "gray": gray, "ycbcr": ycc} {
			for _, q := range []int{1, 50, 90, 100} {
				var want, got bytes.Buffer
				if err := jpeg.Encode(&want, img, &jpeg.Options{Quality: q}); err != nil {
					t.Fatal(err)
				}
				if err := jpegenc.Encode(&got, img, q); err != nil {
					t.Fatal(err)
				}
				a, err1 := jpeg.Decode(&want)
				b, err2 := jpeg.Decode(&got)
				if err1 != nil || err2 != nil {
					t.Fatalf("%s %v q%d: decode: %v, %v", name, sz, q, err1, err2)
				}
				if !samePixels(a, b) {
					t.Errorf("%s %v q%d: pixels differ from image/jpeg", name, sz, q)
				}
			}
		}
	}
}

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}
