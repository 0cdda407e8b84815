package uploadtest

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/upload"
)

// Capabilities say what a driver does, so that RunConformance checks the
// right wire shape and skips only what the driver cannot do.
type Capabilities struct {
	// Encoding is the request body the driver sends; a driver that
	// implements upload.EncodingReporter must report the same.
	Encoding upload.Encoding
	// Async drivers submit with ?async=true and poll GET {base}/tasks/{id}.
	Async bool
	// AlwaysStream drivers send stream=true whatever the request says.
	AlwaysStream bool
	// Stream drivers honour Request.Stream (SSE with partial images).
	Stream bool
	// Skip lists the subtests (by name, e.g. "mask-dall-e-2" or
	// "params/dall-e-2") the driver cannot run, each with the reason.
	// Every other subtest runs; a name that is not a subtest fails the
	// suite, so the list stays honest.
	Skip map[string]string
}

// Reasons shared by the built-in drivers' skip lists.
const (
	whyNotAsync      = "not an async driver: it polls no task"
	whyJSONGPTOnly   = "JSON edit bodies are for GPT image models only (EditImageBodyJsonParam); Validate refuses dall-e-2 and FLUX"
	whyRelayGPTOnly  = "the fake server, like the official API, takes JSON bodies for GPT image models only (relays document the \"image\": base64 shape for gpt-image-1)"
	whyNoFieldName   = "JSON bodies have no multipart field name to switch"
	whyStreamGPTOnly = "stream=true is a GPT image model parameter; the driver always streams"
	whyStreamB64     = "stream events carry b64_json only, never a url"
	whyAsyncNoStream = "an async task cannot stream (the driver refuses stream=true before sending)"
)

func jsonSkips(why string) map[string]string {
	return map[string]string{
		"several-images-repeated-field": whyNoFieldName,
		"mask-dall-e-2":                 why,
		"result-url-dall-e-2":           why,
		"params/dall-e-2":               why,
		"params/flux-kontext-pro":       why,
		"params/flux-kontext-max":       why,
		"async-task":                    whyNotAsync,
		"async-task-failed":             whyNotAsync,
		"cancel-while-polling":          whyNotAsync,
	}
}

// builtinCapabilities are the capabilities of the drivers in upload/*.
var builtinCapabilities = map[string]Capabilities{
	"openai-multipart": {Encoding: upload.Multipart, Stream: true, Skip: map[string]string{
		"async-task":           whyNotAsync,
		"async-task-failed":    whyNotAsync,
		"cancel-while-polling": whyNotAsync,
	}},
	"openai-json": {Encoding: upload.JSON, Stream: true, Skip: jsonSkips(whyJSONGPTOnly)},
	"relay-json":  {Encoding: upload.RelayJSON, Stream: true, Skip: jsonSkips(whyRelayGPTOnly)},
	"async-task": {Encoding: upload.Multipart, Async: true, Skip: map[string]string{
		"stream-partials":    whyAsyncNoStream,
		"stream-error-event": whyAsyncNoStream,
	}},
	"openai-stream": {Encoding: upload.Multipart, AlwaysStream: true, Stream: true, Skip: map[string]string{
		"mask-dall-e-2":           whyStreamGPTOnly,
		"result-url-dall-e-2":     whyStreamGPTOnly,
		"params/dall-e-2":         whyStreamGPTOnly,
		"params/flux-kontext-pro": whyStreamGPTOnly,
		"params/flux-kontext-max": whyStreamGPTOnly,
		"result-url":              whyStreamB64,
		"async-task":              whyNotAsync,
		"async-task-failed":       whyNotAsync,
		"cancel-while-polling":    whyNotAsync,
	}},
}

// ConformanceCapabilities returns the capabilities RunConformance assumes
// for a built-in driver name.
func ConformanceCapabilities(driver string) (Capabilities, bool) {
	c, ok := builtinCapabilities[driver]
	if !ok {
		return Capabilities{}, false
	}
	c.Skip = maps.Clone(c.Skip)
	return c, true
}

