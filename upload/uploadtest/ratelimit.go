package uploadtest

import (
	"cmp"
	"math"
	"net/http"
	"strconv"
	"time"
)

// load counts the edits being handled (Options.MaxInFlight) and those
// admitted past the cap (Options.FailEvery).
type load struct {
	inFlight, peak int
	admitted       int
}

// admit counts an arriving edit. It returns the fault that answers it in
// place of the normal handling (a 429 over MaxInFlight, a periodic 5xx of
// FailEvery), or nil, and the func that counts the edit out again.
func (h *Handler) admit() (*Fault, func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	l := &h.load
	l.inFlight++
	l.peak = max(l.peak, l.inFlight)
	done := func() {
		h.mu.Lock()
		h.load.inFlight--
		h.mu.Unlock()
	}
	if h.opts.MaxInFlight > 0 && l.inFlight > h.opts.MaxInFlight {
		f := rateLimited(h.opts.RateLimitRetryAfter)
		return &f, done
	}
	l.admitted++
	if h.opts.FailEvery > 0 && l.admitted%h.opts.FailEvery == 0 {
		return &Fault{Status: cmp.Or(h.opts.FailStatus, http.StatusServiceUnavailable)}, done
	}
	return nil, done
}

// rateLimited is the 429 of the MaxInFlight cap: Retry-After in whole
// seconds, and Retry-After-Ms as well when d is not a whole second.
func rateLimited(d time.Duration) Fault {
	if d <= 0 {
		d = time.Second
	}
	f := Fault{Status: http.StatusTooManyRequests,
		RetryAfter: strconv.Itoa(int(math.Ceil(d.Seconds())))}
	if d%time.Second != 0 {
		f.RetryAfterMs = strconv.FormatInt(d.Milliseconds(), 10)
	}
	return f
}

// answer puts the admission fault a into f, unless f already answers (a
// queued or header fault wins; a Delay of f is kept). It reports whether
// a now answers.
func (a *Fault) answer(f *Fault) bool {
	if a == nil || f.responds() || f.Reset {
		return false
	}
	f.Status, f.Code, f.RetryAfter, f.RetryAfterMs = a.Status, a.Code, a.RetryAfter, a.RetryAfterMs
	return true
}

// PeakInFlight is the largest number of edit requests the server was
// handling at once so far, those it answered 429 included.
func (h *Handler) PeakInFlight() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.load.peak
}

// statusWriter notes in the request log the status of an edit's answer
// as its headers go out (a client cannot have read the answer before),
// and takes it back when the answer is cut (see RecordedRequest.Status).
type statusWriter struct {
	http.ResponseWriter
	h      *Handler
	i      int // index in h.reqs
	status int
}

func (w *statusWriter) set(code int) {
	w.h.mu.Lock()
	w.h.reqs[w.i].Status = code
	w.h.mu.Unlock()
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
		w.set(code)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	n, err := w.ResponseWriter.Write(b)
	if err != nil {
		w.set(0)
	}
	return n, err
}

// Unwrap lets http.ResponseController reach Flush and Hijack.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// aborted is deferred by the handler: an answer cut by the abort panic
// records 0 (and the panic goes on).
func (w *statusWriter) aborted() {
	if p := recover(); p != nil {
		w.set(0)
		panic(p)
	}
}
