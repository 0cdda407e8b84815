// Package multipart is the "openai-multipart" uploader, the default: POST
// {base}/images/edits as multipart/form-data, the way the OpenAI API and
// most relays take it. One image goes in "image", several in repeated
// "image[]" parts (Config.ImageField overrides); every file part carries
// its real Content-Type and a matching file name. With Request.Stream the
// SSE answer is read and partial images go to Request.OnPartial.
package multipart

import (
	"context"
	"net/http"

	"github.com/imgprep/imgprep/upload"
)

// Name is the registered uploader name.
const Name = "openai-multipart"

func init() {
	upload.Register(Name, func(cfg upload.Config) (upload.Uploader, error) { return New(cfg) })
}

// Uploader sends multipart edit requests.
type Uploader struct {
	c *upload.Client
}

// New returns a multipart uploader for cfg.
func New(cfg upload.Config) (*Uploader, error) {
	c, err := upload.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	return &Uploader{c: c}, nil
}

// Edit validates req, sends it with retries and returns the parsed result.
func (u *Uploader) Edit(ctx context.Context, req *upload.Request) (*upload.Response, error) {
	return u.c.Edit(ctx, req, upload.Multipart)
}

// Preview returns the request Edit would send, without sending it.
func (u *Uploader) Preview(ctx context.Context, req *upload.Request) (*http.Request, []byte, error) {
	call, err := u.c.EditCall(req, upload.Multipart, nil)
	if err != nil {
		return nil, nil, err
	}
	return u.c.Preview(ctx, call)
}
