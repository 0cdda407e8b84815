package benchmarks_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
)

// Quality guard: the fast path (DCT-scaled decode, fixed-point resize from
// YCbCr, orientation after the resize, fast PNG, JPEG q90) against the
// slow, obvious one (image/jpeg full decode, orientation, imaging.Resize
// Lanczos), by PSNR over RGB on the content area (the padding is checked
// to be transparent). Threshold: 35 dB, the point below which downscale
// differences start to be visible on photos.
//
// Measured (amd64; -v logs the values): dall-e-2 jpeg-12mp 51.6 dB,
// jpeg-16mp-o8 50.5 dB; gpt-image-1 jpeg-12mp 40.7 dB, jpeg-16mp-o8
// 47.4 dB (JPEG q90 output, so the encoding loss is included).
const minPSNR = 35

// TestQualityPrepare prepares the photos for dall-e-2 and gpt-image-1 and
// compares each with the slow reference.
func TestQualityPrepare(t *testing.T) {
	if testing.Short() {
		t.Skip("full decodes and Lanczos of 12-16 MP photos")
	}
	for _, in := range []string{"jpeg-12mp", "jpeg-16mp-o8"} {
		t.Run("in="+in, func(t *testing.T) {
			data := input(t, in)
			upright := slowUpright(t, data)
			for _, m := range []struct {
				name string
				opts pipeline.Options
			}{{"dall-e-2", pipeline.Options{}}, {"gpt-image-1", pipeline.Options{MaxSide: 1536}}} {
				if v := prepareVsSlow(t, in, data, upright, m.name, m.opts); v < minPSNR {
					t.Errorf("%s: PSNR %.2f dB < %d", m.name, v, minPSNR)
				}
			}
		})
	}
}

// TestQualityScaledDecode guards the DCT-scaled JPEG decode (1/2, 1/4,
// 1/8) against a full image/jpeg decode:
//
//   - the decoder itself, against the full decode reduced by the same box
//     (the filter DCT scaling amounts to): >= 35 dB RGB, >= 45 dB luma.
//     Measured: 4:2:2 photo 49.3/49.2/48.0 dB, 4:2:0 photo 45.3/40.9/37.7
//     dB; luma 50.5-54.7 dB in all cases: what is lost is 4:2:0 chroma,
//     which scaled decoding leaves at half the output resolution.
//   - the pipeline's worst case, a target exactly 1/d of the photo, so
//     that the box-filtered decode is the output with no Lanczos pass,
//     against the slow path. Without a margin it measured 4:2:0
//     42.1/36.8/33.5 dB at 1/2, 1/4, 1/8; pipeline.decodeDenom now keeps
//     a Lanczos step of at least 1.5x after a 1/8 decode (1/8 worst cases
//     49.6 and 44.6 dB), leaving 36.8 dB as the worst case: floor 35 dB.
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
				got := imaging.Clone(img)
				box := imaging.Resize(full, b.Dx(), b.Dy(), imaging.Box)
				rgb, luma := psnrRGB(got, box), psnrLuma(got, box)
				t.Logf("%s 1/%d (%dx%d) vs full decode + box: %.2f dB RGB, %.2f dB luma", in, d, b.Dx(), b.Dy(), rgb, luma)
				if rgb < minPSNR || luma < 45 {
					t.Errorf("1/%d: %.2f dB RGB (want >= %d), %.2f dB luma (want >= 45)", d, rgb, minPSNR, luma)
				}
			}
			upright := imaging.Clone(full)
			long := max(full.Bounds().Dx(), full.Bounds().Dy())
			for _, d := range []int{2, 4, 8} {
				o := pipeline.Options{MaxSide: long / d, UploadFormat: codecs.PNG}
				if v := prepareVsSlow(t, in, data, upright, "gpt-image-1", o); v < minPSNR {
					t.Errorf("max side %d: PSNR %.2f dB < %d", long/d, v, minPSNR)
				}
			}
		})
	}
}

// prepareVsSlow prepares data for model and returns the PSNR of the
// content area against the slow path's rendering of the plan (upright is
// the slow, full-size upright decode); padding must be transparent.
func prepareVsSlow(t *testing.T, in string, data []byte, upright *image.NRGBA, name string, o pipeline.Options) float64 {
	t.Helper()
	p, err := model.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	res, err := pipeline.PrepareOne(context.Background(), pipeline.Input{Name: in, Data: data}, p, o)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := codecs.Decode(res.Data, codecs.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pl := res.Plan
	ref := imaging.Resize(imaging.Crop(upright, pl.Crop.Image()), pl.Resize.W, pl.Resize.H, imaging.Lanczos)
	v := psnrRGB(imaging.Crop(got, pl.Content.Image()), ref)
	t.Logf("%s %s max side %d: %dx%d content in %dx%d %s, PSNR vs slow path %.2f dB", name, in, o.MaxSide,
		pl.Resize.W, pl.Resize.H, pl.Canvas.W, pl.Canvas.H, pl.Format, v)
	if pl.Padded() {
		checkTransparentPadding(t, got, pl.Content.Image())
	}
	return v
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

// psnrLuma is the PSNR over BT.601 luma (as JPEG's Y) of two same-sized
// images.
func psnrLuma(a, b *image.NRGBA) float64 {
	w, h := a.Rect.Dx(), a.Rect.Dy()
	var sum float64
	for y := 0; y < h; y++ {
		ra, rb := a.Pix[y*a.Stride:y*a.Stride+4*w], b.Pix[y*b.Stride:y*b.Stride+4*w]
		for i := 0; i < len(ra); i += 4 {
			ya, _, _ := color.RGBToYCbCr(ra[i], ra[i+1], ra[i+2])
			yb, _, _ := color.RGBToYCbCr(rb[i], rb[i+1], rb[i+2])
			d := float64(ya) - float64(yb)
			sum += d * d
		}
	}
	return psnrOf(sum / float64(w*h))
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
	return psnrOf(sum / float64(3*w*h))
}

// psnrOf converts a mean squared error of 8-bit samples to dB.
func psnrOf(mse float64) float64 {
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
