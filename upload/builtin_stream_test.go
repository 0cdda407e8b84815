package upload_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/imgprep/imgprep/upload"
)

func sseEvent(name string, body string) string { return "event: " + name + "\ndata: " + body + "\n\n" }

func ssePartial(t testing.TB, i int) string {
	return sseEvent("image_edit.partial_image", fmt.Sprintf(`{"type":"image_edit.partial_image","b64_json":%q,"created_at":1,"size":"1024x1024","quality":"low","background":"opaque","output_format":"png","partial_image_index":%d}`,
		base64.StdEncoding.EncodeToString(pngBytes(t, i+1, i+1)), i))
}

func sseCompleted(t testing.TB) string {
	return sseEvent("image_edit.completed", fmt.Sprintf(`{"type":"image_edit.completed","b64_json":%q,"created_at":2,"size":"1024x1024","quality":"low","background":"opaque","output_format":"png","usage":{"input_tokens":3,"output_tokens":4,"total_tokens":7,"input_tokens_details":{"text_tokens":1,"image_tokens":2}}}`,
		base64.StdEncoding.EncodeToString(pngBytes(t, 8, 8))))
}

// streamServer checks that stream=true was sent and writes events, flushing
// after each.
func streamServer(t *testing.T, events ...string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("stream") != "true" || r.Header.Get("Authorization") != "Bearer "+testKey {
			t.Errorf("stream=%q auth=%q", r.FormValue("stream"), r.Header.Get("Authorization"))
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for _, e := range events {
			fmt.Fprint(w, e)
			w.(http.Flusher).Flush()
		}
	}))
}

func streamRequest(t testing.TB, onPartial func(upload.PartialImage)) *upload.Request {
	two := 2
	return &upload.Request{Model: "gpt-image-1", Prompt: "p", Images: []upload.File{{Data: pngBytes(t, 4, 4)}}, PartialImages: &two, OnPartial: onPartial}
}

func TestStream(t *testing.T) {
	// The final image may come before the last partial.
	srv := streamServer(t, ssePartial(t, 0), sseCompleted(t), ssePartial(t, 1))
	defer srv.Close()
	up, _ := upload.Open("openai-stream", upload.Config{BaseURL: srv.URL, APIKey: testKey})
	var got []upload.PartialImage
	req := streamRequest(t, func(p upload.PartialImage) { got = append(got, p) })
	resp, err := up.Edit(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if req.Stream {
		t.Error("the caller's request was modified")
	}
	if len(got) != 2 || got[0].Index != 0 || got[1].Index != 1 || !bytes.Equal(got[1].Data, pngBytes(t, 2, 2)) {
		t.Errorf("partials %+v", got)
	}
	if len(resp.Images) != 1 || !bytes.Equal(resp.Images[0].Data, pngBytes(t, 8, 8)) || resp.Usage.TotalTokens != 7 || resp.Usage.InputTokensDetails.ImageTokens != 2 {
		t.Errorf("response %+v", resp)
	}
}

func TestStreamFailures(t *testing.T) {
	for _, c := range []struct {
		name   string
		events []string
		is     error
		api    bool
	}{
		{"error event", []string{ssePartial(t, 0), sseEvent("error", `{"error":{"message":"Your request was rejected by the safety system","type":"image_generation_user_error","code":"moderation_blocked"}}`)}, upload.ErrModeration, true},
		{"no completed", []string{ssePartial(t, 0), ssePartial(t, 1)}, upload.ErrMalformedResponse, false},
		{"cut mid-event", []string{ssePartial(t, 0), sseCompleted(t)[:60]}, upload.ErrMalformedResponse, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := streamServer(t, c.events...)
			defer srv.Close()
			up, _ := upload.Open("openai-stream", upload.Config{BaseURL: srv.URL, APIKey: testKey})
			n := 0
			_, err := up.Edit(context.Background(), streamRequest(t, func(upload.PartialImage) { n++ }))
			var ae *upload.APIError
			if !errors.Is(err, c.is) || errors.As(err, &ae) != c.api {
				t.Errorf("err = %v, want %v (APIError %v)", err, c.is, c.api)
			}
			if n == 0 {
				t.Error("no partial delivered before the failure")
			}
		})
	}
}

func TestStalledStream(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, ssePartial(t, 0))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	before := runtime.NumGoroutine()
	up, _ := upload.Open("openai-stream", upload.Config{BaseURL: srv.URL, APIKey: testKey, Timeout: 50 * time.Millisecond})
	_, err := up.Edit(context.Background(), streamRequest(t, nil))
	if !errors.Is(err, upload.ErrTimeout) {
		t.Errorf("err = %v, want ErrTimeout", err)
	}
	// Nothing of ours keeps running (the transport's idle connections aside).
	deadline := time.Now().Add(time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > before+2 {
		t.Errorf("%d goroutines, %d before", g, before)
	}
}

func TestStreamNeedsAStreamingModel(t *testing.T) {
	up, _ := upload.Open("openai-stream", upload.Config{BaseURL: "http://127.0.0.1:1", APIKey: testKey})
	_, err := up.Edit(context.Background(), &upload.Request{Model: "dall-e-2", Prompt: "p", Images: []upload.File{{Data: pngBytes(t, 4, 4)}}})
	var pe *upload.ParamError
	if !errors.As(err, &pe) || pe.Param != "stream" || pe.Model != "dall-e-2" {
		t.Errorf("err = %v", err)
	}
}

func TestStreamPreview(t *testing.T) {
	up, _ := upload.Open("openai-stream", upload.Config{BaseURL: "http://api.test/v1", APIKey: testKey})
	hreq, body, err := up.(upload.Previewer).Preview(context.Background(), streamRequest(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(upload.DumpRequest(hreq, body), `field stream = "true"`) {
		t.Error(upload.DumpRequest(hreq, body))
	}
}
