package pipeline_test

import (
	"context"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/imgprep/imgprep/internal/conformance"
	"github.com/imgprep/imgprep/internal/raster"
	"github.com/imgprep/imgprep/internal/testcorpus"
	"github.com/imgprep/imgprep/internal/testimg"
	"github.com/imgprep/imgprep/pipeline"
)

// TestCorpusConformance prepares every valid corpus image for every
// built-in profile and checks the output against the profile, with libvips
// and ImageMagick as strict readers when they are installed. Every invalid
// image, and every pixel bomb, must be rejected with a typed error. The
// checks are shared (internal/conformance) with codecs/heic's and
// codecs/avif's tests, which run them on the HEIC and AVIF fixtures: this
// binary links no HEIC or AVIF decoder (plan_test checks the error).
func TestCorpusConformance(t *testing.T) {
	entries := testcorpus.Load(t)
	if testing.Short() {
		t.Skip("corpus conformance skipped in -short mode")
	}
	conformance.Prepare(t, entries)
}

// TestCorpusOrientation prepares the EXIF orientation suite (the same
// picture stored eight ways) and checks that every orientation comes out
// like orientation 1: the marker ends up where it is displayed.
func TestCorpusOrientation(t *testing.T) {
	dir := filepath.Join(testcorpus.Dir(t), "exif-orientation")
	p := mustProfile(t, "dall-e-2")
	prep := func(name string) *image.NRGBA {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		res, err := pipeline.PrepareOne(context.Background(), pipeline.Input{Name: name, Data: data}, p, pipeline.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return testimg.DecodePNG(t, res.Data)
	}
	for _, kind := range []string{"Landscape", "Portrait"} {
		ref := prep(kind + "_1.jpg")
		// The metric must tell a wrong orientation from a right one.
		if d := meanAbsDiff(ref, raster.Orient(ref, 3)); d < 20 {
			t.Fatalf("%s: a 180-degree turn differs by only %.1f; the check would not see it", kind, d)
		}
		for o := 0; o <= 8; o++ {
			name := fmt.Sprintf("%s_%d.jpg", kind, o)
			if d := meanAbsDiff(ref, prep(name)); d > 8 {
				t.Errorf("%s: differs from %s_1 by %.1f per channel: not upright", name, kind, d)
			}
		}
	}
}

// meanAbsDiff is the mean absolute difference per channel of two images of
// the same size.
func meanAbsDiff(a, b *image.NRGBA) float64 {
	if a.Bounds() != b.Bounds() {
		return 255
	}
	var sum int64
	for i := range a.Pix {
		d := int64(a.Pix[i]) - int64(b.Pix[i])
		if d < 0 {
			d = -d
		}
		sum += d
	}
	return float64(sum) / float64(len(a.Pix))
}
