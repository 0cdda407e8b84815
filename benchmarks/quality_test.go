package benchmarks_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"testing"

	"github.com/disintegration/imaging"
	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/pipeline"
)

// Quality guard: the fast path (DCT-scaled decode, fixed-point resize from
// YCbCr, orientation after the resize, fast PNG, JPEG q90) against the
// slow, obvious one (image/jpeg full decode, orientation, imaging.Resize
// Lanczos), by PSNR over RGB on the content area (the padding is checked
// to be transparent). Threshold: 35 dB, the point below which downscale
// differences start to be visible on photos.
//
// Measured (amd64, 2026-11): see the values logged by -v; at the time of
// writing dall-e-2 jpeg-12mp 45.0 dB, jpeg-16mp-o8 46.5 dB; gpt-image-1
// jpeg-12mp 40.0 dB, jpeg-16mp-o8 44.6 dB (JPEG q90 output, so encoding
// loss included).
const minPSNR = 35

// TestQualityPrepare prepares the photos for dall-e-2 and gpt-image-1 and
// compares each with the slow reference.
func TestQualityPrepare(t *testing.T) {
	if testing.Short() {
		t.Skip("full decodes and Lanczos of 12-16 MP photos")
	}
	models := []struct {
		name string
		opts pipeline.Options
	}{{"dall-e-2", pipeline.Options{}}, {"gpt-image-1", pipeline.Options{MaxSide: 1536}}}
	for _, in := range []string{"jpeg-12mp", "jpeg-16mp-o8"} {
		t.Run("in="+in, func(t *testing.T) {
			data := input(t, in)
			upright := slowUpright(t, data)
			for _, m := range models {
				p, err := pipeline.Lookup(m.name)
				if err != nil {
					t.Fatal(err)
				}
				res, err := pipeline.PrepareOne(context.Background(), pipeline.Input{Name: in, Data: data}, p, m.opts)
				if err != nil {
					t.Fatal(err)
				}
				got, _, err := codecs.Decode(res.Data, codecs.DecodeOptions{})
				if err != nil {
					t.Fatal(err)
				}
				pl := res.Plan
				ref := imaging.Resize(imaging.Crop(upright, pl.Crop.Image()), pl.Resize.W, pl.Resize.H, imaging.Lanczos)
				content := imaging.Crop(got, pl.Content.Image())
				v := psnrRGB(content, ref)
				t.Logf("%s %s: %dx%d content in %dx%d, PSNR vs slow path %.2f dB", m.name, in,
					pl.Resize.W, pl.Resize.H, pl.Canvas.W, pl.Canvas.H, v)
				if v < minPSNR {
					t.Errorf("%s: PSNR %.2f dB < %d", m.name, v, minPSNR)
				}
				if pl.Padded() {
					checkTransparentPadding(t, got, pl.Content.Image())
				}
			}
		})
	}
}

// TestQualityScaledDecode compares the DCT-scaled decode (1/2, 1/4, 1/8)
// with a full image/jpeg decode reduced to the same size by imaging's
// Lanczos: the scaled decode acts as a box-like filter, so the agreement is
// lower than between two Lanczos resizes but well above visible
// differences. Measured: see -v; threshold 35 dB.
func TestQualityScaledDecode(t *testing.T) {
	if testing.Short() {
		t.Skip("full decodes of 12 MP photos")
	}
	for _, in := range []string{"jpeg-12mp", "jpeg-12mp-420"} {
		t.Run("in="+in, func(t *testing.T) {
			data := input(t, in)
			full, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range []int{2, 4, 8} {
				img, _, err := codecs.Decode(data, codecs.DecodeOptions{ScaleDenom: d})
				if err != nil {
					t.Fatal(err)
				}
				b := img.Bounds()
				ref := imaging.Resize(full, b.Dx(), b.Dy(), imaging.Lanczos)
				v := psnrRGB(imaging.Clone(img), ref)
				t.Logf("%s 1/%d (%dx%d): PSNR vs full decode + Lanczos %.2f dB", in, d, b.Dx(), b.Dy(), v)
				if v < minPSNR {
					t.Errorf("1/%d: PSNR %.2f dB < %d", d, v, minPSNR)
				}
			}
		})
	}
}

// slowUpright decodes with image/jpeg at full size and applies the EXIF
// orientation with imaging, as the straightforward implementation would.
func slowUpright(t *testing.T, data []byte) *image.NRGBA {
	t.Helper()
	info, err := codecs.Probe(data)
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	switch info.Orientation {
	case 2:
		return imaging.FlipH(img)
	case 3:
		return imaging.Rotate180(img)
	case 4:
		return imaging.FlipV(img)
	case 5:
		return imaging.Transpose(img)
	case 6:
		return imaging.Rotate270(img)
	case 7:
		return imaging.Transverse(img)
	case 8:
		return imaging.Rotate90(img)
	}
	return imaging.Clone(img)
}

// psnrRGB is the PSNR over the R, G, B samples of two same-sized images.
func psnrRGB(a, b *image.NRGBA) float64 {
	if a.Rect.Size() != b.Rect.Size() {
		panic(fmt.Sprintf("psnrRGB: sizes %v and %v", a.Rect.Size(), b.Rect.Size()))
	}
	w, h := a.Rect.Dx(), a.Rect.Dy()
	var sum float64
	for y := 0; y < h; y++ {
		ra, rb := a.Pix[y*a.Stride:y*a.Stride+4*w], b.Pix[y*b.Stride:y*b.Stride+4*w]
		for i := 0; i < len(ra); i++ {
			if i%4 == 3 {
				continue
			}
			d := float64(ra[i]) - float64(rb[i])
			sum += d * d
		}
	}
	mse := sum / float64(3*w*h)
	if mse == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/mse)
}

// checkTransparentPadding checks that every pixel outside content has
// alpha 0.
func checkTransparentPadding(t *testing.T, img image.Image, content image.Rectangle) {
	t.Helper()
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if (image.Point{x, y}).In(content) {
				x = content.Max.X - 1
				continue
			}
			if _, _, _, a := img.At(x, y).RGBA(); a != 0 {
				t.Fatalf("padding pixel (%d,%d) has alpha %d", x, y, a>>8)
			}
		}
	}
}