// RunConformance runs the uploader conformance suite against a fake
// server for the built-in driver named driver (see
// ConformanceCapabilities; other drivers use RunConformanceWith). open
// makes the uploader for a Config that points at the subtest's server;
// it must use every field of the Config (HTTPClient, Sleep, Retry,
// Options, ...) and, for an async driver, add the driver's options for
// PollInterval.
//
// The subtests cover: one and several images (image[] and repeated
// image), a mask (the returned image is EditColor exactly where the mask
// is transparent and unchanged elsewhere), every model's accepted
// parameter set with the fields the server received, b64, url and
// data-URL results, usage and revised_prompt, retries (429 with
// Retry-After and the waits passed to Config.Sleep, 5xx exhaustion, resets,
// attempt timeouts), errors that are never retried (400, moderation, 401
// without the key in the message), truncated and malformed bodies,
// cancellation, async tasks and streams. After each subtest the number of
// goroutines must come back to what it was before the suite; so do not
// run the suite in parallel with other tests.
func RunConformance(t *testing.T, driver string, open func(t *testing.T, cfg upload.Config) upload.Uploader) {
	t.Helper()
	caps, ok := ConformanceCapabilities(driver)
	if !ok {
		t.Fatalf("uploadtest: no conformance capabilities for driver %q; use RunConformanceWith", driver)
	}
	RunConformanceWith(t, driver, caps, open)
}

// RunConformanceWith is RunConformance with explicit capabilities.
func RunConformanceWith(t *testing.T, driver string, caps Capabilities, open func(t *testing.T, cfg upload.Config) upload.Uploader) {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	defer tr.CloseIdleConnections()
	c := &conformance{driver: driver, caps: caps, open: open, tr: tr, hc: &http.Client{Transport: tr}}
	cases := c.cases()
	names := map[string]bool{}
	for _, cs := range cases {
		names[cs.name] = true
	}
	for _, p := range model.Profiles() {
		names["params/"+p.Name] = true
	}
	for name := range caps.Skip {
		if !names[name] {
			t.Errorf("Capabilities.Skip of %s lists %q, which is not a conformance subtest", driver, name)
		}
	}
	base := settleGoroutines(-1, 0)
	for _, cs := range cases {
		c.run(t, cs.name, cs.f)
		if n, ok := c.settle(base); !ok {
			t.Errorf("%s: %d goroutines after subtest %s, %d before it:\n%s", driver, n, cs.name, base, goroutineDump())
			base = n // report each leak once
		}
	}
}

// conformance is one run of the suite.
type conformance struct {
	driver string
	caps   Capabilities
	open   func(*testing.T, upload.Config) upload.Uploader
	tr     *http.Transport
	hc     *http.Client
}

type confCase struct {
	name string
	f    func(t *testing.T)
}

// run runs one subtest unless the capabilities skip it.
func (c *conformance) run(t *testing.T, name string, f func(t *testing.T)) bool {
	return t.Run(name, func(t *testing.T) {
		if why, ok := c.caps.Skip[c.skipKey(t)]; ok {
			t.Skipf("%s: skipped: %s", c.driver, why)
		}
		f(t)
	})
}

// skipKey is the subtest's name below RunConformance's own test, e.g.
// "params/dall-e-2".
func (c *conformance) skipKey(t *testing.T) string {
	parts := strings.Split(t.Name(), "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if parts[i] == "params" && i+1 < len(parts) {
			return "params/" + strings.Join(parts[i+1:], "/")
		}
	}
	return parts[len(parts)-1]
}

// settle closes idle connections and waits for the goroutine count to
// drop to base.
func (c *conformance) settle(base int) (int, bool) {
	c.tr.CloseIdleConnections()
	n := settleGoroutines(base, 3*time.Second)
	return n, n <= base
}

