package imgprep

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/editbody"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
)

// DefaultMaxBodyBytes bounds an intercepted request body (256 MiB).
const DefaultMaxBodyBytes int64 = 256 << 20

// ParamPolicy says what the transport does with a request parameter the
// model does not take (per the model's profile).
type ParamPolicy int

const (
	// ParamsForward sends such parameters as they came (the default): the
	// server decides, as it would without the transport.
	ParamsForward ParamPolicy = iota
	// ParamsDrop removes them from the request (reported in Change).
	ParamsDrop
	// ParamsRefuse answers the request with a 400 API error naming the
	// parameter, and sends nothing.
	ParamsRefuse
)

// TransportOptions tune NewTransport. The zero value is valid: the
// request's model (else the API's default), preparation as 'imgprep prep'
// does it, a 256 MiB body limit, unknown parameters forwarded, mask
// inference on, one preparation per CPU at once, responses untouched.
type TransportOptions struct {
	// DefaultModel is the model of a request that names none; empty means
	// the API's documented default (model.DefaultModel, gpt-image-1.5).
	DefaultModel string
	// Prepare tunes the preparation of every image (formats, sizes, byte
	// budget, limits), as pipeline.Prepare takes it.
	Prepare pipeline.Options
	// MaxBodyBytes caps the request body read (0 = DefaultMaxBodyBytes); a
	// larger body is answered with 413 and nothing is sent.
	MaxBodyBytes int64
	// Params is the policy for parameters the model does not take.
	Params ParamPolicy
	// NoMaskInference sends the mask's own alpha channel through the plan
	// without reading it: by default a mask with no transparent pixel is
	// read as a painting (white = edit), and a mask in the stored (not yet
	// EXIF-rotated) orientation of the image is rotated like the image.
	NoMaskInference bool
	// Concurrency bounds the preparations running at once across all the
	// requests of this transport (0 = runtime.NumCPU()); the others wait,
	// under their request's context.
	Concurrency int
	// MaxBuffered bounds the edit requests whose bodies the transport holds
	// at once, read and waiting for or under preparation (0 = twice
	// Concurrency, negative = no bound). The others wait, unread, under
	// their request's context; a request leaves as soon as it is handed to
	// next or answered, so the wait for the API's answer holds no place.
	// Without it a burst of large uploads would all sit in memory, twice
	// (the body and its parsed parts), while they wait for a preparation.
	MaxBuffered int
	// Results opts in to post-processing responses (off by default).
	Results ResultOptions
	// OnEdit, when set, is called once for every intercepted edit request
	// with what the transport did (for a log line); it runs on the
	// RoundTrip goroutine before the request is sent or answered.
	OnEdit func(EditReport)
}

// ResultOptions opt in to post-processing the b64_json results of
// non-stream JSON edit responses. Stream (SSE) responses and url results
// always pass through as the server sent them.
type ResultOptions struct {
	// Restore maps every result back to the first image's original upright
	// geometry: padding removed, scaled back to the original's size.
	Restore bool
	// SaveFormat converts results locally (codecs.Unknown keeps the server's
	// format); the response's output_format is updated.
	SaveFormat codecs.Format
	// SaveCompression is output_compression applied locally for JPEG and WebP
	// (nil = 90 quality).
	SaveCompression *int
}

// EditReport is what the transport did with one edit request.
type EditReport struct {
	// Model is the model the images were prepared for.
	Model string
	// Changes lists what was changed, e.g. "image 4032x3024 jpeg ->
	// 1024x1024 png", "mask resized"; empty when the body was forwarded
	// byte-identical.
	Changes []string
	// Warnings are the preparation's warnings (e.g. dall-e-2 with no
	// transparent pixel and no mask).
	Warnings []string
	// Refused is the error the request was answered with, without being
	// sent (nil when it was sent).
	Refused error
}

type reportKey struct{}

// WithReport returns a context that makes the transport fill *r with what
// it did to the edit request carrying the context (r is left as it is for
// other requests). A server such as 'imgprep proxy' uses it to log each
// request's changes.
func WithReport(ctx context.Context, r *EditReport) context.Context {
	return context.WithValue(ctx, reportKey{}, r)
}

// report hands rep to the options' OnEdit and the request's WithReport.
func (t *transport) report(ctx context.Context, rep EditReport) {
	if r, ok := ctx.Value(reportKey{}).(*EditReport); ok && r != nil {
		*r = rep
	}
	if t.opts.OnEdit != nil {
		t.opts.OnEdit(rep)
	}
}

// NewTransport returns an http.RoundTripper that prepares image edit
// requests in flight and sends everything through next (nil means
// http.DefaultTransport).
//
// It intercepts POST requests whose URL path ends in /images/edits with a
// multipart or JSON body. Every image is prepared for the request's model
// as 'imgprep prep' would (oriented, converted, resized, squared, given
// alpha, compressed under the byte limit; a compliant image is forwarded
// byte-identical) and gets the Content-Type and file name extension of its
// bytes. The mask goes through the first image's plan, so it matches the
// prepared image, and is sent as an RGBA PNG. An input that cannot be
// prepared is answered with an OpenAI-shaped 400 error (413 for the body
// limit) and nothing is sent. Every other request, and every response, is
// passed through untouched and unbuffered (unless opts.Results asks for
// post-processing).
//
// It is safe for concurrent use.
func NewTransport(next http.RoundTripper, opts TransportOptions) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	n := opts.Concurrency
	if n <= 0 {
		n = runtime.NumCPU()
	}
	t := &transport{next: next, opts: opts, slots: make(chan struct{}, n), prepareOne: pipeline.PrepareOne}
	switch b := opts.MaxBuffered; {
	case b == 0:
		t.buffers = make(chan struct{}, 2*n)
	case b > 0:
		t.buffers = make(chan struct{}, b)
	}
	return t
}

