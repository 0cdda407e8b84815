package async_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/async"
)

const key = "sk-test-async-SECRET1234567"

func pngBytes(t testing.TB) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func request(t testing.TB) *upload.Request {
	return &upload.Request{Model: "gpt-image-1", Prompt: "p", Images: []upload.File{{Data: pngBytes(t)}}}
}

// taskServer submits tasks and answers polls from the polls list in order
// (the last repeatedly).
type taskServer struct {
	t      *testing.T
	submit string
	polls  []string
	n      atomic.Int32
	form   sync.Map
}

func (s *taskServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if a := r.Header.Get("Authorization"); a != "Bearer "+key {
		s.t.Errorf("Authorization %q", a)
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v1/images/edits":
		if r.URL.Query().Get("async") != "true" {
			s.t.Errorf("submit query %q", r.URL.RawQuery)
		}
		s.form.Store("model", r.FormValue("model"))
		fmt.Fprint(w, s.submit)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/tasks/"):
		i := int(s.n.Add(1)) - 1
		body := s.polls[min(i, len(s.polls)-1)]
		if body == "404" {
			w.WriteHeader(404)
			fmt.Fprint(w, `{"error":{"message":"task not found","code":"not_found"}}`)
			return
		}
		fmt.Fprint(w, body)
	default:
		s.t.Errorf("unexpected %s %s", r.Method, r.URL)
		w.WriteHeader(404)
	}
}

type sleeper struct{ waits atomic.Int32 }

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.waits.Add(1)
	return ctx.Err()
}

func open(t *testing.T, s *taskServer) (upload.Uploader, *sleeper) {
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	sl := &sleeper{}
	up, err := upload.Open("async-task", upload.Config{BaseURL: srv.URL + "/v1", APIKey: key, Sleep: sl.Sleep, Options: []any{async.Options{PollInterval: time.Second}}})
	if err != nil {
		t.Fatal(err)
	}
	return up, sl
}

func TestTaskSucceeds(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString(pngBytes(t))
	done := fmt.Sprintf(`{"task_id":"task_abc","status":"succeeded","progress":100,"data":[{"b64_json":%q}],"usage":{"total_tokens":5}}`, b64)
	for _, submit := range []string{`{"task_id":"task_abc","status":"queued"}`, `{"id":"task_abc"}`, `{"data":{"task_id":"task_abc"}}`} {
		s := &taskServer{t: t, submit: submit, polls: []string{
			`{"task_id":"task_abc","status":"queued","progress":0}`,
			`{"task_id":"task_abc","status":"processing","progress":50}`,
			done,
		}}
		up, sl := open(t, s)
		resp, err := up.Edit(context.Background(), request(t))
		if err != nil {
			t.Fatalf("%s: %v", submit, err)
		}
		if len(resp.Images) != 1 || resp.Usage.TotalTokens != 5 || s.n.Load() != 3 || sl.waits.Load() != 3 {
			t.Errorf("%s: %d images, %d polls, %d waits", submit, len(resp.Images), s.n.Load(), sl.waits.Load())
		}
		if m, _ := s.form.Load("model"); m != "gpt-image-1" {
			t.Errorf("submitted model %v", m)
		}
	}
}

func TestSyncAnswerAccepted(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString(pngBytes(t))
	s := &taskServer{t: t, submit: fmt.Sprintf(`{"created":1,"data":[{"b64_json":%q}]}`, b64)}
	up, _ := open(t, s)
	resp, err := up.Edit(context.Background(), request(t))
	if err != nil || len(resp.Images) != 1 || s.n.Load() != 0 {
		t.Fatalf("resp %+v, err %v, %d polls", resp, err, s.n.Load())
	}
}

