package driver_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/upload"
)

func TestParseResponse(t *testing.T) {
	png := pngBytes(t, 4, 4)
	b64 := base64.StdEncoding.EncodeToString(png)
	body := fmt.Sprintf(`{"created":1700000001,"data":[{"b64_json":"data:image/png;base64,%s","revised_prompt":"a blue cat"},{"b64_json":%q}],
		"background":"opaque","output_format":"png","size":"1024x1024","quality":"high",
		"usage":{"input_tokens":5,"output_tokens":7,"total_tokens":12,"input_tokens_details":{"text_tokens":2,"image_tokens":3}}}`,
		b64, strings.TrimRight(b64, "="))
	resp, err := parser(t).ParseResponse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Images) != 2 || resp.Created != 1700000001 || resp.Background != "opaque" || resp.Quality != "high" || string(resp.Raw) != body {
		t.Fatalf("response %+v", resp)
	}
	for i, img := range resp.Images {
		if !bytes.Equal(img.Data, png) || img.Format != codecs.PNG {
			t.Errorf("image %d: %d bytes, format %s", i, len(img.Data), img.Format)
		}
	}
	if resp.Images[0].RevisedPrompt != "a blue cat" {
		t.Errorf("revised prompt %q", resp.Images[0].RevisedPrompt)
	}
	u := resp.Usage
	if u == nil || u.InputTokens != 5 || u.OutputTokens != 7 || u.TotalTokens != 12 || u.InputTokensDetails.TextTokens != 2 || u.InputTokensDetails.ImageTokens != 3 {
		t.Errorf("usage %+v", u)
	}
}

func TestParseResponseErrors(t *testing.T) {
	for _, c := range []struct {
		name, body string
		is         error
		mention    string
	}{
		{"empty data", `{"created":1,"data":[]}`, upload.ErrNoImage, "no image"},
		{"no data", `{"created":1}`, upload.ErrNoImage, "no image"},
		{"entries without image", `{"data":[{"revised_prompt":"x"}]}`, upload.ErrNoImage, "no image"},
		{"async answer", `{"task_id":"task_1","status":"queued"}`, upload.ErrNoImage, "async-task"},
		{"truncated JSON", `{"created":1,"data":[{"b64_json":"iVBORw0KGgo`, upload.ErrMalformedResponse, "not valid JSON"},
		{"HTML", `<html>oops</html>`, upload.ErrMalformedResponse, "<html>"},
		{"bad base64", `{"data":[{"b64_json":"!!!"}]}`, upload.ErrMalformedResponse, "base64"},
		{"error in a 200", `{"error":{"message":"blocked","code":"moderation_blocked"}}`, upload.ErrModeration, "blocked"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := parser(t).ParseResponse([]byte(c.body))
			if !errors.Is(err, c.is) || !strings.Contains(err.Error(), c.mention) {
				t.Errorf("err = %v, want %v mentioning %q", err, c.is, c.mention)
			}
		})
	}
}

// serve answers every request with status and body.
func serve(status int, body []byte, ct string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
}

func TestURLResultsDownloaded(t *testing.T) {
	png := pngBytes(t, 4, 4)
	var fileAuth, otherAuth string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherAuth = r.Header.Get("Authorization")
		_, _ = w.Write(png)
	}))
	defer other.Close()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mux.HandleFunc("POST /v1/images/edits", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, fmt.Appendf(nil, `{"created":1,"data":[{"url":"%s/files/a.png"},{"url":"%s/signed/b.png?sig=abc"}]}`, srv.URL, other.URL))
	})
	mux.HandleFunc("GET /files/a.png", func(w http.ResponseWriter, r *http.Request) {
		fileAuth = r.Header.Get("Authorization")
		_, _ = w.Write(png)
	})
	cl, _ := newClient(t, srv.URL+"/v1", nil)
	req := &upload.Request{Model: "dall-e-2", Prompt: "p", ResponseFormat: "url", Images: []upload.File{{Data: png}}}
	resp, err := cl.Edit(context.Background(), req, upload.Multipart)
	if err != nil {
		t.Fatal(err)
	}
	for i, img := range resp.Images {
		if !bytes.Equal(img.Data, png) || img.Format != codecs.PNG || img.URL == "" {
			t.Errorf("image %d: %d bytes, %s, %q", i, len(img.Data), img.Format, img.URL)
		}
	}
	if fileAuth != "Bearer "+testKey || otherAuth != "" {
		t.Errorf("auth sent to the API's origin %q, to another host %q: want the key only for the API's origin", fileAuth, otherAuth)
	}
}

