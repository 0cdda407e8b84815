package codecs_test

import (
	"errors"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/conformance"
	"github.com/imgprep/imgprep/internal/testcorpus"
)

// probeExceptions lists corpus rows where Probe deliberately disagrees with
// expect.tsv, with the reason. Keys are corpus-relative paths.
var probeExceptions = map[string]string{}

// decodeExceptions lists corpus rows whose Decode outcome deliberately
// differs from the valid column, with the reason. The test asserts the
// opposite outcome for them, so an entry cannot go stale silently.
var decodeExceptions = map[string]string{}

// matchesSentinel reports whether err is a *FormatError matching a sentinel.
var matchesSentinel = conformance.MatchesSentinel

func readCorpus(t *testing.T, e testcorpus.Entry) []byte { return conformance.Read(t, e) }

// The checks are shared (internal/conformance) with codecs/heic's and
// codecs/avif's tests on the HEIC and AVIF fixtures, which cannot run
// here: this binary links no HEIC or AVIF decoder, to test the error a
// program without one gets.

func TestProbeCorpus(t *testing.T) {
	for _, e := range testcorpus.Load(t) {
		t.Run(e.File, func(t *testing.T) { conformance.Probe(t, e, probeExceptions) })
	}
}

func TestDecodeCorpus(t *testing.T) {
	for _, e := range testcorpus.Load(t) {
		t.Run(e.File, func(t *testing.T) { conformance.Decode(t, e, decodeExceptions) })
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
