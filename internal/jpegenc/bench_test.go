package jpegenc_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"math/rand"
	"testing"

	"github.com/imgprep/imgprep/internal/jpegenc"
)

// photoLike is a w x h opaque NRGBA with smooth gradients, edges and mild
// noise, so that blocks have the coefficient spread of a photo.
func photoLike(w, h int) *image.NRGBA {
	r := rand.New(rand.NewSource(3))
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 128 + 60*math.Sin(float64(x)/37) + 40*math.Cos(float64(y)/23)
			if (x/97+y/61)%3 == 0 {
				v += 30
			}
			o := m.PixOffset(x, y)
			m.Pix[o] = uint8(min(255, max(0, v+float64(r.Intn(9)))))
			m.Pix[o+1] = uint8(min(255, max(0, v*0.8+float64(r.Intn(9)))))
			m.Pix[o+2] = uint8(min(255, max(0, 255-v+float64(r.Intn(9)))))
			m.Pix[o+3] = 255
		}
	}
	return m
}

// BenchmarkEncode: the gpt-image-1 output size, q90, on one goroutine
// (Stream.Advance over every row) and in parallel (Encode), against
// image/jpeg.
func BenchmarkEncode(b *testing.B) {
	img := photoLike(1536, 1152)
	var buf bytes.Buffer
	b.Run("impl=stream-serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			s, _ := jpegenc.NewStream(img, 90)
			s.Advance(1152)
			if err := s.Finish(&buf); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(buf.Len()), "bytes")
	})
	b.Run("impl=parallel", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			if err := jpegenc.Encode(&buf, img, 90); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=image-jpeg", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
