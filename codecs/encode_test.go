package codecs_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/testimg"
)

func TestEncodeRoundTrip(t *testing.T) {
	src := testimg.Gradient(37, 23, true)
	opaque := testimg.Gradient(37, 23, false)
	tests := []struct {
		name  string
		img   image.Image
		opts  codecs.EncodeOptions
		exact bool
		lossy bool
	}{
		{"png default", src, codecs.EncodeOptions{Format: codecs.PNG}, true, false},
		{"png speed", src, codecs.EncodeOptions{Format: codecs.PNG, PNGLevel: 1}, true, false},
		{"png zlib default", src, codecs.EncodeOptions{Format: codecs.PNG, PNGLevel: 2}, true, false},
		{"png best", src, codecs.EncodeOptions{Format: codecs.PNG, PNGLevel: 3}, true, false},
		{"png subimage", src.SubImage(image.Rect(5, 3, 30, 20)), codecs.EncodeOptions{Format: codecs.PNG}, true, false},
		{"jpeg default quality", opaque, codecs.EncodeOptions{Format: codecs.JPEG}, false, false},
		{"jpeg q50", opaque, codecs.EncodeOptions{Format: codecs.JPEG, Quality: 50}, false, false},
		{"webp lossless", src, codecs.EncodeOptions{Format: codecs.WebP, Lossless: true}, true, false},
		{"webp lossless subimage", src.SubImage(image.Rect(5, 3, 30, 20)), codecs.EncodeOptions{Format: codecs.WebP, Lossless: true}, true, false},
		{"webp lossless scratch", src.SubImage(image.Rect(5, 3, 30, 20)), codecs.EncodeOptions{Format: codecs.WebP, Lossless: true, ScratchPixels: true}, true, false},
		{"webp lossy nrgba", src, codecs.EncodeOptions{Format: codecs.WebP}, false, true},
		{"webp lossy gray", image.NewGray(image.Rect(0, 0, 9, 7)), codecs.EncodeOptions{Format: codecs.WebP, Quality: 75}, false, true},
		{"webp lossy ycbcr", image.NewYCbCr(image.Rect(0, 0, 9, 7), image.YCbCrSubsampleRatio420), codecs.EncodeOptions{Format: codecs.WebP}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.lossy && !codecs.LossyWebPAvailable() {
				t.Skip("lossy WebP needs cgo")
			}
			before := fmt.Sprint(tt.img)
			b, err := codecs.EncodeBytes(tt.img, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(tt.img) != before {
				t.Fatal("the input's pixels changed")
			}
			if f := codecs.Sniff(b); f != tt.opts.Format {
				t.Fatalf("encoded %s, want %s", f, tt.opts.Format)
			}
			var w bytes.Buffer
			if err := codecs.Encode(&w, tt.img, tt.opts); err != nil || !bytes.Equal(w.Bytes(), b) {
				t.Fatalf("Encode differs from EncodeBytes (err %v)", err)
			}
			got, _, err := codecs.Decode(b, codecs.DecodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			sb := tt.img.Bounds()
			if got.Bounds() != image.Rect(0, 0, sb.Dx(), sb.Dy()) {
				t.Fatalf("bounds %v, want size %v", got.Bounds(), sb.Size())
			}
			if !tt.exact {
				return
			}
			for y := 0; y < sb.Dy(); y++ {
				for x := 0; x < sb.Dx(); x++ {
					want := nrgbaAt(tt.img, sb.Min.X+x, sb.Min.Y+y)
					if g := nrgbaAt(got, x, y); g != want {
						t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, g, want)
					}
				}
			}
		})
	}
}

