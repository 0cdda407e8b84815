package imgprep_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/imgprep/imgprep"
)

// FuzzTransport sends arbitrary edit bodies through the transport: it
// never panics, and every answer is either the next step's (the body went
// on) or an OpenAI-shaped error document.
func FuzzTransport(f *testing.F) {
	ct, mp := multipartBody(f, field("model", "dall-e-2"), field("prompt", "x"), octets("image", "g.png", sample(f, "gopher_alpha.png")),
		octets("mask", "m.png", holeMask(f, 75, 100, rect(0, 0, 10, 10))))
	f.Add(ct, mp)
	f.Add("application/json", []byte(`{"model":"gpt-image-1","prompt":"x","images":[{"image_url":"data:image/png;base64,`+b64(sample(f, "gopher_alpha.png"))+`"}]}`))
	f.Add("application/json", []byte(`{"model":"gpt-image-1","image":["aGVsbG8="],"mask":"!!"}`))
	f.Add("multipart/form-data; boundary=x", []byte("--x\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a\"\r\n\r\n\x89PNG\r\n--x--\r\n"))
	next := roundTrip(func(r *http.Request) (*http.Response, error) {
		io.Copy(io.Discard, r.Body)
		return &http.Response{StatusCode: 299, Body: http.NoBody, Header: http.Header{}, Request: r}, nil
	})
	tr := imgprep.NewTransport(next, imgprep.TransportOptions{MaxBodyBytes: 1 << 20, Prepare: fuzzPrepare})
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/v1/images/edits", bytes.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", contentType)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			return
		}
		defer resp.Body.Close()
		if resp.StatusCode == 299 {
			return
		}
		b, _ := io.ReadAll(resp.Body)
		var doc struct {
			Error struct{ Message, Type, Code string }
		}
		if json.Unmarshal(b, &doc) != nil || doc.Error.Message == "" || doc.Error.Type != "invalid_request_error" || doc.Error.Code == "" {
			t.Fatalf("status %d with %q", resp.StatusCode, b)
		}
	})
}
