package codecs_test

import (
	"errors"
	"image"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/testimg"
)

func TestFormatErrorDetail(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("text"), testimg.EncodeJPEG(t, image.NewGray(image.Rect(0, 0, 8, 8)), 90)[:40]} {
		_, _, err := codecs.Decode(b, codecs.DecodeOptions{})
		var fe *codecs.FormatError
		if !errors.As(err, &fe) || err.Error() != "codecs: "+fe.Detail() {
			t.Errorf("%q: Error %q, Detail %q", b[:min(len(b), 4)], err, fe.Detail())
		}
	}
}