func TestTaskFails(t *testing.T) {
	for _, c := range []struct {
		poll, message string
		moderation    bool
	}{
		{`{"task_id":"t","status":"failed","error":{"message":"image too dark","code":"invalid_image"}}`, "image too dark", false},
		{`{"task_id":"t","status":"failed","fail_reason":"upstream timeout"}`, "upstream timeout", false},
		{`{"task_id":"t","status":"failed","error":{"message":"blocked","code":"moderation_blocked"}}`, "blocked", true},
		{`{"task_id":"t","status":"Request Moderated"}`, "Request Moderated", true},
	} {
		up, _ := open(t, &taskServer{t: t, submit: `{"task_id":"t"}`, polls: []string{c.poll}})
		_, err := up.Edit(context.Background(), request(t))
		var ae *upload.APIError
		if !errors.As(err, &ae) || ae.Code != "task_failed" || !errors.Is(err, upload.ErrTaskFailed) || !strings.Contains(err.Error(), c.message) {
			t.Errorf("%s: err = %v", c.poll, err)
		}
		if errors.Is(err, upload.ErrModeration) != c.moderation {
			t.Errorf("%s: moderation = %v", c.poll, !c.moderation)
		}
	}
}

func TestUnknownTask(t *testing.T) {
	up, _ := open(t, &taskServer{t: t, submit: `{"task_id":"t"}`, polls: []string{"404"}})
	_, err := up.Edit(context.Background(), request(t))
	if !errors.Is(err, upload.ErrBadRequest) || !strings.Contains(err.Error(), "task t") {
		t.Errorf("err = %v", err)
	}
}

func TestPollTimeout(t *testing.T) {
	srv := httptest.NewServer(&taskServer{t: t, submit: `{"task_id":"slow"}`, polls: []string{`{"task_id":"slow","status":"processing","progress":10}`}})
	defer srv.Close()
	up, _ := upload.Open("async-task", upload.Config{BaseURL: srv.URL + "/v1", APIKey: key, Options: []any{async.Options{PollInterval: 5 * time.Millisecond, PollTimeout: 40 * time.Millisecond}}})
	start := time.Now()
	_, err := up.Edit(context.Background(), request(t))
	if !errors.Is(err, upload.ErrTimeout) || !strings.Contains(err.Error(), "slow") || !strings.Contains(err.Error(), "processing, 10%") {
		t.Errorf("err = %v", err)
	}
	if time.Since(start) > time.Second {
		t.Errorf("took %v", time.Since(start))
	}
}

func TestCancelWhilePolling(t *testing.T) {
	srv := httptest.NewServer(&taskServer{t: t, submit: `{"task_id":"t"}`, polls: []string{`{"task_id":"t","status":"queued"}`}})
	defer srv.Close()
	up, _ := upload.Open("async-task", upload.Config{BaseURL: srv.URL + "/v1", APIKey: key, Options: []any{&async.Options{PollInterval: time.Minute}}})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := up.Edit(ctx, request(t))
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Errorf("err = %v after %v", err, time.Since(start))
	}
}

func TestNoTaskID(t *testing.T) {
	up, _ := open(t, &taskServer{t: t, submit: `{"status":"queued"}`})
	if _, err := up.Edit(context.Background(), request(t)); !errors.Is(err, upload.ErrMalformedResponse) {
		t.Errorf("err = %v", err)
	}
}

func TestStreamRefused(t *testing.T) {
	up, _ := open(t, &taskServer{t: t})
	req := request(t)
	req.Stream = true
	if _, err := up.Edit(context.Background(), req); !errors.Is(err, upload.ErrInvalidRequest) {
		t.Errorf("err = %v", err)
	}
}

func TestPreview(t *testing.T) {
	up, _ := upload.Open("async-task", upload.Config{BaseURL: "http://relay.test/v1?group=a", APIKey: key})
	hreq, body, err := up.(upload.Previewer).Preview(context.Background(), request(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := hreq.URL.String(); got != "http://relay.test/v1/images/edits?async=true&group=a" || len(body) == 0 {
		t.Errorf("URL %s, %d body bytes", got, len(body))
	}
}
