package editbody_test

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/imgprep/imgprep/internal/editbody"
)

func TestParseErrors(t *testing.T) {
	img := pngBytes(t, 2, 2, color.NRGBA{1, 1, 1, 255})
	mpCT, mpBody := buildMultipart(t, text("prompt", "p"), file("image[]", "a.png", "image/png", img), text("n", "1"))
	manyParts := make([]wirePart, 65)
	for i := range manyParts {
		manyParts[i] = text(fmt.Sprint("f", i), "v")
	}
	manyCT, manyBody := buildMultipart(t, manyParts...)
	manyImages := `{"image":[` + strings.Repeat(`"`+b64(img)+`",`, 64) + `"x"]}`
	tests := []struct {
		name, ct, body string
		lim            editbody.Limits
		code, part     string // code "" means ErrNotEditBody
		tooLarge       bool
	}{
		{name: "text/plain", ct: "text/plain", body: "{}"},
		{name: "no content type", ct: "", body: "{}"},
		{name: "multipart/mixed", ct: "multipart/mixed; boundary=x", body: ""},
		{name: "garbage content type", ct: "???", body: "{}"},
		{name: "no boundary", ct: "multipart/form-data", body: string(mpBody), code: editbody.CodeInvalidBody},
		{name: "broken parameters", ct: "multipart/form-data; boundary", body: string(mpBody), code: editbody.CodeInvalidBody},
		{name: "wrong boundary", ct: "multipart/form-data; boundary=nope", body: string(mpBody), code: editbody.CodeInvalidBody},
		{name: "truncated multipart", ct: mpCT, body: string(mpBody[:len(mpBody)-30]), code: editbody.CodeInvalidBody, part: "n"},
		{name: "multipart too large", ct: mpCT, body: string(mpBody), lim: editbody.Limits{MaxBytes: int64(len(mpBody) - 1)},
			code: editbody.CodeBodyTooLarge, tooLarge: true},
		{name: "multipart too many parts", ct: manyCT, body: string(manyBody), code: editbody.CodeTooManyParts},
		{name: "multipart bad base64 transfer encoding", ct: "multipart/form-data; boundary=b",
			body: "--b\r\nContent-Disposition: form-data; name=\"mask\"; filename=\"m.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!\r\n--b--\r\n",
			code: editbody.CodeInvalidBody, part: "mask"},
		{name: "two masks", ct: "multipart/form-data; boundary=b",
			body: "--b\r\nContent-Disposition: form-data; name=mask; filename=a\r\n\r\nx\r\n--b\r\nContent-Disposition: form-data; name=mask; filename=b\r\n\r\ny\r\n--b--\r\n",
			code: editbody.CodeInvalidBody, part: "mask"},
		{name: "json too large", ct: "application/json", body: `{"prompt":"` + strings.Repeat("x", 100) + `"}`,
			lim: editbody.Limits{MaxBytes: 100}, code: editbody.CodeBodyTooLarge, tooLarge: true},
		{name: "json too many entries", ct: "application/json", body: manyImages, code: editbody.CodeTooManyParts, part: "image[63]"},
		{name: "json malformed", ct: "application/json", body: `{"image": "abc",}`, code: editbody.CodeInvalidBody},
		{name: "json empty", ct: "application/json", body: ``, code: editbody.CodeInvalidBody},
		{name: "json not an object", ct: "application/json", body: ` ["x"]`, code: editbody.CodeInvalidBody},
		{name: "json bad base64 names the part", ct: "application/json", body: `{"image":["` + b64(img) + `","not base64!"]}`,
			code: editbody.CodeInvalidBase64, part: "image[1]"},
		{name: "json bad base64 in a data URL", ct: "application/json",
			body: `{"images":[{"file_id":"f"},{"image_url":"data:image/png;base64,@@@@"}]}`, code: editbody.CodeInvalidBase64, part: "images[1]"},
		{name: "json data URL not base64", ct: "application/json", body: `{"mask":{"image_url":"data:image/png,abc"}}`,
			code: editbody.CodeInvalidDataURL, part: "mask"},
		{name: "json data URL without comma", ct: "application/json", body: `{"image":"data:image/png;base64"}`,
			code: editbody.CodeInvalidDataURL, part: "image"},
		{name: "json data URL with a quote in its type", ct: "application/json", body: `{"image":"data:a\"b;base64,QQ=="}`,
			code: editbody.CodeInvalidDataURL, part: "image"},
		{name: "json two masks", ct: "application/json", body: `{"mask":"QQ==","mask":{"image_url":"data:;base64,QQ=="}}`,
			code: editbody.CodeInvalidBody, part: "mask"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := editbody.Parse(tt.ct, strings.NewReader(tt.body), tt.lim)
			if b != nil || err == nil {
				t.Fatalf("Parse = %v, %v; want an error", b, err)
			}
			if tt.code == "" {
				if err != editbody.ErrNotEditBody {
					t.Fatalf("err %v, want ErrNotEditBody", err)
				}
				return
			}
			var e *editbody.Error
			if !errors.As(err, &e) {
				t.Fatalf("err %T %v, want *Error", err, err)
			}
			if e.Code != tt.code || e.Part != tt.part {
				t.Errorf("code %q part %q, want %q %q (%v)", e.Code, e.Part, tt.code, tt.part, err)
			}
			if errors.Is(err, editbody.ErrTooLarge) != tt.tooLarge {
				t.Errorf("errors.Is(err, ErrTooLarge) = %v (%v)", !tt.tooLarge, err)
			}
			if want := "editbody: " + tt.part; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("message %q does not start with %q", err, want)
			}
		})
	}
}

