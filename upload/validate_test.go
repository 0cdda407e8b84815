package upload_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/upload"
)

func TestValidate(t *testing.T) {
	png := pngBytes(t, 8, 8)
	jpg := jpegBytes(t, 8, 8)
	img := []upload.File{{Name: "a.png", Data: png}}
	mask := &upload.File{Data: png}
	type tc struct {
		name string
		req  upload.Request
		enc  upload.Encoding
		// want is "" for a valid request, else substrings of the error.
		want  []string
		param string // the *ParamError's Param, if one is expected
	}
	cases := []tc{
		{name: "valid gpt-image-1", req: upload.Request{Model: "gpt-image-1", Prompt: "p", Images: img, Mask: mask, N: 2, Size: "1024x1536", Quality: "high",
			Background: "transparent", OutputFormat: "webp", OutputCompression: intp(80), InputFidelity: "high", Stream: true, PartialImages: intp(2), User: "u1"}},
		{name: "valid alias", req: upload.Request{Model: "gpt-image-1-all", Prompt: "p", Images: img}},
		{name: "valid dall-e-2", req: upload.Request{Model: "dall-e-2", Prompt: "p", Images: img, Mask: mask, N: 3, Size: "512x512", ResponseFormat: "url", User: "u"}},
		{name: "valid flux", req: upload.Request{Model: "flux-kontext-pro", Prompt: "p", Images: []upload.File{{Data: jpg}}, AspectRatio: "16:9", N: 1}},
		{name: "moderation in JSON", enc: upload.JSON, req: upload.Request{Model: "gpt-image-1.5", Prompt: "p", Images: img, Moderation: "low"}},
		{name: "extra relay field", req: upload.Request{Model: "gpt-image-1", Prompt: "p", Images: img, Extra: map[string]string{"watermark": "false", "response_format": "url"}}},
		{name: "prompt of 1000 runes", req: upload.Request{Model: "dall-e-2", Prompt: strings.Repeat("é", 1000), Images: img}},

		{name: "response_format for gpt-image-1", req: upload.Request{Model: "gpt-image-1", Prompt: "p", Images: img, ResponseFormat: "b64_json"},
			want: []string{"gpt-image-1", "response_format"}, param: "response_format"},
		{name: "input_fidelity for mini", req: upload.Request{Model: "gpt-image-1-mini", Prompt: "p", Images: img, InputFidelity: "high"},
			want: []string{"gpt-image-1-mini", "input_fidelity"}, param: "input_fidelity"},
		{name: "mask for flux", req: upload.Request{Model: "flux-kontext-pro", Prompt: "p", Images: []upload.File{{Data: jpg}}, Mask: mask},
			want: []string{"flux-kontext-pro", "mask"}, param: "mask"},
		{name: "moderation on multipart", req: upload.Request{Model: "gpt-image-1", Prompt: "p", Images: img, Moderation: "low"},
			want: []string{"gpt-image-1", "moderation", "JSON"}, param: "moderation"},
		{name: "quality value", req: upload.Request{Model: "gpt-image-1", Prompt: "p", Images: img, Quality: "ultra"},
			want: []string{"quality", "ultra", "low, medium, high, auto"}, param: "quality"},
		{name: "size for dall-e-2", req: upload.Request{Model: "dall-e-2", Prompt: "p", Images: img, Size: "1024x1536"},
			want: []string{"dall-e-2", "size", "256x256"}, param: "size"},
		{name: "flux aspect outside the narrow range", req: upload.Request{Model: "flux-kontext-max", Prompt: "p", Images: []upload.File{{Data: jpg}}, AspectRatio: "4:1"},
			want: []string{"aspect_ratio", "4:1"}, param: "aspect_ratio"},
		{name: "stream for dall-e-2", req: upload.Request{Model: "dall-e-2", Prompt: "p", Images: img, Stream: true},
			want: []string{"dall-e-2", "stream"}, param: "stream"},
		{name: "compression without jpeg", req: upload.Request{Model: "gpt-image-1", Prompt: "p", Images: img, OutputCompression: intp(50)},
			want: []string{"output_compression", "jpeg or webp"}, param: "output_compression"},
		{name: "compression 101", req: upload.Request{Model: "gpt-image-1", Prompt: "p", Images: img, OutputFormat: "jpeg", OutputCompression: intp(101)},
			want: []string{"output_compression", "0..100"}, param: "output_compression"},
		{name: "transparent jpeg", req: upload.Request{Model: "gpt-image-1", Prompt: "p", Images: img, Background: "transparent", OutputFormat: "jpeg"},
			want: []string{"background", "png or webp"}, param: "background"},
		{name: "partial_images without stream", req: upload.Request{Model: "gpt-image-1", Prompt: "p", Images: img, PartialImages: intp(1)},
			want: []string{"partial_images", "stream"}, param: "partial_images"},
		{name: "n too large", req: upload.Request{Model: "gpt-image-1", Prompt: "p", Images: img, N: 11}, want: []string{"n", "1..10"}, param: "n"},
		{name: "n for flux", req: upload.Request{Model: "flux-kontext-pro", Prompt: "p", Images: []upload.File{{Data: jpg}}, N: 2}, want: []string{"n"}, param: "n"},

		{name: "unknown model", req: upload.Request{Model: "dall-e-3", Prompt: "p", Images: img}, want: []string{"dall-e-3"}},
		{name: "no model", req: upload.Request{Prompt: "p", Images: img}, want: []string{"model"}},
		{name: "empty prompt", req: upload.Request{Model: "gpt-image-1", Prompt: "  ", Images: img}, want: []string{"prompt"}},
		{name: "prompt too long", req: upload.Request{Model: "dall-e-2", Prompt: strings.Repeat("é", 1001), Images: img}, want: []string{"1001", "1000"}},
		{name: "no image", req: upload.Request{Model: "gpt-image-1", Prompt: "p"}, want: []string{"no input image"}},
		{name: "two images for dall-e-2", req: upload.Request{Model: "dall-e-2", Prompt: "p", Images: append(img, img...)}, want: []string{"2 input images", "1"}},
		{name: "17 images", req: upload.Request{Model: "gpt-image-1", Prompt: "p", Images: make([]upload.File, 17)}, want: []string{"17", "16"}},
		{name: "jpeg for dall-e-2", req: upload.Request{Model: "dall-e-2", Prompt: "p", Images: []upload.File{{Name: "x.jpg", Data: jpg}}}, want: []string{"x.jpg", "jpeg", "png"}},
		{name: "not an image", req: upload.Request{Model: "gpt-image-1", Prompt: "p", Images: []upload.File{{Data: []byte("hello")}}}, want: []string{"not a recognised image"}},
		{name: "jpeg mask", req: upload.Request{Model: "gpt-image-1", Prompt: "p", Images: img, Mask: &upload.File{Data: jpg}}, want: []string{"mask", "PNG"}},
		{name: "JSON for dall-e-2", enc: upload.JSON, req: upload.Request{Model: "dall-e-2", Prompt: "p", Images: img}, want: []string{"dall-e-2", "JSON"}},
		{name: "extra repeats model", req: upload.Request{Model: "gpt-image-1", Prompt: "p", Images: img, Extra: map[string]string{"model": "x"}}, want: []string{"model"}},
		{name: "extra repeats a set parameter", req: upload.Request{Model: "gpt-image-1", Prompt: "p", Images: img, Size: "auto", Extra: map[string]string{"size": "x"}}, want: []string{"size"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.req.Validate(nil, c.enc)
			if c.want == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Validate accepted an invalid request")
			}
			if !errors.Is(err, upload.ErrInvalidRequest) || !errors.Is(err, upload.ErrBadRequest) {
				t.Errorf("%v: not ErrInvalidRequest/ErrBadRequest", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			var pe *upload.ParamError
			if c.param != "" {
				if !errors.As(err, &pe) {
					t.Fatalf("%v: not a *ParamError", err)
				}
				if pe.Param != c.param || pe.Model != c.req.Model {
					t.Errorf("ParamError{Model:%q Param:%q}, want %q %q", pe.Model, pe.Param, c.req.Model, c.param)
				}
			}
		})
	}
}

func TestValidateByteLimits(t *testing.T) {
	big := append(pngBytes(t, 8, 8), make([]byte, 4_000_000)...)
	req := upload.Request{Model: "dall-e-2", Prompt: "p", Images: []upload.File{{Data: big}}}
	if err := req.Validate(nil, upload.Multipart); err == nil || !strings.Contains(err.Error(), "4000000") {
		t.Errorf("4 MB dall-e-2 image: %v", err)
	}
	// A 16 MB image fits multipart but not a 20 MiB data URL.
	huge := append(pngBytes(t, 8, 8), make([]byte, 16_000_000)...)
	req = upload.Request{Model: "gpt-image-1", Prompt: "p", Images: []upload.File{{Data: huge}}}
	if err := req.Validate(nil, upload.Multipart); err != nil {
		t.Errorf("multipart: %v", err)
	}
	if err := req.Validate(nil, upload.JSON); err == nil || !strings.Contains(err.Error(), "data URL") {
		t.Errorf("JSON: %v", err)
	}
}

func TestFileNormalized(t *testing.T) {
	png, jpg := pngBytes(t, 2, 2), jpegBytes(t, 2, 2)
	for _, c := range []struct {
		in       upload.File
		name, ct string
	}{
		{upload.File{Data: png}, "image.png", "image/png"},
		{upload.File{Name: "/home/me/photo.jpg", Data: png}, "photo.png", "image/png"},
		{upload.File{Name: `C:\pics\cat.JPEG`, Data: jpg}, "cat.JPEG", "image/jpeg"},
		{upload.File{Name: "cat", Data: jpg, ContentType: "application/octet-stream"}, "cat.jpg", "image/jpeg"},
		{upload.File{Name: "x.png", Data: png, ContentType: "image/x-custom"}, "x.png", "image/x-custom"},
	} {
		got := c.in.Normalized("image")
		if got.Name != c.name || got.ContentType != c.ct {
			t.Errorf("Normalized(%q) = %q %q, want %q %q", c.in.Name, got.Name, got.ContentType, c.name, c.ct)
		}
	}
}
