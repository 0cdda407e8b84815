package uploadtest_test

import (
	"encoding/base64"
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/upload/uploadtest"
)

func nrgbaAt(img image.Image, x, y int) color.NRGBA {
	return color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
}

// TestDallE2MaskFillsMagenta: the returned image is the input with exactly
// the mask's transparent area painted magenta.
func TestDallE2MaskFillsMagenta(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{APIKey: testKey})
	src := gradient(256, 256, true)
	hole := image.Rect(64, 96, 160, 128)
	f := dalle2Form(t).png("mask", pngBytes(t, maskRect(256, 256, hole)))
	r := okForm(t, s, f)
	if r.Data[0].RevisedPrompt != "a red hat" || r.Usage != nil {
		t.Errorf("revised_prompt %q, usage %v (dall-e-2 has none)", r.Data[0].RevisedPrompt, r.Usage)
	}
	out := decodeB64Image(t, r.Data[0].B64JSON)
	if out.Bounds() != src.Bounds() {
		t.Fatalf("output %v, want %v", out.Bounds(), src.Bounds())
	}
	for y := range 256 {
		for x := range 256 {
			got, want := nrgbaAt(out, x, y), src.NRGBAAt(x, y)
			if image.Pt(x, y).In(hole) {
				want = uploadtest.EditColor
			}
			if got != want {
				t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, got, want)
			}
		}
	}
	rec := s.Edits()[0]
	if len(rec.Files) != 2 || rec.Files[1].Field != "mask" || !rec.Files[1].HasAlpha || rec.Files[0].Width != 256 {
		t.Errorf("recorded files %+v", rec.Files)
	}
}

// TestNoMaskInverts: without a mask the image is inverted and resized to
// the GPT default for its shape.
func TestNoMaskInverts(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{})
	solid := image.NewNRGBA(image.Rect(0, 0, 48, 32))
	for i := 0; i < len(solid.Pix); i += 4 {
		copy(solid.Pix[i:], []byte{10, 20, 30, 255})
	}
	r := okForm(t, s, newForm().field("model", "gpt-image-1").field("prompt", "invert").
		field("quality", "low").png("image", pngBytes(t, solid)))
	if r.Size != "1536x1024" || r.OutputFormat != "png" || r.Quality != "low" || r.Background != "opaque" {
		t.Errorf("metadata %+v", r)
	}
	if r.Usage == nil || r.Usage.OutputTokens != 408 || r.Usage.TotalTokens != r.Usage.InputTokens+r.Usage.OutputTokens {
		t.Errorf("usage %+v", r.Usage)
	}
	out := decodeB64Image(t, r.Data[0].B64JSON)
	if out.Bounds().Dx() != 1536 || out.Bounds().Dy() != 1024 {
		t.Fatalf("output %v", out.Bounds())
	}
	if c := nrgbaAt(out, 700, 500); c != (color.NRGBA{245, 235, 225, 255}) {
		t.Errorf("centre %v, want inverted (245,235,225)", c)
	}
}

func TestOutputFormatsAndN(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{DataURLPrefix: true})
	r := okForm(t, s, newForm().field("model", "gpt-image-1.5").field("prompt", "p").
		field("n", "3").field("size", "1024x1024").field("output_format", "jpeg").field("output_compression", "50").
		file("image", "a.jpg", "image/jpeg", jpegBytes(t, gradient(40, 40, false))))
	if len(r.Data) != 3 || r.OutputFormat != "jpeg" || r.Size != "1024x1024" {
		t.Fatalf("got %d images, format %q, size %q", len(r.Data), r.OutputFormat, r.Size)
	}
	if !strings.HasPrefix(r.Data[0].B64JSON, "data:image/jpeg;base64,") {
		t.Errorf("b64_json lacks data URL prefix: %.40s", r.Data[0].B64JSON)
	}
	decodeB64Image(t, r.Data[2].B64JSON)
	// webp is returned as PNG and reported as such
	r = okForm(t, s, newForm().field("model", "gpt-image-1").field("prompt", "p").
		field("output_format", "webp").png("image", pngBytes(t, gradient(16, 16, true))))
	if r.OutputFormat != "png" || r.Background != "transparent" {
		t.Errorf("webp request: output_format %q background %q", r.OutputFormat, r.Background)
	}
}

