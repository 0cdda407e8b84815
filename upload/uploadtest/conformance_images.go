package uploadtest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"sync"

	"github.com/imgprep/imgprep/codecs"
)

// Prepared test images. They satisfy the real API's limits (small files,
// RGBA PNGs that dall-e-2 takes, squares of the sides it lists) and are
// cheap for the fake server: a square GPT input of 1024 px is edited
// without a resize, so the returned pixels can be compared exactly.

// Picture returns a deterministic w x h picture: four flat quadrants
// (red, green, blue, grey) and, when hole is set, a fully transparent
// rectangle (the edit area when no mask is sent) at HoleRect(w, h).
func Picture(w, h int, hole bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	quad := []color.NRGBA{{200, 40, 40, 255}, {40, 160, 60, 255}, {50, 60, 190, 255}, {128, 128, 128, 255}}
	for y := range h {
		for x := range w {
			q := 0
			if x >= w/2 {
				q++
			}
			if y >= h/2 {
				q += 2
			}
			img.SetNRGBA(x, y, quad[q])
		}
	}
	if hole {
		draw.Draw(img, HoleRect(w, h), image.Transparent, image.Point{}, draw.Src)
	}
	return img
}

// HoleRect is the transparent rectangle of Picture(w, h, true).
func HoleRect(w, h int) image.Rectangle {
	return image.Rect(w/8, h/8, w/8+w/4, h/8+h/8)
}

// MaskRect is the edit area (fully transparent pixels) of MaskImage(w, h).
func MaskRect(w, h int) image.Rectangle {
	return image.Rect(w/2, h/2, w/2+w/4, h/2+h/3)
}

// MaskImage is a w x h mask: opaque black with MaskRect(w, h) fully
// transparent.
func MaskImage(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.Draw(m, m.Bounds(), image.NewUniform(color.NRGBA{0, 0, 0, 255}), image.Point{}, draw.Src)
	draw.Draw(m, MaskRect(w, h), image.Transparent, image.Point{}, draw.Src)
	return m
}

var prepared struct {
	sync.Mutex
	m map[string][]byte
}

// cached encodes once per key; the returned slice must not be modified
// (callers get a copy).
func cached(key string, build func() ([]byte, error)) []byte {
	prepared.Lock()
	defer prepared.Unlock()
	if prepared.m == nil {
		prepared.m = map[string][]byte{}
	}
	b, ok := prepared.m[key]
	if !ok {
		var err error
		if b, err = build(); err != nil {
			panic("uploadtest: preparing test image " + key + ": " + err.Error())
		}
		prepared.m[key] = b
	}
	return bytes.Clone(b)
}

// SamplePNG returns Picture(w, h, hole) as an RGBA PNG (colour type 6, as
// dall-e-2 requires, even when every pixel is opaque).
func SamplePNG(w, h int, hole bool) []byte {
	return cached(fmt.Sprintf("png-%dx%d-%v", w, h, hole), func() ([]byte, error) {
		return codecs.EncodeBytes(Picture(w, h, hole), codecs.EncodeOptions{Format: codecs.PNG, KeepAlpha: true})
	})
}

// SampleJPEG returns Picture(w, h, false) as a JPEG.
func SampleJPEG(w, h int) []byte {
	return cached(fmt.Sprintf("jpeg-%dx%d", w, h), func() ([]byte, error) {
		return codecs.EncodeBytes(Picture(w, h, false), codecs.EncodeOptions{Format: codecs.JPEG, Quality: 90})
	})
}

// SampleWebP returns Picture(w, h, false) as a lossless WebP (pure Go).
func SampleWebP(w, h int) []byte {
	return cached(fmt.Sprintf("webp-%dx%d", w, h), func() ([]byte, error) {
		return codecs.EncodeBytes(Picture(w, h, false), codecs.EncodeOptions{Format: codecs.WebP, Lossless: true})
	})
}

// SampleMask returns MaskImage(w, h) as an RGBA PNG.
func SampleMask(w, h int) []byte {
	return cached(fmt.Sprintf("mask-%dx%d", w, h), func() ([]byte, error) {
		return codecs.EncodeBytes(MaskImage(w, h), codecs.EncodeOptions{Format: codecs.PNG, KeepAlpha: true})
	})
}

// ExpectedEdit is the fake server's deterministic edit of in without a
// resize: with a mask, EditColor where the mask's alpha is 0 and in's
// pixels elsewhere; without one, EditColor where in's alpha is 0 and the
// colours inverted elsewhere.
func ExpectedEdit(in, mask image.Image) *image.NRGBA {
	img := toNRGBA(in)
	paint(img, mask)
	return img
}

// DecodeImage decodes a PNG, JPEG or WebP file.
func DecodeImage(data []byte) (image.Image, error) {
	return decode(data, codecs.Sniff(data))
}

// DiffImages compares got and want pixel by pixel (as non-premultiplied
// RGBA) and describes the first difference and the number of differing
// pixels; "" when they are identical.
func DiffImages(got, want image.Image) string {
	if got.Bounds().Size() != want.Bounds().Size() {
		return fmt.Sprintf("size %v, want %v", got.Bounds().Size(), want.Bounds().Size())
	}
	g, w := toNRGBA(got), toNRGBA(want)
	first, n := "", 0
	for y := range g.Rect.Dy() {
		for x := range g.Rect.Dx() {
			a, b := g.NRGBAAt(x, y), w.NRGBAAt(x, y)
			if a == b {
				continue
			}
			if n == 0 {
				first = fmt.Sprintf("pixel (%d,%d) is %v, want %v", x, y, a, b)
			}
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d pixels differ; first: %s", n, first)
}
