package driver_test

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/imgprep/imgprep/upload"
)

// FuzzParseResponse: any body a relay sends parses or fails with an error;
// never a panic, and a success always carries at least one image.
func FuzzParseResponse(f *testing.F) {
	for _, s := range []string{
		`{"created":1,"data":[{"b64_json":"iVBORw0KGgo="}]}`,
		`{"data":[{"b64_json":"data:image/png;base64,iVBORw0KGgo=","revised_prompt":"x"}],"usage":{"input_tokens":1}}`,
		`{"data":[{"url":"https://example.com/a.png"}]}`,
		`{"data":[]}`, `{"error":{"message":"m","type":"t","code":"c"}}`, `{"data":[{"b64_json":`, `null`, `[]`,
	} {
		f.Add([]byte(s))
	}
	cl := parser(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := cl.ParseResponse(body)
		if err == nil && (res == nil || len(res.Images) == 0) {
			t.Fatalf("success without an image: %+v", res)
		}
	})
}

// FuzzReadStream: any SSE stream ends in a result or an error.
func FuzzReadStream(f *testing.F) {
	f.Add([]byte("event: image_edit.partial_image\ndata: {\"type\":\"image_edit.partial_image\",\"b64_json\":\"iVBORw0KGgo=\",\"partial_image_index\":0}\n\nevent: image_edit.completed\ndata: {\"type\":\"image_edit.completed\",\"b64_json\":\"iVBORw0KGgo=\"}\n\n"))
	f.Add([]byte("event: error\ndata: {\"error\":{\"message\":\"boom\"}}\n\n"))
	f.Add([]byte("data: {\n\n"))
	cl := streamClient(f, 1<<20)
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := cl.ReadStream(bytes.NewReader(body), func(upload.PartialImage) {})
		if err == nil && (res == nil || len(res.Images) == 0) {
			t.Fatalf("success without an image: %+v", res)
		}
	})
}

// FuzzAPIError: any error body yields a typed error whose text is one line.
func FuzzAPIError(f *testing.F) {
	f.Add(429, []byte(`{"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}}`))
	f.Add(502, []byte("<html>bad gateway</html>"))
	cl := parser(f)
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 599 {
			return
		}
		e := cl.NewAPIError(status, http.Header{}, body)
		if e == nil || e.StatusCode != status {
			t.Fatalf("NewAPIError(%d) = %+v", status, e)
		}
		_ = e.Error()
	})
}
