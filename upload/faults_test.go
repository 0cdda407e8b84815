package upload_test

// Fault tests against the fake server (issue 7): 429 storms, 5xx, resets,
// slow and stalled bodies, truncated, malformed and oversized answers,
// result URLs that redirect to other schemes or exceed the download cap.
// Each asserts the attempts, the waits passed to Config.Sleep, the error's
// type, and that the goroutine count comes back to what it was.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/async"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

// frig is a fake server (optionally wrapped), an uploader with its own
// transport, and recorders.
type frig struct {
	t     *testing.T
	h     *uploadtest.Handler
	ts    *httptest.Server
	base  string
	up    upload.Uploader
	cfg   upload.Config
	sleep *uploadtest.Sleeper

	mu     sync.Mutex
	events []upload.RetryEvent
}

// newFrig starts the fake API with opts behind wrap (nil: none) and opens
// driver against it. It also checks, after every other cleanup, that the
// goroutines started meanwhile have ended.
func newFrig(t *testing.T, driver string, opts uploadtest.Options, wrap func(http.Handler) http.Handler, mod func(*upload.Config)) *frig {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	noLeaks(t, tr)
	opts.APIKey = testKey
	h := uploadtest.NewHandler(opts)
	var hh http.Handler = h
	if wrap != nil {
		hh = wrap(h)
	}
	ts := httptest.NewServer(hh)
	t.Cleanup(ts.Close)
	r := &frig{t: t, h: h, ts: ts, base: ts.URL + "/v1", sleep: &uploadtest.Sleeper{}}
	r.cfg = upload.Config{BaseURL: r.base, APIKey: testKey, HTTPClient: &http.Client{Transport: tr},
		Sleep: r.sleep.Sleep, Timeout: 5 * time.Second, DownloadTimeout: 5 * time.Second,
		Options: []any{async.Options{PollInterval: 5 * time.Millisecond, PollTimeout: 5 * time.Second}},
		OnRetry: func(e upload.RetryEvent) {
			r.mu.Lock()
			r.events = append(r.events, e)
			r.mu.Unlock()
		}}
	if mod != nil {
		mod(&r.cfg)
	}
	up, err := upload.Open(driver, r.cfg)
	if err != nil {
		t.Fatal(err)
	}
	r.up = up
	return r
}

// noLeaks records the goroutine count now and, in a cleanup that runs
// after the test's other cleanups (servers closed), closes tr's idle
// connections and waits for the count to come back.
func noLeaks(t *testing.T, tr *http.Transport) {
	base := uploadtest.SettleGoroutines(-1, 0)
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		if n := uploadtest.SettleGoroutines(base, 3*time.Second); n > base {
			t.Errorf("%d goroutines after the test, %d before:\n%s", n, base, uploadtest.GoroutineDump())
		}
	})
}

func (r *frig) edit(req *upload.Request) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := r.up.Edit(ctx, req)
	return err
}

// edits waits briefly for the server to have recorded want edit requests
// (an abandoned attempt is recorded once the server notices) and returns
// the count.
func (r *frig) edits(want int) int {
	deadline := time.Now().Add(time.Second)
	for {
		n := len(r.h.Edits())
		if n >= want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func (r *frig) gets(prefix string) int {
	n := 0
	for _, q := range r.h.Requests() {
		if q.Method == http.MethodGet && strings.HasPrefix(q.Path, prefix) {
			n++
		}
	}
	return n
}

func (r *frig) retryEvents() []upload.RetryEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]upload.RetryEvent(nil), r.events...)
}

// tiny is a valid edit that the fake answers in a few milliseconds (a
// 256 px dall-e-2 edit as b64_json), for tests with short timeouts.
func tiny() *upload.Request {
	return &upload.Request{Model: "dall-e-2", Prompt: "p", Size: "256x256", ResponseFormat: "b64_json",
		Images: []upload.File{{Name: "in.png", Data: uploadtest.SamplePNG(256, 256, true)}}}
}

// small is a valid edit whose answer is a 1024 px PNG.
func small() *upload.Request {
	return &upload.Request{Model: "gpt-image-1", Prompt: "p", Images: []upload.File{{Name: "in.png", Data: uploadtest.SamplePNG(1024, 1024, true)}}}
}

