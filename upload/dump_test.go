package upload_test

import (
	"context"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/upload"
)

func TestDumpMultipart(t *testing.T) {
	cl, _ := newClient(t, "http://api.test/v1", nil)
	req := gptRequest(t)
	req.Images = append(req.Images, upload.File{Name: "two.jpg", Data: jpegBytes(t, 4, 4)})
	req.Mask = &upload.File{Data: pngBytes(t, 8, 8)}
	req.Quality = "low"
	call, err := cl.EditCall(req, upload.Multipart, nil)
	if err != nil {
		t.Fatal(err)
	}
	hreq, body, err := cl.Preview(context.Background(), call)
	if err != nil {
		t.Fatal(err)
	}
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
	cl, _ := newClient(t, "http://api.test/v1?key="+testKey, nil)
	req := gptRequest(t)
	req.Images[0].Data = append(req.Images[0].Data, make([]byte, 1000)...)
	req.Moderation = "low"
	req.N = 2
	call, err := cl.EditCall(req, upload.JSON, nil)
	if err != nil {
		t.Fatal(err)
	}
	hreq, body, err := cl.Preview(context.Background(), call)
	if err != nil {
		t.Fatal(err)
	}
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
