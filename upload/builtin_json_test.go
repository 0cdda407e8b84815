package upload_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/imgprep/imgprep/upload"
)

// captureJSON decodes the JSON body of one request into got and answers with
// one image.
func captureJSON(t *testing.T, got *map[string]any) *httptest.Server {
	answer := fmt.Sprintf(`{"created":1,"data":[{"b64_json":%q}]}`, base64.StdEncoding.EncodeToString(pngBytes(t, 2, 2)))
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/images/edits" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s %s", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		}
		if a := r.Header.Get("Authorization"); a != "Bearer "+testKey {
			t.Errorf("Authorization %q", a)
		}
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, got); err != nil {
			t.Errorf("body is not JSON: %v", err)
		}
		_, _ = io.WriteString(w, answer)
	}))
}

func TestOpenAIJSON(t *testing.T) {
	a, b, m := pngBytes(t, 4, 4), pngBytes(t, 5, 5), pngBytes(t, 4, 4)
	var got map[string]any
	srv := captureJSON(t, &got)
	defer srv.Close()
	up, err := upload.Open("openai-json", upload.Config{BaseURL: srv.URL + "/v1", APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	comp, partial := 40, 2
	req := &upload.Request{Model: "gpt-image-1", Prompt: "p", Images: []upload.File{{Data: a}, {Data: b}}, Mask: &upload.File{Data: m},
		N: 3, OutputFormat: "webp", OutputCompression: &comp, Moderation: "low", Quality: "auto",
		Extra: map[string]string{"relay_tag": "x"}}
	if _, err := up.Edit(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	dataURL := func(b []byte) string { return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b) }
	want := map[string]any{
		"model": "gpt-image-1", "prompt": "p",
		"images": []any{map[string]any{"image_url": dataURL(a)}, map[string]any{"image_url": dataURL(b)}},
		"mask":   map[string]any{"image_url": dataURL(m)},
		"n":      3.0, "output_format": "webp", "output_compression": 40.0, "moderation": "low", "quality": "auto", "relay_tag": "x",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("body %v\nwant %v", got, want)
	}

	// stream and partial_images are typed too (the answer is JSON: accepted).
	req.Stream, req.PartialImages = true, &partial
	if _, err := up.Edit(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if got["stream"] != true || got["partial_images"] != 2.0 {
		t.Errorf("stream %v partial_images %v", got["stream"], got["partial_images"])
	}
}

func TestRelayJSON(t *testing.T) {
	a, b := pngBytes(t, 4, 4), pngBytes(t, 5, 5)
	for _, c := range []struct {
		name   string
		images [][]byte
		want   any
	}{
		{"one image", [][]byte{a}, base64.StdEncoding.EncodeToString(a)},
		{"several", [][]byte{a, b}, []any{base64.StdEncoding.EncodeToString(a), base64.StdEncoding.EncodeToString(b)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got map[string]any
			srv := captureJSON(t, &got)
			defer srv.Close()
			up, _ := upload.Open("relay-json", upload.Config{BaseURL: srv.URL + "/v1", APIKey: testKey})
			req := &upload.Request{Model: "gpt-image-1", Prompt: "p", Mask: &upload.File{Data: a}}
			for _, im := range c.images {
				req.Images = append(req.Images, upload.File{Data: im})
			}
			if _, err := up.Edit(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got["image"], c.want) || got["mask"] != base64.StdEncoding.EncodeToString(a) || got["model"] != "gpt-image-1" || got["prompt"] != "p" {
				t.Errorf("body %v", got)
			}
			if _, ok := got["images"]; ok {
				t.Error("relay body has images")
			}
		})
	}
}

func TestOpenAIJSONRejectsDallE2(t *testing.T) {
	up, _ := upload.Open("openai-json", upload.Config{BaseURL: "http://127.0.0.1:1", APIKey: testKey})
	_, err := up.Edit(context.Background(), &upload.Request{Model: "dall-e-2", Prompt: "p", Images: []upload.File{{Data: pngBytes(t, 4, 4)}}})
	if !errors.Is(err, upload.ErrInvalidRequest) {
		t.Errorf("err = %v", err)
	}
}

func TestRelayJSONPreview(t *testing.T) {
	up, _ := upload.Open("relay-json", upload.Config{BaseURL: "http://relay.test/v1", APIKey: testKey})
	hreq, body, err := up.(upload.Previewer).Preview(context.Background(), &upload.Request{Model: "gpt-image-1", Prompt: "p", Images: []upload.File{{Data: pngBytes(t, 4, 4)}}})
	if err != nil {
		t.Fatal(err)
	}
	if hreq.Header.Get("Content-Type") != "application/json" || !json.Valid(body) {
		t.Errorf("%v %s", hreq.Header, body)
	}
}