func repeat(f uploadtest.Fault, n int) []uploadtest.Fault {
	out := make([]uploadtest.Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}

func durations(ds ...string) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, s := range ds {
		out[i], _ = time.ParseDuration(s)
	}
	return out
}

func equalDurations(a, b []time.Duration) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func TestFaultRateLimitStorm(t *testing.T) {
	for _, driver := range []string{"openai-multipart", "openai-json", "openai-stream", "async-task"} {
		t.Run(driver, func(t *testing.T) {
			r := newFrig(t, driver, uploadtest.Options{}, nil, func(c *upload.Config) { c.Retry.MaxRetries = 4 })
			r.h.Inject(repeat(uploadtest.Fault{Status: 429, RetryAfter: "1"}, 50)...)
			err := r.edit(small())
			var ae *upload.APIError
			if !errors.As(err, &ae) || !errors.Is(err, upload.ErrRateLimit) || ae.Attempts != 5 {
				t.Fatalf("err %v, want an ErrRateLimit *APIError after 5 attempts", err)
			}
			if n := r.edits(5); n != 5 {
				t.Errorf("%d attempts reached the server, want 5 (bounded)", n)
			}
			if w := r.sleep.Waits(); !equalDurations(w, durations("1s", "1s", "1s", "1s")) {
				t.Errorf("waits %v, want four Retry-After waits of 1s", w)
			}
			if ev := r.retryEvents(); len(ev) != 4 || !ev[3].RetryAfter || ev[3].Attempt != 4 {
				t.Errorf("OnRetry events %+v", ev)
			}
		})
	}
}

func TestFaultRetryAfterRules(t *testing.T) {
	type tc struct {
		name     string
		faults   []uploadtest.Fault
		mod      func(*upload.Config)
		ctxLimit time.Duration
		attempts int
		waits    func([]time.Duration) bool
		ok       bool
	}
	exactly := func(ds ...string) func([]time.Duration) bool {
		return func(w []time.Duration) bool { return equalDurations(w, durations(ds...)) }
	}
	date := time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat)
	for _, c := range []tc{
		{name: "Retry-After-Ms wins", faults: []uploadtest.Fault{{Status: 429, RetryAfterMs: "250", RetryAfter: "9"}},
			attempts: 2, waits: exactly("250ms"), ok: true},
		{name: "HTTP date", faults: []uploadtest.Fault{{Status: 503, RetryAfter: date}},
			attempts: 2, ok: true, waits: func(w []time.Duration) bool {
				return len(w) == 1 && w[0] > time.Second && w[0] <= 3*time.Second
			}},
		{name: "unparsable Retry-After: backoff", faults: []uploadtest.Fault{{Status: 429, RetryAfter: "soon"}},
			mod:      func(c *upload.Config) { c.Retry.BaseDelay, c.Retry.Jitter = 300*time.Millisecond, upload.JitterNone },
			attempts: 2, waits: exactly("300ms"), ok: true},
		{name: "beyond MaxRetryAfter: give up", faults: []uploadtest.Fault{{Status: 429, RetryAfter: "120"}},
			attempts: 1, waits: exactly()},
		{name: "lowered MaxRetryAfter", faults: []uploadtest.Fault{{Status: 429, RetryAfter: "3"}},
			mod:      func(c *upload.Config) { c.Retry.MaxRetryAfter = 2 * time.Second },
			attempts: 1, waits: exactly()},
		{name: "beyond the context deadline: give up", faults: []uploadtest.Fault{{Status: 429, RetryAfter: "30"}},
			ctxLimit: 5 * time.Second, attempts: 1, waits: exactly()},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newFrig(t, "openai-multipart", uploadtest.Options{}, nil, c.mod)
			r.h.Inject(c.faults...)
			limit := 20 * time.Second
			if c.ctxLimit > 0 {
				limit = c.ctxLimit
			}
			ctx, cancel := context.WithTimeout(context.Background(), limit)
			defer cancel()
			_, err := r.up.Edit(ctx, small())
			if c.ok != (err == nil) {
				t.Fatalf("err %v", err)
			}
			if !c.ok {
				var ae *upload.APIError
				if !errors.As(err, &ae) || ae.RetryAfter <= 0 {
					t.Errorf("err %v: want an *APIError carrying the requested wait", err)
				}
			}
			if n := r.edits(c.attempts); n != c.attempts {
				t.Errorf("%d attempts, want %d", n, c.attempts)
			}
			if w := r.sleep.Waits(); !c.waits(w) {
				t.Errorf("waits %v", w)
			}
		})
	}
}

