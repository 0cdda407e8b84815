package codecstream_test

import (
	"bytes"
	"errors"
	"image"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/codecstream"
	"github.com/imgprep/imgprep/internal/testimg"
)

// TestJPEGEncoder: rows handed over in chunks give EncodeBytes' bytes;
// other formats, and a quality Encode would default, are refused with
// ErrEncode.
func TestJPEGEncoder(t *testing.T) {
	img := testimg.MarkerImage(203, 77)
	opts := codecs.EncodeOptions{Format: codecs.JPEG, Quality: 80}
	want, err := codecs.EncodeBytes(img, opts)
	if err != nil {
		t.Fatal(err)
	}
	s, err := codecstream.NewJPEGEncoder(img, opts)
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n <= 77; n += 20 {
		s.Advance(n)
	}
	got, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%d bytes, EncodeBytes gives %d: differ", len(got), len(want))
	}
	if cfg, f, err := image.DecodeConfig(bytes.NewReader(got)); err != nil || f != "jpeg" || cfg.Width != 203 || cfg.Height != 77 {
		t.Errorf("decodes as %v %s %v", cfg, f, err)
	}
	if _, err := codecstream.NewJPEGEncoder(img, codecs.EncodeOptions{Format: codecs.PNG}); !errors.Is(err, codecs.ErrEncode) {
		t.Errorf("PNG: %v, want ErrEncode", err)
	}
	if _, err := codecstream.NewJPEGEncoder(img, codecs.EncodeOptions{Format: codecs.JPEG}); !errors.Is(err, codecs.ErrEncode) {
		t.Errorf("quality 0: %v, want ErrEncode", err)
	}
}
