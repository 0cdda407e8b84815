package jpeg

import (
	"bytes"
	"image/jpeg"
	"testing"
)

// maxStdlibPixels bounds the images decoded at full size in the tests
// (sharp/giant-image.jpg is 280 megapixels).
const maxStdlibPixels = 40 << 20

func TestCorpusDenom1MatchesStdlib(t *testing.T) {
	for _, f := range corpusJPEGs(t) {
		t.Run(f.name, func(t *testing.T) {
			data := readFile(t, f.path)
			if f.width*f.height > maxStdlibPixels {
				t.Skip("too large for a full-size decode in a unit test")
			}
			want, wantErr := jpeg.Decode(bytes.NewReader(data))
			got, err := DecodeScaled(bytes.NewReader(data), 1)
			if (err != nil) != (wantErr != nil) {
				t.Fatalf("error = %v, image/jpeg's = %v", err, wantErr)
			}
			if err != nil {
				if f.valid {
					t.Fatalf("valid file: %v", err)
				}
				return
			}
			if !f.valid {
				t.Logf("invalid file decoded by both")
			}
			if err := sameImage(got, want); err != nil {
				t.Fatal(err)
			}
		})
	}
}
