package imgprep_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/testimg"
	"github.com/imgprep/imgprep/pipeline"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

// formPart is one part of a test multipart body.
type formPart struct {
	name, filename, contentType string // contentType "" = CreateFormFile's octet-stream
	data                        []byte
	file                        bool
}

func field(name, value string) formPart { return formPart{name: name, data: []byte(value)} }

// octets is a file part as SDKs send an *os.File: application/octet-stream.
func octets(name, filename string, data []byte) formPart {
	return formPart{name: name, filename: filename, data: data, file: true}
}

// multipartBody builds a body with mime/multipart as openai-go does.
func multipartBody(t testing.TB, parts ...formPart) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, p := range parts {
		var dst io.Writer
		var err error
		switch {
		case !p.file:
			dst, err = w.CreateFormField(p.name)
		case p.contentType == "":
			dst, err = w.CreateFormFile(p.name, p.filename)
		default:
			h := make(map[string][]string)
			h["Content-Disposition"] = []string{multipart.FileContentDisposition(p.name, p.filename)}
			h["Content-Type"] = []string{p.contentType}
			dst, err = w.CreatePart(h)
		}
		if err != nil {
			t.Fatal(err)
		}
		dst.Write(p.data)
	}
	w.Close()
	return w.FormDataContentType(), buf.Bytes()
}

// post sends an edit request through client and returns status and body.
func post(t testing.TB, client *http.Client, url, contentType string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/images/edits", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// apiError decodes an OpenAI-shaped error body.
func apiError(t testing.TB, b []byte) (message, typ, param, code string) {
	t.Helper()
	var doc struct {
		Error struct {
			Message, Type, Code string
			Param               *string
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("not an API error: %v: %s", err, b)
	}
	if doc.Error.Param != nil {
		param = *doc.Error.Param
	}
	return doc.Error.Message, doc.Error.Type, param, doc.Error.Code
}

// photo12 is a 4032x3024 stored JPEG with EXIF orientation 6 (upright
// 3024x4032): the marker image's red block top-left, blue bottom-right.
func photo12(t testing.TB) []byte {
	t.Helper()
	return testimg.OrientedJPEG(t, testimg.MarkerImage(3024, 4032), 6)
}

// holeMask is a w x h RGBA PNG mask, opaque but for a transparent rect.
func holeMask(t testing.TB, w, h int, hole image.Rectangle) []byte {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			a := uint8(255)
			if (image.Point{x, y}).In(hole) {
				a = 0
			}
			m.SetNRGBA(x, y, color.NRGBA{0, 0, 0, a})
		}
	}
	return testimg.EncodePNG(t, m)
}

func sample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "sample", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func testdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "codecs", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fileOf returns the recorded file of a field, failing when absent.
func fileOf(t testing.TB, rec uploadtest.RecordedRequest, field string) uploadtest.RecordedFile {
	t.Helper()
	for _, f := range rec.Files {
		if f.Field == field {
			return f
		}
	}
	t.Fatalf("no %s part in %+v", field, rec.Files)
	return uploadtest.RecordedFile{}
}

// tap records the requests the transport sends on, then forwards them.
type tap struct {
	next http.RoundTripper
	reqs []tapped
}

type tapped struct {
	contentType string
	body        []byte
}

func (tp *tap) RoundTrip(req *http.Request) (*http.Response, error) {
	var b []byte
	if req.Body != nil {
		b, _ = io.ReadAll(req.Body)
		req.Body.Close()
		if int64(len(b)) != req.ContentLength {
			return nil, &lengthError{int64(len(b)), req.ContentLength}
		}
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	tp.reqs = append(tp.reqs, tapped{req.Header.Get("Content-Type"), b})
	next := tp.next
	if next == nil {
		next = http.DefaultTransport
	}
	return next.RoundTrip(req)
}

type lengthError struct{ got, want int64 }

func (e *lengthError) Error() string { return "body length differs from ContentLength" }

// sentParts parses the multipart body of the last tapped request.
func (tp *tap) sentParts(t testing.TB) map[string][]byte {
	t.Helper()
	if len(tp.reqs) == 0 {
		t.Fatal("nothing was sent")
	}
	last := tp.reqs[len(tp.reqs)-1]
	_, params, _ := mime.ParseMediaType(last.contentType)
	r := multipart.NewReader(bytes.NewReader(last.body), params["boundary"])
	out := map[string][]byte{}
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		out[p.FormName()] = b
	}
}

// losslessAlphaWebP is a lossless WebP with a real alpha channel.
func losslessAlphaWebP(t testing.TB) []byte {
	t.Helper()
	b, err := codecs.EncodeBytes(testimg.Gradient(64, 48, true), codecs.EncodeOptions{Format: codecs.WebP, Lossless: true})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func rect(x, y, w, h int) image.Rectangle { return image.Rect(x, y, x+w, y+h) }

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// fuzzPrepare keeps fuzzed preparations small.
var fuzzPrepare = pipeline.Options{MaxPixels: 4 << 20}
