package upload

import (
	"context"
	"net/http"

	"github.com/imgprep/imgprep/upload/internal/wire"
)

// Names of the built-in drivers. This package registers them; they need no
// import of their own.
const (
	// MultipartDriver, the default, POSTs {base}/images/edits as
	// multipart/form-data, the way the OpenAI API and most relays take it.
	// One image goes in "image", several in repeated "image[]" parts
	// (MultipartOptions.ImageField overrides); every file part carries its
	// real Content-Type and a matching file name. With Request.Stream the
	// SSE answer is read and partial images go to Request.OnPartial.
	MultipartDriver = "openai-multipart"
	// JSONDriver sends the official application/json edit body,
	// images:[{image_url: data URL}] and mask:{image_url}; GPT image models
	// only, and the only encoding that takes moderation. Streams like
	// MultipartDriver.
	JSONDriver = "openai-json"
	// RelayJSONDriver sends the relay JSON body, "image": "<base64>" (an
	// array of strings for several images) and "mask": "<base64>". Streams
	// like MultipartDriver.
	RelayJSONDriver = "relay-json"
	// StreamDriver is MultipartDriver with stream=true forced (the caller's
	// Request is not modified): each image_edit.partial_image event goes to
	// Request.OnPartial as it arrives, and Edit returns the
	// image_edit.completed image(s) and usage. An `event: error` is an
	// *APIError; a stream that ends without a completed event is
	// ErrMalformedResponse.
	StreamDriver = "openai-stream"
)

// DefaultDriver is the uploader Open uses for an empty name.
const DefaultDriver = MultipartDriver

// builtins are the factories of the built-in drivers.
func builtins() map[string]Factory {
	return map[string]Factory{
		MultipartDriver: builtinFactory(Multipart, false),
		JSONDriver:      builtinFactory(JSON, false),
		RelayJSONDriver: builtinFactory(RelayJSON, false),
		StreamDriver:    builtinFactory(Multipart, true),
	}
}

// builtin is a built-in uploader: the common edit flow in one encoding,
// with stream=true forced when stream is set.
type builtin struct {
	c      *client
	enc    Encoding
	stream bool
}

func builtinFactory(enc Encoding, stream bool) Factory {
	return func(cfg Config) (Uploader, error) {
		c, err := newClient(cfg)
		if err != nil {
			return nil, err
		}
		return &builtin{c: c, enc: enc, stream: stream}, nil
	}
}

// Edit validates req, sends it with retries and returns the parsed result.
func (u *builtin) Edit(ctx context.Context, req *Request) (*Response, error) {
	return u.c.Edit(ctx, u.request(req), u.enc)
}

// Preview returns the request Edit would send, without sending it.
func (u *builtin) Preview(ctx context.Context, req *Request) (*http.Request, []byte, error) {
	call, err := u.c.EditCall(u.request(req), u.enc, nil)
	if err != nil {
		return nil, nil, err
	}
	return u.c.Preview(ctx, call)
}

// Encoding returns the body encoding u sends.
func (u *builtin) Encoding() Encoding { return u.enc }

// Kit returns the engine (a *client) for package upload/driver; only
// packages under upload can name its parameter's type, so only they can
// call it.
func (u *builtin) Kit(wire.Key) any { return u.c }

// request is req as sent: a copy with Stream set for a streaming driver.
func (u *builtin) request(req *Request) *Request {
	if !u.stream || req == nil {
		return req
	}
	r := *req
	r.Stream = true
	return &r
}
