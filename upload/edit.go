package upload

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"net/url"
)

// EditPath is the edit endpoint relative to the base URL.
const EditPath = "images/edits"

// EditCall validates req for enc against its model's profile and builds
// the POST to {base}/images/edits (with the query q, e.g. async=true).
// Nothing is sent.
func (c *Client) EditCall(req *Request, enc Encoding, q url.Values) (Call, error) {
	if err := req.Validate(nil, enc); err != nil {
		return Call{}, err
	}
	var (
		ct   string
		body []byte
		err  error
	)
	if enc == Multipart {
		ct, body, err = BuildMultipart(req, c.cfg)
	} else {
		ct, body, err = BuildJSON(req, enc)
	}
	if err != nil {
		return Call{}, &kindError{kind: ErrInvalidRequest, cause: err, msg: "upload: encoding the request: " + err.Error()}
	}
	return Call{Method: http.MethodPost, URL: c.URL(EditPath, q), ContentType: ct, Body: body}, nil
}

// Preview returns the request call would send (auth header included, as
// an http.Request would carry it) and its body, for dry runs; print it
// with DumpRequest, which redacts the key.
func (c *Client) Preview(ctx context.Context, call Call) (*http.Request, []byte, error) {
	req, err := c.NewRequest(ctx, call)
	return req, call.Body, err
}

// Edit runs the common edit flow for enc: validate, encode, POST with
// retries, then parse the JSON answer (downloading url results) or, when
// req.Stream, the SSE stream (partial images to req.OnPartial).
func (c *Client) Edit(ctx context.Context, req *Request, enc Encoding) (*Response, error) {
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
// (see ReadStream); a JSON answer (a server that ignored stream=true) is
// parsed like a normal response.
func (c *Client) Stream(ctx context.Context, call Call, onPartial func(PartialImage)) (*Response, error) {
	var resp *Response
	err := c.DoStream(ctx, call, func(hr *http.Response) error {
		mt, _, _ := mime.ParseMediaType(hr.Header.Get("Content-Type"))
		if mt != "text/event-stream" {
			body, err := readCapped(hr.Body, c.cfg.MaxResponseBytes)
			if err != nil {
				if errors.Is(err, errTooLarge) {
					return errorf(ErrMalformedResponse, "upload: response body exceeds %d bytes", c.cfg.MaxResponseBytes)
				}
				return &kindError{kind: ErrMalformedResponse, cause: err, msg: "upload: truncated response body: " + c.cfg.Redact(err.Error())}
			}
			resp, err = c.Result(ctx, body)
			return err
		}
		r, err := ReadStream(hr.Body, c.cfg.MaxResponseBytes, onPartial)
		var ae *APIError
		if errors.As(err, &ae) {
			ae.Message = c.cfg.Redact(ae.Message)
			ae.RequestID = hr.Header.Get("X-Request-Id")
		}
		resp = r
		return err
	})
	return resp, err
}

// Result parses a 200 edit response body (see ParseResponse) and downloads
// url results (see Download).
func (c *Client) Result(ctx context.Context, body []byte) (*Response, error) {
	resp, err := ParseResponse(body)
	if err != nil {
		var ae *APIError
		if errors.As(err, &ae) {
			ae.Message = c.cfg.Redact(ae.Message)
		}
		return nil, err
	}
	if err := c.Download(ctx, resp); err != nil {
		return nil, err
	}
	return resp, nil
}
