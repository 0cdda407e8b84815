package jpeg

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"testing"

	"github.com/imgprep/imgprep/internal/testcorpus"
)

// stdDecode is image/jpeg.Decode, turning a panic into an error.
func stdDecode(data []byte) (m image.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			m, err = nil, fmt.Errorf("image/jpeg panicked: %v", p)
		}
	}()
	return jpeg.Decode(bytes.NewReader(data))
}

// FuzzDecodeScaled checks that DecodeScaled never panics (a recovered
// panic counts), that all scales succeed or fail alike with the right
// sizes, that DecodeProgress gives the same results with rows final when
// reported (unless Stale), and that at scale 1 the result is image/jpeg's
// whenever image/jpeg succeeds. The one deliberate difference is restart intervals in
// non-interleaved scans of multi-block components (see decodeScan), where
// image/jpeg is wrong; such inputs are not compared.
func FuzzDecodeScaled(f *testing.F) {
	for _, c := range generatedJPEGs(f) {
		if len(c.data) < 16<<10 {
			f.Add(c.data)
		}
	}
	if _, err := os.Stat(testcorpus.RepoRoot(f) + "/../shared/corpus/expect.tsv"); err == nil {
		for _, c := range corpusJPEGs(f) {
			if data := readFile(f, c.path); len(data) < 16<<10 {
				f.Add(data)
			}
		}
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := DecodeConfig(bytes.NewReader(data))
		if err != nil && isInternalError(err) {
			t.Fatalf("DecodeConfig: %v", err)
		}
		if err == nil && cfg.Width*cfg.Height > 1<<20 {
			return
		}
		var imgs [4]image.Image
		var errs [4]error
		var dec1 *decoder
		for i, denom := range []int{1, 2, 4, 8} {
			var d *decoder
			imgs[i], d, errs[i] = decodeScaled(bytes.NewReader(data), denom)
			if errs[i] != nil && isInternalError(errs[i]) {
				t.Fatalf("1/%d: %v", denom, errs[i])
			}
			if i == 0 {
				dec1 = d
			}
			if err := sameProgress(decodeWithProgress(data, denom), imgs[i], errs[i]); err != nil {
				t.Fatalf("1/%d with progress: %v", denom, err)
			}
			if (errs[i] == nil) != (errs[0] == nil) {
				t.Fatalf("1/%d: error %v, but at 1/1: %v", denom, errs[i], errs[0])
			}
			if errs[i] == nil {
				w, h := (cfg.Width+denom-1)/denom, (cfg.Height+denom-1)/denom
				want := image.Rect(0, 0, w, h)
				if want.Empty() {
					// image.Image.SubImage's result for an empty rectangle.
					want = image.Rectangle{}
				}
				if b := imgs[i].Bounds(); b != want {
					t.Fatalf("1/%d: bounds %v, want %dx%d", denom, b, w, h)
				}
			}
		}
		want, err := stdDecode(data)
		if err != nil || dec1.blockRestarts {
			return
		}
		if errs[0] != nil {
			t.Fatalf("image/jpeg decodes it, but: %v", errs[0])
		}
		if err := sameImage(imgs[0], want); err != nil {
			t.Fatalf("differs from image/jpeg: %v", err)
		}
	})
}

// sameProgress checks a progress decode against DecodeScaled's result:
// same error, same image, rows reported final in order and unchanged at
// the end unless Stale was called (checkProgress, for the fuzzer).
func sameProgress(run *progressRun, want image.Image, wantErr error) error {
	if run.bad != nil {
		return run.bad
	}
	if fmt.Sprint(run.err) != fmt.Sprint(wantErr) {
		return fmt.Errorf("error %v, want %v", run.err, wantErr)
	}
	if wantErr != nil {
		return nil
	}
	if err := sameImage(run.img, want); err != nil {
		return err
	}
	if run.started == nil || run.stale {
		return nil
	}
	if run.img != run.started {
		return fmt.Errorf("result is not the started image, and no Stale")
	}
	if len(run.rows) != run.img.Bounds().Dy() {
		return fmt.Errorf("%d rows reported final, height %d", len(run.rows), run.img.Bounds().Dy())
	}
	for y, r := range run.rows {
		if !bytes.Equal(r, rowBytes(run.img, y)) {
			return fmt.Errorf("row %d changed after it was reported final", y)
		}
	}
	return nil
}