func TestFaultServerErrors(t *testing.T) {
	r := newFrig(t, "openai-multipart", uploadtest.Options{}, nil, func(c *upload.Config) {
		c.Retry = upload.RetryPolicy{MaxRetries: 6, BaseDelay: 100 * time.Millisecond, MaxDelay: 400 * time.Millisecond, Jitter: upload.JitterNone}
	})
	r.h.Inject(uploadtest.Fault{Status: 500}, uploadtest.Fault{Status: 502}, uploadtest.Fault{Status: 503},
		uploadtest.Fault{Status: 500, Body: "<html>" + strings.Repeat("gateway error ", 20000) + "</html>"},
		uploadtest.Fault{Status: 500, Truncate: true}, uploadtest.Fault{Status: 503}, uploadtest.Fault{Status: 504})
	err := r.edit(small())
	var ae *upload.APIError
	if !errors.As(err, &ae) || !errors.Is(err, upload.ErrServer) || !errors.Is(err, upload.ErrTimeout) || ae.StatusCode != 504 || ae.Attempts != 7 {
		t.Fatalf("err %v, want the last answer (504: ErrServer and ErrTimeout) after 7 attempts", err)
	}
	if n := r.edits(7); n != 7 {
		t.Errorf("%d attempts", n)
	}
	if w := r.sleep.Waits(); !equalDurations(w, durations("100ms", "200ms", "400ms", "400ms", "400ms", "400ms")) {
		t.Errorf("waits %v, want doubling backoff capped at 400ms", w)
	}
	for _, e := range r.retryEvents() {
		if e.Attempt == 4 && len(e.Err.Error()) > 400 {
			t.Errorf("a 260 KB error page made a %d-byte error", len(e.Err.Error()))
		}
	}
}

func TestFaultResets(t *testing.T) {
	t.Run("every attempt", func(t *testing.T) {
		r := newFrig(t, "openai-multipart", uploadtest.Options{}, nil, func(c *upload.Config) { c.Retry.MaxRetries = 3 })
		r.h.Inject(repeat(uploadtest.Fault{Reset: true}, 4)...)
		err := r.edit(small())
		if !errors.Is(err, upload.ErrNetwork) || !strings.Contains(err.Error(), "after 4 attempts") {
			t.Fatalf("err %v, want ErrNetwork after 4 attempts", err)
		}
		if n := r.edits(4); n != 4 || len(r.sleep.Waits()) != 3 {
			t.Errorf("%d attempts, waits %v", n, r.sleep.Waits())
		}
	})
	t.Run("then success, stream", func(t *testing.T) {
		r := newFrig(t, "openai-stream", uploadtest.Options{}, nil, nil)
		r.h.Inject(uploadtest.Fault{Reset: true}, uploadtest.Fault{Reset: true})
		if err := r.edit(small()); err != nil {
			t.Fatal(err)
		}
		if n := r.edits(3); n != 3 {
			t.Errorf("%d attempts, want 3", n)
		}
	})
}

// slowBody wraps the fake so that edit answers are written in chunks of
// size bytes with pause between them; stall, when set, pauses once
// before the second chunk of the first answer only.
func slowBody(size int, pause, stall time.Duration) func(http.Handler) http.Handler {
	var mu sync.Mutex
	first := true
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost {
				h.ServeHTTP(w, r)
				return
			}
			mu.Lock()
			st := time.Duration(0)
			if first {
				st, first = stall, false
			}
			mu.Unlock()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			body := rec.Body.Bytes()
			rc := http.NewResponseController(w)
			for i := 0; i < len(body); i += size {
				if i > 0 {
					d := pause
					if i == size && st > 0 {
						d = st
					}
					select {
					case <-r.Context().Done():
						return
					case <-time.After(d):
					}
				}
				_, _ = w.Write(body[i:min(i+size, len(body))])
				_ = rc.Flush()
			}
		})
	}
}

