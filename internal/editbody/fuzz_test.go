package editbody_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/internal/editbody"
)

// FuzzParse checks that Parse never panics, returns only its typed
// errors, accepts only valid JSON, and that what it accepts survives Encode: Parse(Encode(Parse(x)))
// gives the same parts, and encoding that again gives the same bytes
// (modulo the multipart boundary).
func FuzzParse(f *testing.F) {
	for _, tc := range multipartCases(f) {
		ct, body := buildMultipart(f, tc.parts...)
		f.Add(ct, body)
	}
	for _, tc := range jsonCases(f) {
		f.Add("application/json", []byte(tc.body))
	}
	f.Add("multipart/form-data; boundary=b", []byte("--b\r\nContent-Disposition: form-data; name=\"image\"; "+
		"filename*=utf-8''a%0D%0A.png\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nab=3D\r\n--b--\r\n"))
	f.Add("application/json", []byte(`{"image":["aGk=\n", "https://x"], "mask": {"file_id": "f"}}`))
	f.Add("application/json", []byte(`{"image":"aGk=`+"\n"+`"}`)) // a raw line break: invalid
	f.Add("application/json", []byte(`{"images":[{"image_url":"data:image/png;base64,aGk="},{"image_url":"data:x;base64,aGk="}`))
	lim := editbody.Limits{MaxBytes: 1 << 20}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		b, err := editbody.Parse(contentType, bytes.NewReader(body), lim)
		if err != nil {
			var e *editbody.Error
			if err != editbody.ErrNotEditBody && !errors.As(err, &e) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		if b.Kind() == editbody.JSON && !json.Valid(body) {
			t.Fatalf("Parse accepted invalid JSON %q", body)
		}
		ct1, body1, err := b.Encode()
		if err != nil {
			t.Fatalf("Encode of an unchanged body: %v", err)
		}
		b1, err := editbody.Parse(ct1, bytes.NewReader(body1), editbody.Limits{})
		if err != nil {
			t.Fatalf("Parse(Encode(Parse(x))): %v\n%q", err, body1)
		}
		if b1.Kind() != b.Kind() || b1.Model() != b.Model() {
			t.Fatalf("kind %v model %q, want %v %q", b1.Kind(), b1.Model(), b.Kind(), b.Model())
		}
		// Encode percent-escapes line breaks in filenames, as mime/multipart does.
		esc := strings.NewReplacer("\r", "%0D", "\n", "%0A")
		for _, p := range append(b.Images, b.Mask) {
			if p != nil {
				p.Filename = esc.Replace(p.Filename)
			}
		}
		checkParts(t, b1, b.Images, b.Mask)
		ct2, body2, err := b1.Encode()
		if err != nil {
			t.Fatalf("second Encode: %v", err)
		}
		if b.Kind() == editbody.Multipart {
			body2 = bytes.ReplaceAll(body2, []byte(boundary(t, ct2)), []byte(boundary(t, ct1)))
		}
		if !bytes.Equal(body2, body1) {
			t.Fatalf("Encode is not stable:\n%q\n%q", body1, body2)
		}
	})
}

func boundary(t *testing.T, contentType string) string {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatal(err)
	}
	return params["boundary"]
}
