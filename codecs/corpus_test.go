package codecs_test

import (
	"errors"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/testcorpus"
)

// probeExceptions lists corpus rows where Probe deliberately disagrees with
// expect.tsv, with the reason. Keys are corpus-relative paths.
var probeExceptions = map[string]string{}

// decodeExceptions lists corpus rows whose Decode outcome deliberately
// differs from the valid column, with the reason. The test asserts the
// opposite outcome for them, so an entry cannot go stale silently.
var decodeExceptions = map[string]string{}

var sentinels = []error{
	codecs.ErrEmpty, codecs.ErrUnknownFormat, codecs.ErrUnsupported, codecs.ErrCorrupt,
	codecs.ErrTruncated, codecs.ErrTooLarge, codecs.ErrAnimated,
}

// matchesSentinel reports whether err is a *FormatError matching a sentinel.
func matchesSentinel(err error) bool {
	var fe *codecs.FormatError
	if !errors.As(err, &fe) {
		return false
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

func readCorpus(t *testing.T, e testcorpus.Entry) []byte {
	t.Helper()
	b, err := os.ReadFile(e.Path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestProbeCorpus(t *testing.T) {
	for _, e := range testcorpus.Load(t) {
		t.Run(e.File, func(t *testing.T) {
			b := readCorpus(t, e)
			info, err := codecs.Probe(b)
			if err != nil && !matchesSentinel(err) {
				t.Fatalf("error %v does not match a sentinel", err)
			}
			if why, ok := probeExceptions[e.File]; ok {
				t.Skipf("exception: %s (got %+v, %v)", why, info, err)
			}
			wantFormat := e.Format
			if wantFormat == "unknown" {
				wantFormat = ""
			}
			if string(info.Format) != wantFormat {
				t.Errorf("format = %q, want %q", info.Format, wantFormat)
			}
			if e.Width == 0 || e.Height == 0 { // no tool read a header
				if err == nil {
					t.Errorf("Probe succeeded (%+v) on a file with no readable header", info)
				}
				return
			}
			if err != nil {
				if e.Valid {
					t.Fatalf("Probe failed on a valid file: %v", err)
				}
				return // a rejected invalid file is fine
			}
			if info.Width != e.Width || info.Height != e.Height {
				t.Errorf("size = %dx%d, want %dx%d", info.Width, info.Height, e.Width, e.Height)
			}
			if e.HasAlpha != "-" && info.HasAlpha != (e.HasAlpha == "yes") {
				t.Errorf("HasAlpha = %v, want %s", info.HasAlpha, e.HasAlpha)
			}
			wantOr := max(e.Orientation, 1)
			if info.Orientation != wantOr {
				t.Errorf("Orientation = %d, want %d", info.Orientation, wantOr)
			}
		})
	}
}

func TestDecodeCorpus(t *testing.T) {
	for _, e := range testcorpus.Load(t) {
		t.Run(e.File, func(t *testing.T) {
			b := readCorpus(t, e)
			img, info, err := codecs.Decode(b, codecs.DecodeOptions{})
			if err != nil && !matchesSentinel(err) {
				t.Fatalf("error %v does not match a sentinel", err)
			}
			_, exception := decodeExceptions[e.File]
			switch {
			case exception && !e.Valid:
				if err != nil {
					t.Fatalf("listed as decodable in decodeExceptions, but: %v", err)
				}
				if got := img.Bounds(); got.Dx() != e.Width || got.Dy() != e.Height {
					t.Errorf("bounds = %v, want %dx%d", got, e.Width, e.Height)
				}
			case exception:
				t.Fatal("decodeExceptions lists a valid file")
			case !e.Valid:
				if err == nil {
					t.Fatalf("decoded an invalid file (%T %v)", img, img.Bounds())
				}
			case e.Bomb(codecs.DefaultMaxPixels):
				if !errors.Is(err, codecs.ErrTooLarge) {
					t.Fatalf("pixel bomb: err = %v, want ErrTooLarge", err)
				}
			case err != nil:
				t.Fatalf("Decode: %v", err)
			default:
				if got := img.Bounds(); got.Dx() != e.Width || got.Dy() != e.Height || got.Min.X != 0 || got.Min.Y != 0 {
					t.Errorf("bounds = %v, want %dx%d", got, e.Width, e.Height)
				}
				if info.Width != e.Width || info.Height != e.Height {
					t.Errorf("info size = %dx%d", info.Width, info.Height)
				}
			}
		})
	}
}

// TestDecodePixelBombFast checks that pixel bombs are refused from the
// header: quickly and without allocating pixel memory.
func TestDecodePixelBombFast(t *testing.T) {
	dir := testcorpus.Dir(t)
	for _, name := range []string{"sharp/65536-uint32-limit.png", "sharp/giant-image.jpg"} {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(dir + "/" + name)
			if err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, _, err = codecs.Decode(b, codecs.DecodeOptions{})
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, codecs.ErrTooLarge) {
				t.Fatalf("err = %v, want ErrTooLarge", err)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
				t.Errorf("allocated %d bytes refusing a bomb", alloc)
			}
			if elapsed > 250*time.Millisecond { // typically microseconds; generous for loaded CI
				t.Errorf("took %v", elapsed)
			}
		})
	}
}
