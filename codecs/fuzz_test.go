package codecs_test

import (
	"errors"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/testcorpus"
	"github.com/imgprep/imgprep/internal/testimg"
)

// addSeeds seeds f with testdata/codecs (when generated) and the in-memory
// fixtures, plus a few small encoded images.
func addSeeds(f *testing.F) {
	dir := filepath.Join(testcorpus.RepoRoot(f), "testdata", "codecs")
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			if b, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil && len(b) < 1<<16 {
				f.Add(b)
			}
		}
	}
	// Small real-world files from the shared corpus, when it is there.
	corpus := filepath.Join(testcorpus.RepoRoot(f), "..", "shared", "corpus")
	_ = filepath.WalkDir(corpus, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(path, ".tsv") && !strings.HasSuffix(path, ".md") {
			if st, err := d.Info(); err == nil && st.Size() < 16<<10 {
				if b, err := os.ReadFile(path); err == nil {
					f.Add(b)
				}
			}
		}
		return nil
	})
	for _, fx := range buildFixtures(f) {
		f.Add(fx.data)
	}
	f.Add(mustPNG(f, image.NewPaletted(image.Rect(0, 0, 3, 3), color.Palette{color.Black, color.White})))
	f.Add(testimg.EncodeJPEG(f, image.NewGray(image.Rect(0, 0, 9, 9)), 85))
}

func FuzzSniff(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		got := codecs.Sniff(b)
		if got != codecs.Sniff(append(b[:len(b):len(b)], "trailing"...)) && len(b) >= 64 {
			t.Errorf("Sniff depends on bytes past 64")
		}
	})
}

func FuzzProbe(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := codecs.Probe(b)
		if err != nil {
			if !matchesSentinel(err) {
				t.Fatalf("error %v matches no sentinel", err)
			}
			return
		}
		if info.Format == codecs.Unknown || info.Format != codecs.Sniff(b) {
			t.Fatalf("format %q, sniffed %q", info.Format, codecs.Sniff(b))
		}
		if info.Width <= 0 || info.Height <= 0 || info.Orientation < 1 || info.Orientation > 8 || info.Frames < 1 {
			t.Fatalf("implausible info %+v", info)
		}
	})
}

func FuzzDecode(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		probed, perr := codecs.Probe(b)
		img, info, err := codecs.Decode(b, codecs.DecodeOptions{MaxPixels: 1 << 20})
		if err != nil {
			if !matchesSentinel(err) {
				t.Fatalf("error %v matches no sentinel", err)
			}
			var pe, de *codecs.FormatError
			if errors.As(perr, &pe) && errors.As(err, &de) && pe.Kind != de.Kind {
				t.Fatalf("Probe said %v, Decode said %v", perr, err)
			}
			return
		}
		if perr != nil {
			t.Fatalf("Decode succeeded where Probe failed: %v", perr)
		}
		if img.Bounds() != image.Rect(0, 0, probed.Width, probed.Height) ||
			info.Width != probed.Width || info.Height != probed.Height {
			t.Fatalf("decoded %v, probed %dx%d", img.Bounds(), probed.Width, probed.Height)
		}
	})
}