// stallStream wraps the fake's SSE answers: it sends the stream's headers
// and ": ping" comments every 20 ms while the fake works (a stream's
// keep-alives, so the work itself never trips the client's idle timeout),
// then the first event, then stalls for stall before the rest.
func stallStream(stall time.Duration) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost {
				h.ServeHTTP(w, r)
				return
			}
			// Read the request first: once the answer has begun, the
			// HTTP/1 server no longer lets the handler read it.
			reqBody, err := io.ReadAll(r.Body)
			if err != nil {
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(reqBody))
			rc := http.NewResponseController(w)
			w.Header().Set("Content-Type", "text/event-stream")
			w.WriteHeader(http.StatusOK)
			_ = rc.Flush()
			rec := httptest.NewRecorder()
			done := make(chan struct{})
			go func() {
				defer close(done)
				h.ServeHTTP(rec, r)
			}()
			tick := time.NewTicker(20 * time.Millisecond)
			defer tick.Stop()
			for working := true; working; {
				select {
				case <-done:
					working = false
				case <-tick.C:
					_, _ = w.Write([]byte(": ping\n\n"))
					_ = rc.Flush()
				}
			}
			body := rec.Body.Bytes()
			first := len(body)
			if i := strings.Index(string(body), "\n\n"); i >= 0 {
				first = i + 2
			}
			_, _ = w.Write(body[:first])
			_ = rc.Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(stall):
			}
			_, _ = w.Write(body[first:])
		})
	}
}

func TestFaultSlowBodies(t *testing.T) {
	t.Run("trickle within the idle timeout", func(t *testing.T) {
		// The answer takes longer than Timeout in total but never pauses
		// that long: Timeout bounds stalls, not transfers.
		r := newFrig(t, "openai-multipart", uploadtest.Options{}, slowBody(128, 15*time.Millisecond, 0), func(c *upload.Config) {
			c.Timeout = 100 * time.Millisecond
		})
		start := time.Now()
		if err := r.edit(tiny()); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d < 100*time.Millisecond {
			t.Errorf("answer took only %v; the trickle must outlast Timeout", d)
		}
		if n := r.edits(1); n != 1 {
			t.Errorf("%d attempts", n)
		}
	})
	t.Run("stall mid-body", func(t *testing.T) {
		r := newFrig(t, "openai-multipart", uploadtest.Options{}, slowBody(512, 0, 280*time.Millisecond), func(c *upload.Config) {
			c.Timeout = 120 * time.Millisecond
		})
		if err := r.edit(tiny()); err != nil {
			t.Fatalf("the stalled first answer should have been retried: %v", err)
		}
		if n := r.edits(2); n != 2 {
			t.Errorf("%d attempts, want 2", n)
		}
		if ev := r.retryEvents(); len(ev) != 1 || !errors.Is(ev[0].Err, upload.ErrTimeout) {
			t.Errorf("OnRetry events %+v, want one ErrTimeout", ev)
		}
	})
	t.Run("stall mid-stream", func(t *testing.T) {
		r := newFrig(t, "openai-stream", uploadtest.Options{}, stallStream(280*time.Millisecond), func(c *upload.Config) {
			c.Timeout = 120 * time.Millisecond
		})
		var partials int
		req := small()
		req.PartialImages = intp(2)
		req.OnPartial = func(upload.PartialImage) { partials++ }
		err := r.edit(req)
		if !errors.Is(err, upload.ErrTimeout) {
			t.Fatalf("err %v, want ErrTimeout", err)
		}
		if n := r.edits(1); n != 1 {
			t.Errorf("%d attempts; a stream that started is not retried", n)
		}
		if partials != 1 {
			t.Errorf("%d partial images before the stall, want 1 (err %v)", partials, err)
		}
	})
	t.Run("slow headers", func(t *testing.T) {
		r := newFrig(t, "openai-json", uploadtest.Options{}, nil, func(c *upload.Config) {
			c.Timeout = 50 * time.Millisecond
			c.Retry.MaxRetries = 2
		})
		r.h.Inject(repeat(uploadtest.Fault{Delay: 250 * time.Millisecond}, 3)...)
		err := r.edit(small())
		if !errors.Is(err, upload.ErrTimeout) || !strings.Contains(err.Error(), "after 3 attempts") {
			t.Fatalf("err %v, want ErrTimeout after 3 attempts", err)
		}
		if n := r.edits(3); n != 3 {
			t.Errorf("%d attempts", n)
		}
	})
}

