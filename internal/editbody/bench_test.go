package editbody_test

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/imgprep/imgprep/internal/editbody"
)

// BenchmarkParseEncode measures a round trip of a body carrying one 8 MB
// image; bytes/s count the body.
func BenchmarkParseEncode(b *testing.B) {
	img := make([]byte, 8<<20)
	for i := range img {
		img[i] = byte(rand.Uint32())
	}
	mpCT, mpBody := buildMultipart(b, text("model", "gpt-image-1"), sdkFile("image", "a.png", img), text("prompt", "p"))
	jsBody := []byte(`{"model":"gpt-image-1","images":[{"image_url":"` + dataURL("image/png", img) + `"}],"prompt":"p"}`)
	for _, bc := range []struct {
		name, ct string
		body     []byte
	}{
		{"kind=multipart/size=8MB", mpCT, mpBody},
		{"kind=json/size=8MB", "application/json", jsBody},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.body)))
			for b.Loop() {
				body, err := editbody.Parse(bc.ct, bytes.NewReader(bc.body), editbody.Limits{})
				if err != nil {
					b.Fatal(err)
				}
				if _, _, err := body.Encode(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
