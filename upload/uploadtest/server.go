package uploadtest

import (
	"crypto/subtle"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options configure the fake server. The zero value is a valid server
// without auth, answering synchronously with b64_json.
type Options struct {
	// APIKey is the required bearer key; "" disables the auth check.
	APIKey string
	// AsyncByDefault makes every edit return a task id (like gptproto);
	// otherwise only ?async=true does.
	AsyncByDefault bool
	// TaskSteps is how many polls report queued/processing before a task
	// completes: 0 means 2, negative means complete on the first poll.
	TaskSteps int
	// FailTask, when set, makes async tasks fail with this reason and
	// streams end with an error event after the partial images.
	FailTask string
	// URLResults returns data[].url for every model instead of b64_json
	// (URLs are also returned when response_format=url, and by default for
	// dall-e-2, as the real API does).
	URLResults bool
	// DataURLPrefix prefixes b64_json with "data:image/png;base64," (or
	// the JPEG type), like some relays.
	DataURLPrefix bool
	// Latency is added to every response.
	Latency time.Duration
	// MaxBodyBytes caps a request body; 0 means 64 MiB. Larger bodies get
	// 413 request_too_large.
	MaxBodyBytes int64
	// MultipartFieldImage, when set ("image" or "image[]"), is the only
	// accepted multipart field name for image files; "" accepts image,
	// image[] and repeated image alike.
	MultipartFieldImage string
	// StrictSquareSides also requires dall-e-2 inputs to have a side the
	// profile lists (256, 512, 1024). The real API takes any square, so
	// this is off by default.
	StrictSquareSides bool
	// MaxInFlight, when > 0, makes the server a rate-limited relay: an edit
	// arriving while MaxInFlight edits are already being handled is read,
	// recorded and answered 429 rate_limit_exceeded with RateLimitRetryAfter.
	MaxInFlight int
	// RateLimitRetryAfter is the wait those 429s ask for: whole seconds go
	// out as "Retry-After: N" alone (as many relays send it); a fraction of
	// a second as Retry-After rounded up plus the exact Retry-After-Ms.
	// 0 means 1 s.
	RateLimitRetryAfter time.Duration
	// FailEvery, when > 0, answers every FailEvery-th edit that passes the
	// MaxInFlight cap with FailStatus instead of handling it: the periodic
	// 5xx of an overloaded upstream.
	FailEvery int
	// FailStatus is the status of the FailEvery answers; 0 means 503.
	FailStatus int
}

// Handler is the fake API as an http.Handler, safe for concurrent use.
type Handler struct {
	opts Options
	mux  *http.ServeMux

	mu      sync.Mutex
	faults  []Fault
	reqs    []RecordedRequest
	tasks   map[string]*task
	files   map[string]storedFile
	fileIDs []string // insertion order, for eviction
	seq     uint64
	load    load
}

// NewHandler returns the fake API for opts, with defaults filled in.
func NewHandler(opts Options) *Handler {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 64 << 20
	}
	switch {
	case opts.TaskSteps == 0:
		opts.TaskSteps = 2
	case opts.TaskSteps < 0:
		opts.TaskSteps = 0
	}
	h := &Handler{opts: opts, tasks: map[string]*task{}, files: map[string]storedFile{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/images/edits", h.handleEdit)
	mux.HandleFunc("/v1/images/edits", h.handleMethod)
	mux.HandleFunc("GET /v1/tasks/{id}", h.handleTask)
	mux.HandleFunc("GET /files/{name}", h.handleFile)
	mux.HandleFunc("/", h.handleNotFound)
	h.mux = mux
	return h
}

// ServeHTTP records the request and routes it.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/images/edits" {
		// edits record themselves after parsing, and sleep once the body
		// is read (only then does a client hang-up cancel r.Context())
		h.record(newRecord(r, h.opts.APIKey))
		if !sleep(r.Context(), h.opts.Latency) {
			return
		}
	}
	h.mux.ServeHTTP(w, r)
}

// authorized checks the bearer key in constant time.
func (h *Handler) authorized(r *http.Request) bool {
	if h.opts.APIKey == "" {
		return true
	}
	got := []byte(r.Header.Get("Authorization"))
	want := []byte("Bearer " + h.opts.APIKey)
	return subtle.ConstantTimeCompare(got, want) == 1
}

