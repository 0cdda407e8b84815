package editbody_test

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"testing"

	"github.com/imgprep/imgprep/internal/editbody"
	"github.com/imgprep/imgprep/internal/testimg"
)

// pngBytes encodes a small w x h PNG filled with c.
func pngBytes(t testing.TB, w, h int, c color.NRGBA) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		copy(img.Pix[i:], []byte{c.R, c.G, c.B, c.A})
	}
	return testimg.EncodePNG(t, img)
}

// jpegBytes encodes a small w x h JPEG (with an EXIF orientation 1).
func jpegBytes(t testing.TB, w, h int) []byte {
	return testimg.OrientedJPEG(t, testimg.MarkerImage(w, h), 1)
}

// wirePart is one multipart part as written or read: its headers and
// bytes. A part with a nil Header is written with CreateFormFile when it
// has a Filename, else with CreateFormField.
type wirePart struct {
	Header   textproto.MIMEHeader
	Name     string
	Filename string
	Data     []byte
}

func text(name, value string) wirePart { return wirePart{Name: name, Data: []byte(value)} }

// file is a file part with an explicit Content-Type.
func file(name, filename, contentType string, data []byte) wirePart {
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", multipart.FileContentDisposition(name, filename))
	h.Set("Content-Type", contentType)
	return wirePart{Header: h, Name: name, Filename: filename, Data: data}
}

// sdkFile is a file part as openai-go writes it: CreateFormFile, which
// labels it application/octet-stream.
func sdkFile(name, filename string, data []byte) wirePart {
	return wirePart{Name: name, Filename: filename, Data: data}
}

// buildMultipart writes parts the way an SDK does.
func buildMultipart(t testing.TB, parts ...wirePart) (contentType string, body []byte) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, p := range parts {
		var pw io.Writer
		var err error
		switch {
		case p.Header != nil:
			pw, err = w.CreatePart(p.Header)
		case p.Filename != "":
			pw, err = w.CreateFormFile(p.Name, p.Filename)
		default:
			pw, err = w.CreateFormField(p.Name)
		}
		if err != nil {
			t.Fatal(err)
		}
		pw.Write(p.Data)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), buf.Bytes()
}

// readMultipart reads a body back with mime/multipart, headers included.
func readMultipart(t testing.TB, contentType string, body []byte) []wirePart {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		t.Fatalf("content type %q: %v", contentType, err)
	}
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var out []wirePart
	for {
		p, err := r.NextRawPart()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		_, dp, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		out = append(out, wirePart{Header: p.Header, Name: dp["name"], Filename: dp["filename"], Data: data})
	}
}

func parse(t testing.TB, contentType string, body []byte) *editbody.Body {
	t.Helper()
	b, err := editbody.Parse(contentType, bytes.NewReader(body), editbody.Limits{})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return b
}

func encode(t testing.TB, b *editbody.Body) (string, []byte) {
	t.Helper()
	ct, body, err := b.Encode()
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return ct, body
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func dataURL(contentType string, b []byte) string {
	return "data:" + contentType + ";base64," + b64(b)
}

// samePart reports how got differs from want, "" when it does not.
func samePart(got, want *editbody.Part) string {
	switch {
	case got == nil || want == nil:
		if got != want {
			return "one of them is nil"
		}
	case got.Field != want.Field:
		return "Field " + got.Field + ", want " + want.Field
	case got.Filename != want.Filename:
		return "Filename " + got.Filename + ", want " + want.Filename
	case got.ContentType != want.ContentType:
		return "ContentType " + got.ContentType + ", want " + want.ContentType
	case !bytes.Equal(got.Data, want.Data):
		return "Data differs"
	}
	return ""
}

// checkFields checks the body's kind, model and fields; a "" value in
// fields means the field is absent.
func checkFields(t testing.TB, b *editbody.Body, kind editbody.Kind, model string, fields map[string]string) {
	t.Helper()
	if b.Kind() != kind {
		t.Errorf("Kind %v, want %v", b.Kind(), kind)
	}
	if b.Model() != model {
		t.Errorf("Model %q, want %q", b.Model(), model)
	}
	for name, want := range fields {
		if got, ok := b.Field(name); got != want || ok != (want != "") {
			t.Errorf("Field(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
}

func checkParts(t testing.TB, b *editbody.Body, images []*editbody.Part, mask *editbody.Part) {
	t.Helper()
	if len(b.Images) != len(images) {
		t.Fatalf("%d images, want %d", len(b.Images), len(images))
	}
	for i := range images {
		if d := samePart(b.Images[i], images[i]); d != "" {
			t.Errorf("image %d: %s", i, d)
		}
	}
	if d := samePart(b.Mask, mask); d != "" {
		t.Errorf("mask: %s", d)
	}
}
