//go:build cgo

package webpenc_test

import (
	"bytes"
	"image"
	"math"
	"testing"

	"github.com/imgprep/imgprep/codecs/internal/webpenc"
	"github.com/imgprep/imgprep/internal/testimg"
)

type webpencOptions = webpenc.Options

var webpencEncode = webpenc.Encode

func TestLosslessExact(t *testing.T) {
	for _, img := range []*image.NRGBA{
		testimg.Gradient(67, 45, true),
		testimg.Gradient(64, 33, false),
		testimg.NoiseRGBA(31, 17),
	} {
		// Fully transparent pixels with colour: Exact keeps it.
		img.Pix[3], img.Pix[0] = 0, 200
		for _, o := range []webpenc.Options{
			{Lossless: true, Quality: 25, Method: 1, Threads: true, Exact: true},
			{Lossless: true, Quality: 75, Method: 4, Exact: true},
			{Lossless: true, Quality: 0, Method: 0, Exact: true},
			{Lossless: true, Quality: 26, Method: 1, Exact: true, InPlace: true},
		} {
			orig := bytes.Clone(img.Pix)
			got := decode(t, encode(t, img, o))
			if got.Rect.Size() != img.Rect.Size() || !bytes.Equal(got.Pix, img.Pix) {
				t.Errorf("%v %+v: decoded pixels differ", img.Rect, o)
			}
			if !bytes.Equal(img.Pix, orig) {
				t.Errorf("%v %+v: input pixels changed", img.Rect, o)
			}
		}
	}
}

func TestLosslessOpaqueSubimage(t *testing.T) {
	for _, inPlace := range []bool{false, true} {
		img := testimg.Gradient(40, 30, false).SubImage(image.Rect(5, 3, 30, 20)).(*image.NRGBA)
		o := webpenc.Options{Lossless: true, Quality: 26, Method: 1, Exact: true, InPlace: inPlace}
		data, err := webpenc.Encode(img.Pix, 25, 17, img.Stride, true, o)
		if err != nil {
			t.Fatal(err)
		}
		got := decode(t, data)
		for y := range 17 {
			if !bytes.Equal(got.Pix[y*got.Stride:][:100], img.Pix[y*img.Stride:][:100]) {
				t.Fatalf("in place %v: row %d differs", inPlace, y)
			}
		}
		if !bytes.Equal(img.Pix, testimg.Gradient(40, 30, false).SubImage(img.Rect).(*image.NRGBA).Pix) {
			t.Errorf("in place %v: input pixels changed", inPlace)
		}
	}
}

// smooth is an opaque photo-like image: slow gradients in every channel.
func smooth(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			i := m.PixOffset(x, y)
			m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = uint8(x*255/w), uint8(y*255/h), uint8(128+int(100*math.Sin(float64(x+y)/40))), 255
		}
	}
	return m
}

func TestLossyQuality(t *testing.T) {
	img := smooth(256, 192)
	var last int
	for _, q := range []float32{50, 80, 95} {
		data := encode(t, img, webpenc.Options{Quality: q, Method: 2})
		if p := psnr(img, decode(t, data)); p < 35 {
			t.Errorf("q%v: PSNR %.1f dB < 35", q, p)
		}
		if len(data) < last {
			t.Errorf("q%v: %d bytes, fewer than a lower quality's %d", q, len(data), last)
		}
		last = len(data)
	}
}

func TestLossyAlpha(t *testing.T) {
	img := testimg.Gradient(64, 48, true)
	got := decode(t, encode(t, img, webpenc.Options{Quality: 90, Method: 2}))
	for i := 3; i < len(img.Pix); i += 4 {
		if d := int(got.Pix[i]) - int(img.Pix[i]); d < -8 || d > 8 {
			t.Fatalf("alpha at byte %d: %d, want %d", i, got.Pix[i], img.Pix[i])
		}
	}
}

func TestBadArguments(t *testing.T) {
	pix := make([]byte, 4*4*4)
	for _, c := range []struct{ w, h, stride int }{{0, 4, 16}, {4, 4, 8}, {4, 5, 16}} {
		if _, err := webpenc.Encode(pix, c.w, c.h, c.stride, true, webpenc.Options{Quality: 80}); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	if _, err := webpenc.Encode(pix, 4, 4, 16, true, webpenc.Options{Quality: 80, Method: 9}); err == nil {
		t.Error("method 9: no error")
	}
}

// TestLossyMethodsPhoto checks on the benchmark photo what the chosen
// lossy setting (method 2) promises: PSNR >= 35 dB at q80, and bytes
// between method 4's (smaller, 2.5x slower) and method 0's (bigger).
func TestLossyMethodsPhoto(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	img := sharedImage(t, "photo12_s7edge.jpg", 1536)
	size := map[int]int{}
	for _, m := range []int{0, 2, 4} {
		data := encode(t, img, webpenc.Options{Quality: 80, Method: m})
		size[m] = len(data)
		if p := psnr(img, decode(t, data)); p < 35 {
			t.Errorf("method %d: PSNR %.1f dB < 35", m, p)
		}
	}
	if !(size[4] <= size[2] && size[2] <= size[0]) || float64(size[2]) > 1.10*float64(size[4]) {
		t.Errorf("bytes by method %v: want 4 <= 2 <= 0 and 2 within 1.10x of 4", size)
	}
}