// TestEncodeLossyWebPKeepsSemiTransparentColour guards against libwebp
// being handed premultiplied pixels, which darkens semi-transparent areas
// (200,120,60 at alpha 128 would come back near 100,60,30). The reference is
// the same colour encoded opaque, so YUV rounding cancels out.
func TestEncodeLossyWebPKeepsSemiTransparentColour(t *testing.T) {
	if !codecs.LossyWebPAvailable() {
		t.Skip("lossy WebP needs cgo")
	}
	roundTrip := func(t *testing.T, img image.Image) (color.NRGBA, codecs.Info) {
		t.Helper()
		b, err := codecs.EncodeBytes(img, codecs.EncodeOptions{Format: codecs.WebP, Quality: 95})
		if err != nil {
			t.Fatal(err)
		}
		got, info, err := codecs.Decode(b, codecs.DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return nrgbaAt(got, 16, 16), info
	}
	fill := func(dst draw.Image, c color.Color) image.Image {
		draw.Draw(dst, dst.Bounds(), image.NewUniform(c), image.Point{}, draw.Src)
		return dst
	}
	want := color.NRGBA{200, 120, 60, 128}
	ref, _ := roundTrip(t, fill(image.NewNRGBA(image.Rect(0, 0, 32, 32)), color.NRGBA{200, 120, 60, 255}))
	for name, img := range map[string]image.Image{
		"nrgba": fill(image.NewNRGBA(image.Rect(0, 0, 32, 32)), want),
		"rgba":  fill(image.NewRGBA(image.Rect(0, 0, 32, 32)), want), // premultiplied input
	} {
		t.Run(name, func(t *testing.T) {
			c, info := roundTrip(t, img)
			if !info.HasAlpha {
				t.Error("alpha lost")
			}
			const tol = 3
			if absDiff(c.R, ref.R) > tol || absDiff(c.G, ref.G) > tol || absDiff(c.B, ref.B) > tol || absDiff(c.A, want.A) > tol {
				t.Errorf("centre pixel %v, want %v (opaque round trip) with alpha %d, within %d", c, ref, want.A, tol)
			}
		})
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

func TestEncodeLossyWebPWithoutCgo(t *testing.T) {
	if codecs.LossyWebPAvailable() {
		t.Skip("this build has cgo")
	}
	_, err := codecs.EncodeBytes(testimg.Gradient(4, 4, false), codecs.EncodeOptions{Format: codecs.WebP})
	var fe *codecs.FormatError
	if !errors.As(err, &fe) || fe.Kind != codecs.ErrEncode ||
		fe.Reason != "lossy webp needs a cgo build (CGO_ENABLED=1); use lossless or another format" {
		t.Fatalf("err = %v", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestEncodeErrors(t *testing.T) {
	img := testimg.Gradient(8, 8, false)
	tests := []struct {
		name string
		img  image.Image
		opts codecs.EncodeOptions
		w    bool // write to a failing writer
	}{
		{"no format", img, codecs.EncodeOptions{}, false},
		{"gif", img, codecs.EncodeOptions{Format: codecs.GIF}, false},
		{"nil image", nil, codecs.EncodeOptions{Format: codecs.PNG}, false},
		{"empty image", image.NewNRGBA(image.Rect(0, 0, 0, 5)), codecs.EncodeOptions{Format: codecs.PNG}, false},
		{"quality 101", img, codecs.EncodeOptions{Format: codecs.JPEG, Quality: 101}, false},
		{"quality -1", img, codecs.EncodeOptions{Format: codecs.JPEG, Quality: -1}, false},
		{"png level 4", img, codecs.EncodeOptions{Format: codecs.PNG, PNGLevel: 4}, false},
		{"webp too wide", image.NewGray(image.Rect(0, 0, 16384, 1)), codecs.EncodeOptions{Format: codecs.WebP, Lossless: true}, false},
		{"png writer fails", img, codecs.EncodeOptions{Format: codecs.PNG}, true},
		{"jpeg writer fails", img, codecs.EncodeOptions{Format: codecs.JPEG}, true},
		{"webp writer fails", img, codecs.EncodeOptions{Format: codecs.WebP, Lossless: true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.w {
				err = codecs.Encode(failWriter{}, tt.img, tt.opts)
			} else {
				_, err = codecs.EncodeBytes(tt.img, tt.opts)
			}
			if !errors.Is(err, codecs.ErrEncode) {
				t.Fatalf("err = %v, want ErrEncode", err)
			}
		})
	}
}