func TestDownloadRefused(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 5000)
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mux.HandleFunc("GET /big.png", serve(200, big, "image/png"))
	mux.HandleFunc("GET /gone.png", serve(404, []byte("not found"), "text/plain"))
	mux.HandleFunc("GET /redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	for _, c := range []struct{ name, url, mention string }{
		{"size cap", srv.URL + "/big.png", "exceeds 1000 bytes"},
		{"file scheme", "file:///etc/passwd", `"file" scheme`},
		{"ftp scheme", "ftp://example.com/a.png", `"ftp" scheme`},
		{"redirect to file", srv.URL + "/redirect", "refused"},
		{"404", srv.URL + "/gone.png", "404"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl, sl := newClient(t, srv.URL, func(c *upload.Config) { c.MaxDownloadBytes = 1000 })
			_, err := cl.Result(context.Background(), fmt.Appendf(nil, `{"data":[{"url":%q}]}`, c.url))
			if !errors.Is(err, upload.ErrDownload) || !strings.Contains(err.Error(), c.mention) {
				t.Errorf("err = %v, want ErrDownload mentioning %q", err, c.mention)
			}
			if len(sl.Waits()) != 0 {
				t.Errorf("retried: %v", sl.Waits())
			}
		})
	}
}

func TestResponseBodyCap(t *testing.T) {
	srv := httptest.NewServer(serve(200, okJSON(t, pngBytes(t, 64, 64)), "application/json"))
	defer srv.Close()
	cl, _ := newClient(t, srv.URL, func(c *upload.Config) { c.MaxResponseBytes = 100 })
	_, err := cl.Edit(context.Background(), gptRequest(t), upload.Multipart)
	if !errors.Is(err, upload.ErrMalformedResponse) || !strings.Contains(err.Error(), "exceeds 100 bytes") {
		t.Errorf("err = %v", err)
	}
}

func TestTruncatedBody(t *testing.T) {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		body := okJSON(t, pngBytes(t, 4, 4))
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		_, _ = w.Write(body[:len(body)/2]) // the handler returns early: the connection is cut
	}))
	defer srv.Close()
	cl, _ := newClient(t, srv.URL, nil)
	_, err := cl.Edit(context.Background(), gptRequest(t), upload.Multipart)
	if !errors.Is(err, upload.ErrMalformedResponse) || !strings.Contains(err.Error(), "truncated") || n != 1 {
		t.Errorf("err = %v after %d requests, want one truncated ErrMalformedResponse", err, n)
	}
}

func TestNonJSONErrorBody(t *testing.T) {
	page := "<html><head><title>502 Bad Gateway</title></head><body>upstream said: Bearer " + testKey + " " + strings.Repeat("x", 400) + "</body></html>"
	srv := httptest.NewServer(serve(502, []byte(page), "text/html"))
	defer srv.Close()
	cl, _ := newClient(t, srv.URL, func(c *upload.Config) { c.Retry.MaxRetries = -1 })
	_, err := cl.Edit(context.Background(), gptRequest(t), upload.Multipart)
	var ae *upload.APIError
	if !errors.As(err, &ae) || !errors.Is(err, upload.ErrServer) {
		t.Fatalf("err = %v", err)
	}
	if !strings.HasPrefix(ae.Message, "<html><head><title>502 Bad Gateway") || len([]rune(ae.Message)) > 201 {
		t.Errorf("message %q: want the page's first 200 characters", ae.Message)
	}
	if strings.Contains(err.Error(), testKey) {
		t.Errorf("the key leaked: %v", err)
	}
}

func TestAPIErrorFormat(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req_123")
		writeJSON(w, 400, []byte(`{"error":{"message":"Invalid size","type":"invalid_request_error","param":"size","code":"invalid_value"}}`))
	}))
	defer srv.Close()
	cl, _ := newClient(t, srv.URL, nil)
	_, err := cl.Edit(context.Background(), gptRequest(t), upload.Multipart)
	want := "upload: 400 invalid_value: Invalid size (param size) (request req_123)"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant  %s", err, want)
	}
	var ae *upload.APIError
	if !errors.As(err, &ae) || ae.Type != "invalid_request_error" || ae.Param != "size" || ae.RequestID != "req_123" || ae.Attempts != 1 {
		t.Errorf("%+v", ae)
	}
}
