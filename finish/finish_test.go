package finish_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/finish"
	"github.com/imgprep/imgprep/internal/raster"
	"github.com/imgprep/imgprep/internal/testimg"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
)

var magenta = color.NRGBA{255, 0, 255, 255}

// gradient is photo-like content: smooth ramps, no flat areas.
func gradient(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x + y) % 256), 255})
		}
	}
	return img
}

// fixture prepares an EXIF-rotated (orientation 6) 600x400 photo for
// dall-e-2 with a mask whose edit area is editRect in the original, and
// returns what the edit call would have been given.
type fixture struct {
	original []byte
	upright  *image.NRGBA
	plan     *pipeline.Plan
	prepared *image.NRGBA
	mask     []byte
	maskRect image.Rectangle // in prepared coordinates
}

func newFixture(t *testing.T, editRect image.Rectangle) *fixture {
	t.Helper()
	orig := testimg.OrientedJPEG(t, gradient(600, 400), 6)
	p, _ := model.Lookup("dall-e-2")
	res, err := pipeline.PrepareOne(context.Background(), pipeline.Input{Name: "photo.jpg", Data: orig}, p, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	img, info, err := codecs.Decode(orig, codecs.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{original: orig, upright: raster.Orient(raster.ToNRGBA(img), info.Orientation), plan: res.Plan,
		prepared: testimg.DecodePNG(t, res.Data), maskRect: res.Plan.RectToPrepared(editRect)}
	m := image.NewNRGBA(image.Rect(0, 0, res.Width, res.Height))
	for y := range res.Height {
		for x := range res.Width {
			a := uint8(255)
			if image.Pt(x, y).In(f.maskRect) {
				a = 0
			}
			m.SetNRGBA(x, y, color.NRGBA{0, 0, 0, a})
		}
	}
	f.mask, err = codecs.EncodeBytes(m, codecs.EncodeOptions{Format: codecs.PNG, KeepAlpha: true})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// edit does what the fake server does: the masked area turns magenta.
func (f *fixture) edit(t *testing.T) []byte {
	out := raster.Place(f.prepared, f.prepared.Rect.Dx(), f.prepared.Rect.Dy(), image.Point{}, color.NRGBA{})
	for y := f.maskRect.Min.Y; y < f.maskRect.Max.Y; y++ {
		for x := f.maskRect.Min.X; x < f.maskRect.Max.X; x++ {
			out.SetNRGBA(x, y, magenta)
		}
	}
	return testimg.EncodePNG(t, out)
}

func TestRestoreCompositeRoundTrip(t *testing.T) {
	editRect := image.Rect(100, 120, 300, 260) // in the upright 600x400 original
	f := newFixture(t, editRect)
	res, err := finish.Finish(context.Background(), f.edit(t), f.plan, finish.Options{
		Restore: true, Composite: true, Original: f.original, Mask: f.mask, SaveFormat: codecs.PNG})
	if err != nil {
		t.Fatal(err)
	}
	if res.Width != 600 || res.Height != 400 || res.Format != codecs.PNG {
		t.Fatalf("got %s %dx%d, want png 600x400", res.Format, res.Width, res.Height)
	}
	got := testimg.DecodePNG(t, res.Data)
	// The area the model was told to edit, in original pixels; the blend
	// may reach one prepared pixel (bilinear) plus the feather beyond it.
	edited := f.plan.RectToOriginal(f.maskRect)
	reach := 2 * ((f.plan.Crop.W + f.plan.Resize.W - 1) / f.plan.Resize.W)
	grown := edited.Inset(-reach)
	inner := edited.Inset(2 * reach) // away from the resampled edge
	var outside, inside int
	for y := range 400 {
		for x := range 600 {
			g, o := got.NRGBAAt(x, y), f.upright.NRGBAAt(x, y)
			switch p := image.Pt(x, y); {
			case !p.In(grown):
				outside++
				if g != o {
					t.Fatalf("pixel (%d,%d) outside the mask changed: %v, original %v", x, y, g, o)
				}
			case p.In(inner):
				inside++
				if !testimg.Near(g, magenta, 6) {
					t.Fatalf("pixel (%d,%d) inside the mask = %v, want the edit %v", x, y, g, magenta)
				}
			}
		}
	}
	if outside < 150_000 || inside < 20_000 {
		t.Fatalf("checked %d outside and %d inside pixels; the fixture is wrong", outside, inside)
	}
}

func TestCompositeFeatherGrowsOutward(t *testing.T) {
	const feather = 6
	f := newFixture(t, image.Rect(100, 120, 300, 260))
	res, err := finish.Finish(context.Background(), f.edit(t), f.plan, finish.Options{
		Composite: true, Original: f.original, Mask: f.mask, Feather: feather, SaveFormat: codecs.PNG})
	if err != nil {
		t.Fatal(err)
	}
	got := testimg.DecodePNG(t, res.Data)
	edited := f.plan.RectToOriginal(f.maskRect)
	grown := edited.Inset(-(feather + 1)) // one more for the resampled edge
	for y := range 400 {
		for x := range 600 {
			if g, o := got.NRGBAAt(x, y), f.upright.NRGBAAt(x, y); !image.Pt(x, y).In(grown) && g != o {
				t.Fatalf("pixel (%d,%d) beyond the feather changed: %v, original %v", x, y, g, o)
			}
		}
	}
	// Full strength up to the mask's edge, a ramp outside it.
	mid := (edited.Min.Y + edited.Max.Y) / 2
	if g := got.NRGBAAt(edited.Max.X-2, mid); !testimg.Near(g, magenta, 6) {
		t.Errorf("inside the edge: %v, want the edit %v", g, magenta)
	}
	if g, o := got.NRGBAAt(edited.Max.X+2, mid), f.upright.NRGBAAt(edited.Max.X+2, mid); g == o || testimg.Near(g, magenta, 6) {
		t.Errorf("2 px outside the edge: %v, want a blend of the original %v and the edit", g, o)
	}
}

func TestRestoreOnlyRemovesPadding(t *testing.T) {
	f := newFixture(t, image.Rect(0, 0, 10, 10))
	res, err := finish.Finish(context.Background(), testimg.EncodePNG(t, f.prepared), f.plan, finish.Options{Restore: true, SaveFormat: codecs.PNG})
	if err != nil {
		t.Fatal(err)
	}
	got := testimg.DecodePNG(t, res.Data)
	if res.Width != 600 || res.Height != 400 || !raster.Opaque(got) {
		t.Fatalf("%dx%d opaque=%v: the transparent padding must be gone", res.Width, res.Height, raster.Opaque(got))
	}
	// Down to 1024 and back up: close to the original, not equal.
	if d := meanAbsDiff(got, f.upright); d > 3 {
		t.Errorf("restored image differs from the original by %.2f per channel", d)
	}
}

func TestServerAspectDiffersWarns(t *testing.T) {
	f := newFixture(t, image.Rect(0, 0, 10, 10))
	wide := raster.Resize(f.prepared, 1536, 1024)
	res, err := finish.Finish(context.Background(), testimg.EncodePNG(t, wide), f.plan, finish.Options{Restore: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Width != 600 || res.Height != 400 || len(res.Warnings) == 0 {
		t.Fatalf("%dx%d warnings %q", res.Width, res.Height, res.Warnings)
	}
}

func TestFormatsAndCompression(t *testing.T) {
	f := newFixture(t, image.Rect(0, 0, 10, 10))
	prepared := testimg.EncodePNG(t, f.prepared) // has transparent padding
	size := func(format codecs.Format, c *int) (*finish.Result, int) {
		t.Helper()
		res, err := finish.Finish(context.Background(), prepared, f.plan, finish.Options{SaveFormat: format, SaveCompression: c})
		if err != nil {
			t.Fatal(err)
		}
		if got := codecs.Sniff(res.Data); got != format {
			t.Fatalf("asked for %s, got %s", format, got)
		}
		return res, len(res.Data)
	}
	lo, hi := 20, 95
	_, small := size(codecs.JPEG, &lo)
	jres, big := size(codecs.JPEG, &hi)
	if small >= big {
		t.Errorf("output_compression 20 gave %d bytes, 95 gave %d: lower must be smaller", small, big)
	}
	j, _, _ := codecs.Decode(jres.Data, codecs.DecodeOptions{})
	if c := color.NRGBAModel.Convert(j.At(5, 5)).(color.NRGBA); !testimg.Near(c, color.NRGBA{255, 255, 255, 255}, 3) {
		t.Errorf("JPEG padding = %v, want flattened to white", c)
	}
	for _, format := range []codecs.Format{codecs.PNG, codecs.WebP} {
		res, _ := size(format, nil)
		img, _, err := codecs.Decode(res.Data, codecs.DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, _, a := img.At(5, 5).RGBA(); a != 0 {
			t.Errorf("%s lost the transparency: alpha %d", format, a)
		}
	}
	if codecs.LossyWebPAvailable() {
		_, ws := size(codecs.WebP, &lo)
		_, wb := size(codecs.WebP, &hi)
		if ws >= wb {
			t.Errorf("webp compression 20: %d bytes, 95: %d", ws, wb)
		}
	}
}

func TestNothingAskedPassesBytes(t *testing.T) {
	f := newFixture(t, image.Rect(0, 0, 10, 10))
	out := f.edit(t)
	res, err := finish.Finish(context.Background(), out, f.plan, finish.Options{SaveFormat: codecs.PNG})
	if err != nil || !bytes.Equal(res.Data, out) {
		t.Fatalf("a PNG asked as PNG must come back untouched: %v", err)
	}
}

func TestFinishErrors(t *testing.T) {
	f := newFixture(t, image.Rect(0, 0, 10, 10))
	out := f.edit(t)
	ctx := context.Background()
	if _, err := finish.Finish(ctx, out, f.plan, finish.Options{Composite: true, Mask: f.mask}); !errors.Is(err, finish.ErrNeedOriginal) {
		t.Errorf("no original: %v", err)
	}
	if _, err := finish.Finish(ctx, out, f.plan, finish.Options{Composite: true, Original: f.original}); !errors.Is(err, finish.ErrNeedMask) {
		t.Errorf("no mask: %v", err)
	}
	other := testimg.OrientedJPEG(t, gradient(300, 200), 1)
	if _, err := finish.Finish(ctx, out, f.plan, finish.Options{Composite: true, Original: other, Mask: f.mask}); !errors.Is(err, finish.ErrPlanMismatch) {
		t.Errorf("wrong original: %v", err)
	}
	if _, err := finish.Finish(ctx, []byte("junk"), f.plan, finish.Options{Restore: true}); !errors.Is(err, codecs.ErrUnknownFormat) {
		t.Errorf("junk output: %v", err)
	}
}

func TestFinishTypedErrors(t *testing.T) {
	f := newFixture(t, image.Rect(0, 0, 10, 10))
	out := f.edit(t)
	ctx := context.Background()
	detail := func(err error) string {
		t.Helper()
		d, ok := err.(interface{ Detail() string })
		if !ok || err.Error() != "finish: "+d.Detail() {
			t.Fatalf("%q: no Detail without the \"finish: \" prefix", err)
		}
		return d.Detail()
	}
	_, err := finish.Finish(ctx, out, f.plan, finish.Options{Composite: true, Mask: f.mask})
	if d := detail(err); strings.Contains(d, "--") {
		t.Errorf("%q names a CLI flag", d)
	}
	_, err = finish.Finish(ctx, out, f.plan, finish.Options{Composite: true, Original: f.original})
	if d := detail(err); strings.Contains(d, "--") {
		t.Errorf("%q names a CLI flag", d)
	}
	if _, err := finish.Finish(ctx, out, nil, finish.Options{}); !errors.Is(err, finish.ErrNoPlan) {
		t.Errorf("no plan: %v", err)
	}

	other := testimg.OrientedJPEG(t, gradient(300, 200), 1)
	_, err = finish.Finish(ctx, out, f.plan, finish.Options{Composite: true, Original: other, Mask: f.mask})
	var me *finish.MismatchError
	if !errors.As(err, &me) || me.Part != finish.PartOriginal || me.Got != (pipeline.Size{W: 300, H: 200}) || me.Want != f.plan.Upright {
		t.Errorf("wrong original: %v", err)
	}
	small := testimg.EncodePNG(t, image.NewNRGBA(image.Rect(0, 0, 64, 64)))
	_, err = finish.Finish(ctx, out, f.plan, finish.Options{Composite: true, Original: f.original, Mask: small})
	if !errors.As(err, &me) || me.Part != finish.PartMask || me.Got != (pipeline.Size{W: 64, H: 64}) || me.Want != f.plan.Canvas ||
		detail(err) != "input does not match the plan: the mask is 64x64, the prepared image was 1024x1024; give the mask the model got" {
		t.Errorf("wrong mask: %v", err)
	}

	_, err = finish.Finish(ctx, out, f.plan, finish.Options{Composite: true, Original: []byte("junk"), Mask: f.mask})
	var de *finish.DecodeError
	if !errors.As(err, &de) || de.Part != finish.PartOriginal || !errors.Is(err, codecs.ErrUnknownFormat) ||
		detail(err) != "original: unknown image format: no known signature" {
		t.Errorf("junk original: %v", err)
	}
}

func TestKeepMetadataResetsOrientation(t *testing.T) {
	f := newFixture(t, image.Rect(0, 0, 10, 10))
	res, err := finish.Finish(context.Background(), f.edit(t), f.plan, finish.Options{Restore: true, SaveFormat: codecs.JPEG, Original: f.original, KeepMetadata: true})
	if err != nil {
		t.Fatal(err)
	}
	info, err := codecs.Probe(res.Data)
	if err != nil || info.Orientation != 1 || !bytes.Contains(res.Data, []byte("Exif\x00\x00")) {
		t.Fatalf("orientation %d, exif kept %v, err %v", info.Orientation, bytes.Contains(res.Data, []byte("Exif\x00\x00")), err)
	}
}

func meanAbsDiff(a, b *image.NRGBA) float64 {
	var sum int64
	for i := range a.Pix {
		d := int64(a.Pix[i]) - int64(b.Pix[i])
		sum += max(d, -d)
	}
	return float64(sum) / float64(len(a.Pix))
}
