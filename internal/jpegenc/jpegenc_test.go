package jpegenc_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand"
	"testing"

	"github.com/imgprep/imgprep/internal/jpegenc"
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
		// At an even origin, 4:2:0 is read straight from its planes.
		ycc0 := image.NewYCbCr(image.Rect(0, 0, sz.X, sz.Y), image.YCbCrSubsampleRatio420)
		for y := 0; y < sz.Y; y++ {
			for x := 0; x < sz.X; x++ {
				ycc0.Y[ycc0.YOffset(x, y)] = ycc.Y[ycc.YOffset(x+3, y+5)]
				ycc0.Cb[ycc0.COffset(x, y)], ycc0.Cr[ycc0.COffset(x, y)] = uint8(x*9+y), uint8(200-x-3*y)
			}
		}
		for name, img := range map[string]image.Image{"nrgba": opq, "nrgba-translucent": tr, "rgba": rgba, "gray": gray,
			"ycbcr": ycc, "ycbcr-planar": ycc0, "ycbcr-planar-sub": ycc0.SubImage(image.Rect(2, 4, sz.X, sz.Y))} {
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

// TestStreamSameBytes: however the rows are handed over (none before
// Finish, one at a time, in uneven steps, all at once), a Stream writes
// exactly Encode's bytes, for colour and grey images. The rows are filled
// in only as they are handed over, so a row coded too early shows.
func TestStreamSameBytes(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for _, sz := range []image.Point{{1, 1}, {40, 15}, {40, 16}, {40, 17}, {301, 203}} {
		rect := image.Rect(2, 7, 2+sz.X, 7+sz.Y)
		rgb, gray := image.NewNRGBA(rect), image.NewGray(rect)
		for i := range rgb.Pix {
			rgb.Pix[i] = uint8(r.Intn(256)) | 3
		}
		for i := range gray.Pix {
			gray.Pix[i] = uint8(r.Intn(256))
		}
		for name, img := range map[string]image.Image{"nrgba": rgb, "gray": gray} {
			var want bytes.Buffer
			if err := jpegenc.Encode(&want, img, 85); err != nil {
				t.Fatal(err)
			}
			for _, step := range []int{0, 1, 7, 16, 33, 1 << 20} {
				var work image.Image
				var pix, full []uint8
				var stride int
				switch m := img.(type) {
				case *image.NRGBA:
					w := image.NewNRGBA(rect)
					work, pix, full, stride = w, w.Pix, m.Pix, m.Stride
				case *image.Gray:
					w := image.NewGray(rect)
					work, pix, full, stride = w, w.Pix, m.Pix, m.Stride
				}
				s, err := jpegenc.NewStream(work, 85)
				if err != nil {
					t.Fatal(err)
				}
				done := 0
				for n := step; step > 0 && n < sz.Y+step; n += step {
					n = min(n, sz.Y)
					copy(pix[done*stride:n*stride], full[done*stride:n*stride])
					done = n
					s.Advance(n)
				}
				copy(pix[done*stride:], full[done*stride:])
				var got bytes.Buffer
				if err := s.Finish(&got); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), want.Bytes()) {
					t.Errorf("%s %v, rows handed over %d at a time: %d bytes differ from Encode's %d",
						name, sz, step, got.Len(), want.Len())
				}
			}
		}
	}
}