// settleGoroutines polls runtime.NumGoroutine until it is at most want or
// within passes; with want < 0 it waits briefly for the count to stop
// falling and returns it.
func settleGoroutines(want int, within time.Duration) int {
	if want < 0 {
		n := runtime.NumGoroutine()
		for range 20 {
			time.Sleep(2 * time.Millisecond)
			m := runtime.NumGoroutine()
			if m >= n {
				return m
			}
			n = m
		}
		return n
	}
	deadline := time.Now().Add(within)
	for {
		n := runtime.NumGoroutine()
		if n <= want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// goroutineDump returns the stacks of all goroutines, cut to 8 KB.
func goroutineDump() string {
	buf := make([]byte, 64<<10)
	buf = buf[:runtime.Stack(buf, true)]
	if len(buf) > 8<<10 {
		buf = append(buf[:8<<10], "\n…"...)
	}
	return string(buf)
}

// SettleGoroutines waits up to within for runtime.NumGoroutine to drop to
// base and returns the last count; tests use it after closing their
// servers and idle connections to assert that nothing leaked.
func SettleGoroutines(base int, within time.Duration) int { return settleGoroutines(base, within) }

// GoroutineDump returns the stacks of all goroutines (cut to 8 KB) for a
// leak report.
func GoroutineDump() string { return goroutineDump() }

// confKey is the API key of every conformance server; it must never
// appear in an error.
const confKey = "sk-conformance-SECRET-7f3a9c01d2"

// rig is one subtest's server, uploader and recorders.
type rig struct {
	t     *testing.T
	c     *conformance
	srv   *Server
	up    upload.Uploader
	cfg   upload.Config
	sleep *Sleeper

	mu      sync.Mutex
	retries []upload.RetryEvent
}

// rig starts a fake server with opts (APIKey defaults to confKey) and
// opens the driver against it. mod adjusts the Config.
func (c *conformance) rig(t *testing.T, opts Options, mod func(*upload.Config)) *rig {
	t.Helper()
	if opts.APIKey == "" {
		opts.APIKey = confKey
	}
	r := &rig{t: t, c: c, srv: NewServer(t, opts), sleep: &Sleeper{}}
	r.cfg = upload.Config{
		BaseURL: r.srv.URL, APIKey: confKey, HTTPClient: c.hc,
		Retry:           upload.RetryPolicy{MaxRetries: 2, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second},
		Timeout:         10 * time.Second,
		DownloadTimeout: 10 * time.Second,
		Sleep:           r.sleep.Sleep,
		OnRetry: func(e upload.RetryEvent) {
			r.mu.Lock()
			r.retries = append(r.retries, e)
			r.mu.Unlock()
		},
	}
	if mod != nil {
		mod(&r.cfg)
	}
	r.up = c.open(t, r.cfg)
	if r.up == nil {
		t.Fatalf("open(%s) returned a nil uploader", c.driver)
	}
	if er, ok := r.up.(upload.EncodingReporter); ok && er.Encoding() != c.caps.Encoding {
		t.Errorf("%s reports encoding %s, its capabilities say %s", c.driver, er.Encoding(), c.caps.Encoding)
	}
	return r
}

// PollInterval is the poll interval RunConformance expects of an async
// driver: open must configure it through the driver's options (with a
// poll timeout of some seconds). It is distinct from every retry wait of
// the suite, so that Sleeper records can be told apart.
const PollInterval = 7 * time.Millisecond

const confPoll = PollInterval

// edit calls Edit with a 20 s bound.
func (r *rig) edit(req *upload.Request) (*upload.Response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return r.up.Edit(ctx, req)
}

// mustEdit calls Edit and fails the test on an error.
func (r *rig) mustEdit(req *upload.Request) *upload.Response {
	r.t.Helper()
	resp, err := r.edit(req)
	if err != nil {
		r.t.Fatalf("%s: Edit: %v", r.c.driver, err)
	}
	if resp == nil || len(resp.Images) == 0 {
		r.t.Fatalf("%s: Edit returned no image: %+v", r.c.driver, resp)
	}
	return resp
}

// retryEvents returns the OnRetry calls so far.
func (r *rig) retryEvents() []upload.RetryEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.retries)
}

// retryWaits are the Sleep calls that were not poll intervals.
func (r *rig) retryWaits() []time.Duration {
	var out []time.Duration
	for _, d := range r.sleep.Waits() {
		if d != confPoll {
			out = append(out, d)
		}
	}
	return out
}

// polls counts the task polls the server received.
func (r *rig) polls() int {
	n := 0
	for _, q := range r.srv.Requests() {
		if q.Method == http.MethodGet && strings.HasPrefix(q.Path, "/v1/tasks/") {
			n++
		}
	}
	return n
}

// Sleeper is a Config.Sleep that records the requested waits. By default
// it returns at once (ctx.Err()); with Max > 0 it really waits up to Max
// of each requested duration, or until ctx is done.
type Sleeper struct {
	Max time.Duration

	mu    sync.Mutex
	waits []time.Duration
}

// Sleep records d and waits as configured.
func (s *Sleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	if s.Max > 0 && d > 0 {
		t := time.NewTimer(min(d, s.Max))
		defer t.Stop()
		select {
		case <-ctx.Done():
		case <-t.C:
		}
	}
	return ctx.Err()
}

// Waits returns the recorded waits in order.
func (s *Sleeper) Waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.waits)
}

// asAPIError returns the *upload.APIError in err's chain, or nil.
func asAPIError(err error) *upload.APIError {
	var ae *upload.APIError
	if errors.As(err, &ae) {
		return ae
	}
	return nil
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