func TestFaultBadBodies(t *testing.T) {
	for _, c := range []struct {
		name   string
		driver string
		fault  uploadtest.Fault
		is     error
	}{
		{"truncated", "openai-multipart", uploadtest.Fault{Truncate: true}, upload.ErrMalformedResponse},
		{"truncated stream", "openai-stream", uploadtest.Fault{Truncate: true}, upload.ErrMalformedResponse},
		{"truncated task", "async-task", uploadtest.Fault{Truncate: true}, upload.ErrMalformedResponse},
		{"not JSON", "openai-multipart", uploadtest.Fault{Body: "{not json"}, upload.ErrMalformedResponse},
		{"HTML 200", "openai-json", uploadtest.Fault{Body: "<html><body>Welcome to nginx</body></html>"}, upload.ErrMalformedResponse},
		{"not JSON task", "async-task", uploadtest.Fault{Body: "{not json"}, upload.ErrMalformedResponse},
		{"bad base64", "openai-multipart", uploadtest.Fault{Body: `{"created":1,"data":[{"b64_json":"!!not base64!!"}]}`}, upload.ErrMalformedResponse},
		{"data is not a list", "relay-json", uploadtest.Fault{Body: `{"created":1,"data":[{"b64_json":1}]}`}, upload.ErrMalformedResponse},
		{"no image", "openai-multipart", uploadtest.Fault{Body: `{"created":1,"data":[]}`}, upload.ErrNoImage},
		{"error in a 200", "openai-multipart", uploadtest.Fault{Body: `{"error":{"message":"upstream busy","type":"server_error","code":"server_error"}}`}, upload.ErrServer},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newFrig(t, c.driver, uploadtest.Options{}, nil, nil)
			r.h.Inject(c.fault)
			err := r.edit(small())
			if !errors.Is(err, c.is) {
				t.Fatalf("err %v, want %v", err, c.is)
			}
			// A 200 that was cut or unreadable was processed (and billed):
			// it is not sent again.
			if n := r.edits(1); n != 1 || len(r.sleep.Waits()) != 0 {
				t.Errorf("%d attempts, waits %v: want no retry", n, r.sleep.Waits())
			}
		})
	}
}

