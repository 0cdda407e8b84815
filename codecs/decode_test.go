package codecs_test

import (
	"errors"
	"image"
	"image/color"
	"io"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/testimg"
)

func fixtureData(t *testing.T, name string) []byte {
	t.Helper()
	for _, f := range buildFixtures(t) {
		if f.name == name {
			return f.data
		}
	}
	t.Fatalf("no fixture %q", name)
	return nil
}

func nrgbaAt(img image.Image, x, y int) color.NRGBA {
	return color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
}

// TestDecodeFirstFrameOnCanvas checks that a first frame smaller than the
// canvas lands at its offset, with transparency around it.
func TestDecodeFirstFrameOnCanvas(t *testing.T) {
	t.Run("webp", func(t *testing.T) {
		img, _, err := codecs.Decode(fixtureData(t, "webp-anim-offset-frame.webp"), codecs.DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		src := testimg.Gradient(4, 3, true)
		for y := 0; y < 8; y++ {
			for x := 0; x < 10; x++ {
				want := color.NRGBA{}
				if x >= 2 && x < 6 && y >= 4 && y < 7 {
					want = src.NRGBAAt(x-2, y-4)
				}
				if got := nrgbaAt(img, x, y); got != want {
					t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, got, want)
				}
			}
		}
	})
	t.Run("gif", func(t *testing.T) {
		img, _, err := codecs.Decode(fixtureData(t, "gif-anim-small-first-frame.gif"), codecs.DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := nrgbaAt(img, 0, 0); got.A != 0 {
			t.Errorf("outside the frame: %v, want transparent", got)
		}
		if got := nrgbaAt(img, 3, 2); got != (color.NRGBA{255, 0, 0, 255}) {
			t.Errorf("inside the frame: %v, want red", got)
		}
	})
}

func TestDecodeOptions(t *testing.T) {
	anim := fixtureData(t, "webp-anim-offset-frame.webp")
	png := mustPNG(t, testimg.Gradient(100, 100, false))
	tests := []struct {
		name string
		data []byte
		opts codecs.DecodeOptions
		want error
	}{
		{"reject animated webp", anim, codecs.DecodeOptions{RejectAnimated: true}, codecs.ErrAnimated},
		{"reject animated gif", fixtureData(t, "gif-anim-small-first-frame.gif"), codecs.DecodeOptions{RejectAnimated: true}, codecs.ErrAnimated},
		{"reject animated png", fixtureData(t, "png-apng-2-frames.png"), codecs.DecodeOptions{RejectAnimated: true}, codecs.ErrAnimated},
		{"still image with RejectAnimated", png, codecs.DecodeOptions{RejectAnimated: true}, nil},
		{"custom limit exceeded", png, codecs.DecodeOptions{MaxPixels: 9999}, codecs.ErrTooLarge},
		{"custom limit exact", png, codecs.DecodeOptions{MaxPixels: 10000}, nil},
		{"no limit", png, codecs.DecodeOptions{MaxPixels: -1}, nil},
		{"scale denom 8", testimg.EncodeJPEG(t, testimg.Gradient(64, 32, false), 85), codecs.DecodeOptions{ScaleDenom: 8}, nil},
		{"empty", nil, codecs.DecodeOptions{}, codecs.ErrEmpty},
		{"unknown", []byte("hello, world"), codecs.DecodeOptions{}, codecs.ErrUnknownFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, _, err := codecs.Decode(tt.data, tt.opts)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if err == nil && img == nil {
				t.Fatal("nil image without error")
			}
			if err != nil && !strings.HasPrefix(err.Error(), "codecs: ") {
				t.Errorf("error %q lacks the codecs: prefix", err)
			}
		})
	}
}

// TestDecodeBombAllocs checks that a declared 65536x65536 PNG is refused
// from its header without allocating pixel memory.
func TestDecodeBombAllocs(t *testing.T) {
	b := fixtureData(t, "png-bomb-65536.png")
	allocs := testing.AllocsPerRun(20, func() {
		if _, _, err := codecs.Decode(b, codecs.DecodeOptions{}); !errors.Is(err, codecs.ErrTooLarge) {
			t.Fatalf("err = %v", err)
		}
	})
	if allocs > 20 {
		t.Errorf("%v allocations per refused bomb", allocs)
	}
}

func TestProbeUnsupportedReason(t *testing.T) {
	for _, f := range []codecs.Format{codecs.HEIC, codecs.AVIF} {
		_, err := codecs.Probe(fixtureData(t, string(f)+"."+string(f)))
		want := "codecs: " + string(f) + ": unsupported format: " + string(f) +
			" is recognised but no decoder is linked in (import github.com/imgprep/imgprep/codecs/" +
			string(f) + "); convert to JPEG or PNG first"
		if err == nil || err.Error() != want {
			t.Errorf("%s: err = %v, want %q", f, err, want)
		}
	}
}

// TestDecodeJPEGDecoder checks how Decode uses the JPEG (DCT-scaling)
// decoder and treats its results, with the decoder replaced by a fake.
func TestDecodeJPEGDecoder(t *testing.T) {
	jpg := testimg.EncodeJPEG(t, testimg.Gradient(33, 17, false), 85)
	var calls int
	scaled := func(w, h int) func(io.Reader, int) (image.Image, error) {
		return func(r io.Reader, denom int) (image.Image, error) {
			calls++
			return image.NewGray(image.Rect(0, 0, w, h)), nil
		}
	}
	tests := []struct {
		name      string
		data      []byte
		denom     int
		hook      func(io.Reader, int) (image.Image, error)
		wantSize  image.Point
		wantCalls int
		wantErr   error
	}{
		{"denom 2", jpg, 2, scaled(17, 9), image.Pt(17, 9), 1, nil},
		{"denom 8", jpg, 8, scaled(5, 3), image.Pt(5, 3), 1, nil},
		{"decoder may scale less", jpg, 8, scaled(17, 9), image.Pt(17, 9), 1, nil},
		{"denom 3 is not a DCT scale: full size", jpg, 3, scaled(33, 17), image.Pt(33, 17), 1, nil},
		{"denom 3 decoded smaller", jpg, 3, scaled(17, 9), image.Point{}, 1, codecs.ErrCorrupt},
		{"png ignores it", mustPNG(t, testimg.Gradient(33, 17, false)), 2, scaled(1, 1), image.Pt(33, 17), 0, nil},
		{"scaled too far", jpg, 2, scaled(5, 3), image.Point{}, 1, codecs.ErrCorrupt},
		{"hook returns nothing", jpg, 2, func(io.Reader, int) (image.Image, error) { calls++; return nil, nil }, image.Point{}, 1, codecs.ErrCorrupt},
		{"hook panics", jpg, 2, func(io.Reader, int) (image.Image, error) { calls++; panic("boom") }, image.Point{}, 1, codecs.ErrCorrupt},
		{"hook truncated", jpg, 2, func(io.Reader, int) (image.Image, error) { calls++; return nil, io.ErrUnexpectedEOF }, image.Point{}, 1, codecs.ErrTruncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls = 0
			opts := codecs.WithJPEGDecoder(codecs.DecodeOptions{ScaleDenom: tt.denom}, tt.hook)
			img, _, err := codecs.Decode(tt.data, opts)
			if calls != tt.wantCalls {
				t.Errorf("hook called %d times, want %d", calls, tt.wantCalls)
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := img.Bounds().Size(); got != tt.wantSize {
				t.Errorf("size %v, want %v", got, tt.wantSize)
			}
		})
	}
}
