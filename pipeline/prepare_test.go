package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/imgprep/imgprep/internal/testimg"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/pipeline"
)

var (
	red   = color.NRGBA{255, 0, 0, 255}
	blue  = color.NRGBA{0, 0, 255, 255}
	clear = color.NRGBA{}
)

// TestPrepareOrientsAndPads checks, for every EXIF orientation, that the
// red marker lands top-left and the blue one bottom-right of the content,
// with transparent padding around it, on dall-e-2's square RGBA canvas.
func TestPrepareOrientsAndPads(t *testing.T) {
	up := testimg.MarkerImage(400, 240)
	p := mustProfile(t, "dall-e-2")
	for o := 1; o <= 8; o++ {
		t.Run(fmt.Sprintf("orientation=%d", o), func(t *testing.T) {
			res, err := pipeline.PrepareOne(context.Background(), pipeline.Input{Name: "m.jpg", Data: testimg.OrientedJPEG(t, up, o)}, p, pipeline.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != codecs.PNG || res.Width != 512 || res.Height != 512 || res.Passthrough {
				t.Fatalf("got %s %dx%d passthrough=%v", res.Format, res.Width, res.Height, res.Passthrough)
			}
			// 400x240 -> 512x307 centred: content y in [102, 409).
			if c := res.Plan.Content; c != (pipeline.Rect{0, 102, 512, 307}) {
				t.Fatalf("content = %v", c)
			}
			img := testimg.DecodePNG(t, res.Data)
			checks := []struct {
				x, y int
				want color.NRGBA
			}{
				{10, 10, clear}, {500, 90, clear}, {256, 500, clear}, // padding
				{20, 120, red}, {100, 150, red}, // top-left marker: x < 128, y in [102, 178)
				{490, 390, blue}, {400, 340, blue}, // bottom-right marker
				{256, 256, color.NRGBA{128, 128, 128, 255}},
			}
			for _, c := range checks {
				if got := img.NRGBAAt(c.x, c.y); !testimg.Near(got, c.want, 40) {
					t.Errorf("pixel (%d,%d) = %v, want %v", c.x, c.y, got, c.want)
				}
			}
			// The model gets a PNG with an alpha channel (colour type 6).
			if ct := res.Data[25]; ct != 6 {
				t.Errorf("PNG colour type %d, want 6 (RGBA)", ct)
			}
		})
	}
}

// TestPrepareOrientsJPEG: a JPEG photo resized to a JPEG (its planes
// resampled straight to 4:2:0, then oriented) comes out upright at the
// planned size, odd sides included, markers and colours in place, for
// every EXIF orientation.
func TestPrepareOrientsJPEG(t *testing.T) {
	up := testimg.MarkerImage(600, 360)
	grey := color.NRGBA{128, 128, 128, 255}
	p := mustProfile(t, "gpt-image-1")
	for o := 1; o <= 8; o++ {
		res, err := pipeline.PrepareOne(context.Background(), pipeline.Input{Name: "m.jpg", Data: testimg.OrientedJPEG(t, up, o)},
			p, pipeline.Options{Reencode: true, MaxSide: 301})
		if err != nil {
			t.Fatal(err)
		}
		if res.Format != codecs.JPEG || res.Width != 301 || res.Height != 181 {
			t.Fatalf("o%d: %s %dx%d, want a 301x181 JPEG", o, res.Format, res.Width, res.Height)
		}
		img, err := jpeg.Decode(bytes.NewReader(res.Data))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != 301 || b.Dy() != 181 {
			t.Fatalf("o%d: decodes to %v", o, b)
		}
		for _, c := range []struct {
			x, y int
			want color.NRGBA
		}{{10, 10, red}, {60, 35, red}, {290, 170, blue}, {240, 145, blue}, {150, 90, grey}, {290, 10, grey}} {
			r, g, b, _ := img.At(c.x, c.y).RGBA()
			got := color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}
			if !testimg.Near(got, c.want, 40) {
				t.Errorf("o%d: pixel (%d,%d) = %v, want %v", o, c.x, c.y, got, c.want)
			}
		}
	}
}

func TestPreparePassthroughKeepsBytes(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 256, 256))
	src.Pix[3] = 0 // not opaque: stays RGBA
	for i := 7; i < len(src.Pix); i += 4 {
		src.Pix[i] = 200
	}
	data := testimg.EncodePNG(t, src)
	res, err := pipeline.PrepareOne(context.Background(), pipeline.Input{Name: "ok.png", Data: data}, mustProfile(t, "dall-e-2"), pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passthrough || !bytes.Equal(res.Data, data) {
		t.Fatalf("compliant input not passed through (reasons %q)", res.Plan.Reasons)
	}
	res, err = pipeline.PrepareOne(context.Background(), pipeline.Input{Name: "ok.png", Data: data}, mustProfile(t, "dall-e-2"), pipeline.Options{Reencode: true})
	if err != nil || res.Passthrough {
		t.Fatalf("Force should re-encode: %v %v", res, err)
	}
}

