package uploadtest_test

import (
	"bytes"
	"image"
	"net/http"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/upload/uploadtest"
)

// TestValidation sends one bad request per rule and checks the status,
// code, param and message of the error.
func TestValidation(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{APIKey: testKey})
	sq := pngBytes(t, gradient(256, 256, true))
	rgb := pngBytes(t, gradient(256, 256, false))
	small := pngBytes(t, gradient(64, 64, true))
	jpg := jpegBytes(t, gradient(64, 48, false))
	maskOK := pngBytes(t, maskRect(256, 256, image.Rect(10, 10, 20, 20)))
	maskSmall := pngBytes(t, maskRect(128, 128, image.Rect(10, 10, 20, 20)))
	maskOpaque := pngBytes(t, maskRect(256, 256, image.Rectangle{}))
	huge := append(bytes.Clone(sq), make([]byte, 4_000_000-len(sq))...)
	gpt := func() *form { return newForm().field("model", "gpt-image-1").field("prompt", "p") }
	d2 := func() *form { return newForm().field("model", "dall-e-2").field("prompt", "p") }

	tests := []struct {
		name   string
		f      *form
		status int
		code   string
		param  string
		msg    string // substring; exact when it starts with "="
	}{
		{"dall-e-2 RGB PNG", d2().png("image", rgb), 400, "invalid_image_format", "image",
			"=Invalid input image - format must be in ['RGBA', 'LA', 'L'], got RGB"},
		{"octet-stream part", gpt().file("image", "a.png", "application/octet-stream", small), 400,
			"unsupported_file_mimetype", "image", "unsupported mimetype ('application/octet-stream')"},
		{"part without content type", gpt().file("image", "a.png", "", small), 400,
			"unsupported_file_mimetype", "image", "application/octet-stream"},
		{"declared png, bytes jpeg", gpt().file("image", "a.png", "image/png", jpg), 400,
			"invalid_image_format", "image", "does not match"},
		{"wrong extension", gpt().file("image", "a.bin", "image/png", small), 400,
			"invalid_image_format", "image", "extension"},
		{"mask size mismatch", d2().png("image", sq).png("mask", maskSmall), 400,
			"invalid_mask_image_format", "mask", "=Invalid mask image format - mask size does not match image size"},
		{"mask without alpha", d2().png("image", sq).png("mask", maskOpaque), 400,
			"invalid_mask_image_format", "mask", "mask image missing alpha channel"},
		{"mask jpeg", gpt().png("image", small).file("mask", "m.jpg", "image/jpeg", jpg), 400,
			"invalid_mask_image_format", "mask", "must be a PNG"},
		{"response_format on gpt-image-1", gpt().field("response_format", "b64_json").png("image", small), 400,
			"unknown_parameter", "response_format", "'response_format'"},
		{"moderation on multipart", gpt().field("moderation", "low").png("image", small), 400,
			"unknown_parameter", "moderation", "'moderation'"},
		{"input_fidelity on mini", newForm().field("model", "gpt-image-1-mini").field("prompt", "p").
			field("input_fidelity", "high").png("image", small), 400, "unknown_parameter", "input_fidelity", ""},
		{"quality value", gpt().field("quality", "ultra").png("image", small), 400,
			"invalid_value", "quality", "'low', 'medium', 'high', and 'auto'"},
		{"n too large", gpt().field("n", "11").png("image", small), 400, "integer_above_max_value", "n", ""},
		{"n zero", gpt().field("n", "0").png("image", small), 400, "integer_below_min_value", "n", ""},
		{"n not a number", gpt().field("n", "two").png("image", small), 400, "invalid_type", "n", ""},
		{"transparent jpeg", gpt().field("background", "transparent").field("output_format", "jpeg").
			png("image", small), 400, "invalid_value", "background", ""},
		{"gpt-image-2 size rule", newForm().field("model", "gpt-image-2").field("prompt", "p").
			field("size", "1000x1000").png("image", small), 400, "invalid_value", "size", "divisible by 16"},
		{"unknown model", newForm().field("model", "dall-e-3").field("prompt", "p").png("image", small), 400,
			"invalid_value", "model", "'dall-e-2'"},
		{"missing prompt", newForm().field("model", "gpt-image-1").png("image", small), 400,
			"missing_required_parameter", "prompt", ""},
		{"prompt too long", newForm().field("model", "dall-e-2").field("prompt", strings.Repeat("é", 1001)).png("image", sq), 400,
			"string_above_max_length", "prompt", "maximum length 1000"},
		{"no image", gpt(), 400, "missing_required_parameter", "image", ""},
		{"two images for dall-e-2", d2().png("image[]", sq).png("image[]", sq), 400,
			"array_above_max_length", "image", "maximum length 1"},
		{"jpeg for dall-e-2", d2().file("image", "a.jpg", "image/jpeg", jpg), 400,
			"invalid_image_format", "image", "accepts png"},
		{"non-square dall-e-2", d2().png("image", pngBytes(t, gradient(300, 200, true))), 400,
			"invalid_image_size", "image", "square"},
		{"too large for dall-e-2", d2().png("image", huge), 400, "image_too_large", "image", "4000000"},
		{"corrupt png", gpt().png("image", small[:60]), 400, "invalid_image_format", "image", "image 1"},
		{"flux over 20 MP", newForm().field("model", "flux-kontext-pro").field("prompt", "p").
			png("image", pngClaiming(t, 5000, 5000)), 400, "invalid_image_size", "image", "20000000"},
		{"mask for flux", newForm().field("model", "flux-kontext-pro").field("prompt", "p").
			png("image", small).png("mask", pngBytes(t, maskRect(64, 64, image.Rect(0, 0, 8, 8)))), 400,
			"unknown_parameter", "mask", ""},
		{"stray file field", gpt().png("image", small).png("picture", small), 400, "unknown_parameter", "picture", ""},
		{"valid dall-e-2 with mask", d2().field("response_format", "b64_json").png("image", sq).png("mask", maskOK), 200, "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := postForm(t, s, tc.f)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %.300s", resp.StatusCode, tc.status, body)
			}
			if tc.status == 200 {
				return
			}
			e := decodeErr(t, body)
			if str(e.Error.Code) != tc.code || str(e.Error.Param) != tc.param || e.Error.Type != "invalid_request_error" {
				t.Errorf("code/param/type = %s/%s/%s, want %s/%s/invalid_request_error (%s)",
					str(e.Error.Code), str(e.Error.Param), e.Error.Type, tc.code, tc.param, e.Error.Message)
			}
			if exact, ok := strings.CutPrefix(tc.msg, "="); ok {
				if e.Error.Message != exact {
					t.Errorf("message %q, want %q", e.Error.Message, exact)
				}
			} else if !strings.Contains(e.Error.Message, tc.msg) {
				t.Errorf("message %q does not contain %q", e.Error.Message, tc.msg)
			}
		})
	}
}

