package pipeline_test

import (
	"errors"
	"image"
	"math"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
)

func mustProfile(t *testing.T, name string) *model.Profile {
	t.Helper()
	p, err := model.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func jpegInfo(w, h, o int) codecs.Info {
	return codecs.Info{Format: codecs.JPEG, Width: w, Height: h, BitDepth: 8, Color: codecs.ColorYCbCr, Orientation: o, Frames: 1}
}

func TestNewPlanGeometry(t *testing.T) {
	rgba := codecs.Info{Format: codecs.PNG, Width: 1024, Height: 1024, BitDepth: 8, Color: codecs.ColorRGBA, HasAlpha: true, Orientation: 1}
	tests := []struct {
		name    string
		model   string
		info    codecs.Info
		bytes   int
		opts    pipeline.Options
		pass    bool
		crop    pipeline.Rect
		resize  pipeline.Size
		canvas  pipeline.Size
		content pipeline.Rect
		format  codecs.Format
		fill    string
	}{
		{name: "dalle2 landscape pad", model: "dall-e-2", info: jpegInfo(4032, 3024, 1), bytes: 4_000_000,
			crop: pipeline.Rect{0, 0, 4032, 3024}, resize: pipeline.Size{1024, 768}, canvas: pipeline.Size{1024, 1024},
			content: pipeline.Rect{0, 128, 1024, 768}, format: codecs.PNG, fill: "transparent"},
		{name: "dalle2 exif 6 pad", model: "dall-e-2", info: jpegInfo(4032, 3024, 6), bytes: 4_000_000,
			crop: pipeline.Rect{0, 0, 3024, 4032}, resize: pipeline.Size{768, 1024}, canvas: pipeline.Size{1024, 1024},
			content: pipeline.Rect{128, 0, 768, 1024}, format: codecs.PNG, fill: "transparent"},
		{name: "dalle2 crop", model: "dall-e-2", info: jpegInfo(4032, 3024, 1), bytes: 4_000_000, opts: pipeline.Options{Fit: pipeline.FitCrop},
			crop: pipeline.Rect{504, 0, 3024, 3024}, resize: pipeline.Size{1024, 1024}, canvas: pipeline.Size{1024, 1024},
			content: pipeline.Rect{0, 0, 1024, 1024}, format: codecs.PNG},
		{name: "dalle2 small upscales to 256", model: "dall-e-2", info: jpegInfo(200, 100, 1), bytes: 5000,
			crop: pipeline.Rect{0, 0, 200, 100}, resize: pipeline.Size{256, 128}, canvas: pipeline.Size{256, 256},
			content: pipeline.Rect{0, 64, 256, 128}, format: codecs.PNG, fill: "transparent"},
		{name: "dalle2 max side 512", model: "dall-e-2", info: jpegInfo(3000, 3000, 1), bytes: 5000, opts: pipeline.Options{MaxSide: 600},
			crop: pipeline.Rect{0, 0, 3000, 3000}, resize: pipeline.Size{512, 512}, canvas: pipeline.Size{512, 512},
			content: pipeline.Rect{0, 0, 512, 512}, format: codecs.PNG},
		{name: "dalle2 compliant rgba", model: "dall-e-2", info: rgba, bytes: 1_000_000, pass: true,
			crop: pipeline.Rect{0, 0, 1024, 1024}, resize: pipeline.Size{1024, 1024}, canvas: pipeline.Size{1024, 1024},
			content: pipeline.Rect{0, 0, 1024, 1024}, format: codecs.PNG},
		{name: "gpt-image-1 passthrough jpeg", model: "gpt-image-1", info: jpegInfo(4032, 3024, 1), bytes: 4_000_000, pass: true,
			crop: pipeline.Rect{0, 0, 4032, 3024}, resize: pipeline.Size{4032, 3024}, canvas: pipeline.Size{4032, 3024},
			content: pipeline.Rect{0, 0, 4032, 3024}, format: codecs.JPEG},
		{name: "gpt-image-1 max side", model: "gpt-image-1", info: jpegInfo(4032, 3024, 1), bytes: 4_000_000, opts: pipeline.Options{MaxSide: 1536},
			crop: pipeline.Rect{0, 0, 4032, 3024}, resize: pipeline.Size{1536, 1152}, canvas: pipeline.Size{1536, 1152},
			content: pipeline.Rect{0, 0, 1536, 1152}, format: codecs.JPEG},
		{name: "gpt-image-1 exact canvas pad", model: "gpt-image-1", info: jpegInfo(1000, 1000, 1), bytes: 4000, opts: pipeline.Options{Width: 1536, Height: 1024},
			crop: pipeline.Rect{0, 0, 1000, 1000}, resize: pipeline.Size{1024, 1024}, canvas: pipeline.Size{1536, 1024},
			content: pipeline.Rect{256, 0, 1024, 1024}, format: codecs.PNG, fill: "transparent"},
		{name: "gpt-image-1 exact canvas crop", model: "gpt-image-1", info: jpegInfo(1000, 1000, 1), bytes: 4000, opts: pipeline.Options{Width: 1536, Height: 1024, Fit: pipeline.FitCrop},
			crop: pipeline.Rect{0, 166, 1000, 667}, resize: pipeline.Size{1536, 1024}, canvas: pipeline.Size{1536, 1024},
			content: pipeline.Rect{0, 0, 1536, 1024}, format: codecs.JPEG},
		{name: "flux 24 MP to 20 MP", model: "flux-kontext-pro", info: jpegInfo(6000, 4000, 1), bytes: 9_000_000,
			crop: pipeline.Rect{0, 0, 6000, 4000}, resize: pipeline.Size{5477, 3651}, canvas: pipeline.Size{5477, 3651},
			content: pipeline.Rect{0, 0, 5477, 3651}, format: codecs.JPEG},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustProfile(t, tc.model)
			pl, err := pipeline.NewPlan(tc.info, tc.bytes, p, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if pl.Passthrough != tc.pass {
				t.Errorf("passthrough = %v, want %v (reasons %q)", pl.Passthrough, tc.pass, pl.Reasons)
			}
			if pl.Crop != tc.crop || pl.Resize != tc.resize || pl.Canvas != tc.canvas || pl.Content != tc.content {
				t.Errorf("geometry crop %v resize %v canvas %v content %v; want %v %v %v %v",
					pl.Crop, pl.Resize, pl.Canvas, pl.Content, tc.crop, tc.resize, tc.canvas, tc.content)
			}
			if pl.Format != tc.format || pl.Fill != tc.fill {
				t.Errorf("format %s fill %q; want %s %q", pl.Format, pl.Fill, tc.format, tc.fill)
			}
			if p.MaxPixels > 0 && int64(pl.Canvas.W)*int64(pl.Canvas.H) > p.MaxPixels {
				t.Errorf("canvas %v over %d pixels", pl.Canvas, p.MaxPixels)
			}
		})
	}
}