func TestPrepareNoiseFitsFourMB(t *testing.T) {
	data := testimg.EncodePNG(t, testimg.NoiseRGBA(1024, 1024))
	if len(data) <= 4_000_000 {
		t.Fatalf("fixture only %d bytes; want > 4 MB", len(data))
	}
	res, err := pipeline.PrepareOne(context.Background(), pipeline.Input{Name: "noise.png", Data: data}, mustProfile(t, "dall-e-2"), pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Data) >= 4_000_000 || res.Width != 512 || res.Height != 512 {
		t.Fatalf("got %dx%d, %d bytes", res.Width, res.Height, len(res.Data))
	}
	if len(res.Warnings) == 0 {
		t.Error("a step-down must be reported as a warning")
	}
	if cfg, err := png.DecodeConfig(bytes.NewReader(res.Data)); err != nil || cfg.Width != 512 {
		t.Fatalf("output unreadable: %v", err)
	}
}

func TestPrepareLossyLowersQualityForBudget(t *testing.T) {
	data := testimg.OrientedJPEG(t, testimg.NoiseRGBA(600, 400), 1)
	o := pipeline.Options{MaxBytes: 60_000, Reencode: true}
	res, err := pipeline.PrepareOne(context.Background(), pipeline.Input{Name: "n.jpg", Data: data}, mustProfile(t, "gpt-image-1"), o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != codecs.JPEG || len(res.Data) > 60_000 {
		t.Fatalf("got %s, %d bytes (budget 60000)", res.Format, len(res.Data))
	}
	if res.Plan.Quality >= pipeline.DefaultQuality {
		t.Errorf("quality %d not lowered", res.Plan.Quality)
	}
}

func TestPrepareRejectsBadInput(t *testing.T) {
	good := testimg.OrientedJPEG(t, testimg.MarkerImage(64, 64), 1)
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, codecs.ErrEmpty},
		{"text", []byte("hello, this is not an image at all"), codecs.ErrUnknownFormat},
		{"truncated jpeg", good[:len(good)/2], codecs.ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := pipeline.PrepareOne(context.Background(), pipeline.Input{Name: "bad.bin", Data: tc.data}, mustProfile(t, "gpt-image-1"), pipeline.Options{Reencode: true})
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var ie *pipeline.InputError
			if !errors.As(err, &ie) || ie.Name != "bad.bin" {
				t.Fatalf("error %v does not name the input", err)
			}
			var fe *codecs.FormatError
			if !errors.As(err, &fe) || err.Error() != "pipeline: bad.bin: "+fe.Detail() {
				t.Errorf("message %q: want the name, then the codecs error without its prefix", err)
			}
		})
	}
}

func TestPrepareBatch(t *testing.T) {
	p := mustProfile(t, "gpt-image-1")
	good := testimg.OrientedJPEG(t, testimg.MarkerImage(64, 48), 6)
	inputs := []pipeline.Input{{"a.jpg", good}, {"broken.jpg", good[:100]}, {"c.jpg", good}}
	res, err := pipeline.Prepare(context.Background(), inputs, p, pipeline.Options{})
	var be *pipeline.BatchError
	if !errors.As(err, &be) || len(be.Errs) != 1 || be.Errs[0].Index != 1 || be.Errs[0].Name != "broken.jpg" {
		t.Fatalf("err = %v", err)
	}
	if res[0] == nil || res[1] != nil || res[2] == nil || res[0].Width != 64 || res[0].Height != 48 {
		t.Fatalf("results %v", res)
	}
	many := make([]pipeline.Input, 17)
	_, err = pipeline.Prepare(context.Background(), many, p, pipeline.Options{})
	var ce *pipeline.CountError
	if !errors.Is(err, pipeline.ErrTooManyImages) || !errors.As(err, &ce) || ce.Count != 17 || ce.Max != p.MaxImages {
		t.Fatalf("17 images: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := pipeline.Prepare(ctx, inputs[:1], p, pipeline.Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

func TestPrepareOverBudget(t *testing.T) {
	in := pipeline.Input{Name: "noise.jpg", Data: testimg.OrientedJPEG(t, testimg.MarkerImage(64, 64), 1)}
	_, err := pipeline.PrepareOne(context.Background(), in, mustProfile(t, "gpt-image-1"), pipeline.Options{MaxBytes: 100, Reencode: true})
	var be *pipeline.BudgetError
	if !errors.Is(err, pipeline.ErrOverBudget) || !errors.As(err, &be) || be.Budget != 100 || be.Smallest.W >= 64 {
		t.Fatalf("err %v (%#v), want a BudgetError at a smaller size", err, be)
	}
	if want := fmt.Sprintf("pipeline: noise.jpg: jpeg output does not fit 100 bytes even at %dx%d: cannot fit the byte budget",
		be.Smallest.W, be.Smallest.H); err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}
