package upload

import (
	"bytes"
	"mime/multipart"
	"net/textproto"
	"sort"
	"strings"

	"github.com/imgprep/imgprep/upload/internal/wire"
)

// buildMultipart encodes req as a multipart/form-data edit body: text
// fields model, prompt, every set parameter (stream as "true", integers in
// decimal) and the Extra fields (sorted), then the image parts and the
// mask. Images go in "image" for one file and repeated "image[]" for
// several, unless imageField names the field. Every file part carries
// its real Content-Type and a file name with the matching extension. It
// does not validate; Validate first.
func buildMultipart(req *Request, imageField string) (contentType string, body []byte, err error) {
	var buf bytes.Buffer
	size := 1024
	for _, f := range req.Images {
		size += len(f.Data) + 256
	}
	if req.Mask != nil {
		size += len(req.Mask.Data) + 256
	}
	buf.Grow(size)
	w := multipart.NewWriter(&buf)
	fields := [][2]string{{"model", req.Model}, {"prompt", req.Prompt}}
	for _, p := range req.params() {
		fields = append(fields, [2]string{p.name, p.value})
	}
	for _, k := range sortedKeys(req.Extra) {
		fields = append(fields, [2]string{k, req.Extra[k]})
	}
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			return "", nil, err
		}
	}
	images, mask := req.files()
	field := imageField
	if field == "" {
		field = "image"
		if len(images) > 1 {
			field = "image[]"
		}
	}
	for _, f := range images {
		if err := writeFile(w, field, f); err != nil {
			return "", nil, err
		}
	}
	if mask != nil {
		if err := writeFile(w, "mask", *mask); err != nil {
			return "", nil, err
		}
	}
	if err := w.Close(); err != nil {
		return "", nil, err
	}
	return w.FormDataContentType(), buf.Bytes(), nil
}

// BuildMultipart is buildMultipart with the image field of the client's
// MultipartOptions.
func (c *client) BuildMultipart(req *Request) (contentType string, body []byte, err error) {
	o, _ := wire.Option[MultipartOptions](c.cfg.Options)
	return buildMultipart(req, o.ImageField)
}

var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", "", "\n", "")

// writeFile writes a file part with its own Content-Type (not the
// application/octet-stream of multipart.Writer.CreateFormFile).
func writeFile(w *multipart.Writer, field string, f File) error {
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", `form-data; name="`+quoteEscaper.Replace(field)+`"; filename="`+quoteEscaper.Replace(f.Name)+`"`)
	h.Set("Content-Type", f.ContentType)
	pw, err := w.CreatePart(h)
	if err != nil {
		return err
	}
	_, err = pw.Write(f.Data)
	return err
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