// TestJSONBodies: the official images[] data URL shape and the relay
// "image": "<base64>" shape are both accepted for GPT image models.
func TestJSONBodies(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{APIKey: testKey})
	img := pngBytes(t, gradient(64, 64, true))
	mask := pngBytes(t, maskRect(64, 64, image.Rect(0, 0, 32, 32)))
	r := okJSON(t, s, map[string]any{
		"model": "gpt-image-1", "prompt": "p", "n": 2, "quality": "high", "stream": false,
		"images": []any{map[string]any{"image_url": dataURL("image/png", img)},
			map[string]any{"image_url": dataURL("image/jpeg", jpegBytes(t, gradient(30, 60, false)))}},
		"mask": map[string]any{"image_url": dataURL("image/png", mask)},
	})
	if len(r.Data) != 2 || r.Size != "1024x1024" || r.Usage.OutputTokens != 2*4160 {
		t.Errorf("official JSON: %d images size %s usage %+v", len(r.Data), r.Size, r.Usage)
	}
	if c := nrgbaAt(decodeB64Image(t, r.Data[0].B64JSON), 100, 100); c != uploadtest.EditColor {
		t.Errorf("masked corner %v, want magenta", c)
	}
	r = okJSON(t, s, map[string]any{
		"model": "gpt-image-1", "prompt": "p", "image": base64.StdEncoding.EncodeToString(img),
		"mask": base64.StdEncoding.EncodeToString(mask), "relay_channel": "fast",
	})
	rec := s.Edits()[1]
	if !rec.JSON || len(rec.Files) != 2 || rec.Files[0].Field != "image" || rec.Files[0].Format != "png" ||
		len(rec.Extra) != 1 || rec.Extra[0] != "relay_channel" || rec.Field("relay_channel") != "fast" {
		t.Errorf("relay JSON recorded as %+v", rec)
	}
	if got := s.Edits()[0].Field("n"); got != "2" {
		t.Errorf("JSON n recorded as %q", got)
	}
}

// TestRelayExtrasAndManyImages: extra multipart fields are tolerated and
// recorded; image[] carries several images.
func TestRelayExtrasAndManyImages(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{})
	f := newForm().field("model", "gpt-image-1-all").field("prompt", "p").field("group", "vip").
		field("input_fidelity", "high")
	for range 3 {
		f.png("image[]", pngBytes(t, gradient(40, 80, false)))
	}
	r := okForm(t, s, f)
	if r.Size != "1024x1536" {
		t.Errorf("portrait default size %q", r.Size)
	}
	rec := s.Edits()[0]
	if len(rec.Files) != 3 || rec.Files[2].Field != "image[]" || rec.Extra[0] != "group" || rec.Files[0].HasAlpha {
		t.Errorf("recorded %+v", rec)
	}
}

func TestFluxSize(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{})
	r := okForm(t, s, newForm().field("model", "flux-kontext-pro").field("prompt", "p").
		field("aspect_ratio", "16:9").field("response_format", "b64_json").
		file("image", "a.jpeg", "image/jpeg", jpegBytes(t, gradient(64, 64, false))))
	if b := decodeB64Image(t, r.Data[0].B64JSON).Bounds(); b.Dx() != 1360 || b.Dy() != 768 {
		t.Errorf("flux 16:9 output %v, want 1360x768", b)
	}
	if r.Usage != nil || r.Size != "" {
		t.Errorf("flux response carries GPT metadata: %+v", r)
	}
}
