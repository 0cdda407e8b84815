package driver

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/internal/wire"
)

// Client sends API requests with the shared auth, headers, timeouts, retry
// policy (upload.RetryPolicy) and error mapping, builds edit bodies and
// reads answers: the engine the built-in drivers run on. It is safe for
// concurrent use. Printed with fmt, it redacts the key.
type Client struct {
	e engine
}

// NewClient returns a Client for cfg with defaults applied
// (upload.Config.WithDefaults); an invalid cfg (see upload.Config.Validate)
// is an error.
func NewClient(cfg upload.Config) (*Client, error) {
	e, err := open(cfg)
	if err != nil {
		return nil, err
	}
	return &Client{e: e}, nil
}

// Config returns the client's configuration, defaults applied.
func (c *Client) Config() upload.Config { return c.e.Config() }

// String describes the client with the key redacted.
func (c *Client) String() string { return "driver.Client{" + c.e.Config().String() + "}" }

// GoString is String, so that %#v redacts too.
func (c *Client) GoString() string { return c.String() }

// Redact removes the client's API key, bearer tokens and sk- keys from s,
// for messages that may quote the server or the request.
func (c *Client) Redact(s string) string { return c.e.Redact(s) }

// URL returns BaseURL joined with path, with the query values q added to
// any query of BaseURL.
func (c *Client) URL(path string, q url.Values) string { return c.e.URL(path, q) }

// Sleep waits d or until ctx is done, through upload.Config.Sleep when set.
func (c *Client) Sleep(ctx context.Context, d time.Duration) error { return c.e.Sleep(ctx, d) }

// NewRequest builds one attempt's *http.Request: auth, Config.Header,
// call headers, Content-Type, and a replayable body.
func (c *Client) NewRequest(ctx context.Context, call Call) (*http.Request, error) {
	return c.e.NewRequest(ctx, wire.Call(call))
}

// Do performs call with retries and returns the 2xx answer read in full
// (at most MaxResponseBytes). A non-2xx answer is an *upload.APIError; a
// cancelled context gives an error wrapping ctx.Err().
func (c *Client) Do(ctx context.Context, call Call) (*Reply, error) {
	r, err := c.e.Do(ctx, wire.Call(call))
	return (*Reply)(r), err
}

// DoStream performs call with retries until a 2xx answer arrives, then
// hands the open response to handle, on the calling goroutine, and closes
// it afterwards. Errors of handle are not retried. Config.Timeout then
// bounds each pause between reads of the body.
func (c *Client) DoStream(ctx context.Context, call Call, handle func(*http.Response) error) error {
	return c.e.DoStream(ctx, wire.Call(call), handle)
}

// Stream sends call and reads the answer as an image edit SSE stream
// (see ReadStream); a JSON answer (a server that ignored stream=true) is
// parsed like a normal response (see Result).
func (c *Client) Stream(ctx context.Context, call Call, onPartial func(upload.PartialImage)) (*upload.Response, error) {
	return c.e.Stream(ctx, wire.Call(call), onPartial)
}

// Preview returns the request call would send (auth header included, as
// an http.Request would carry it) and its body, for dry runs; print it
// with upload.DumpRequest, which redacts the key.
func (c *Client) Preview(ctx context.Context, call Call) (*http.Request, []byte, error) {
	return c.e.Preview(ctx, wire.Call(call))
}

// Result parses a 200 edit response body (see ParseResponse) and downloads
// url results (see Download).
func (c *Client) Result(ctx context.Context, body []byte) (*upload.Response, error) {
	return c.e.Result(ctx, body)
}

// Download fetches every image of resp that has a URL but no Data, at
// most four at a time, each with the retry policy, MaxDownloadBytes and
// DownloadTimeout. Only http and https URLs are fetched, also across
// redirects. The API key is sent only to the BaseURL's own origin. Every
// goroutine started has ended when Download returns.
func (c *Client) Download(ctx context.Context, resp *upload.Response) error {
	return c.e.Download(ctx, resp)
}

// NewAPIError builds an *upload.APIError from an HTTP status, headers and
// error body. It understands {"error":{...}}, {"error":"text"}, flat
// {"message","code"} and {"detail"} bodies; anything else (an HTML page
// from a gateway) becomes Message, cut to 200 characters. The client's
// key, bearer tokens and sk- keys in the message are redacted.
func (c *Client) NewAPIError(status int, h http.Header, body []byte) *upload.APIError {
	return c.e.NewAPIError(status, h, body)
}

// NewSSEReader returns a reader of the server-sent events of r whose
// events may carry at most the client's MaxResponseBytes of data.
func (c *Client) NewSSEReader(r io.Reader) *SSEReader { return &SSEReader{r: c.e.NewSSEReader(r)} }
