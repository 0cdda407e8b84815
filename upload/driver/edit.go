package driver

import (
	"context"
	"io"
	"net/url"

	"github.com/imgprep/imgprep/upload"
)

// Edit runs the common edit flow for enc: validate, encode, POST with
// retries, then parse the JSON answer (downloading url results) or, when
// req.Stream, the SSE stream (partial images to req.OnPartial).
func (c *Client) Edit(ctx context.Context, req *upload.Request, enc upload.Encoding) (*upload.Response, error) {
	return c.e.Edit(ctx, req, enc)
}

// EditCall validates req for enc against its model's profile
// (upload.Request.Validate) and builds the POST to {base}/images/edits
// (with the query q, e.g. async=true) with BuildMultipart or BuildJSON.
// Nothing is sent. A body that cannot be encoded is
// upload.ErrInvalidRequest.
func (c *Client) EditCall(req *upload.Request, enc upload.Encoding, q url.Values) (Call, error) {
	call, err := c.e.EditCall(req, enc, q)
	return Call(call), err
}

// BuildMultipart encodes req as a multipart/form-data edit body: text
// fields model, prompt, every set parameter (stream as "true", integers in
// decimal) and the Extra fields (sorted), then the image parts and the
// mask. Images go in "image" for one file and repeated "image[]" for
// several, unless the client's upload.MultipartOptions name the field.
// Every file part carries its real Content-Type and a file name with the
// matching extension. It does not validate; Validate first.
func (c *Client) BuildMultipart(req *upload.Request) (contentType string, body []byte, err error) {
	return c.e.BuildMultipart(req)
}

// BuildJSON encodes req as an application/json edit body.
//
// upload.JSON (official): {"model","prompt","images":[{"image_url":"data:image/png;base64,..."}],
// "mask":{"image_url":"data:..."}, parameters...}.
// upload.RelayJSON: {"model","prompt","image":"<base64>","mask":"<base64>", parameters...},
// with "image" an array of strings for several images.
//
// n, output_compression and partial_images are numbers, stream a boolean,
// other parameters and Extra fields strings. It does not validate;
// Validate first.
func (c *Client) BuildJSON(req *upload.Request, enc upload.Encoding) (contentType string, body []byte, err error) {
	return c.e.BuildJSON(req, enc)
}

// ParseResponse parses a 200 edit response body. b64_json images (also
// with a data:image/...;base64, prefix) are decoded; url images are left
// with only URL set (Download fetches them). A body with an error object
// gives an *upload.APIError with StatusCode 200 (its message redacted); a
// body without any image gives upload.ErrNoImage; invalid JSON gives
// upload.ErrMalformedResponse.
func (c *Client) ParseResponse(body []byte) (*upload.Response, error) { return c.e.ParseResponse(body) }

// ReadStream reads an image edit SSE stream to its end: each
// *.partial_image event goes to onPartial (when non-nil) on the calling
// goroutine; every *.completed event adds its image to the Response (with
// usage and settings; Raw is the last completed event). An error event
// becomes an *upload.APIError (StatusCode 200); a stream that ends without
// a completed event, with an undecodable event or with one over the
// client's MaxResponseBytes gives upload.ErrMalformedResponse. Reading
// ends at io.EOF or a "data: [DONE]" line.
func (c *Client) ReadStream(r io.Reader, onPartial func(upload.PartialImage)) (*upload.Response, error) {
	return c.e.ReadStream(r, onPartial)
}
