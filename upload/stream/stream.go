// Package stream is the "openai-stream" uploader: the multipart edit with
// stream=true forced. Each image_edit.partial_image event goes to
// Request.OnPartial as it arrives; Edit returns the image_edit.completed
// image(s) and usage. An `event: error` is an *upload.APIError; a stream
// that ends without a completed event is upload.ErrMalformedResponse.
package stream

import (
	"context"
	"net/http"

	"github.com/imgprep/imgprep/upload"
)

// Name is the registered uploader name.
const Name = "openai-stream"

func init() {
	upload.Register(Name, func(cfg upload.Config) (upload.Uploader, error) { return New(cfg) })
}

// Uploader sends streaming multipart edit requests.
type Uploader struct {
	c *upload.Client
}

// New returns a streaming uploader for cfg.
func New(cfg upload.Config) (*Uploader, error) {
	c, err := upload.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	return &Uploader{c: c}, nil
}

// Edit sends req with stream=true (req itself is not modified).
func (u *Uploader) Edit(ctx context.Context, req *upload.Request) (*upload.Response, error) {
	return u.c.Edit(ctx, streaming(req), upload.Multipart)
}

// Preview returns the request Edit would send, without sending it.
func (u *Uploader) Preview(ctx context.Context, req *upload.Request) (*http.Request, []byte, error) {
	call, err := u.c.EditCall(streaming(req), upload.Multipart, nil)
	if err != nil {
		return nil, nil, err
	}
	return u.c.Preview(ctx, call)
}

func streaming(req *upload.Request) *upload.Request {
	if req == nil {
		return nil
	}
	r := *req
	r.Stream = true
	return &r
}
