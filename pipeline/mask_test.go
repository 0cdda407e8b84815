package pipeline_test

import (
	"context"
	"errors"
	"image"
	"slices"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/internal/testimg"
	"github.com/imgprep/imgprep/mask"
	"github.com/imgprep/imgprep/pipeline"
)

// maskBounds returns the bounding boxes of the pixels with alpha < 255
// (touched by the edit area) and alpha == 0 (fully edited).
func maskBounds(m *image.Alpha) (soft, full image.Rectangle) {
	for y := range m.Rect.Dy() {
		for x := range m.Rect.Dx() {
			a := m.Pix[y*m.Stride+x]
			px := image.Rect(x, y, x+1, y+1)
			if a < 255 {
				soft = soft.Union(px)
			}
			if a == 0 {
				full = full.Union(px)
			}
		}
	}
	return soft, full
}

// within1 reports whether every edge of a is within 1 px of b's.
func within1(a, b image.Rectangle) bool {
	d := func(u, v int) bool { return u-v <= 1 && v-u <= 1 }
	return d(a.Min.X, b.Min.X) && d(a.Min.Y, b.Min.Y) && d(a.Max.X, b.Max.X) && d(a.Max.Y, b.Max.Y)
}

func TestApplyMaskFollowsPlan(t *testing.T) {
	tests := []struct {
		name  string
		model string
		o     int
		opts  pipeline.Options
		rect  image.Rectangle // upright coordinates
	}{
		{"dall-e-2 orientation 6 padded", "dall-e-2", 6, pipeline.Options{}, image.Rect(1000, 1500, 1800, 2100)},
		{"dall-e-2 orientation 8 padded", "dall-e-2", 8, pipeline.Options{}, image.Rect(37, 3001, 2999, 4000)},
		{"dall-e-2 orientation 6 cropped", "dall-e-2", 6, pipeline.Options{Fit: pipeline.FitCrop}, image.Rect(500, 100, 1700, 900)},
		{"gpt-image-1 1536x1024 crop, orientation 6", "gpt-image-1", 6,
			pipeline.Options{Width: 1536, Height: 1024, Fit: pipeline.FitCrop}, image.Rect(200, 900, 2500, 1600)},
		{"gpt-image-1 1536x1024 pad, orientation 8", "gpt-image-1", 8,
			pipeline.Options{Width: 1536, Height: 1024}, image.Rect(11, 13, 1234, 2345)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustProfile(t, tc.model)
			pl, err := pipeline.NewPlan(jpegInfo(4032, 3024, tc.o), 4_000_000, p, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if pl.Upright != (pipeline.Size{W: 3024, H: 4032}) {
				t.Fatalf("upright %v", pl.Upright)
			}
			r := pipeline.RectOf(tc.rect)
			m := mask.FromShapes(pl.Upright.W, pl.Upright.H,
				[]mask.Shape{mask.Rect{X: float64(r.X), Y: float64(r.Y), W: float64(r.W), H: float64(r.H)}}, mask.Options{})
			pm, err := pl.ApplyMask(m, pipeline.MaskOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if pm.Rect != image.Rect(0, 0, pl.Canvas.W, pl.Canvas.H) {
				t.Fatalf("mask %v, canvas %v", pm.Rect, pl.Canvas)
			}
			want := pl.RectToPrepared(tc.rect)
			soft, full := maskBounds(pm)
			if soft != want {
				t.Errorf("touched pixels %v, RectToPrepared %v", soft, want)
			}
			if !within1(full, want) {
				t.Errorf("fully edited pixels %v, want within 1 px of %v", full, want)
			}
			// Outside the mapped rectangle everything is kept, padding included.
			for y := range pl.Canvas.H {
				for x := range pl.Canvas.W {
					if !image.Pt(x, y).In(want) && pm.Pix[y*pm.Stride+x] != 255 {
						t.Fatalf("(%d,%d) = %d outside %v", x, y, pm.Pix[y*pm.Stride+x], want)
					}
				}
			}
			// And back: MaskToOriginal touches only what RectToOriginal
			// maps the prepared edit to, and fully edits the original
			// rectangle (within the crop) up to one prepared pixel.
			back := pl.MaskToOriginal(pm)
			if back.Rect != image.Rect(0, 0, pl.Upright.W, pl.Upright.H) {
				t.Fatalf("mapped back to %v, upright %v", back.Rect, pl.Upright)
			}
			bsoft, bfull := maskBounds(back)
			if orig := pl.RectToOriginal(soft); !bsoft.In(orig) {
				t.Errorf("mapped back: touched pixels %v, outside RectToOriginal %v", bsoft, orig)
			}
			k := (pl.Crop.W + pl.Resize.W - 1) / pl.Resize.W
			if in := tc.rect.Intersect(pl.Crop.Image()); !in.Inset(k).In(bfull) || !bfull.In(in) {
				t.Errorf("mapped back: fully edited %v, want %v within %d px", bfull, in, k)
			}
		})
	}
}

func TestApplyMaskPadding(t *testing.T) {
	p := mustProfile(t, "dall-e-2")
	pl, err := pipeline.NewPlan(jpegInfo(4032, 3024, 6), 4_000_000, p, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	keep := mask.New(pl.Upright.W, pl.Upright.H)
	content := pl.Content.Image()
	for _, tc := range []struct {
		editable bool
		pad      uint8
	}{{false, 255}, {true, 0}} {
		pm, err := pl.ApplyMask(keep, pipeline.MaskOptions{EditablePadding: tc.editable})
		if err != nil {
			t.Fatal(err)
		}
		for y := range pl.Canvas.H {
			for x := range pl.Canvas.W {
				want := tc.pad
				if image.Pt(x, y).In(content) {
					want = 255
				}
				if got := pm.Pix[y*pm.Stride+x]; got != want {
					t.Fatalf("editable padding %v: (%d,%d) = %d, want %d", tc.editable, x, y, got, want)
				}
			}
		}
	}
	if _, err := pl.ApplyMask(mask.New(4032, 3024), pipeline.MaskOptions{}); !errors.Is(err, mask.ErrSize) ||
		!strings.Contains(err.Error(), "4032x3024") || !strings.Contains(err.Error(), "3024x4032") {
		t.Errorf("stored-orientation mask: %v", err)
	}
}

func TestPrepareMask(t *testing.T) {
	p := mustProfile(t, "dall-e-2")
	pl, err := pipeline.NewPlan(jpegInfo(4032, 3024, 6), 4_000_000, p, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	half := mask.FromShapes(1512, 2016, []mask.Shape{mask.Rect{X: 500, Y: 750, W: 400, H: 300}}, mask.Options{})
	pm, err := pipeline.PrepareMask(pl, p, half, pipeline.MaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if pm.Report.Width != 1024 || pm.Report.Height != 1024 || pm.Report.Bytes != len(pm.Data) || pm.Data[25] != 6 {
		t.Errorf("report %+v, colour type %d", pm.Report, pm.Data[25])
	}
	soft, _ := maskBounds(pm.Image)
	if want := pl.RectToPrepared(image.Rect(1000, 1500, 1800, 2100)); !within1(soft, want) {
		t.Errorf("half-size mask scaled: touched %v, want %v", soft, want)
	}
	// Aspect within 1% is scaled.
	if _, err := pipeline.PrepareMask(pl, p, mask.New(1500, 2016), pipeline.MaskOptions{}); err != nil {
		t.Errorf("aspect 0.8%% off: %v", err)
	}
	// Otherwise rejected, with both sizes.
	_, err = pipeline.PrepareMask(pl, p, mask.New(1000, 1000), pipeline.MaskOptions{})
	if !errors.Is(err, mask.ErrSize) || !strings.Contains(err.Error(), "1000x1000") || !strings.Contains(err.Error(), "3024x4032") {
		t.Errorf("square mask for a portrait: %v", err)
	}
	// flux takes no mask.
	_, err = pipeline.PrepareMask(pl, mustProfile(t, "flux-kontext-pro"), half, pipeline.MaskOptions{})
	if !errors.Is(err, pipeline.ErrMaskUnsupported) || !strings.Contains(err.Error(), "flux-kontext-pro: model takes no mask; drop the mask") {
		t.Errorf("flux: %v", err)
	}
	var mu *pipeline.MaskUnsupportedError
	if !errors.As(err, &mu) || mu.Model != "flux-kontext-pro" || !slices.Contains(mu.Takers, "dall-e-2") {
		t.Errorf("MaskUnsupportedError fields: %#v", mu)
	}
	// A prepared mask over the model's byte limit.
	tiny := *p
	tiny.MaskMaxBytes = 100
	_, err = pipeline.PrepareMask(pl, &tiny, half, pipeline.MaskOptions{})
	var pe *pipeline.PreparedMaskError
	if !errors.Is(err, mask.ErrTooLarge) || !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), "pipeline: prepared mask: mask is ") {
		t.Errorf("over the mask byte limit: %v", err)
	}
}

// TestMaskMatchesPreparedPixels prepares a real EXIF-rotated JPEG and
// checks that the mask of its red block covers the red pixels of the
// prepared image.
func TestMaskMatchesPreparedPixels(t *testing.T) {
	for _, o := range []int{6, 8} {
		up := testimg.MarkerImage(600, 800) // red block: x < 150, y < 200
		data := testimg.OrientedJPEG(t, up, o)
		p := mustProfile(t, "dall-e-2")
		res, err := pipeline.PrepareOne(context.Background(), pipeline.Input{Name: "in.jpg", Data: data}, p, pipeline.Options{MaxSide: 512})
		if err != nil {
			t.Fatal(err)
		}
		m := mask.FromShapes(600, 800, []mask.Shape{mask.Rect{W: 150, H: 200}}, mask.Options{})
		pm, err := pipeline.PrepareMask(res.Plan, p, m, pipeline.MaskOptions{})
		if err != nil {
			t.Fatal(err)
		}
		img := testimg.DecodePNG(t, res.Data)
		if img.Rect != pm.Image.Rect {
			t.Fatalf("orientation %d: image %v, mask %v", o, img.Rect, pm.Image.Rect)
		}
		for y := range img.Rect.Dy() {
			for x := range img.Rect.Dx() {
				c := img.NRGBAAt(x, y)
				red := c.A == 255 && c.R > 200 && c.G < 60 && c.B < 60
				a := pm.Image.Pix[y*pm.Image.Stride+x]
				if a == 0 && !red || red && a == 255 {
					t.Fatalf("orientation %d: (%d,%d) colour %v mask alpha %d", o, x, y, c, a)
				}
			}
		}
	}
}

func TestImplicitMaskWarnings(t *testing.T) {
	p := mustProfile(t, "dall-e-2")
	ctx := context.Background()
	// A square opaque RGB photo: no padding, no transparency.
	res, err := pipeline.PrepareOne(ctx, pipeline.Input{Name: "sq.jpg", Data: testimg.OrientedJPEG(t, testimg.MarkerImage(256, 256), 1)}, p, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if w := pipeline.ImplicitMaskWarnings(res, p); len(w) != 1 || !strings.Contains(w[0], "nothing will be edited") {
		t.Errorf("opaque square: %q", w)
	}
	// A landscape photo: only the padding is transparent.
	res, err = pipeline.PrepareOne(ctx, pipeline.Input{Name: "wide.jpg", Data: testimg.OrientedJPEG(t, testimg.MarkerImage(256, 128), 1)}, p, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if w := pipeline.ImplicitMaskWarnings(res, p); len(w) != 1 || !strings.Contains(w[0], "padding") {
		t.Errorf("padded: %q", w)
	}
	if w := pipeline.ImplicitMaskWarnings(res, mustProfile(t, "gpt-image-1")); w != nil {
		t.Errorf("gpt-image-1: %q", w)
	}
}
