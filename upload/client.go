package upload

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/imgprep/imgprep/upload/internal/wire"
)

// client is the engine every driver runs on: it sends API requests with
// the shared auth, headers, timeouts, retry policy and error mapping, builds
// edit bodies and reads answers. It is safe for concurrent use. Its
// exported methods are the driver kit: package upload/driver wraps them,
// reaching a client through builtin.Kit.
type client struct {
	cfg   Config
	base  *url.URL
	hc    *http.Client
	dl    *http.Client
	sleep func(context.Context, time.Duration) error
	onMu  sync.Mutex // serialises Config.OnRetry calls
}

// newClient returns a client for cfg with defaults applied.
func newClient(cfg Config) (*client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	base, _ := url.Parse(cfg.BaseURL)
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	dl := *hc
	orig := hc.CheckRedirect
	dl.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			return fmt.Errorf("redirect to a %q URL refused (http and https only)", req.URL.Scheme)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		if orig != nil {
			return orig(req, via)
		}
		return nil
	}
	sleep := cfg.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	return &client{cfg: cfg, base: base, hc: hc, dl: &dl, sleep: sleep}, nil
}

// Config returns the client's configuration, defaults applied.
func (c *client) Config() Config { return c.cfg }

// String describes the client with the key redacted.
func (c *client) String() string { return "upload.Client{" + c.cfg.String() + "}" }

// GoString is String, so that %#v redacts too.
func (c *client) GoString() string { return c.String() }

// Redact removes the API key, bearer tokens and sk- keys from s.
func (c *client) Redact(s string) string { return c.cfg.redact(s) }

// Sleep waits d or until ctx is done, through Config.Sleep when set.
func (c *client) Sleep(ctx context.Context, d time.Duration) error { return c.sleep(ctx, d) }

// URL returns BaseURL joined with path, with the query values q added to
// any query of BaseURL.
func (c *client) URL(path string, q url.Values) string {
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + "/" + strings.TrimLeft(path, "/")
	u.RawPath = ""
	if len(q) > 0 {
		all := u.Query()
		for k, vs := range q {
			all[k] = append(all[k], vs...)
		}
		u.RawQuery = all.Encode()
	}
	return u.String()
}

// NewRequest builds one attempt's *http.Request: auth, Config.Header,
// call headers, Content-Type, and a replayable body.
func (c *client) NewRequest(ctx context.Context, call wire.Call) (*http.Request, error) {
	return c.newRequest(ctx, call, true)
}

