package upload_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/upload"
)

func TestDumpMultipart(t *testing.T) {
	req := gptRequest(t)
	req.Images = append(req.Images, upload.File{Name: "two.jpg", Data: jpegBytes(t, 4, 4)})
	req.Mask = &upload.File{Data: pngBytes(t, 8, 8)}
	req.Quality = "low"
	hreq, body := preview(t, upload.MultipartDriver, "http://api.test/v1", req)
	d := upload.DumpRequest(hreq, body)
	for _, w := range []string{
		"POST http://api.test/v1/images/edits\n",
		"Authorization: Bearer [REDACTED]\n",
		`field model = "gpt-image-1"`,
		`field quality = "low"`,
		`file  image[] filename="in.png" content-type=image/png size=`,
		`file  image[] filename="two.jpg" content-type=image/jpeg size=`,
		`file  mask filename="mask.png" content-type=image/png`,
	} {
		if !strings.Contains(d, w) {
			t.Errorf("dump lacks %q:\n%s", w, d)
		}
	}
	if strings.Contains(d, testKey) || strings.Contains(d, "\x89PNG") {
		t.Errorf("dump leaks the key or file bytes:\n%s", d)
	}
}

func TestDumpJSON(t *testing.T) {
	req := gptRequest(t)
	req.Images[0].Data = append(req.Images[0].Data, make([]byte, 1000)...)
	req.Moderation = "low"
	req.N = 2
	hreq, body := preview(t, upload.JSONDriver, "http://api.test/v1?key="+testKey, req)
	d := upload.DumpRequest(hreq, body)
	for _, w := range []string{`"image_url": "data:image/png;base64,<`, `base64 chars elided>"`, `"moderation": "low"`, `"n": 2`, "key=%5BREDACTED%5D"} {
		if !strings.Contains(d, w) {
			t.Errorf("dump lacks %q:\n%s", w, d)
		}
	}
	if strings.Contains(d, testKey) || len(d) > 2000 {
		t.Errorf("dump leaks the key or the payload:\n%s", d)
	}
}

// preview returns the request the driver would send req with to base.
func preview(t *testing.T, driver, base string, req *upload.Request) (*http.Request, []byte) {
	t.Helper()
	up, err := upload.Open(driver, upload.Config{BaseURL: base, APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	hreq, body, err := up.(upload.Previewer).Preview(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return hreq, body
}
