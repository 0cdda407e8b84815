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

// engine is the method set of package upload's client, the engine of the
// built-in drivers. Package upload cannot import this package (it imports
// upload), so the engine lives there, unexported, and is reached through a
// built-in uploader's Kit method, whose parameter type only packages under
// upload can name.
type engine interface {
	Config() upload.Config
	String() string
	Redact(s string) string
	URL(path string, q url.Values) string
	Sleep(ctx context.Context, d time.Duration) error
	NewRequest(ctx context.Context, call wire.Call) (*http.Request, error)
	Do(ctx context.Context, call wire.Call) (*wire.Reply, error)
	DoStream(ctx context.Context, call wire.Call, handle func(*http.Response) error) error
	BuildMultipart(req *upload.Request) (string, []byte, error)
	BuildJSON(req *upload.Request, enc upload.Encoding) (string, []byte, error)
	EditCall(req *upload.Request, enc upload.Encoding, q url.Values) (wire.Call, error)
	Edit(ctx context.Context, req *upload.Request, enc upload.Encoding) (*upload.Response, error)
	Stream(ctx context.Context, call wire.Call, onPartial func(upload.PartialImage)) (*upload.Response, error)
	Preview(ctx context.Context, call wire.Call) (*http.Request, []byte, error)
	ParseResponse(body []byte) (*upload.Response, error)
	ReadStream(r io.Reader, onPartial func(upload.PartialImage)) (*upload.Response, error)
	Result(ctx context.Context, body []byte) (*upload.Response, error)
	Download(ctx context.Context, resp *upload.Response) error
	NewAPIError(status int, h http.Header, body []byte) *upload.APIError
	NewSSEReader(r io.Reader) wire.EventReader
}

// kit is implemented by the built-in uploaders.
type kit interface {
	Kit(wire.Key) any
}

// open returns the engine for cfg: that of a built-in uploader opened with
// cfg (so cfg is validated and defaulted exactly as for the built-ins).
func open(cfg upload.Config) (engine, error) {
	u, err := upload.Open(upload.DefaultDriver, cfg)
	if err != nil {
		return nil, err
	}
	k, ok := u.(kit)
	if !ok {
		panic("driver: the built-in uploader has no Kit method")
	}
	e, ok := k.Kit(wire.Key{}).(engine)
	if !ok {
		panic("driver: the built-in uploader's engine lacks a method of the kit")
	}
	return e, nil
}