func (c *client) newRequest(ctx context.Context, call wire.Call, auth bool) (*http.Request, error) {
	method := call.Method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if call.Body != nil {
		body = bytes.NewReader(call.Body)
	}
	req, err := http.NewRequestWithContext(ctx, method, call.URL, body)
	if err != nil {
		return nil, errorf(ErrInvalidRequest, "%s", c.cfg.redact(err.Error()))
	}
	if call.Body != nil {
		b := call.Body
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	req.Header.Set("User-Agent", "imgprep-upload/1")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, vs := range c.cfg.Header {
		req.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	for k, vs := range call.Header {
		req.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	if call.ContentType != "" {
		req.Header.Set("Content-Type", call.ContentType)
	}
	if auth && c.cfg.APIKey != "" && req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	return req, nil
}

// Do performs call with retries and returns the 2xx answer read in full
// (at most MaxResponseBytes). A non-2xx answer is an *APIError; a
// cancelled context gives an error wrapping ctx.Err().
func (c *client) Do(ctx context.Context, call wire.Call) (*wire.Reply, error) {
	var reply *wire.Reply
	o := callOpts{client: c.hc, max: c.cfg.MaxResponseBytes, timeout: c.cfg.Timeout, auth: true}
	n, err := c.retry(ctx, call, func(ctx context.Context) (bool, error) {
		r, retry, err := c.roundTrip(ctx, call, o, nil)
		reply = r
		return retry, err
	})
	if err != nil {
		return nil, err
	}
	reply.Attempts = n
	return reply, nil
}

// DoStream performs call with retries until a 2xx answer arrives, then
// hands the open response to handle, on the calling goroutine, and closes
// it afterwards. Errors of handle are not retried. Config.Timeout then
// bounds each pause between reads of the body.
func (c *client) DoStream(ctx context.Context, call wire.Call, handle func(*http.Response) error) error {
	o := callOpts{client: c.hc, max: c.cfg.MaxResponseBytes, timeout: c.cfg.Timeout, auth: true}
	_, err := c.retry(ctx, call, func(ctx context.Context) (bool, error) {
		_, retry, err := c.roundTrip(ctx, call, o, handle)
		return retry, err
	})
	return err
}

type callOpts struct {
	client  *http.Client
	max     int64
	timeout time.Duration // idle timeout of an attempt; <= 0 none
	auth    bool
	kind    error // category of body/transport failures (nil: default)
}

// failKind is the category of a bad body.
func (o callOpts) failKind() error {
	if o.kind != nil {
		return o.kind
	}
	return ErrMalformedResponse
}

var errAttemptTimeout = errors.New("attempt timed out")

// roundTrip performs one attempt. It reports whether a failure may be
// retried.
func (c *client) roundTrip(ctx context.Context, call wire.Call, o callOpts, handle func(*http.Response) error) (*wire.Reply, bool, error) {
	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var timer *time.Timer
	if o.timeout > 0 {
		timer = time.AfterFunc(o.timeout, func() { cancel(errAttemptTimeout) })
		defer timer.Stop()
	}
	req, err := c.newRequest(actx, call, o.auth)
	if err != nil {
		return nil, false, err
	}
	if timer != nil && req.Body != nil { // uploading is progress too
		req.Body = struct {
			io.Reader
			io.Closer
		}{&idleReader{r: req.Body, t: timer, d: o.timeout}, req.Body}
	}
	resp, err := o.client.Do(req)
	if err != nil {
		return nil, c.transportRetryable(ctx, err), c.transportErr(ctx, actx, call, o, "", err)
	}
	defer resp.Body.Close()
	body := io.Reader(resp.Body)
	if timer != nil {
		body = &idleReader{r: resp.Body, t: timer, d: o.timeout}
	}
	ok := resp.StatusCode >= 200 && resp.StatusCode <= 299
	if ok && handle != nil {
		resp.Body = struct {
			io.Reader
			io.Closer
		}{body, resp.Body}
		if err := handle(resp); err != nil {
			if ctx.Err() != nil || context.Cause(actx) == errAttemptTimeout {
				return nil, false, c.transportErr(ctx, actx, call, o, "reading the stream", err)
			}
			return nil, false, err
		}
		_, _ = io.CopyN(io.Discard, body, 4<<10)
		return nil, false, nil
	}
	if !ok { // error bodies are small; a gateway's page is cut
		data, _ := io.ReadAll(io.LimitReader(body, maxErrorBody))
		e := c.NewAPIError(resp.StatusCode, resp.Header, data)
		return nil, retryableStatus(e), e
	}
	data, err := readCapped(body, o.max)
	if err != nil && errors.Is(err, errTooLarge) {
		return nil, false, errorf(o.failKind(), "%s %s: response body exceeds %d bytes", call.Method, redactURL(call.URL), o.max)
	}
	if err != nil && (ctx.Err() != nil || context.Cause(actx) == errAttemptTimeout) {
		return nil, ctx.Err() == nil, c.transportErr(ctx, actx, call, o, "reading the response", err)
	}
	if err != nil {
		return nil, false, &kindError{kind: o.failKind(), cause: err,
			msg: fmt.Sprintf("%s %s: truncated response body after %d bytes: %s", call.Method, redactURL(call.URL), len(data), c.cfg.redact(err.Error()))}
	}
	return &wire.Reply{StatusCode: resp.StatusCode, Header: resp.Header, Body: data}, false, nil
}

// maxErrorBody is how much of an error answer is read.
const maxErrorBody = 64 << 10

// idleReader re-arms the attempt timer whenever data arrives.
type idleReader struct {
	r io.Reader
	t *time.Timer
	d time.Duration
}

func (r *idleReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 {
		r.t.Reset(r.d)
	}
	return n, err
}

var errTooLarge = errors.New("too large")

// readCapped reads r to the end, failing with errTooLarge past max bytes.
func readCapped(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if int64(len(data)) > max {
		return nil, errTooLarge
	}
	return data, err
}
