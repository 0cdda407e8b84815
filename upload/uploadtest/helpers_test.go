package uploadtest_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/upload/uploadtest"
)

const testKey = "sk-test-0123456789abcdef"

// gradient is an opaque w x h image; with hole it gets one translucent
// pixel so the PNG encoder writes RGBA instead of RGB.
func gradient(w, h int, translucent bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 255 / max(1, w-1)), uint8(y * 255 / max(1, h-1)), 80, 255})
		}
	}
	if translucent {
		img.SetNRGBA(w-1, h-1, color.NRGBA{1, 2, 3, 200})
	}
	return img
}

// maskRect is a w x h mask: opaque black with the rectangle r fully
// transparent (the edit area).
func maskRect(w, h int, r image.Rectangle) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			a := uint8(255)
			if image.Pt(x, y).In(r) {
				a = 0
			}
			m.SetNRGBA(x, y, color.NRGBA{0, 0, 0, a})
		}
	}
	return m
}

func pngBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngClaiming returns a PNG whose IHDR claims w x h (CRC fixed), with
// pixel data of a tiny image: valid header, undecodable body.
func pngClaiming(t testing.TB, w, h int) []byte {
	b := pngBytes(t, gradient(4, 4, false))
	binary.BigEndian.PutUint32(b[16:], uint32(w))
	binary.BigEndian.PutUint32(b[20:], uint32(h))
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// form builds a multipart body by hand, in order.
type form struct {
	buf bytes.Buffer
	mw  *multipart.Writer
}

func newForm() *form {
	f := &form{}
	f.mw = multipart.NewWriter(&f.buf)
	return f
}

func (f *form) field(k, v string) *form {
	_ = f.mw.WriteField(k, v)
	return f
}

func (f *form) file(field, filename, ctype string, data []byte) *form {
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="`+field+`"; filename="`+filename+`"`)
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	w, _ := f.mw.CreatePart(h)
	_, _ = w.Write(data)
	return f
}

func (f *form) png(field string, data []byte) *form {
	return f.file(field, "img.png", "image/png", data)
}

// done returns the body and its Content-Type.
func (f *form) done() ([]byte, string) {
	_ = f.mw.Close()
	return f.buf.Bytes(), f.mw.FormDataContentType()
}

// post sends an edit request with the test key and returns status and body.
func post(t testing.TB, s *uploadtest.Server, query, ctype string, body []byte, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	u := s.URL + "/images/edits"
	if query != "" {
		u += "?" + query
	}
	req, err := http.NewRequest(http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+testKey)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return resp, b
}

func postForm(t testing.TB, s *uploadtest.Server, f *form, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	body, ct := f.done()
	return post(t, s, "", ct, body, hdr...)
}

func postJSON(t testing.TB, s *uploadtest.Server, v any) (*http.Response, []byte) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return post(t, s, "", "application/json", b)
}

// apiErr is the error body.
type apiErr struct {
	Error struct {
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    *string `json:"code"`
	} `json:"error"`
}

func decodeErr(t testing.TB, body []byte) apiErr {
	t.Helper()
	var e apiErr
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Message == "" {
		t.Fatalf("not an error body (%v): %s", err, body)
	}
	return e
}

func str(p *string) string {
	if p == nil {
		return "<null>"
	}
	return *p
}

// editResp is the 200 body.
type editResp struct {
	Created int64 `json:"created"`
	Data    []struct {
		B64JSON       string `json:"b64_json"`
		URL           string `json:"url"`
		RevisedPrompt string `json:"revised_prompt"`
	} `json:"data"`
	Background   string `json:"background"`
	OutputFormat string `json:"output_format"`
	Size         string `json:"size"`
	Quality      string `json:"quality"`
	Usage        *struct {
		InputTokens        int `json:"input_tokens"`
		OutputTokens       int `json:"output_tokens"`
		TotalTokens        int `json:"total_tokens"`
		InputTokensDetails struct {
			TextTokens  int `json:"text_tokens"`
			ImageTokens int `json:"image_tokens"`
		} `json:"input_tokens_details"`
	} `json:"usage"`
}

func decodeOK(t testing.TB, resp *http.Response, body []byte) editResp {
	t.Helper()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %.300s", resp.StatusCode, body)
	}
	var r editResp
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("bad 200 body: %v", err)
	}
	if len(r.Data) == 0 {
		t.Fatalf("no data: %s", body)
	}
	return r
}

// decodeB64Image decodes a b64_json value (with or without data URL prefix).
func decodeB64Image(t testing.TB, s string) image.Image {
	t.Helper()
	if i := strings.Index(s, ","); strings.HasPrefix(s, "data:") && i > 0 {
		s = s[i+1:]
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func dataURL(mime string, b []byte) string {
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(b)
}

// dalle2Form is a valid dall-e-2 request: 256 px square RGBA PNG.
func dalle2Form(t testing.TB) *form {
	return newForm().field("model", "dall-e-2").field("prompt", "a red hat").
		field("response_format", "b64_json").png("image", pngBytes(t, gradient(256, 256, true)))
}

func okForm(t testing.TB, s *uploadtest.Server, f *form) editResp {
	t.Helper()
	resp, body := postForm(t, s, f)
	return decodeOK(t, resp, body)
}

func okJSON(t testing.TB, s *uploadtest.Server, v any) editResp {
	t.Helper()
	resp, body := postJSON(t, s, v)
	return decodeOK(t, resp, body)
}
