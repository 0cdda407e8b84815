package uploadtest

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault replaces or disturbs the server's normal handling of one edit
// request. The zero Fault changes nothing (useful to let a request through
// before a later fault). Fields combine: Delay happens first, then Reset,
// then a Status/Code/Body response (Truncate cuts it in half); Truncate
// alone cuts the normal response, whatever it is.
type Fault struct {
	// Status is the HTTP status to answer with, e.g. 429, 500, 503. When 0
	// and Code is set, the status follows the code (moderation_blocked: 400,
	// rate_limit_exceeded: 429, others 400).
	Status int
	// Code is the error code; defaults by status (429 rate_limit_exceeded,
	// 401 invalid_api_key; others null).
	Code string
	// RetryAfter and RetryAfterMs set the Retry-After and Retry-After-Ms
	// headers verbatim.
	RetryAfter   string
	RetryAfterMs string
	// Body overrides the response body verbatim, e.g. "{not json"; the
	// status is Status or 200.
	Body string
	// Truncate sends the headers (with the full Content-Length) and half
	// the body, then closes the connection.
	Truncate bool
	// Delay sleeps before handling (a slow server); a client that gives
	// up ends the sleep.
	Delay time.Duration
	// Reset closes the TCP connection with an RST and no response, after
	// reading the request.
	Reset bool
}

// responds reports whether the fault replaces the normal response.
func (f Fault) responds() bool { return f.Status != 0 || f.Code != "" || f.Body != "" }

// FaultHeader is the request header that asks for a fault per request, an
// alternative to Inject for the runnable server. Its value is a
// comma-separated list of: an HTTP status ("429"), "reset", "truncate",
// "malformed" (Body "{not json"), "slow" (2 s delay), "delay=DURATION",
// "code=CODE", "retry-after=V", "retry-after-ms=V". It takes precedence
// over the Inject queue, which it does not consume.
const FaultHeader = "X-Fake-Fault"

// Inject queues faults; each following request to /images/edits consumes
// one, in order.
func (h *Handler) Inject(faults ...Fault) {
	h.mu.Lock()
	h.faults = append(h.faults, faults...)
	h.mu.Unlock()
}

// nextFault returns the header fault, else the next queued fault.
func (h *Handler) nextFault(r *http.Request) (Fault, error) {
	if v := r.Header.Get(FaultHeader); v != "" {
		return ParseFault(v)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.faults) == 0 {
		return Fault{}, nil
	}
	f := h.faults[0]
	h.faults = h.faults[1:]
	return f, nil
}

// ParseFault parses an X-Fake-Fault header value.
func ParseFault(v string) (Fault, error) {
	var f Fault
	for _, tok := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		key, val, _ := strings.Cut(strings.ToLower(tok), "=")
		var err error
		switch key {
		case "reset":
			f.Reset = true
		case "truncate":
			f.Truncate = true
		case "malformed":
			f.Body = "{not json"
		case "slow":
			f.Delay = 2 * time.Second
		case "delay":
			f.Delay, err = time.ParseDuration(val)
		case "code":
			f.Code = val
		case "retry-after":
			f.RetryAfter = val
		case "retry-after-ms":
			f.RetryAfterMs = val
		default:
			f.Status, err = strconv.Atoi(key)
			if err == nil && (f.Status < 100 || f.Status > 599) {
				err = fmt.Errorf("status %d out of range", f.Status)
			}
		}
		if err != nil {
			return Fault{}, fmt.Errorf("uploadtest: bad %s token %q: %v", FaultHeader, tok, err)
		}
	}
	return f, nil
}

// faultError builds the error a responding fault sends.
func (f Fault) faultError() *apiError {
	status, code := f.Status, f.Code
	if status == 0 {
		status = http.StatusBadRequest
		if code == "rate_limit_exceeded" {
			status = http.StatusTooManyRequests
		}
	}
	e := &apiError{Status: status, Code: code, Type: "invalid_request_error",
		Message: fmt.Sprintf("Injected fault: HTTP %d.", status)}
	switch {
	case code == "moderation_blocked":
		e.Type = "image_generation_user_error"
		e.Message = "Your request was rejected by the safety system."
	case status == http.StatusTooManyRequests:
		e.Type = "requests"
		if e.Code == "" {
			e.Code = "rate_limit_exceeded"
		}
		e.Message = "Rate limit reached for requests. Please try again later."
	case status == http.StatusUnauthorized:
		if e.Code == "" {
			e.Code = "invalid_api_key"
		}
		e.Message = "Incorrect API key provided"
	case status >= 500:
		e.Type = "server_error"
		e.Message = "The server had an error while processing your request. Sorry about that!"
	}
	return e
}

// respond writes the fault's own response.
func (f Fault) respond(w http.ResponseWriter) {
	f.setRetryHeaders(w)
	rp := responder{w: w, truncate: f.Truncate}
	if f.Body != "" {
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		rp.send(status, []byte(f.Body))
		return
	}
	e := f.faultError()
	rp.send(e.Status, e.body())
}

func (f Fault) setRetryHeaders(w http.ResponseWriter) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	if f.RetryAfterMs != "" {
		w.Header().Set("Retry-After-Ms", f.RetryAfterMs)
	}
}

// responder writes JSON bodies, optionally truncated.
type responder struct {
	w        http.ResponseWriter
	truncate bool
}

// send writes b with status; when truncating it announces the full length,
// writes half and aborts the connection.
func (rp responder) send(status int, b []byte) {
	rp.w.Header().Set("Content-Type", "application/json")
	rp.w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	rp.w.WriteHeader(status)
	if !rp.truncate {
		_, _ = rp.w.Write(b)
		return
	}
	_, _ = rp.w.Write(b[:len(b)/2])
	abort(rp.w)
}

func (rp responder) error(e *apiError) { rp.send(e.Status, e.body()) }

// abort flushes what was written and drops the connection.
func abort(w http.ResponseWriter) {
	_ = http.NewResponseController(w).Flush()
	panic(http.ErrAbortHandler)
}

// reset hijacks the connection and closes it with an RST.
func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// drain reads the rest of the request body so an early answer is not
// mistaken by the client for a broken connection.
func drain(r *http.Request) { _, _ = io.Copy(io.Discard, r.Body) }

// sleep waits d or until ctx ends; it reports whether d elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