func TestFaultOversized(t *testing.T) {
	t.Run("response body", func(t *testing.T) {
		r := newFrig(t, "openai-multipart", uploadtest.Options{}, nil, func(c *upload.Config) { c.MaxResponseBytes = 4096 })
		err := r.edit(small())
		if !errors.Is(err, upload.ErrMalformedResponse) || !strings.Contains(err.Error(), "exceeds 4096 bytes") {
			t.Fatalf("err %v", err)
		}
		if n := r.edits(1); n != 1 {
			t.Errorf("%d attempts", n)
		}
	})
	t.Run("stream event", func(t *testing.T) {
		r := newFrig(t, "openai-stream", uploadtest.Options{}, nil, func(c *upload.Config) { c.MaxResponseBytes = 4096 })
		err := r.edit(small())
		if !errors.Is(err, upload.ErrMalformedResponse) || !strings.Contains(err.Error(), "exceeds") {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("task answer", func(t *testing.T) {
		r := newFrig(t, "async-task", uploadtest.Options{TaskSteps: -1}, nil, func(c *upload.Config) { c.MaxResponseBytes = 4096 })
		err := r.edit(small())
		if !errors.Is(err, upload.ErrMalformedResponse) || !strings.Contains(err.Error(), "exceeds") {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("download", func(t *testing.T) {
		r := newFrig(t, "openai-multipart", uploadtest.Options{URLResults: true}, nil, func(c *upload.Config) { c.MaxDownloadBytes = 1000 })
		err := r.edit(small())
		if !errors.Is(err, upload.ErrDownload) || !strings.Contains(err.Error(), "exceeds 1000 bytes") {
			t.Fatalf("err %v", err)
		}
		if n := r.gets("/files/"); n != 1 {
			t.Errorf("%d download attempts; an oversized result is not fetched again", n)
		}
	})
}

// redirectFiles wraps the fake so that result downloads redirect to loc;
// it counts them in n.
func redirectFiles(loc string, n *atomic.Int32) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/files/") {
				n.Add(1)
				http.Redirect(w, r, loc, http.StatusFound)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
}

func TestFaultResultURLs(t *testing.T) {
	for _, loc := range []string{"file:///etc/passwd", "ftp://example.com/result.png", "gopher://example.com/1"} {
		t.Run("redirect to "+loc, func(t *testing.T) {
			var hits atomic.Int32
			r := newFrig(t, "openai-multipart", uploadtest.Options{URLResults: true}, redirectFiles(loc, &hits), nil)
			err := r.edit(small())
			if !errors.Is(err, upload.ErrDownload) || !strings.Contains(err.Error(), "http and https only") {
				t.Fatalf("err %v, want ErrDownload refusing the scheme", err)
			}
			if n := hits.Load(); n != 1 || len(r.sleep.Waits()) != 0 {
				t.Errorf("%d downloads, waits %v: a refused redirect is not retried", n, r.sleep.Waits())
			}
			if strings.Contains(fmt.Sprintf("%v %+v", err, err), testKey) {
				t.Error("the key appears in the error")
			}
		})
	}
	for _, u := range []string{"file:///etc/passwd", "ftp://example.com/x.png", "data:image/png;base64,AAAA", "//example.com/x.png"} {
		t.Run("url "+u, func(t *testing.T) {
			r := newFrig(t, "openai-multipart", uploadtest.Options{}, nil, nil)
			r.h.Inject(uploadtest.Fault{Body: `{"created":1,"data":[{"url":"` + u + `"}]}`})
			err := r.edit(small())
			if !errors.Is(err, upload.ErrDownload) {
				t.Fatalf("err %v, want ErrDownload", err)
			}
			if n := len(r.h.Requests()); n != 1 {
				t.Errorf("%d requests; only the edit was expected", n)
			}
		})
	}
	t.Run("another origin gets no key", func(t *testing.T) {
		var got []string
		var mu sync.Mutex
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			got = append(got, r.Header.Get("Authorization"))
			mu.Unlock()
			w.Header().Set("Content-Type", "image/png")
			_, _ = w.Write(uploadtest.SamplePNG(16, 16, false))
		}))
		r := newFrig(t, "openai-multipart", uploadtest.Options{}, nil, nil)
		t.Cleanup(other.Close)
		r.h.Inject(uploadtest.Fault{Body: `{"created":1,"data":[{"url":"` + other.URL + `/img.png"}]}`})
		if err := r.edit(small()); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(got) != 1 || got[0] != "" {
			t.Errorf("the result host got Authorization %q", got)
		}
	})
	t.Run("slow download", func(t *testing.T) {
		stall := func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasPrefix(r.URL.Path, "/files/") {
					select {
					case <-r.Context().Done():
						return
					case <-time.After(250 * time.Millisecond):
					}
				}
				h.ServeHTTP(w, r)
			})
		}
		r := newFrig(t, "openai-multipart", uploadtest.Options{URLResults: true}, stall, func(c *upload.Config) { c.DownloadTimeout = 60 * time.Millisecond })
		start := time.Now()
		err := r.edit(small())
		if !errors.Is(err, upload.ErrDownload) || !errors.Is(err, upload.ErrTimeout) {
			t.Fatalf("err %v, want ErrDownload and ErrTimeout", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("took %v", d)
		}
	})
}

func TestFaultCancelUnderStorm(t *testing.T) {
	// A 429 storm with long Retry-After waits, really waited (up to 20 ms
	// each): cancelling ends the wait at once.
	r := newFrig(t, "openai-multipart", uploadtest.Options{}, nil, func(c *upload.Config) { c.Retry.MaxRetries = 100 })
	r.sleep.Max = 20 * time.Millisecond
	r.h.Inject(repeat(uploadtest.Fault{Status: 429, RetryAfter: "1"}, 200)...)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(60*time.Millisecond, cancel)
	start := time.Now()
	_, err := r.up.Edit(ctx, small())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if n := r.edits(1); n < 2 {
		t.Errorf("%d attempts before the cancellation", n)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("returned after %v", d)
	}
}