func (h *Handler) handleMethod(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", http.MethodPost)
	writeError(w, &apiError{Status: http.StatusMethodNotAllowed, Type: "invalid_request_error",
		Message: "Invalid method for URL (" + r.Method + " " + r.URL.Path + "): use POST."})
}

func (h *Handler) handleNotFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, &apiError{Status: http.StatusNotFound, Type: "invalid_request_error",
		Message: "Invalid URL (" + r.Method + " " + r.URL.Path + ")"})
}

// handleEdit is POST /v1/images/edits: count it in (Options.MaxInFlight,
// FailEvery), read and record the request, then apply its fault (delay,
// reset, fault response; a queued or header fault before the rate-limited
// mode's), then auth, validate, edit and answer (sync JSON, async task or
// SSE stream). Faults thus win over auth and validation errors.
func (h *Handler) handleEdit(w http.ResponseWriter, r *http.Request) {
	limited, done := h.admit()
	defer done()
	rec := newRecord(r, h.opts.APIKey)
	fault, ferr := h.nextFault(r)
	latency := h.opts.Latency
	if ferr == nil && limited.answer(&fault) {
		latency = 0 // the relay's own 429 or 5xx comes at once
	}
	req, perr := h.parseBody(w, r)
	drain(r)
	rec.JSON, rec.Extra = req.JSON, extraFields(req)
	rec.Fields = redactFields(req.Fields, h.opts.APIKey)
	for _, f := range slices.Concat(req.Images, req.Stray, []*inputFile{req.Mask}) {
		if f != nil {
			rec.Files = append(rec.Files, recordFile(f))
		}
	}
	i := h.record(rec)
	sw := &statusWriter{ResponseWriter: w, h: h, i: i}
	w = sw
	defer sw.aborted()
	if !sleep(r.Context(), latency+fault.Delay) {
		return
	}
	switch {
	case ferr != nil:
		writeError(w, badRequest("invalid_value", FaultHeader, "%v", ferr))
		return
	case fault.Reset:
		reset(w)
		return
	case fault.responds():
		fault.respond(w)
		return
	}
	fault.setRetryHeaders(w)
	rp := responder{w: w, truncate: fault.Truncate}
	if !h.authorized(r) {
		rp.error(errAuth())
		return
	}
	if perr != nil {
		rp.error(h.redact(perr))
		return
	}
	j, verr := h.validate(req)
	if verr != nil {
		rp.error(h.redact(verr))
		return
	}
	res, err := j.run()
	if err != nil {
		rp.error(&apiError{Status: http.StatusInternalServerError, Type: "server_error",
			Message: "fake server: edit failed: " + err.Error()})
		return
	}
	root := rootURL(r)
	switch q := r.URL.Query().Get("async"); {
	case h.opts.AsyncByDefault || q == "true" || q == "1":
		writeJSONWith(rp, http.StatusOK, h.submitTask(j, res, root))
	case j.stream:
		h.stream(w, r, j, res, fault.Truncate)
	default:
		writeJSONWith(rp, http.StatusOK, h.response(j, res, root))
	}
}

// redact removes the API key from an error that echoes a request value.
func (h *Handler) redact(e *apiError) *apiError {
	if k := h.opts.APIKey; k != "" {
		e.Message = strings.ReplaceAll(e.Message, k, "[redacted]")
	}
	return e
}

// recordFile describes an input file from its header.
func recordFile(f *inputFile) RecordedFile {
	info, _ := inspect(f.Data)
	return RecordedFile{Field: f.Field, Filename: f.Filename, ContentType: f.ContentType,
		Format: string(info.Format), Size: int64(len(f.Data)),
		Width: info.Width, Height: info.Height, HasAlpha: info.HasAlpha}
}

// rootURL is the server root as the client reached it.
func rootURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// Server is a Handler running on an httptest server on 127.0.0.1.
type Server struct {
	*Handler
	// URL is the base URL clients use, ending in /v1.
	URL string
	// Root is the server root (URL without /v1), where /files/ lives.
	Root string
	ts   *httptest.Server
}

// NewServer starts the fake API on 127.0.0.1 and closes it in t.Cleanup.
func NewServer(t testing.TB, opts Options) *Server {
	t.Helper()
	h := NewHandler(opts)
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return &Server{Handler: h, URL: ts.URL + "/v1", Root: ts.URL, ts: ts}
}

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.ts.Client() }