type transport struct {
	next    http.RoundTripper
	opts    TransportOptions
	slots   chan struct{} // preparations running at once
	buffers chan struct{} // edit bodies held at once; nil: no bound
	// prepareOne is pipeline.PrepareOne; tests count calls through it.
	prepareOne func(context.Context, pipeline.Input, *model.Profile, pipeline.Options) (*pipeline.Prepared, error)
}

// Middleware returns the transport as a middleware function of the shape
// openai-go's option.WithMiddleware takes:
//
//	client := openai.NewClient(option.WithMiddleware(imgprep.Middleware(imgprep.TransportOptions{})))
//
// One middleware shares its preparation slots across all its requests.
func Middleware(opts TransportOptions) func(*http.Request, func(*http.Request) (*http.Response, error)) (*http.Response, error) {
	t := NewTransport(roundTripFunc(nil), opts).(*transport)
	return func(req *http.Request, next func(*http.Request) (*http.Response, error)) (*http.Response, error) {
		return t.roundTrip(req, next)
	}
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.roundTrip(req, t.next.RoundTrip)
}

// roundTrip is RoundTrip with the next step given.
func (t *transport) roundTrip(req *http.Request, next func(*http.Request) (*http.Response, error)) (*http.Response, error) {
	if !isEdit(req) {
		return next(req)
	}
	release, err := t.admit(req.Context())
	if err != nil {
		req.Body.Close()
		return nil, err
	}
	defer release()
	data, err := readBody(req, t.opts.MaxBodyBytes)
	if err != nil {
		if errors.Is(err, editbody.ErrTooLarge) {
			return t.refuse(req, bodyError(err)), nil
		}
		return nil, err
	}
	body, err := editbody.Parse(req.Header.Get("Content-Type"), bytes.NewReader(data), editbody.Limits{MaxBytes: t.opts.MaxBodyBytes})
	if errors.Is(err, editbody.ErrNotEditBody) {
		release()
		return next(withBody(req, req.Header.Get("Content-Type"), data))
	}
	if err != nil {
		return t.refuse(req, bodyError(err)), nil
	}
	ed, err := t.prepare(req.Context(), body)
	if err != nil {
		var re *RequestError
		if errors.As(err, &re) {
			return t.refuse(req, re, ed.report()), nil
		}
		return nil, err // the request's context ended
	}
	out := req
	if ed.changed {
		ct, b, err := body.Encode()
		if err != nil {
			return nil, err
		}
		out = withBody(req, ct, b)
	} else {
		out = withBody(req, req.Header.Get("Content-Type"), data)
	}
	t.report(req.Context(), ed.report())
	release()
	resp, err := next(out)
	if err != nil || !t.opts.Results.active() {
		return resp, err
	}
	return t.finishResponse(req.Context(), resp, ed), nil
}

// isEdit reports an image edit request.
func isEdit(req *http.Request) bool {
	return req.Method == http.MethodPost && req.URL != nil && strings.HasSuffix(strings.TrimSuffix(req.URL.Path, "/"), "/images/edits") && req.Body != nil && req.Body != http.NoBody
}

// readBody reads and closes the request body, at most limit bytes.
func readBody(req *http.Request, limit int64) ([]byte, error) {
	defer req.Body.Close()
	if req.ContentLength > limit {
		return nil, tooLarge(limit)
	}
	var buf bytes.Buffer
	if req.ContentLength > 0 {
		buf.Grow(int(min(req.ContentLength, limit)) + bytes.MinRead) // no growth copies
	}
	if _, err := buf.ReadFrom(io.LimitReader(req.Body, limit+1)); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	if int64(len(data)) > limit {
		return nil, tooLarge(limit)
	}
	return data, nil
}

func tooLarge(limit int64) error {
	return &editbody.Error{Part: "body", Code: editbody.CodeBodyTooLarge, Reason: "the request body is over " + byteCount(limit), Err: editbody.ErrTooLarge}
}

// withBody returns a shallow copy of req (the caller's request is never
// modified) carrying body with its Content-Type and Content-Length.
func withBody(req *http.Request, contentType string, body []byte) *http.Request {
	out := req.Clone(req.Context())
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	out.ContentLength = int64(len(body))
	out.Header.Set("Content-Type", contentType)
	out.Header.Del("Content-Length")
	return out
}

// acquire takes a preparation slot, waiting under ctx.
func (t *transport) acquire(ctx context.Context) error {
	select {
	case t.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (t *transport) release() { <-t.slots }

// admit takes a place among the buffered edit bodies, waiting under ctx,
// and returns its release (safe to call more than once).
func (t *transport) admit(ctx context.Context) (func(), error) {
	if t.buffers == nil {
		return func() {}, nil
	}
	select {
	case t.buffers <- struct{}{}:
		return sync.OnceFunc(func() { <-t.buffers }), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
