package driver_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/driver"
)

// script serves the answers in order, the last one repeatedly, and counts
// requests.
type script struct {
	n       atomic.Int32
	answers []func(w http.ResponseWriter, r *http.Request)
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(s.n.Add(1)) - 1
	s.answers[min(i, len(s.answers)-1)](w, r)
}

func status(code int, errCode string, h ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(h); i += 2 {
			w.Header().Set(h[i], h[i+1])
		}
		writeJSON(w, code, apiErrorBody(code, errCode, "failure "+errCode))
	}
}

func ok(t *testing.T) func(http.ResponseWriter, *http.Request) {
	body := okJSON(t, pngBytes(t, 4, 4))
	return func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, body) }
}

func TestRetryAfterHonoured(t *testing.T) {
	for _, c := range []struct {
		name string
		h    []string
		want time.Duration
	}{
		{"seconds", []string{"Retry-After", "1"}, time.Second},
		{"milliseconds", []string{"Retry-After-Ms", "250", "Retry-After", "9"}, 250 * time.Millisecond},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := &script{answers: []func(http.ResponseWriter, *http.Request){status(429, "rate_limit_exceeded", c.h...), ok(t)}}
			srv := httptest.NewServer(s)
			defer srv.Close()
			var events []upload.RetryEvent
			cl, sl := newClient(t, srv.URL, func(c *upload.Config) { c.OnRetry = func(e upload.RetryEvent) { events = append(events, e) } })
			resp, err := cl.Edit(context.Background(), gptRequest(t), upload.Multipart)
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Images) != 1 || s.n.Load() != 2 {
				t.Fatalf("%d images after %d attempts, want 1 after 2", len(resp.Images), s.n.Load())
			}
			if w := sl.Waits(); len(w) != 1 || w[0] != c.want {
				t.Errorf("waits %v, want [%v]", w, c.want)
			}
			if len(events) != 1 || events[0].Attempt != 1 || !events[0].RetryAfter || !errors.Is(events[0].Err, upload.ErrRateLimit) {
				t.Errorf("retry events %+v", events)
			}
		})
	}
}

func TestRetryGivesUp(t *testing.T) {
	s := &script{answers: []func(http.ResponseWriter, *http.Request){status(503, "server_error")}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	cl, sl := newClient(t, srv.URL, func(c *upload.Config) { c.Retry.MaxRetries = 2 })
	_, err := cl.Edit(context.Background(), gptRequest(t), upload.Multipart)
	var ae *upload.APIError
	if !errors.As(err, &ae) || !errors.Is(err, upload.ErrServer) {
		t.Fatalf("err = %v, want an ErrServer *APIError", err)
	}
	if ae.Attempts != 3 || s.n.Load() != 3 || ae.StatusCode != 503 || ae.Code != "server_error" {
		t.Errorf("APIError %+v after %d requests, want 3 attempts", ae, s.n.Load())
	}
	if !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("error %q does not say how many attempts", err)
	}
	w := sl.Waits()
	if len(w) != 2 || w[0] < 250*time.Millisecond || w[0] > 500*time.Millisecond || w[1] < 500*time.Millisecond || w[1] > time.Second {
		t.Errorf("backoff waits %v, want equal-jitter 0.25-0.5s then 0.5-1s", w)
	}
}

func TestNotRetried(t *testing.T) {
	for _, c := range []struct {
		name   string
		answer func(http.ResponseWriter, *http.Request)
		is     []error
	}{
		{"400", status(400, "invalid_value"), []error{upload.ErrBadRequest}},
		{"401", status(401, "invalid_api_key"), []error{upload.ErrAuth}},
		{"403", status(403, ""), []error{upload.ErrAuth}},
		{"404", status(404, ""), []error{upload.ErrBadRequest}},
		{"moderation", status(400, "moderation_blocked"), []error{upload.ErrModeration, upload.ErrBadRequest}},
		{"insufficient quota", status(429, "insufficient_quota"), []error{upload.ErrRateLimit}},
		{"x-should-retry false", status(500, "server_error", "X-Should-Retry", "false"), []error{upload.ErrServer}},
		{"x-should-retry true on 400", status(400, "invalid_value", "X-Should-Retry", "true"), []error{upload.ErrBadRequest}},
		{"retry-after beyond the cap", status(429, "rate_limit_exceeded", "Retry-After", "3600"), []error{upload.ErrRateLimit}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := &script{answers: []func(http.ResponseWriter, *http.Request){c.answer, ok(t)}}
			srv := httptest.NewServer(s)
			defer srv.Close()
			cl, sl := newClient(t, srv.URL, nil)
			_, err := cl.Edit(context.Background(), gptRequest(t), upload.Multipart)
			for _, target := range c.is {
				if !errors.Is(err, target) {
					t.Errorf("err %v is not %v", err, target)
				}
			}
			if s.n.Load() != 1 || len(sl.Waits()) != 0 {
				t.Errorf("%d requests, waits %v: want no retry", s.n.Load(), sl.Waits())
			}
			var ae *upload.APIError
			if errors.As(err, &ae) && c.name == "retry-after beyond the cap" && ae.RetryAfter != time.Hour {
				t.Errorf("RetryAfter = %v, want 1h", ae.RetryAfter)
			}
		})
	}
}

