package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/testcorpus"
	"github.com/imgprep/imgprep/internal/testimg"
	"github.com/imgprep/imgprep/model"
)

// streamCases are the option sets the streamed render is compared on:
// resizes to JPEG (encoded while rendered; over a byte budget, so that
// quality is lowered after the early encoding) and to padded PNG, a crop,
// an exact-size canvas and MaxSide.
var streamCases = []struct {
	model string
	o     Options
}{
	{"gpt-image-1", Options{Reencode: true, MaxSide: 1536, UploadQuality: 90}},
	{"gpt-image-1", Options{Reencode: true, MaxSide: 100}},
	{"gpt-image-1", Options{Reencode: true, MaxSide: 700, UploadQuality: 95, MaxBytes: 30000}},
	{"dall-e-2", Options{Reencode: true}},
	{"dall-e-2", Options{Reencode: true, Fit: FitCrop}},
	{"gpt-image-1", Options{Reencode: true, Width: 1024, Height: 1536, Fit: FitCrop}},
}

// prepareBoth prepares data with and without streaming (o as given, and
// o with streaming turned off) and reports how the results differ (nil
// when the bytes and errors are identical).
func prepareBoth(data []byte, name string, o Options) error {
	p, err := model.Lookup(name)
	if err != nil {
		return err
	}
	in := Input{Name: "in", Data: data}
	ref := o
	ref.test = &testHooks{noStream: true}
	want, wantErr := PrepareOne(context.Background(), in, p, ref)
	got, err := PrepareOne(context.Background(), in, p, o)
	if fmt.Sprint(err) != fmt.Sprint(wantErr) {
		return fmt.Errorf("error %v, reference %v", err, wantErr)
	}
	for _, s := range []error{codecs.ErrTruncated, codecs.ErrCorrupt, codecs.ErrUnsupported} {
		if errors.Is(err, s) != errors.Is(wantErr, s) {
			return fmt.Errorf("error %v, reference %v: kinds differ", err, wantErr)
		}
	}
	if wantErr != nil {
		return nil
	}
	if !bytes.Equal(got.Data, want.Data) || fmt.Sprint(got.Warnings) != fmt.Sprint(want.Warnings) {
		return fmt.Errorf("output differs from the reference (%d vs %d bytes)", len(got.Data), len(want.Data))
	}
	return nil
}

// TestStreamedRenderCorpus checks that rendering while decoding gives the
// same bytes (and errors) as decoding first, on every corpus JPEG and PNG.
func TestStreamedRenderCorpus(t *testing.T) {
	before := runtime.NumGoroutine()
	n := 0
	for _, e := range testcorpus.Load(t) {
		if (e.Format != "jpeg" && e.Format != "png") || e.Bomb(50_000_000) {
			continue
		}
		data, err := os.ReadFile(e.Path)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range streamCases {
			if err := prepareBoth(data, c.model, c.o); err != nil {
				t.Errorf("%s %s %+v: %v", e.File, c.model, c.o, err)
			}
		}
		n++
	}
	t.Logf("%d JPEGs and PNGs", n)
	testimg.WaitGoroutines(t, before)
}

// TestStreamedRenderPhotos checks the benchmark photos (12 MP 4:2:2
// baseline, 16 MP with orientation 8, 12 MP progressive), and cuts of the
// baseline one (ErrTruncated, as without streaming).
func TestStreamedRenderPhotos(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	before := runtime.NumGoroutine()
	dir := filepath.Join(testcorpus.SharedDir(t), "bench-photos")
	for _, name := range []string{"photo12_s7edge.jpg", "photo16_leicat_o8.jpg", "photo12_immich_420.jpg", "screenshot_4k.png"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Skip(err)
		}
		for _, c := range streamCases[:3] {
			if err := prepareBoth(data, c.model, c.o); err != nil {
				t.Errorf("%s %s %+v: %v", name, c.model, c.o, err)
			}
		}
		if name == "photo12_s7edge.jpg" {
			for _, cut := range []int{len(data) / 2, len(data) - 10} {
				if err := prepareBoth(data[:cut], "gpt-image-1", streamCases[0].o); err != nil {
					t.Errorf("%s cut at %d: %v", name, cut, err)
				}
			}
		}
	}
	testimg.WaitGoroutines(t, before)
}

// TestStreamedRenderCancel checks that cancelling the context while a
// streamed render runs returns the context's error and leaves no
// goroutine behind.
func TestStreamedRenderCancel(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testcorpus.SharedDir(t), "bench-photos", "photo12_s7edge.jpg"))
	if err != nil {
		t.Skip(err)
	}
	p, err := model.Lookup("gpt-image-1")
	if err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	for _, after := range []time.Duration{0, 5 * time.Millisecond, 20 * time.Millisecond} {
		ctx, cancel := context.WithCancel(context.Background())
		if after == 0 {
			cancel()
		} else {
			time.AfterFunc(after, cancel)
		}
		_, err := PrepareOne(ctx, Input{Name: "in", Data: data}, p, Options{Reencode: true, MaxSide: 1536})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancel after %v: %v", after, err)
		}
		cancel()
	}
	testimg.WaitGoroutines(t, before)
}

// TestEarlyEncoding checks when the JPEG output is encoded while the
// render runs: for an upright photo resized to JPEG it is, and the bytes
// are those of encoding afterwards; over a byte budget that forces a
// lower quality, the early encoding is dropped and the result is still
// the reference's; with an orientation to apply it is not attempted.
func TestEarlyEncoding(t *testing.T) {
	up := testimg.MarkerImage(1200, 900)
	cases := []struct {
		name  string
		o     int
		opts  Options
		early bool
	}{
		{"upright", 1, Options{Reencode: true, MaxSide: 800, UploadQuality: 90}, true},
		{"over budget", 1, Options{Reencode: true, MaxSide: 800, UploadQuality: 100}, false},
		{"orientation 6", 6, Options{Reencode: true, MaxSide: 800, UploadQuality: 90}, false},
	}
	for _, c := range cases {
		data := testimg.OrientedJPEG(t, up, c.o)
		if c.name == "over budget" {
			// One byte less than the output at this quality.
			p, _ := model.Lookup("gpt-image-1")
			res, err := PrepareOne(context.Background(), Input{Name: "in", Data: data}, p, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			c.opts.MaxBytes = int64(len(res.Data) - 1)
		}
		c.opts.test = &testHooks{}
		if err := prepareBoth(data, "gpt-image-1", c.opts); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if used := c.opts.test.earlyUsed.Load() > 0; used != c.early {
			t.Errorf("%s: early encoding used %v, want %v", c.name, used, c.early)
		}
	}
}