func TestLimitExact(t *testing.T) {
	body := []byte(`{"prompt":"p"}`)
	lim := editbody.Limits{MaxBytes: int64(len(body))}
	if _, err := editbody.Parse("application/json", iotest.OneByteReader(bytes.NewReader(body)), lim); err != nil {
		t.Errorf("a body of exactly MaxBytes: %v", err)
	}
	lim.MaxBytes--
	if _, err := editbody.Parse("application/json", iotest.OneByteReader(bytes.NewReader(body)), lim); !errors.Is(err, editbody.ErrTooLarge) {
		t.Errorf("one byte over: %v", err)
	}
}

func TestReadError(t *testing.T) {
	boom := errors.New("boom")
	_, err := editbody.Parse("application/json", iotest.ErrReader(boom), editbody.Limits{})
	var e *editbody.Error
	if !errors.As(err, &e) || e.Code != editbody.CodeInvalidBody || !errors.Is(err, boom) {
		t.Errorf("err %v, want invalid_body wrapping the read error", err)
	}
}

func TestEncodeErrors(t *testing.T) {
	img := pngBytes(t, 2, 2, color.NRGBA{1, 1, 1, 255})
	mpCT, mpBody := buildMultipart(t, file("image[]", "a.png", "image/png", img))
	noMask := `{"images":[{"image_url":"` + dataURL("image/png", img) + `"}]}`
	tests := []struct {
		name, ct, body string
		change         func(b *editbody.Body)
		part           string
	}{
		{"an image removed", mpCT, string(mpBody), func(b *editbody.Body) { b.Images = nil }, ""},
		{"an image added", "application/json", noMask, func(b *editbody.Body) { b.Images = append(b.Images, b.Images[0]) }, ""},
		{"a nil image", mpCT, string(mpBody), func(b *editbody.Body) { b.Images[0] = nil }, ""},
		{"a mask added", "application/json", noMask, func(b *editbody.Body) { b.Mask = &editbody.Part{} }, "mask"},
		{"not an image field", mpCT, string(mpBody), func(b *editbody.Body) { b.Images[0].Field = "images" }, "image[]"},
		{"content type with a line break", mpCT, string(mpBody), func(b *editbody.Body) {
			b.Images[0].ContentType = "image/png\r\nX-Evil: 1"
		}, "image[]"},
		{"content type unfit for a data URL", "application/json", noMask, func(b *editbody.Body) {
			b.Images[0].ContentType = `image/png"`
		}, "images[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := parse(t, tt.ct, []byte(tt.body))
			tt.change(b)
			_, _, err := b.Encode()
			var e *editbody.Error
			if !errors.As(err, &e) || e.Code != editbody.CodeInvalidPart || e.Part != tt.part {
				t.Errorf("err %v, want invalid_part for %q", err, tt.part)
			}
		})
	}
}

func TestMalformedJSON(t *testing.T) {
	bodies := []string{
		`{"a" 1}`, `{"a":}`, `{"a":1 "b":2}`, `{"a":1,}`, `{} x`, `{"a":[1,]}`, `{"a\q":1}`,
		`{"image":"\q"}`, `{"image":"aGk=` + "\n" + `"}`, `{"image":["aGk=" "aGk="]}`,
		`{"images":[{"image_url" "data:;base64,aGk="}]}`, `{"images":[{"image_url":"data:;base64,aGk=",}]}`,
		`{"mask":{"image_url":"data:;base64,aGk="]}`, `{"images":[{"file_id":"f"} {"file_id":"g"}]}`,
	}
	// Every proper prefix of a valid object is malformed too.
	full := jsonCases(t)[0].body
	for i := range len(full) - 2 { // the last two bytes are '}' and '\n'
		bodies = append(bodies, full[:i])
	}
	for _, body := range bodies {
		_, err := editbody.Parse("application/json", strings.NewReader(body), editbody.Limits{})
		var e *editbody.Error
		if !errors.As(err, &e) || e.Code != editbody.CodeInvalidBody {
			t.Errorf("%.60q: err %v, want invalid_body", body, err)
		}
	}
}

func TestTruncatedMultipart(t *testing.T) {
	ct, body := buildMultipart(t, multipartCases(t)[0].parts...)
	for i := range len(body) - 2 { // without the final CRLF it is still whole
		_, err := editbody.Parse(ct, bytes.NewReader(body[:i]), editbody.Limits{})
		var e *editbody.Error
		if !errors.As(err, &e) || e.Code != editbody.CodeInvalidBody {
			t.Fatalf("prefix of %d bytes: err %v, want invalid_body", i, err)
		}
	}
}
