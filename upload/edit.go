package upload

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"

	"github.com/imgprep/imgprep/upload/internal/wire"
)

// editPath is the edit endpoint relative to the base URL.
const editPath = "images/edits"

// EditCall validates req for enc against its model's profile and builds
// the POST to {base}/images/edits (with the query q, e.g. async=true).
// Nothing is sent.
func (c *client) EditCall(req *Request, enc Encoding, q url.Values) (wire.Call, error) {
	if err := req.Validate(nil, enc); err != nil {
		return wire.Call{}, err
	}
	var (
		ct   string
		body []byte
		err  error
	)
	if enc == Multipart {
		ct, body, err = c.BuildMultipart(req)
	} else {
		ct, body, err = c.BuildJSON(req, enc)
	}
	if err != nil {
		return wire.Call{}, &kindError{kind: ErrInvalidRequest, cause: err, msg: "encoding the request: " + err.Error()}
	}
	return wire.Call{Method: http.MethodPost, URL: c.URL(editPath, q), ContentType: ct, Body: body}, nil
}

// Preview returns the request call would send (auth header included, as
// an http.Request would carry it) and its body, for dry runs; print it
// with DumpRequest, which redacts the key.
func (c *client) Preview(ctx context.Context, call wire.Call) (*http.Request, []byte, error) {
	req, err := c.NewRequest(ctx, call)
	return req, call.Body, err
}

// Edit runs the common edit flow for enc: validate, encode, POST with
// retries, then parse the JSON answer (downloading url results) or, when
// req.Stream, the SSE stream (partial images to req.OnPartial).
func (c *client) Edit(ctx context.Context, req *Request, enc Encoding) (*Response, error) {
	call, err := c.EditCall(req, enc, nil)
	if err != nil {
		return nil, err
	}
	if req.Stream {
		return c.Stream(ctx, call, req.OnPartial)
	}
	reply, err := c.Do(ctx, call)
	if err != nil {
		return nil, err
	}
	return c.Result(ctx, reply.Body)
}

// Stream sends call and reads the answer as an image edit SSE stream
// (see readStream); a JSON answer (a server that ignored stream=true) is
// parsed like a normal response.
func (c *client) Stream(ctx context.Context, call wire.Call, onPartial func(PartialImage)) (*Response, error) {
	var resp *Response
	err := c.DoStream(ctx, call, func(hr *http.Response) error {
		mt, _, _ := mime.ParseMediaType(hr.Header.Get("Content-Type"))
		if mt != "text/event-stream" {
			body, err := readCapped(hr.Body, c.cfg.MaxResponseBytes)
			if err != nil {
				if errors.Is(err, errTooLarge) {
					return errorf(ErrMalformedResponse, "response body exceeds %d bytes", c.cfg.MaxResponseBytes)
				}
				return &kindError{kind: ErrMalformedResponse, cause: err, msg: "truncated response body: " + c.cfg.redact(err.Error())}
			}
			resp, err = c.Result(ctx, body)
			return err
		}
		r, err := c.ReadStream(hr.Body, onPartial)
		var ae *APIError
		if errors.As(err, &ae) {
			ae.RequestID = hr.Header.Get("X-Request-Id")
		}
		resp = r
		return err
	})
	return resp, err
}

// Result parses a 200 edit response body (see ParseResponse) and downloads
// url results (see Download).
func (c *client) Result(ctx context.Context, body []byte) (*Response, error) {
	resp, err := c.ParseResponse(body)
	if err != nil {
		return nil, err
	}
	if err := c.Download(ctx, resp); err != nil {
		return nil, err
	}
	return resp, nil
}

// ParseResponse is parseResponse with the client's key redacted from an
// error answer's message.
func (c *client) ParseResponse(body []byte) (*Response, error) {
	resp, err := parseResponse(body)
	return resp, c.redactAPIError(err)
}

// ReadStream is readStream with the client's event size cap and the key
// redacted from an error event's message.
func (c *client) ReadStream(r io.Reader, onPartial func(PartialImage)) (*Response, error) {
	resp, err := readStream(r, c.cfg.MaxResponseBytes, onPartial)
	return resp, c.redactAPIError(err)
}

// redactAPIError removes the client's key from the message of an *APIError
// in err's chain, and returns err.
func (c *client) redactAPIError(err error) error {
	var ae *APIError
	if errors.As(err, &ae) {
		ae.Message = c.cfg.redact(ae.Message)
	}
	return err
}
