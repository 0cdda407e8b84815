package main

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httputil"
	"strconv"
	"strings"

	"github.com/imgprep/imgprep"
)

// tokenHeader carries the client token when Authorization carries the
// client's own API key; it is never sent upstream.
const tokenHeader = "X-Imgprep-Token"

// healthPath answers GET with {"status":"ok"}, outside /v1 and without a
// token, for scripts and supervisors.
const healthPath = "/_imgprep/health"

// proxyServer is the handler of 'imgprep proxy': /v1/X goes to
// upstream/X through the imgprep transport.
type proxyServer struct {
	cfg   proxyConfig
	token [sha256.Size]byte // sha256 of cfg.token, compared in constant time
	rp    *httputil.ReverseProxy
	log   *requestLog
}

// newProxyServer builds the handler; base is the upstream round tripper
// under the imgprep transport.
func newProxyServer(cfg proxyConfig, base http.RoundTripper, logw io.Writer) *proxyServer {
	s := &proxyServer{cfg: cfg, token: sha256.Sum256([]byte(cfg.token)), log: &requestLog{w: logw, secrets: secrets(cfg)}}
	s.rp = &httputil.ReverseProxy{
		Rewrite:       s.rewrite,
		Transport:     imgprep.NewTransport(base, cfg.transport),
		FlushInterval: -1, // stream every write: SSE events arrive as they are sent
		ErrorHandler:  s.proxyError,
		ErrorLog:      log.New(s.log, "imgprep proxy: ", 0),
	}
	return s
}

// secrets are the strings no log line or error may contain.
func secrets(cfg proxyConfig) []string {
	var s []string
	for _, v := range []string{cfg.key, cfg.token} {
		if v != "" {
			s = append(s, v)
		}
	}
	return s
}

// handler routes the health check, /v1/ and 404, logging every request.
func (s *proxyServer) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+healthPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"ok"}`+"\n")
	})
	mux.HandleFunc("/v1/", s.serveAPI)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeAPIError(w, http.StatusNotFound, "invalid_request_error", "not_found",
			"imgprep proxy: no route "+r.Method+" "+r.URL.EscapedPath()+": API requests go to /v1/..., the health check to "+healthPath)
	})
	return s.log.wrap(mux)
}

// serveAPI checks the client token, bounds the body and proxies.
func (s *proxyServer) serveAPI(w http.ResponseWriter, r *http.Request) {
	if s.cfg.token != "" && !s.authorized(r) {
		writeAPIError(w, http.StatusUnauthorized, "invalid_request_error", "invalid_proxy_token",
			"imgprep proxy: missing or wrong proxy token: send Authorization: Bearer TOKEN or "+tokenHeader+": TOKEN")
		return
	}
	if r.Body != nil && r.Body != http.NoBody {
		// One byte over the limit, so that the transport sees an edit body
		// over its MaxBodyBytes and answers 413 itself; any other body
		// fails here and proxyError answers 413.
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.transport.MaxBodyBytes+1)
	}
	s.rp.ServeHTTP(w, r)
}

// authorized reports whether r presents the client token, in either header.
func (s *proxyServer) authorized(r *http.Request) bool {
	return s.isToken(r.Header.Get(tokenHeader)) || s.isToken(strings.TrimSpace(bearer(r.Header.Get("Authorization"))))
}

// isToken compares v with the token in constant time (both hashed, so the
// comparison does not depend on their lengths either).
func (s *proxyServer) isToken(v string) bool {
	if v == "" || s.cfg.token == "" {
		return false
	}
	h := sha256.Sum256([]byte(v))
	return subtle.ConstantTimeCompare(h[:], s.token[:]) == 1
}

// bearer returns the credentials of "Bearer X", or "".
func bearer(auth string) string {
	if len(auth) > 7 && strings.EqualFold(auth[:7], "bearer ") {
		return auth[7:]
	}
	return ""
}

// rewrite maps /v1/X to upstream/X. The client's Authorization goes as
// sent, except the proxy token, which is removed (and, with --inject-key,
// replaced by the key, which is also added when there is none).
func (s *proxyServer) rewrite(pr *httputil.ProxyRequest) {
	pr.Out.URL.Path = strings.TrimPrefix(pr.In.URL.Path, "/v1")
	pr.Out.URL.RawPath = strings.TrimPrefix(pr.In.URL.RawPath, "/v1")
	pr.SetURL(s.cfg.upstream)
	h := pr.Out.Header
	h.Del(tokenHeader)
	if s.isToken(strings.TrimSpace(bearer(h.Get("Authorization")))) {
		h.Del("Authorization")
	}
	if s.cfg.key != "" && h.Get("Authorization") == "" {
		h.Set("Authorization", "Bearer "+s.cfg.key)
	}
}

// proxyError answers a request that got no upstream response: 413 for a
// body over the limit, 502 otherwise (nothing for a client that left).
func (s *proxyServer) proxyError(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		writeAPIError(w, http.StatusRequestEntityTooLarge, "invalid_request_error", "request_too_large",
			"imgprep proxy: the request body is over "+strconv.FormatInt(s.cfg.transport.MaxBodyBytes, 10)+" bytes (--max-body-bytes)")
	case r.Context().Err() != nil:
		w.WriteHeader(statusClientGone)
	default:
		writeAPIError(w, http.StatusBadGateway, "server_error", "upstream_unreachable",
			"imgprep proxy: the upstream "+s.cfg.upstream.Redacted()+" did not answer: "+s.log.scrub(err.Error()))
	}
}

// statusClientGone is logged for a request whose client went away before
// the answer (nginx's 499).
const statusClientGone = 499

// writeAPIError writes an OpenAI-shaped error document, so that every SDK
// raises its usual API error.
func writeAPIError(w http.ResponseWriter, status int, typ, code, msg string) {
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": code}})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