func TestNewPlanRejects(t *testing.T) {
	tests := []struct {
		name, model string
		info        codecs.Info
		opts        pipeline.Options
		want        string
		is          error
	}{
		{"fit none not square", "dall-e-2", jpegInfo(400, 300, 1), pipeline.Options{Fit: pipeline.FitNone}, "not square", pipeline.ErrAspect},
		{"pixel bomb", "gpt-image-1", codecs.Info{Format: codecs.PNG, Width: 65536, Height: 65536, BitDepth: 8, Color: codecs.ColorRGBA}, pipeline.Options{}, "over the 100 MP limit", codecs.ErrTooLarge},
		{"heic", "gpt-image-1", codecs.Info{Format: codecs.HEIC, Width: 10, Height: 10}, pipeline.Options{}, "not supported", codecs.ErrUnsupported},
		{"animated rejected", "gpt-image-1", codecs.Info{Format: codecs.GIF, Width: 10, Height: 10, Animated: true, Frames: 3}, pipeline.Options{RejectAnimated: true}, "3 frames", codecs.ErrAnimated},
		{"jpeg for dall-e-2", "dall-e-2", jpegInfo(10, 10, 1), pipeline.Options{UploadFormat: codecs.JPEG}, "does not accept jpeg", pipeline.ErrOptions},
		{"bad square size", "dall-e-2", jpegInfo(10, 10, 1), pipeline.Options{Width: 300, Height: 300}, "square size", pipeline.ErrOptions},
		{"unknown fit", "dall-e-2", jpegInfo(10, 10, 1), pipeline.Options{Fit: "wide"}, `unknown fit "wide"`, pipeline.ErrOptions},
		{"fit none wrong aspect", "gpt-image-1", jpegInfo(100, 100, 1), pipeline.Options{Width: 1536, Height: 1024, Fit: pipeline.FitNone}, "aspect", pipeline.ErrAspect},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := pipeline.NewPlan(tc.info, 1000, mustProfile(t, tc.model), tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want it to contain %q and match %v", err, tc.want, tc.is)
			}
			d, ok := err.(interface{ Detail() string })
			if !ok || !strings.HasSuffix(err.Error(), ": "+d.Detail()) || strings.Contains(d.Detail(), "pipeline: ") {
				t.Errorf("%q: no Detail without the prefix", err)
			}
		})
	}
	_, err := pipeline.NewPlan(jpegInfo(100, 100, 1), 1000, mustProfile(t, "gpt-image-1"), pipeline.Options{Width: 1536, Height: 1024, Fit: pipeline.FitNone})
	var ae *pipeline.AspectError
	if !errors.As(err, &ae) || ae.Upright != (pipeline.Size{W: 100, H: 100}) || ae.Canvas != (pipeline.Size{W: 1536, H: 1024}) {
		t.Errorf("AspectError fields: %#v", ae)
	}
}

