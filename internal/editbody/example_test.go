package editbody_test

import (
	"bytes"
	"fmt"
	"mime/multipart"

	"github.com/imgprep/imgprep/internal/editbody"
)

// An SDK labels its image application/octet-stream, which the API
// rejects; a transport parses the body, fixes the part and sends the
// rebuilt body with its new Content-Type.
func ExampleParse() {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("model", "gpt-image-1")
	fw, _ := w.CreateFormFile("image", "photo")
	fw.Write([]byte("\x89PNG\r\n\x1a\n..."))
	w.WriteField("prompt", "add a hat")
	w.Close()

	b, err := editbody.Parse(w.FormDataContentType(), &buf, editbody.Limits{})
	if err != nil {
		fmt.Println(err)
		return
	}
	img := b.Images[0]
	fmt.Println(b.Kind(), b.Model(), img.Field, img.Filename, img.ContentType)

	img.ContentType, img.Filename = "image/png", "photo.png"
	contentType, body, err := b.Encode()
	if err != nil {
		fmt.Println(err)
		return
	}
	again, _ := editbody.Parse(contentType, bytes.NewReader(body), editbody.Limits{})
	prompt, _ := again.Field("prompt")
	fmt.Println(again.Images[0].Filename, again.Images[0].ContentType, prompt)
	// Output:
	// multipart gpt-image-1 image photo application/octet-stream
	// photo.png image/png add a hat
}
