// Package jsonbody is the JSON-body uploaders:
//
//   - "openai-json": the official application/json edit body,
//     images:[{image_url: data URL}] and mask:{image_url}; GPT image models
//     only, and the only encoding that takes moderation.
//   - "relay-json": the relay variant, "image": "<base64>" (an array of
//     strings for several images) and "mask": "<base64>".
//
// With Request.Stream the SSE answer is read like the multipart driver's.
package jsonbody

import (
	"context"
	"net/http"

	"github.com/imgprep/imgprep/upload"
)

// Registered uploader names.
const (
	OpenAIName = "openai-json"
	RelayName  = "relay-json"
)

func init() {
	upload.Register(OpenAIName, func(cfg upload.Config) (upload.Uploader, error) { return New(cfg, upload.JSON) })
	upload.Register(RelayName, func(cfg upload.Config) (upload.Uploader, error) { return New(cfg, upload.RelayJSON) })
}

// Uploader sends JSON edit requests.
type Uploader struct {
	c   *upload.Client
	enc upload.Encoding
}

// New returns a JSON uploader; enc is upload.JSON or upload.RelayJSON.
func New(cfg upload.Config, enc upload.Encoding) (*Uploader, error) {
	if enc != upload.JSON && enc != upload.RelayJSON {
		return nil, &unsupported{enc}
	}
	c, err := upload.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	return &Uploader{c: c, enc: enc}, nil
}

type unsupported struct{ enc upload.Encoding }

func (e *unsupported) Error() string {
	return "jsonbody: encoding " + e.enc.String() + " is not a JSON encoding"
}

// Edit validates req, sends it with retries and returns the parsed result.
func (u *Uploader) Edit(ctx context.Context, req *upload.Request) (*upload.Response, error) {
	return u.c.Edit(ctx, req, u.enc)
}

// Preview returns the request Edit would send, without sending it.
func (u *Uploader) Preview(ctx context.Context, req *upload.Request) (*http.Request, []byte, error) {
	call, err := u.c.EditCall(req, u.enc, nil)
	if err != nil {
		return nil, nil, err
	}
	return u.c.Preview(ctx, call)
}
