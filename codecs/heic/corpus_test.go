package heic_test

import (
	"testing"

	"github.com/imgprep/imgprep/codecs/heic"
	"github.com/imgprep/imgprep/internal/conformance"
)

// TestCorpus runs the corpus conformance checks of codecs and pipeline on
// the HEIC rows of testdata/heif/expect.tsv; TestDecodeWASM runs it again
// with the WebAssembly libheif.
func TestCorpus(t *testing.T) {
	t.Logf("HEVC path: %s", heic.Path())
	conformance.HEIF(t, "heic", heic.Warm)
}
