package raster_test

import (
	"image"
	"image/color"
	"image/color/palette"
	"image/draw"
	"testing"

	"github.com/disintegration/imaging"
	"github.com/imgprep/imgprep/internal/raster"
)

// Quality guard against imaging.Resize(Lanczos), the reference. Measured
// (amd64): photo as 4:2:2 YCbCr 55.7 dB (max diff 9), as NRGBA 58.8 dB
// (max 9); the YCbCr path agrees with converting first at 56.4 dB, max diff
// 7 (it filters Y/Cb/Cr and converts after, so out-of-gamut source pixels
// are not clamped one by one); synthetic 4032x3024 58.9 dB (max 1).
func TestQualityPhoto(t *testing.T) {
	src := loadPhoto(t)
	ref := imaging.Resize(src, 1024, 768, imaging.Lanczos)
	viaNRGBA := raster.Resize(raster.ToNRGBA(src), 1024, 768) // == generic path
	for name, img := range map[string]image.Image{"ycbcr422": src, "nrgba": raster.ToNRGBA(src)} {
		got := raster.Resize(img, 1024, 768)
		p := psnr(got, ref)
		t.Logf("photo %s 4032x3024 -> 1024x768: PSNR vs imaging %.2f dB, max diff %d", name, p, maxDiff(got, ref))
		if p < 38 {
			t.Errorf("%s: PSNR %.2f dB < 38", name, p)
		}
		p = psnr(got, viaNRGBA)
		t.Logf("photo %s: PSNR vs converting first %.2f dB, max diff %d", name, p, maxDiff(got, viaNRGBA))
		if p < 45 {
			t.Errorf("%s: PSNR vs converting first %.2f dB < 45", name, p)
		}
	}
}

func TestQualitySynthetic(t *testing.T) {
	if testing.Short() {
		t.Skip("12 MP synthetic image")
	}
	src := synth(4032, 3024, false)
	got := raster.Resize(src, 1024, 768)
	ref := imaging.Resize(src, 1024, 768, imaging.Lanczos)
	p := psnr(got, ref)
	t.Logf("synthetic 4032x3024 -> 1024x768: PSNR vs imaging %.2f dB, max diff %d", p, maxDiff(got, ref))
	if p < 38 {
		t.Errorf("PSNR %.2f dB < 38", p)
	}
}

// typedSources converts a photo-like image to every fast-path type.
func typedSources(opq, alpha *image.NRGBA) map[string]image.Image {
	r := opq.Rect
	rgba := image.NewRGBA(r)
	draw.Draw(rgba, r, alpha, image.Point{}, draw.Src)
	pal := image.NewPaletted(r, palette.WebSafe)
	draw.Draw(pal, r, opq, image.Point{}, draw.Src)
	tpal := image.NewPaletted(r, append(color.Palette{color.NRGBA{}}, palette.Plan9[:200]...))
	draw.Draw(tpal, r, alpha, image.Point{}, draw.Src)
	m := map[string]image.Image{
		"nrgba-opaque": opq,
		"nrgba-alpha":  alpha,
		"rgba-opaque":  convert(opq, image.NewRGBA(r)),
		"rgba-alpha":   rgba,
		"gray":         convert(opq, image.NewGray(r)),
		"gray16":       convert(opq, image.NewGray16(r)),
		"nrgba64":      convert(alpha, image.NewNRGBA64(r)),
		"rgba64":       convert(alpha, image.NewRGBA64(r)),
		"cmyk":         convert(opq, image.NewCMYK(r)),
		"paletted":     pal,
		"paletted-a":   tpal,
	}
	for _, ss := range []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	} {
		m["ycbcr"+ss.String()[len("YCbCrSubsampleRatio"):]] = toYCbCr(opq, ss)
	}
	return m
}

// TestFastPaths checks every fast path against imaging (>= 38 dB) and
// against Resize's own generic path (>= 45 dB or max diff <= 2), on a
// 504x378 photo-like image scaled like 12 MP -> 1024x768 (~3.94x) and
// resampled up and anisotropically.
// Measured: vs imaging at 128x96 50.9-60.5 dB (lowest: paletted with
// alpha, where imaging's 8-bit intermediate loses colour at low alpha;
// YCbCr 57.0-57.7 dB);
// vs generic: identical for gray, gray16, nrgba/rgba opaque, rgba-alpha,
// rgba64, paletted; 76-80 dB (max diff <= 4) for nrgba-alpha, nrgba64, cmyk;
// 55.3-55.4 dB (max diff <= 16, from per-pixel clamping of out-of-gamut
// colours and image/color's 16-bit conversion) for every YCbCr subsampling.
func TestFastPaths(t *testing.T) {
	opq, alpha := synth(504, 378, false), synth(504, 378, true)
	for name, img := range typedSources(opq, alpha) {
		for _, d := range [][2]int{{128, 96}, {700, 500}, {300, 450}} {
			got := raster.Resize(img, d[0], d[1])
			if d[0] == 128 {
				ref := imaging.Resize(img, d[0], d[1], imaging.Lanczos)
				p := psnr(got, ref)
				t.Logf("%-12s %v vs imaging: %.1f dB (max %d)", name, d, p, maxDiff(got, ref))
				if p < 38 {
					t.Errorf("%s %v: PSNR vs imaging %.1f dB < 38", name, d, p)
				}
			}
			gen := raster.Resize(generic{img}, d[0], d[1])
			p, md := psnr(got, gen), maxDiff(got, gen)
			t.Logf("%-12s %v vs generic: %.1f dB (max %d)", name, d, p, md)
			if p < 45 && md > 2 {
				t.Errorf("%s %v: fast path vs generic %.1f dB, max diff %d", name, d, p, md)
			}
		}
	}
}

func TestQualityExtreme(t *testing.T) {
	// Vertical ratios beyond 8x take the box pre-reduction path; a very
	// wide horizontal kernel (60x) is plain Lanczos.
	src := synth(1200, 2400, true)
	for _, d := range [][2]int{{120, 40}, {20, 300}, {7, 5}} {
		got := raster.Resize(src, d[0], d[1])
		ref := imaging.Resize(src, d[0], d[1], imaging.Lanczos)
		p := psnr(got, ref)
		t.Logf("1200x2400 -> %v: PSNR vs imaging %.1f dB", d, p)
		if p < 38 {
			t.Errorf("%v: PSNR %.1f dB < 38", d, p)
		}
	}
}

func TestWeightRange(t *testing.T) {
	worst := 0.0
	for _, c := range [][2]int{{100, 37}, {37, 100}, {1024, 4032}, {768, 3024}, {450, 378}, {7, 5}, {1000, 999}, {3, 1}, {1, 3}, {2, 64}} {
		for _, off := range []float64{0, 0.25, 0.5} {
			worst = max(worst, raster.MaxPositiveSum(c[0], c[1], float64(c[1])/float64(c[0]), off))
		}
	}
	t.Logf("largest positive weight sum %.3f", worst)
	if worst >= 2 {
		t.Fatalf("positive weight sum %.3f could overflow packed lanes", worst)
	}
}
