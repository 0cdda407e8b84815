package codecstream_test

import (
	"errors"
	"fmt"
	"image"
	"os"
	"reflect"
	"runtime"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/codecstream"
	"github.com/imgprep/imgprep/internal/testcorpus"
	"github.com/imgprep/imgprep/internal/testimg"
)

// sentinels are the error kinds of codecs.Decode.
var sentinels = []error{
	codecs.ErrEmpty, codecs.ErrUnknownFormat, codecs.ErrUnsupported, codecs.ErrCorrupt,
	codecs.ErrTruncated, codecs.ErrTooLarge, codecs.ErrAnimated,
}

// checkStream decodes b with codecs.Decode and with codecstream.Decode and
// checks that they agree: same error, same image and info, Rows
// consistent with both. It returns whether the stream was Partial.
func checkStream(t *testing.T, name string, b []byte, opts codecs.DecodeOptions) bool {
	t.Helper()
	want, wantInfo, wantErr := codecs.Decode(b, opts)
	st, info, err := codecstream.Decode(b, opts)
	if !reflect.DeepEqual(info, wantInfo) {
		t.Fatalf("%s: stream info %+v, Decode %+v", name, info, wantInfo)
	}
	if err != nil {
		// Only a decode that ended before Decode returned fails here.
		if fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("%s: Decode error %v, codecs.Decode %v", name, err, wantErr)
		}
		return false
	}
	h := info.Height
	partial := st.Partial()
	if partial {
		m := st.Image()
		if m == nil || m.Bounds().Min != (image.Point{}) {
			t.Fatalf("%s: Partial with image %v", name, m)
		}
		h = m.Bounds().Max.Y
	} else if st.Image() != nil {
		t.Fatalf("%s: not Partial, but Image is set", name)
	}
	rowsErr := st.Rows(h)
	got, err := st.Wait()
	if fmt.Sprint(err) != fmt.Sprint(wantErr) {
		t.Fatalf("%s: Wait error %v, Decode %v", name, err, wantErr)
	}
	if wantErr != nil {
		if rowsErr == nil && partial {
			// Rows may all be final before a later error (e.g. after the
			// scan), but then Wait must report it, as checked above.
			t.Logf("%s: all rows final before the error %v", name, wantErr)
		}
		for _, s := range sentinels {
			if errors.Is(err, s) != errors.Is(wantErr, s) {
				t.Fatalf("%s: Wait error %v, Decode %v: kinds differ", name, err, wantErr)
			}
		}
		return partial
	}
	if rowsErr != nil && !st.Stale() {
		t.Fatalf("%s: Rows(%d) = %v, but the decode succeeded", name, h, rowsErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: stream image differs from Decode's", name)
	}
	if partial && !st.Stale() && got != st.Image() {
		t.Fatalf("%s: Wait's image is not Image, and not Stale", name)
	}
	return partial
}

// TestDecodeCorpus checks Decode against codecs.Decode on every
// corpus file, at full size and 1/2: same results and errors; the
// baseline JPEGs stream.
func TestDecodeCorpus(t *testing.T) {
	before := runtime.NumGoroutine()
	partial := 0
	for _, e := range testcorpus.Load(t) {
		b, err := os.ReadFile(e.Path)
		if err != nil {
			t.Fatal(err)
		}
		for _, denom := range []int{0, 2} {
			if checkStream(t, fmt.Sprintf("%s 1/%d", e.File, max(denom, 1)), b, codecs.DecodeOptions{ScaleDenom: denom}) {
				partial++
			}
		}
	}
	t.Logf("%d partial streams", partial)
	if partial == 0 {
		t.Error("no corpus file streamed")
	}
	testimg.WaitGoroutines(t, before)
}

// TestDecodeTruncated checks that a baseline JPEG cut in its
// entropy-coded data streams, and that Rows and Wait then report
// ErrTruncated, as codecs.Decode does.
func TestDecodeTruncated(t *testing.T) {
	before := runtime.NumGoroutine()
	full := testimg.EncodeJPEG(t, testimg.Gradient(640, 480, false), 85)
	for _, n := range []int{len(full) / 3, len(full) * 3 / 4, len(full) - 3} {
		b := full[:n]
		if !checkStream(t, fmt.Sprintf("cut at %d", n), b, codecs.DecodeOptions{ScaleDenom: 2}) {
			t.Errorf("cut at %d: not Partial", n)
		}
		st, _, err := codecstream.Decode(b, codecs.DecodeOptions{ScaleDenom: 2})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Rows(240); !errors.Is(err, codecs.ErrTruncated) {
			t.Errorf("cut at %d: Rows = %v, want ErrTruncated", n, err)
		}
		if _, err := st.Wait(); !errors.Is(err, codecs.ErrTruncated) {
			t.Errorf("cut at %d: Wait = %v, want ErrTruncated", n, err)
		}
	}
	testimg.WaitGoroutines(t, before)
}

// TestDecodeClose checks that Close stops a running decode: Rows and
// Wait then return ErrClosed, and no goroutine is left.
func TestDecodeClose(t *testing.T) {
	before := runtime.NumGoroutine()
	b := testimg.EncodeJPEG(t, testimg.Gradient(2000, 1500, false), 85)
	closed := 0
	for range 5 {
		st, _, err := codecstream.Decode(b, codecs.DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !st.Partial() {
			t.Fatal("not Partial")
		}
		st.Close()
		st.Close()
		_, err = st.Wait()
		switch {
		case errors.Is(err, codecstream.ErrClosed):
			closed++
			if err := st.Rows(1500); !errors.Is(err, codecstream.ErrClosed) && err != nil {
				t.Errorf("Rows after Close = %v", err)
			}
		case err != nil:
			t.Errorf("Wait after Close = %v", err)
		}
	}
	if closed == 0 {
		t.Error("Close never stopped the decode")
	}
	// Closing a finished stream changes nothing.
	st, _, err := codecstream.Decode(b, codecs.DecodeOptions{ScaleDenom: 2})
	if err != nil {
		t.Fatal(err)
	}
	img, err := st.Wait()
	st.Close()
	if img2, err2 := st.Wait(); err != nil || err2 != nil || img2 != img {
		t.Errorf("Wait after Close of a finished stream: %v, %v", err, err2)
	}
	testimg.WaitGoroutines(t, before)
}

// TestDecodePNG checks that a non-interlaced 8-bit PNG streams and that
// a 16-bit one comes back whole, both with codecs.Decode's result.
func TestDecodePNG(t *testing.T) {
	b := testimg.EncodePNG(t, testimg.Gradient(64, 48, true))
	if !checkStream(t, "png", b, codecs.DecodeOptions{}) {
		t.Error("8-bit PNG not streamed")
	}
	m16 := image.NewNRGBA64(image.Rect(0, 0, 40, 30))
	for i := range m16.Pix {
		m16.Pix[i] = uint8(i * 7)
	}
	if checkStream(t, "png16", testimg.EncodePNG(t, m16), codecs.DecodeOptions{}) {
		t.Error("16-bit PNG streamed")
	}
	if _, _, err := codecstream.Decode(b, codecs.DecodeOptions{MaxPixels: 100}); !errors.Is(err, codecs.ErrTooLarge) {
		t.Errorf("MaxPixels: %v", err)
	}
}
