package mask_test

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/mask"
)

func asSizeError(err error, se **mask.SizeError) bool { return errors.As(err, se) }

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func pngBytes(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestValidateErrors(t *testing.T) {
	good, err := mask.Encode(mask.FromShapes(64, 48, []mask.Shape{mask.Rect{X: 8, Y: 8, W: 16, H: 16}}, mask.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	var jb bytes.Buffer
	jpeg.Encode(&jb, image.NewGray(image.Rect(0, 0, 64, 48)), nil)
	tests := []struct {
		name     string
		data     []byte
		maxBytes int64
		kind     error
		say      []string // the message must contain each
	}{
		{"jpeg", jb.Bytes(), 0, mask.ErrFormat, []string{"jpeg", "PNG", "alpha"}},
		{"empty", nil, 0, mask.ErrFormat, []string{"empty"}},
		{"damaged", good[:40], 0, mask.ErrFormat, []string{"damaged"}},
		{"size", pngBytes(t, image.NewNRGBA(image.Rect(0, 0, 32, 24))), 0, mask.ErrSize, []string{"32x24", "64x48", "rebuild"}},
		{"grey without alpha", pngBytes(t, image.NewGray(image.Rect(0, 0, 64, 48))), 0, mask.ErrNoAlpha, []string{"alpha", "transparent"}},
		{"too large", good, int64(len(good)), mask.ErrTooLarge, []string{"bytes", "limit"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mask.Validate(tc.data, 64, 48, tc.maxBytes)
			if !errors.Is(err, tc.kind) {
				t.Fatalf("err %v, want %v", err, tc.kind)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "mask: ") || !containsAll(msg, tc.say...) {
				t.Errorf("message %q should start with \"mask: \" and say %q", msg, tc.say)
			}
			if d, ok := err.(interface{ Detail() string }); !ok || "mask: "+d.Detail() != err.Error() {
				t.Errorf("%q: Detail is not the message without \"mask: \"", err)
			}
			if strings.Contains(err.Error(), "codecs: ") {
				t.Errorf("%q repeats the codecs prefix", err)
			}
		})
	}
	var se *mask.SizeError
	_, err = mask.Validate(tests[3].data, 64, 48, 0)
	if !errors.As(err, &se) || se.Mask != image.Pt(32, 24) || se.Image != image.Pt(64, 48) {
		t.Errorf("SizeError: %#v", se)
	}
}

func TestValidateReport(t *testing.T) {
	m := mask.FromShapes(100, 100, []mask.Shape{mask.Rect{X: 0, Y: 0, W: 50.5, H: 100}}, mask.Options{})
	b, _ := mask.Encode(m)
	r, err := mask.Validate(b, 100, 100, 4_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if r.Width != 100 || r.Height != 100 || r.Bytes != len(b) || r.Editable != 0.5 || r.Partial != 0.01 || r.Warnings != nil {
		t.Errorf("report %+v", r)
	}
	for _, tc := range []struct {
		m    *image.Alpha
		warn string
	}{
		{mask.New(10, 10), mask.WarnEditsNothing},
		{mask.Invert(mask.New(10, 10)), mask.WarnEditsEverything},
	} {
		b, _ := mask.Encode(tc.m)
		r, err := mask.Validate(b, 10, 10, 0)
		if err != nil || len(r.Warnings) != 1 || r.Warnings[0] != tc.warn {
			t.Errorf("warnings %q, %v; want %q", r.Warnings, err, tc.warn)
		}
	}
	// Grey+alpha and palette+tRNS PNGs have alpha too.
	ga := image.NewNRGBA(image.Rect(0, 0, 10, 10))
	if _, err := mask.Validate(pngBytes(t, ga), 10, 10, 0); err != nil {
		t.Errorf("RGBA PNG from image/png: %v", err)
	}
}