func TestJSONValidation(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{})
	img := dataURL("image/png", pngBytes(t, gradient(32, 32, false)))
	tests := []struct {
		name  string
		body  map[string]any
		code  string
		param string
	}{
		{"json for dall-e-2", map[string]any{"model": "dall-e-2", "prompt": "p", "images": []any{map[string]any{"image_url": img}}}, "invalid_value", "model"},
		{"n as string", map[string]any{"model": "gpt-image-1", "prompt": "p", "n": "2", "images": []any{map[string]any{"image_url": img}}}, "invalid_type", "n"},
		{"stream as string", map[string]any{"model": "gpt-image-1", "prompt": "p", "stream": "true", "images": []any{map[string]any{"image_url": img}}}, "invalid_type", "stream"},
		{"remote url", map[string]any{"model": "gpt-image-1", "prompt": "p", "images": []any{map[string]any{"image_url": "https://example.com/a.png"}}}, "invalid_value", "images[0].image_url"},
		{"data url of gif type", map[string]any{"model": "gpt-image-1", "prompt": "p", "images": []any{map[string]any{"image_url": "data:image/gif;base64,R0lGODlh"}}}, "unsupported_file_mimetype", "images[0]"},
		{"response_format", map[string]any{"model": "gpt-image-1", "prompt": "p", "response_format": "url", "images": []any{map[string]any{"image_url": img}}}, "unknown_parameter", "response_format"},
		{"no images", map[string]any{"model": "gpt-image-1", "prompt": "p"}, "missing_required_parameter", "image"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := postJSON(t, s, tc.body)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d: %.300s", resp.StatusCode, body)
			}
			if e := decodeErr(t, body); str(e.Error.Code) != tc.code || str(e.Error.Param) != tc.param {
				t.Errorf("code/param = %s/%s, want %s/%s (%s)", str(e.Error.Code), str(e.Error.Param), tc.code, tc.param, e.Error.Message)
			}
		})
	}
	t.Run("moderation accepted in json", func(t *testing.T) {
		resp, body := postJSON(t, s, map[string]any{"model": "gpt-image-1", "prompt": "p", "moderation": "low",
			"images": []any{map[string]any{"image_url": img}}})
		decodeOK(t, resp, body)
	})
}

