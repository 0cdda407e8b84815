package conformance

import (
	"errors"
	"os"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/testcorpus"
)

// Read returns an entry's bytes.
func Read(t *testing.T, e testcorpus.Entry) []byte {
	t.Helper()
	b, err := os.ReadFile(e.Path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Probe checks codecs.Probe on an entry against its row: format, and for
// a file with a readable header its stored size, alpha and orientation
// (an invalid file may be rejected instead, with a sentinel error). A row
// listed in exceptions (file -> reason) is skipped after the error check.
func Probe(t *testing.T, e testcorpus.Entry, exceptions map[string]string) {
	t.Helper()
	info, err := codecs.Probe(Read(t, e))
	if err != nil && !MatchesSentinel(err) {
		t.Fatalf("error %v does not match a sentinel", err)
	}
	if why, ok := exceptions[e.File]; ok {
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
}

// Decode checks codecs.Decode on an entry against its row: a valid file
// decodes to its stored size at (0, 0), an invalid one or a pixel bomb is
// rejected with a sentinel error. A row listed in exceptions is one whose
// outcome deliberately differs from the valid column: the opposite outcome
// is asserted, so an entry cannot go stale silently.
func Decode(t *testing.T, e testcorpus.Entry, exceptions map[string]string) {
	t.Helper()
	img, info, err := codecs.Decode(Read(t, e), codecs.DecodeOptions{})
	if err != nil && !MatchesSentinel(err) {
		t.Fatalf("error %v does not match a sentinel", err)
	}
	_, exception := exceptions[e.File]
	switch {
	case exception && !e.Valid:
		if err != nil {
			t.Fatalf("listed as decodable in the exceptions, but: %v", err)
		}
		if got := img.Bounds(); got.Dx() != e.Width || got.Dy() != e.Height {
			t.Errorf("bounds = %v, want %dx%d", got, e.Width, e.Height)
		}
	case exception:
		t.Fatal("the decode exceptions list a valid file")
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
}

// HEIF runs Probe, Decode and, unless -short, Prepare on the rows of
// testdata/heif/expect.tsv in format ("heic", "avif") as subtests probe,
// decode and prepare. warm (the codec's Warm) compiles its WebAssembly
// module before prepare, outside the per-file bounds: a one-time cost that
// the CLI keeps in its cache.
func HEIF(t *testing.T, format string, warm func() error) {
	entries := testcorpus.HEIF(t, format)
	t.Run("probe", func(t *testing.T) {
		for _, e := range entries {
			t.Run(e.File, func(t *testing.T) { Probe(t, e, nil) })
		}
	})
	t.Run("decode", func(t *testing.T) {
		for _, e := range entries {
			t.Run(e.File, func(t *testing.T) { Decode(t, e, nil) })
		}
	})
	t.Run("prepare", func(t *testing.T) {
		if testing.Short() {
			t.Skip("corpus conformance skipped in -short mode")
		}
		if err := warm(); err != nil {
			t.Fatal(err)
		}
		Prepare(t, entries)
	})
}
