package main

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/imgprep/imgprep"
)

// requestLog writes one line per request:
//
//	2026-11-22T10:04:05.123Z POST /v1/images/edits model=dall-e-2 changes="image 4032x3024 jpeg -> 1024x1024 png" status=200 ms=412
//
// with refused=CODE for an edit the transport answered itself and
// warnings="..." for the preparation's warnings. It never writes a header
// value or a query string, and scrubs the key and token from every line.
type requestLog struct {
	mu      sync.Mutex
	w       io.Writer
	secrets []string
}

// wrap logs every request next serves, with the EditReport the transport
// fills in for edits.
func (l *requestLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		var rep imgprep.EditReport
		sw := &statusWriter{ResponseWriter: w}
		aborted := true
		defer func() {
			// ReverseProxy aborts with http.ErrAbortHandler when the
			// upstream body breaks after the header was sent; log it too.
			l.line(r, &rep, sw.status, aborted, time.Since(start))
		}()
		next.ServeHTTP(sw, r.WithContext(imgprep.WithReport(r.Context(), &rep)))
		aborted = false
	})
}

// line formats and writes one request's line.
func (l *requestLog) line(r *http.Request, rep *imgprep.EditReport, status int, aborted bool, d time.Duration) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s", time.Now().UTC().Format("2006-01-02T15:04:05.000Z"), logValue(r.Method), r.URL.EscapedPath())
	if rep.Model != "" {
		fmt.Fprintf(&b, " model=%s", logValue(rep.Model))
	}
	if len(rep.Changes) > 0 {
		fmt.Fprintf(&b, " changes=%s", strconv.Quote(strings.Join(rep.Changes, "; ")))
	}
	if len(rep.Warnings) > 0 {
		fmt.Fprintf(&b, " warnings=%s", strconv.Quote(strings.Join(rep.Warnings, "; ")))
	}
	if re, ok := rep.Refused.(*imgprep.RequestError); ok && re != nil {
		fmt.Fprintf(&b, " refused=%s", logValue(re.Code))
	}
	if status == 0 {
		status = http.StatusOK // nothing written: net/http sends 200
	}
	fmt.Fprintf(&b, " status=%d ms=%d", status, d.Milliseconds())
	if aborted {
		b.WriteString(" aborted")
	}
	s := l.scrub(b.String())
	l.mu.Lock()
	defer l.mu.Unlock()
	io.WriteString(l.w, s+"\n")
}

// scrub replaces every secret in s.
func (l *requestLog) scrub(s string) string {
	for _, k := range l.secrets {
		s = strings.ReplaceAll(s, k, "[redacted]")
	}
	return s
}

// Write writes p under the log's lock (for the servers' own error logs).
func (l *requestLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := io.WriteString(l.w, l.scrub(string(p)))
	return len(p), err
}

// logValue is s when it is a plain token, else s quoted (no client text
// can start a new line or fake a field).
func logValue(s string) string {
	for _, c := range s {
		if c <= ' ' || c == '"' || c == '=' || c > '~' {
			return strconv.Quote(s)
		}
	}
	return s
}

// statusWriter records the status of a response. Unwrap lets
// http.ResponseController (and so ReverseProxy's flushes) reach the
// underlying writer.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
