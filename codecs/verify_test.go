package codecs_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/testcorpus"
)

// sameVerdict checks Verify against Decode (JPEG at 1/8, as the pipeline
// verified before Verify existed): the same error kind, or both nil, except
// that Verify may reject a damaged JPEG that Decode accepts (a coefficient
// run past the end of a block), as ErrCorrupt.
func sameVerdict(t *testing.T, name string, b []byte) {
	t.Helper()
	opts := codecs.DecodeOptions{}
	vErr := codecs.Verify(b, opts)
	opts.ScaleDenom = 8
	_, info, dErr := codecs.Decode(b, opts)
	switch {
	case vErr == nil && dErr != nil:
		t.Errorf("%s: Verify accepts, Decode says %v", name, dErr)
	case vErr != nil && !matchesSentinel(vErr):
		t.Errorf("%s: Verify: %v is not a *FormatError of a known kind", name, vErr)
	case info.Format == codecs.JPEG && errors.Is(vErr, codecs.ErrCorrupt) &&
		strings.HasSuffix(vErr.Error(), "coefficient index past 63"):
		// Where Decode goes on, with the block cut short, and meets the
		// damage later, as another error or none.
	case vErr != nil && dErr == nil:
		t.Errorf("%s: Verify says %v, Decode accepts", name, vErr)
	case vErr != nil && kind(vErr) != kind(dErr):
		t.Errorf("%s: Verify says %v, Decode %v", name, vErr, dErr)
	}
}

// kind returns the sentinel err matches.
func kind(err error) error {
	for _, k := range []error{codecs.ErrEmpty, codecs.ErrUnknownFormat, codecs.ErrUnsupported,
		codecs.ErrCorrupt, codecs.ErrTruncated, codecs.ErrTooLarge, codecs.ErrAnimated} {
		if errors.Is(err, k) {
			return k
		}
	}
	return nil
}

// TestVerifyCorpus checks that Verify gives Decode's verdict on every
// corpus file, on every JPEG of up to 1 MB truncated at 31 points and with bytes of its
// entropy-coded data overwritten, and that it accepts every valid file
// (except pixel bombs, as Decode).
func TestVerifyCorpus(t *testing.T) {
	for _, e := range testcorpus.Load(t) {
		b := readCorpus(t, e)
		sameVerdict(t, e.File, b)
		if e.Valid && !e.Bomb(codecs.DefaultMaxPixels) {
			if err := codecs.Verify(b, codecs.DecodeOptions{}); err != nil {
				t.Errorf("%s: valid, Verify says %v", e.File, err)
			}
		}
		if e.Format != "jpeg" || len(b) > 1<<20 {
			continue
		}
		for i := 1; i < 32; i++ {
			at := len(b) * i / 32
			sameVerdict(t, e.File+"/truncated", b[:at])
			c := append([]byte(nil), b...)
			c[at] ^= byte(i)
			sameVerdict(t, e.File+"/damaged", c)
		}
	}
}

// FuzzVerify checks that Verify never accepts what Decode rejects, and
// otherwise agrees with it (see sameVerdict).
func FuzzVerify(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := codecs.Probe(b)
		if err == nil && info.Pixels() > 1<<22 {
			return
		}
		sameVerdict(t, "input", b)
	})
}
