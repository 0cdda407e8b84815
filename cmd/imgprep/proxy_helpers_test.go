package main

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imgprep/imgprep/upload/uploadtest"
)

// Distinctive secrets: a leak into any output is found by searching for them.
const (
	proxyKey   = "sk-proxy-KEY-8c41e07d93b25f6a"
	proxyToken = "tok-proxy-CLIENT-5b9e2d71c3a8"
)

// upstream is the fake API behind a recorder of edit bodies as they
// arrived, with a GET /v1/models route of its own and, when gate is set,
// SSE streams held after their first flush until gate is closed.
type upstream struct {
	*uploadtest.Handler
	URL    string // base URL, ending in /v1
	mu     sync.Mutex
	bodies []captured
	gate   chan struct{}
}

const modelsBody = `{"object":"list","data":[{"id":"dall-e-2","object":"model"}]}`

func newUpstream(t *testing.T, o uploadtest.Options) *upstream {
	t.Helper()
	u := &upstream{Handler: uploadtest.NewHandler(o)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/models", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Upstream", "models")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, modelsBody)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/images/edits") {
			b, _ := io.ReadAll(r.Body)
			u.mu.Lock()
			u.bodies = append(u.bodies, captured{r.Header.Get("Content-Type"), b})
			u.mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(b))
		}
		if u.gate != nil {
			w = &gatedWriter{ResponseWriter: w, gate: u.gate}
		}
		u.Handler.ServeHTTP(w, r)
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	u.URL = ts.URL + "/v1"
	return u
}

// body returns the i-th edit body that arrived.
func (u *upstream) body(t *testing.T, i int) captured {
	t.Helper()
	u.mu.Lock()
	defer u.mu.Unlock()
	if i >= len(u.bodies) {
		t.Fatalf("only %d edit bodies arrived", len(u.bodies))
	}
	return u.bodies[i]
}

// captured is an edit request body as it arrived.
type captured struct {
	contentType string
	data        []byte
}

// gatedWriter holds the response after its first flush until gate closes.
type gatedWriter struct {
	http.ResponseWriter
	gate    chan struct{}
	flushed bool
}

func (w *gatedWriter) Flush() {
	http.NewResponseController(w.ResponseWriter).Flush()
	if !w.flushed {
		w.flushed = true
		select {
		case <-w.gate:
		case <-time.After(10 * time.Second):
		}
	}
}

// proxyRun is one in-process 'imgprep proxy' serving on 127.0.0.1.
type proxyRun struct {
	base, root string // http://127.0.0.1:P/v1 and http://127.0.0.1:P
	stdout     *syncBuffer
	stderr     *syncBuffer
	cancel     context.CancelFunc
	done       chan int
	stopOnce   sync.Once
	code       int
}

// startProxy runs the proxy with vars as its environment and waits for
// the base URL on stdout. Cleanup stops it and checks that neither the key
// nor the token appears in its output.
func startProxy(t *testing.T, vars map[string]string, args ...string) *proxyRun {
	t.Helper()
	p := &proxyRun{stdout: newSyncBuffer(), stderr: newSyncBuffer(), done: make(chan int, 1)}
	env := &cliEnv{stdout: p.stdout, stderr: p.stderr, getenv: func(k string) string { return vars[k] }}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	go func() { p.done <- run(ctx, env, append([]string{"proxy", "--listen", "127.0.0.1:0"}, args...)) }()
	select {
	case line := <-p.stdout.firstLine:
		p.base = line
		p.root = strings.TrimSuffix(line, "/v1")
	case code := <-p.done:
		cancel()
		t.Fatalf("proxy exited %d before serving: %s", code, p.stderr)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("proxy printed no base URL within 10 s")
	}
	t.Cleanup(func() {
		p.stop(t)
		noSecrets(t, p.stdout.String()+p.stderr.String())
	})
	return p
}

// stop ends the proxy as SIGINT would and returns its exit code.
func (p *proxyRun) stop(t *testing.T) int {
	t.Helper()
	p.stopOnce.Do(func() {
		p.cancel()
		select {
		case p.code = <-p.done:
		case <-time.After(40 * time.Second):
			t.Fatal("proxy did not stop within 40 s")
		}
	})
	return p.code
}

// runProxyCmd runs a proxy that is expected to refuse to start.
func runProxyCmd(t *testing.T, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &cliEnv{stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	code = run(ctx, env, append([]string{"proxy"}, args...))
	noSecrets(t, out.String()+errb.String())
	return code, out.String(), errb.String()
}

func noSecrets(t *testing.T, s string) {
	t.Helper()
	for _, k := range []string{proxyKey, proxyToken, proxyKey[8:], proxyToken[10:]} {
		if strings.Contains(s, k) {
			t.Errorf("a secret leaked into the output:\n%s", s)
		}
	}
}

// syncBuffer is a goroutine-safe output that reports its first line.
type syncBuffer struct {
	mu        sync.Mutex
	buf       bytes.Buffer
	firstLine chan string
	sent      bool
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{firstLine: make(chan string, 1)} }

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if s := b.buf.String(); !b.sent && strings.Contains(s, "\n") {
		b.sent = true
		b.firstLine <- strings.TrimSpace(s[:strings.Index(s, "\n")])
	}
	return len(p), nil
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// part is one multipart file part; an empty name is sent as filename="".
type part struct {
	field, name, ctype string
	data               []byte
}

// multipartBody encodes fields (name, value pairs) and parts.
func multipartBody(t *testing.T, fields []string, parts ...part) (contentType string, body []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", multipart.FileContentDisposition(p.field, p.name))
		if p.ctype != "" {
			h.Set("Content-Type", p.ctype)
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(p.data)
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// filePart returns the header and bytes of the body's file part field.
func (c captured) filePart(t *testing.T, field string) (textproto.MIMEHeader, []byte) {
	t.Helper()
	_, params, err := mime.ParseMediaType(c.contentType)
	if err != nil {
		t.Fatalf("content type %q: %v", c.contentType, err)
	}
	mr := multipart.NewReader(bytes.NewReader(c.data), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			t.Fatalf("no file part %q: %v", field, err)
		}
		if p.FormName() == field && p.FileName() != "" {
			b, _ := io.ReadAll(p)
			return p.Header, b
		}
	}
}

// post sends body to url with the given headers through a client that
// uses no proxy from the environment.
func post(t *testing.T, url, contentType string, body []byte, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	return do(t, req, header...)
}

func do(t *testing.T, req *http.Request, header ...string) *http.Response {
	t.Helper()
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

var testClient = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

// readAll reads and closes a response body.
func readAll(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
