package upload_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/imgprep/imgprep/upload"
)

// testKey is the API key every test uses; it must never show up in output.
const testKey = "sk-test-0123456789SECRETKEY"

func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.NRGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jpegBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewRGBA(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gptRequest(t testing.TB) *upload.Request {
	return &upload.Request{Model: "gpt-image-1", Prompt: "make it blue", Images: []upload.File{{Name: "in.png", Data: pngBytes(t, 8, 8)}}}
}

func intp(i int) *int { return &i }