// TestAuth checks 401s and that the key never leaks into bodies or records.
func TestAuth(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{APIKey: testKey})
	body, ct := dalle2Form(t).done()
	for _, auth := range []string{"", "Bearer sk-wrong-key-999", "Bearer " + testKey + "x"} {
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/images/edits", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := s.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("auth %q: status %d", auth, resp.StatusCode)
		}
		e := decodeErr(t, b.Bytes())
		if str(e.Error.Code) != "invalid_api_key" || e.Error.Message != "Incorrect API key provided" {
			t.Errorf("unexpected 401 body %s", b.String())
		}
		if strings.Contains(b.String(), "sk-") {
			t.Errorf("401 body echoes the key: %s", b.String())
		}
	}
	resp, b := post(t, s, "", ct, body) // the right key
	decodeOK(t, resp, b)
	for _, r := range s.Requests() {
		if strings.Contains(strings.Join(r.Header.Values("Authorization"), ""), "sk-") {
			t.Errorf("recorded request kept the key: %+v", r.Header)
		}
	}
	if got := s.Edits(); len(got) != 4 || got[0].Authorization || !got[1].Authorization {
		t.Errorf("recorded %d edits, authorization flags wrong", len(got))
	}
}

func TestMultipartFieldImage(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{MultipartFieldImage: "image"})
	small := pngBytes(t, gradient(32, 32, false))
	resp, body := postForm(t, s, newForm().field("model", "gpt-image-1").field("prompt", "p").png("image[]", small))
	if resp.StatusCode != 400 || str(decodeErr(t, body).Error.Param) != "image[]" {
		t.Fatalf("image[] accepted by an image-only server: %d %s", resp.StatusCode, body)
	}
	resp, body = postForm(t, s, newForm().field("model", "gpt-image-1").field("prompt", "p").
		png("image", small).png("image", small))
	decodeOK(t, resp, body)
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{MaxBodyBytes: 2000})
	resp, err := s.Client().Get(s.URL + "/images/edits")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET edits: %d allow=%q", resp.StatusCode, resp.Header.Get("Allow"))
	}
	resp, err = s.Client().Post(s.URL+"/images/edit", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("wrong path: %d", resp.StatusCode)
	}
	r, body := post(t, s, "", "text/plain", []byte("hello"))
	if r.StatusCode != 400 || str(decodeErr(t, body).Error.Code) != "invalid_content_type" {
		t.Errorf("text/plain: %d %s", r.StatusCode, body)
	}
	r, body = postForm(t, s, newForm().field("model", "gpt-image-1").field("prompt", "p").
		png("image", make([]byte, 5000)))
	if r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("over MaxBodyBytes: %d %.300s", r.StatusCode, body)
	}
}

// TestKeyNeverEchoed: a key sent by mistake in a field is neither echoed
// in the error nor recorded.
func TestKeyNeverEchoed(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{APIKey: testKey})
	resp, body := postForm(t, s, newForm().field("model", testKey).field("prompt", "p").field("note", testKey))
	if resp.StatusCode != 400 || strings.Contains(string(body), testKey) {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
	if rec := s.Edits()[0]; rec.Field("model") != "[redacted]" || rec.Field("note") != "[redacted]" {
		t.Errorf("recorded fields %v", rec.Fields)
	}
}
