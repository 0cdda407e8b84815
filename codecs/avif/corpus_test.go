package avif_test

import (
	"testing"

	"github.com/imgprep/imgprep/codecs/avif"
	"github.com/imgprep/imgprep/internal/conformance"
)

// TestCorpus runs the corpus conformance checks of codecs and pipeline on
// the AVIF rows of testdata/heif/expect.tsv.
func TestCorpus(t *testing.T) {
	conformance.HEIF(t, "avif", avif.Warm)
}
