package upload_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/upload"
)

type part struct {
	name, filename, contentType string
	data                        []byte
}

// captureParts records the parts of one multipart request, answers with one
// image, and fails the test on a wrong method, path, auth or media type.
func captureParts(t *testing.T, got *[]part) *httptest.Server {
	answer := fmt.Sprintf(`{"created":1,"data":[{"b64_json":%q}]}`, base64.StdEncoding.EncodeToString(pngBytes(t, 2, 2)))
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/images/edits" {
			t.Errorf("%s %s", r.Method, r.URL.Path)
		}
		if a := r.Header.Get("Authorization"); a != "Bearer "+testKey {
			t.Errorf("Authorization %q", a)
		}
		mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "multipart/form-data" {
			t.Fatalf("Content-Type %q", r.Header.Get("Content-Type"))
		}
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(p)
			*got = append(*got, part{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), data})
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, answer)
	}))
}

func fields(ps []part) map[string]string {
	m := map[string]string{}
	for _, p := range ps {
		if p.filename == "" {
			m[p.name] = string(p.data)
		}
	}
	return m
}

func files(ps []part) []part {
	var out []part
	for _, p := range ps {
		if p.filename != "" {
			out = append(out, part{p.name, p.filename, p.contentType, nil})
		}
	}
	return out
}

func TestMultipartRequest(t *testing.T) {
	img, jpg, mask := pngBytes(t, 8, 8), jpegBytes(t, 4, 4), pngBytes(t, 8, 8)
	var got []part
	srv := captureParts(t, &got)
	defer srv.Close()
	up, err := upload.Open("openai-multipart", upload.Config{BaseURL: srv.URL + "/v1", APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	comp := 70
	req := &upload.Request{
		Model: "gpt-image-1.5", Prompt: "a lighthouse at dusk",
		Images: []upload.File{{Name: "/tmp/first.png", Data: img}, {Name: "second.png", Data: jpg}},
		Mask:   &upload.File{Name: "m", Data: mask},
		N:      2, Size: "1536x1024", Quality: "high", Background: "opaque", OutputFormat: "jpeg",
		OutputCompression: &comp, InputFidelity: "high", User: "user-1",
		Extra: map[string]string{"watermark": "false"},
	}
	resp, err := up.Edit(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Images) != 1 {
		t.Fatalf("%d images", len(resp.Images))
	}
	wantFields := map[string]string{
		"model": "gpt-image-1.5", "prompt": "a lighthouse at dusk", "n": "2", "size": "1536x1024", "quality": "high",
		"background": "opaque", "output_format": "jpeg", "output_compression": "70", "input_fidelity": "high",
		"user": "user-1", "watermark": "false",
	}
	if f := fields(got); !reflect.DeepEqual(f, wantFields) {
		t.Errorf("fields %v\nwant   %v", f, wantFields)
	}
	wantFiles := []part{
		{"image[]", "first.png", "image/png", nil},
		{"image[]", "second.jpg", "image/jpeg", nil},
		{"mask", "m.png", "image/png", nil},
	}
	if f := files(got); !reflect.DeepEqual(f, wantFiles) {
		t.Errorf("files %v\nwant  %v", f, wantFiles)
	}
	for _, p := range got {
		if p.name == "image[]" && p.filename == "first.png" && !bytes.Equal(p.data, img) {
			t.Error("first image bytes differ")
		}
	}
}

func TestImageFieldNames(t *testing.T) {
	img := pngBytes(t, 4, 4)
	for _, c := range []struct {
		name, field string
		n           int
		want        string
	}{
		{"one image", "", 1, "image"},
		{"several", "", 3, "image[]"},
		{"forced repeated image", "image", 3, "image"},
		{"forced brackets for one", "image[]", 1, "image[]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []part
			srv := captureParts(t, &got)
			defer srv.Close()
			up, _ := upload.Open("openai-multipart", upload.Config{BaseURL: srv.URL + "/v1", APIKey: testKey, Options: []any{upload.MultipartOptions{ImageField: c.field}}})
			req := &upload.Request{Model: "gpt-image-1", Prompt: "p"}
			for range c.n {
				req.Images = append(req.Images, upload.File{Data: img})
			}
			if _, err := up.Edit(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			fs := files(got)
			if len(fs) != c.n {
				t.Fatalf("%d file parts", len(fs))
			}
			for i, f := range fs {
				wantName := "image.png"
				if c.n > 1 {
					wantName = fmt.Sprintf("image-%d.png", i+1)
				}
				if f.name != c.want || f.contentType != "image/png" || f.filename != wantName {
					t.Errorf("part %d = %+v, want field %q filename %q", i, f, c.want, wantName)
				}
			}
		})
	}
}

func TestDallE2URLFields(t *testing.T) {
	var got []part
	srv := captureParts(t, &got)
	defer srv.Close()
	up, _ := upload.Open("openai-multipart", upload.Config{BaseURL: srv.URL + "/v1", APIKey: testKey})
	req := &upload.Request{Model: "dall-e-2", Prompt: "p", Images: []upload.File{{Data: pngBytes(t, 4, 4)}},
		Mask: &upload.File{Data: pngBytes(t, 4, 4)}, N: 1, Size: "256x256", ResponseFormat: "b64_json", User: "u"}
	if _, err := up.Edit(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"model": "dall-e-2", "prompt": "p", "n": "1", "size": "256x256", "response_format": "b64_json", "user": "u"}
	if f := fields(got); !reflect.DeepEqual(f, want) {
		t.Errorf("fields %v, want %v", f, want)
	}
}

func TestRejectedBeforeSending(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits++ }))
	defer srv.Close()
	up, _ := upload.Open("openai-multipart", upload.Config{BaseURL: srv.URL, APIKey: testKey})
	for _, req := range []*upload.Request{
		{Model: "gpt-image-1", Prompt: "p", Images: []upload.File{{Data: pngBytes(t, 4, 4)}}, Moderation: "low"},
		{Model: "gpt-image-1", Prompt: "p", Images: []upload.File{{Data: pngBytes(t, 4, 4)}}, ResponseFormat: "url"},
		{Model: "flux-kontext-pro", Prompt: "p", Images: []upload.File{{Data: jpegBytes(t, 4, 4)}}, Mask: &upload.File{Data: pngBytes(t, 4, 4)}},
	} {
		_, err := up.Edit(context.Background(), req)
		var pe *upload.ParamError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), req.Model) {
			t.Errorf("%s: %v", req.Model, err)
		}
	}
	if hits != 0 {
		t.Errorf("%d requests reached the server", hits)
	}
}