func TestPlanReasons(t *testing.T) {
	info := codecs.Info{Format: codecs.JPEG, Width: 500, Height: 400, BitDepth: 8, Color: codecs.ColorCMYK, Orientation: 8}
	pl, err := pipeline.NewPlan(info, 1000, mustProfile(t, "dall-e-2"), pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(pl.Reasons, "|")
	for _, want := range []string{"jpeg input not accepted", "orientation 8", "cmyk", "not square", "no alpha"} {
		if !strings.Contains(got, want) {
			t.Errorf("reasons %q lack %q", got, want)
		}
	}
}

func TestPlanMapping(t *testing.T) {
	pl, err := pipeline.NewPlan(jpegInfo(4032, 3024, 6), 1000, mustProfile(t, "dall-e-2"), pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Upright 3024x4032 -> 768x1024 at x=128.
	x, y := pl.ToPrepared(0, 0)
	if x != 128 || y != 0 {
		t.Errorf("origin -> (%v,%v), want (128,0)", x, y)
	}
	x, y = pl.ToPrepared(3024, 4032)
	if x != 896 || y != 1024 {
		t.Errorf("far corner -> (%v,%v), want (896,1024)", x, y)
	}
	for _, pt := range [][2]float64{{0, 0}, {1500.5, 2000.25}, {3024, 4032}} {
		px, py := pl.ToPrepared(pt[0], pt[1])
		ox, oy := pl.ToOriginal(px, py)
		if math.Abs(ox-pt[0]) > 1e-9 || math.Abs(oy-pt[1]) > 1e-9 {
			t.Errorf("round trip %v -> %v,%v", pt, ox, oy)
		}
	}
	r := pl.RectToPrepared(image.Rect(0, 0, 1512, 2016))
	if want := image.Rect(128, 0, 512, 512); r != want {
		t.Errorf("RectToPrepared = %v, want %v", r, want)
	}
	if back := pl.RectToOriginal(r); back != image.Rect(0, 0, 1512, 2016) {
		t.Errorf("RectToOriginal = %v", back)
	}
	// Padding maps outside the original: clipped.
	if got := pl.RectToOriginal(image.Rect(0, 0, 1024, 1024)); got != image.Rect(0, 0, 3024, 4032) {
		t.Errorf("whole canvas -> %v, want the whole original", got)
	}
}

func TestPlanJSONRoundTrip(t *testing.T) {
	pl, err := pipeline.NewPlan(jpegInfo(4032, 3024, 6), 1234, mustProfile(t, "dall-e-2"), pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := pl.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"content"`, `"canvas"`, `"orientation": 6`, `"format": "png"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON lacks %s:\n%s", key, b)
		}
	}
	back, err := pipeline.ParsePlan(b)
	if err != nil {
		t.Fatal(err)
	}
	if back.Content != pl.Content || back.Crop != pl.Crop || back.Source != pl.Source || back.Format != pl.Format {
		t.Errorf("round trip changed the plan: %+v vs %+v", back, pl)
	}
}