func TestRetryTransient(t *testing.T) {
	for _, c := range []struct {
		name  string
		first func(http.ResponseWriter, *http.Request)
	}{
		{"408", status(408, "")},
		{"409", status(409, "")},
		{"502 html", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			_, _ = w.Write([]byte("<html><body><h1>502 Bad Gateway</h1></body></html>"))
		}},
		{"connection reset", func(w http.ResponseWriter, _ *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				if tc, ok := conn.(*net.TCPConn); ok {
					_ = tc.SetLinger(0)
				}
				conn.Close()
			}
		}},
		{"x-should-retry true", status(425, "", "X-Should-Retry", "true")},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := &script{answers: []func(http.ResponseWriter, *http.Request){c.first, ok(t)}}
			srv := httptest.NewServer(s)
			defer srv.Close()
			cl, sl := newClient(t, srv.URL, nil)
			if _, err := cl.Edit(context.Background(), gptRequest(t), upload.Multipart); err != nil {
				t.Fatal(err)
			}
			if s.n.Load() != 2 || len(sl.Waits()) != 1 {
				t.Errorf("%d requests, waits %v: want one retry", s.n.Load(), sl.Waits())
			}
		})
	}
}

func TestAttemptTimeoutRetried(t *testing.T) {
	release := make(chan struct{})
	s := &script{answers: []func(http.ResponseWriter, *http.Request){
		func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body) // then the server notices the client leaving
			select {                           // hang until the client gives up on this attempt
			case <-r.Context().Done():
			case <-release:
			}
		},
		ok(t),
	}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	defer close(release)
	var events []upload.RetryEvent
	cl, _ := newClient(t, srv.URL, func(c *upload.Config) {
		c.Timeout = 30 * time.Millisecond
		c.OnRetry = func(e upload.RetryEvent) { events = append(events, e) }
	})
	if _, err := cl.Edit(context.Background(), gptRequest(t), upload.Multipart); err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 || !errors.Is(events[0].Err, upload.ErrTimeout) {
		t.Errorf("retry events %+v, want one ErrTimeout", events)
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	s := &script{answers: []func(http.ResponseWriter, *http.Request){status(429, "rate_limit_exceeded", "Retry-After", "30")}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	// A real sleeper: the 30 s wait must end as soon as ctx is cancelled.
	cl, err := driver.NewClient(upload.Config{BaseURL: srv.URL, APIKey: testKey,
		OnRetry: func(upload.RetryEvent) { time.AfterFunc(20*time.Millisecond, cancel) }})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = cl.Edit(ctx, gptRequest(t), upload.Multipart)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("returned after %v", d)
	}
	if !strings.Contains(err.Error(), "rate_limit_exceeded") {
		t.Errorf("error %q does not carry the last failure", err)
	}
}

func TestDeadlineShorterThanWait(t *testing.T) {
	s := &script{answers: []func(http.ResponseWriter, *http.Request){status(429, "rate_limit_exceeded", "Retry-After", "30")}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cl, sl := newClient(t, srv.URL, nil)
	_, err := cl.Edit(ctx, gptRequest(t), upload.Multipart)
	if !errors.Is(err, upload.ErrRateLimit) || len(sl.Waits()) != 0 {
		t.Errorf("err %v, waits %v: want the 429 at once", err, sl.Waits())
	}
}

func TestMaxRetriesNegative(t *testing.T) {
	s := &script{answers: []func(http.ResponseWriter, *http.Request){status(500, "")}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	cl, _ := newClient(t, srv.URL, func(c *upload.Config) { c.Retry.MaxRetries = -1 })
	if _, err := cl.Edit(context.Background(), gptRequest(t), upload.Multipart); !errors.Is(err, upload.ErrServer) || s.n.Load() != 1 {
		t.Errorf("err %v after %d requests", err, s.n.Load())
	}
}

func TestRetryAfterParse(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, c := range []struct {
		h    http.Header
		want time.Duration
		ok   bool
	}{
		{http.Header{"Retry-After": {"2"}}, 2 * time.Second, true},
		{http.Header{"Retry-After": {"1.5"}}, 1500 * time.Millisecond, true},
		{http.Header{"Retry-After": {now.Add(7 * time.Second).Format(http.TimeFormat)}}, 7 * time.Second, true},
		{http.Header{"Retry-After-Ms": {"120"}}, 120 * time.Millisecond, true},
		{http.Header{"Retry-After": {"0"}}, 0, false},
		{http.Header{"Retry-After": {"soon"}}, 0, false},
		{http.Header{}, 0, false},
	} {
		got, ok := driver.RetryAfter(c.h, now)
		if got != c.want || ok != c.ok {
			t.Errorf("RetryAfter(%v) = %v %v, want %v %v", c.h, got, ok, c.want, c.ok)
		}
	}
}

func TestBackoff(t *testing.T) {
	p := upload.RetryPolicy{Jitter: upload.JitterNone}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second}
	for i, w := range want {
		if got := p.Backoff(i + 1); got != w {
			t.Errorf("Backoff(%d) = %v, want %v", i+1, got, w)
		}
	}
	for i := 1; i < 8; i++ {
		full := upload.RetryPolicy{Jitter: upload.JitterFull}.Backoff(i)
		equal := upload.RetryPolicy{}.Backoff(i)
		d := p.Backoff(i)
		if full < 0 || full > d || equal < d/2 || equal > d {
			t.Errorf("retry %d: full %v, equal %v outside [0|%v, %v]", i, full, equal, d/2, d)
		}
	}
}

func TestNetworkErrorsExhausted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()
	cl, sl := newClient(t, srv.URL, func(c *upload.Config) { c.Retry.MaxRetries = 2 })
	_, err := cl.Edit(context.Background(), gptRequest(t), upload.Multipart)
	if !errors.Is(err, upload.ErrNetwork) || !strings.Contains(err.Error(), "after 3 attempts") || len(sl.Waits()) != 2 {
		t.Errorf("err = %v, waits %v", err, sl.Waits())
	}
}