func TestStreamOverMultipart(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString(pngBytes(t, 2, 2))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("stream") != "true" || r.FormValue("partial_images") != "1" {
			t.Errorf("stream %q partial_images %q", r.FormValue("stream"), r.FormValue("partial_images"))
		}
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprintf(w, "event: image_edit.partial_image\ndata: {\"type\":\"image_edit.partial_image\",\"b64_json\":%q,\"partial_image_index\":0}\n\n", b64)
		fmt.Fprintf(w, "event: image_edit.completed\ndata: {\"type\":\"image_edit.completed\",\"b64_json\":%q,\"usage\":{\"total_tokens\":9}}\n\n", b64)
	}))
	defer srv.Close()
	up, _ := upload.Open("openai-multipart", upload.Config{BaseURL: srv.URL, APIKey: testKey})
	partials := 0
	one := 1
	resp, err := up.Edit(context.Background(), &upload.Request{Model: "gpt-image-1", Prompt: "p", Images: []upload.File{{Data: pngBytes(t, 4, 4)}},
		Stream: true, PartialImages: &one, OnPartial: func(upload.PartialImage) { partials++ }})
	if err != nil {
		t.Fatal(err)
	}
	if partials != 1 || len(resp.Images) != 1 || resp.Usage.TotalTokens != 9 {
		t.Errorf("partials %d, response %+v", partials, resp)
	}
}

func TestMultipartPreview(t *testing.T) {
	up, _ := upload.Open("openai-multipart", upload.Config{BaseURL: "http://relay.test/v1", APIKey: testKey})
	hreq, body, err := up.(upload.Previewer).Preview(context.Background(), &upload.Request{Model: "gpt-image-1", Prompt: "p", Images: []upload.File{{Data: pngBytes(t, 4, 4)}}})
	if err != nil {
		t.Fatal(err)
	}
	d := upload.DumpRequest(hreq, body)
	if !strings.Contains(d, "POST http://relay.test/v1/images/edits") || !strings.Contains(d, `file  image filename="image.png" content-type=image/png`) || strings.Contains(d, testKey) {
		t.Errorf("dump:\n%s", d)
	}
}
