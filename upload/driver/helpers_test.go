package driver_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/driver"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

// testKey is the API key every test uses; it must never show up in output.
const testKey = "sk-test-0123456789SECRETKEY"

func pngBytes(_ testing.TB, w, h int) []byte { return uploadtest.SamplePNG(w, h, false) }

// newClient returns a client for base with the test key and a recording
// sleeper.
func newClient(t testing.TB, base string, mod func(*upload.Config)) (*driver.Client, *uploadtest.Sleeper) {
	t.Helper()
	s := &uploadtest.Sleeper{}
	cfg := upload.Config{BaseURL: base, APIKey: testKey, Sleep: s.Sleep}
	if mod != nil {
		mod(&cfg)
	}
	c, err := driver.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, s
}

// parser is a client for the body parsers, which send nothing.
func parser(t testing.TB) *driver.Client {
	c, _ := newClient(t, "http://api.test/v1", nil)
	return c
}

// streamClient is a client whose events may carry at most max bytes
// (0: the default).
func streamClient(t testing.TB, max int64) *driver.Client {
	c, _ := newClient(t, "http://api.test/v1", func(c *upload.Config) { c.MaxResponseBytes = max })
	return c
}

// okJSON is a 200 edit answer carrying imgs as b64_json.
func okJSON(t testing.TB, imgs ...[]byte) []byte {
	t.Helper()
	data := make([]map[string]string, len(imgs))
	for i, b := range imgs {
		data[i] = map[string]string{"b64_json": base64.StdEncoding.EncodeToString(b)}
	}
	out, err := json.Marshal(map[string]any{
		"created": 1700000000, "data": data, "output_format": "png", "size": "1024x1024", "quality": "low",
		"usage": map[string]any{"input_tokens": 10, "output_tokens": 20, "total_tokens": 30,
			"input_tokens_details": map[string]int{"text_tokens": 4, "image_tokens": 6}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func apiErrorBody(status int, code, msg string) []byte {
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"message": msg, "type": "invalid_request_error", "param": nil, "code": code}})
	return b
}

func gptRequest(t testing.TB) *upload.Request {
	return &upload.Request{Model: "gpt-image-1", Prompt: "make it blue", Images: []upload.File{{Name: "in.png", Data: pngBytes(t, 8, 8)}}}
}
