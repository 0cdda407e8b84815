package benchmarks_test

import (
	"fmt"
	"image"
	"image/color"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/raster"
)

// BenchmarkProbe measures the header-only gate: it must not depend on the
// pixel count.
func BenchmarkProbe(b *testing.B) {
	for _, in := range []string{"jpeg-12mp", "jpeg-16mp-o8", "png-4k-screenshot", "png16", "webp-rgba"} {
		b.Run("in="+in, func(b *testing.B) {
			data := input(b, in)
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := codecs.Probe(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecode measures decoding: JPEG at full size (image/jpeg) and
// DCT-scaled by 1/2, 1/4, 1/8 (our decoder), and the other input kinds.
func BenchmarkDecode(b *testing.B) {
	for _, in := range []string{"jpeg-12mp", "jpeg-12mp-420"} {
		for _, d := range []int{1, 2, 4, 8} {
			b.Run(fmt.Sprintf("in=%s/scale=%d", in, d), func(b *testing.B) {
				benchDecode(b, input(b, in), d)
			})
		}
	}
	for _, in := range []string{"png-4k-screenshot", "png16", "webp-rgba"} {
		b.Run("in="+in, func(b *testing.B) { benchDecode(b, input(b, in), 1) })
	}
}

func benchDecode(b *testing.B, data []byte, denom int) {
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := codecs.Decode(data, codecs.DecodeOptions{ScaleDenom: denom}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify measures codecs.Verify, the check of a passthrough
// (--verify decode): the entropy-coded data of a sequential JPEG walked
// without decoding (jpeg-12mp, the S7's 4:2:2 baseline photo; jpeg-16mp-o8),
// a progressive JPEG decoded at 1/8 (jpeg-12mp-420), and for comparison the
// 1/8 decode that verified JPEGs before (scale=8).
func BenchmarkVerify(b *testing.B) {
	for _, in := range []string{"jpeg-12mp", "jpeg-16mp-o8", "jpeg-12mp-420"} {
		b.Run("in="+in, func(b *testing.B) {
			data := input(b, in)
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if err := codecs.Verify(data, codecs.DecodeOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("in=jpeg-12mp/scale=8", func(b *testing.B) { benchDecode(b, input(b, "jpeg-12mp"), 8) })
}

// BenchmarkOrient measures EXIF orientation at the sizes the pipeline
// applies it (after the resize), and at 12 MP for contrast.
func BenchmarkOrient(b *testing.B) {
	for _, sz := range []image.Point{{1024, 768}, {1536, 1152}, {4032, 3024}} {
		src := gradient(sz.X, sz.Y)
		for _, o := range []int{3, 6, 8} {
			b.Run(fmt.Sprintf("size=%dx%d/o=%d", sz.X, sz.Y, o), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(src.Pix)))
				for b.Loop() {
					raster.Orient(src, o)
				}
			})
		}
	}
}

// BenchmarkResize measures the resampler on the sources the pipeline hands
// it: the photo decoded at 1/2 (YCbCr) to the dall-e-2 and gpt-image-1
// sizes, the full-size photo, the 4K screenshot, and a fixture.
func BenchmarkResize(b *testing.B) {
	cases := []struct {
		in     string
		denom  int
		w, h   int
		whence string
	}{
		{"jpeg-12mp", 2, 1024, 768, "dct2"},
		{"jpeg-12mp", 2, 1536, 1152, "dct2"},
		{"jpeg-12mp", 1, 1024, 768, "full"},
		{"jpeg-12mp-420", 2, 1152, 1536, "dct2"},
		{"png-4k-screenshot", 1, 1536, 864, "full"},
		{"webp-rgba", 1, 512, 384, "full"},
	}
	for _, c := range cases {
		b.Run(fmt.Sprintf("in=%s/from=%s/to=%dx%d", c.in, c.whence, c.w, c.h), func(b *testing.B) {
			src, _, err := codecs.Decode(input(b, c.in), codecs.DecodeOptions{ScaleDenom: c.denom})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.SetBytes(int64(src.Bounds().Dx() * src.Bounds().Dy()))
			for b.Loop() {
				raster.Resize(src, c.w, c.h)
			}
		})
	}
}

// BenchmarkSquare measures padding the resized photo onto the dall-e-2
// canvas (raster.Place).
func BenchmarkSquare(b *testing.B) {
	src := gradient(1024, 768)
	b.ReportAllocs()
	b.SetBytes(1024 * 1024 * 4)
	for b.Loop() {
		raster.Place(src, 1024, 1024, image.Pt(0, 128), color.NRGBA{})
	}
}

// BenchmarkEncode measures the encoders on the canvases the pipeline
// produces: the dall-e-2 canvas (1024x1024 RGBA, padded) and the
// gpt-image-1 canvas (1536x1152 opaque), from the photo; and a fixture.
func BenchmarkEncode(b *testing.B) {
	type canvas struct {
		name string
		img  func(b *testing.B) *image.NRGBA
	}
	canvases := []canvas{
		{"dall-e-2-canvas", func(b *testing.B) *image.NRGBA { return photoCanvas(b, 1024, 768, true) }},
		{"gpt-image-1-canvas", func(b *testing.B) *image.NRGBA { return photoCanvas(b, 1536, 1152, false) }},
		{"fixture-rgba-768", fixtureCanvas},
	}
	formats := []struct {
		name string
		opts codecs.EncodeOptions
	}{
		{"png", codecs.EncodeOptions{Format: codecs.PNG, KeepAlpha: true}},
		{"png-level3", codecs.EncodeOptions{Format: codecs.PNG, PNGLevel: 3, KeepAlpha: true}},
		{"jpeg", codecs.EncodeOptions{Format: codecs.JPEG, Quality: 90}},
		{"webp-lossless", codecs.EncodeOptions{Format: codecs.WebP, Lossless: true}},
	}
	for _, f := range formats {
		for _, c := range canvases {
			b.Run(fmt.Sprintf("format=%s/in=%s", f.name, c.name), func(b *testing.B) {
				img := c.img(b)
				if f.opts.Format == codecs.JPEG && !raster.Opaque(img) {
					img = raster.Flatten(img, color.NRGBA{255, 255, 255, 255})
				}
				b.ReportAllocs()
				b.SetBytes(int64(len(img.Pix)))
				var n int
				for b.Loop() {
					out, err := codecs.EncodeBytes(img, f.opts)
					if err != nil {
						b.Fatal(err)
					}
					n = len(out)
				}
				b.ReportMetric(float64(n), "out-bytes")
			})
		}
	}
}

// BenchmarkMask is a placeholder until package mask exists: the mask
// stage is then benchmarked here like the others.
func BenchmarkMask(b *testing.B) {
	b.Skip("package mask does not exist yet")
}

// photoCanvas renders the 12 MP photo as the pipeline would: decoded at
// 1/2, resized to w x h, and (pad) placed on a transparent square.
func photoCanvas(b *testing.B, w, h int, pad bool) *image.NRGBA {
	src, _, err := codecs.Decode(input(b, "jpeg-12mp"), codecs.DecodeOptions{ScaleDenom: 2})
	if err != nil {
		b.Fatal(err)
	}
	img := raster.Resize(src, w, h)
	if pad {
		img = raster.Place(img, w, w, image.Pt(0, (w-h)/2), color.NRGBA{})
	}
	return img
}

// fixtureCanvas is the RGBA WebP fixture, decoded.
func fixtureCanvas(b *testing.B) *image.NRGBA {
	src, _, err := codecs.Decode(input(b, "webp-rgba"), codecs.DecodeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return raster.ToNRGBA(src)
}

// gradient is a synthetic opaque NRGBA image (content does not matter to
// Orient and Place).
func gradient(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(x), uint8(y), uint8(x+y), 255
		}
	}
	return img
}
