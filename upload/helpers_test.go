package upload_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/imgprep/imgprep/upload"
)

// testKey is the API key every test uses; it must never show up in output.
const testKey = "sk-test-0123456789SECRETKEY"

func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.NRGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jpegBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewRGBA(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sleeper records requested waits instead of waiting.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeper) Waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// newClient returns a client for base with the test key and a recording
// sleeper.
func newClient(t testing.TB, base string, mod func(*upload.Config)) (*upload.Client, *sleeper) {
	t.Helper()
	s := &sleeper{}
	cfg := upload.Config{BaseURL: base, APIKey: testKey, Sleep: s.Sleep}
	if mod != nil {
		mod(&cfg)
	}
	c, err := upload.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, s
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

func intp(i int) *int { return &i }
