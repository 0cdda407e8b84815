package jpeg

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"testing"

	"github.com/imgprep/imgprep/internal/testcorpus"
)

// rowBytes returns the samples of row y of m (a *image.YCbCr or
// *image.Gray from this decoder): Y or gray, then, for YCbCr, the chroma
// row that y uses.
func rowBytes(m image.Image, y int) []byte {
	switch m := m.(type) {
	case *image.YCbCr:
		r := m.Rect
		out := bytes.Clone(m.Y[m.YOffset(r.Min.X, y) : m.YOffset(r.Min.X, y)+r.Dx()])
		cr := chromaRect(m)
		c := m.COffset(r.Min.X, y)
		out = append(out, m.Cb[c:c+cr.Dx()]...)
		return append(out, m.Cr[c:c+cr.Dx()]...)
	case *image.Gray:
		return bytes.Clone(m.Pix[m.PixOffset(m.Rect.Min.X, y) : m.PixOffset(m.Rect.Min.X, y)+m.Rect.Dx()])
	}
	panic(fmt.Sprintf("unexpected %T", m))
}

// progressRun is what DecodeProgress reported.
type progressRun struct {
	img     image.Image
	err     error
	started image.Image
	rows    [][]byte // snapshot of each row when it was reported final
	calls   int
	stale   bool
	bad     error // a protocol violation
}

func decodeWithProgress(data []byte, denom int) *progressRun {
	run := &progressRun{}
	p := &Progress{
		Start: func(img image.Image) {
			if run.started != nil {
				run.bad = errors.New("Start called twice")
			}
			run.started = img
		},
		Rows: func(n int) error {
			run.calls++
			if run.started == nil {
				run.bad = errors.New("Rows before Start")
				return nil
			}
			if n < len(run.rows) || n > run.started.Bounds().Dy() {
				run.bad = fmt.Errorf("Rows(%d) after %d rows, height %d", n, len(run.rows), run.started.Bounds().Dy())
				return nil
			}
			for y := len(run.rows); y < n; y++ {
				run.rows = append(run.rows, rowBytes(run.started, y))
			}
			return nil
		},
		Stale: func() { run.stale = true },
	}
	run.img, run.err = DecodeProgress(bytes.NewReader(data), denom, p)
	return run
}

// checkProgress checks a progress decode of data against DecodeScaled:
// same image, same error; rows reported final in order and unchanged at
// the end unless Stale was called. It returns the run.
func checkProgress(t *testing.T, name string, data []byte, denom int) *progressRun {
	t.Helper()
	want, wantErr := DecodeScaled(bytes.NewReader(data), denom)
	run := decodeWithProgress(data, denom)
	if err := sameProgress(run, want, wantErr); err != nil {
		t.Fatalf("%s 1/%d: %v", name, denom, err)
	}
	return run
}

// TestProgressGenerated checks DecodeProgress on the generated JPEGs at
// every scale: same result as DecodeScaled; rows reported, in order, and
// final when reported, for every one: the sequential ones (all
// single-scan here) during their scan, the progressive ones (Y'CbCr or
// gray, with every coefficient) during the scan that completes them.
func TestProgressGenerated(t *testing.T) {
	for _, c := range generatedJPEGs(t) {
		for _, denom := range []int{1, 2, 4, 8} {
			run := checkProgress(t, c.name, c.data, denom)
			if run.err != nil {
				continue
			}
			if run.started == nil || run.stale {
				t.Errorf("%s 1/%d: started %v, stale %v", c.name, denom, run.started != nil, run.stale)
			}
		}
	}
}

// TestProgressProgressiveScans checks when a progressive image is
// streamed: rows are reported from the scan that completes the
// coefficients the scale uses (at 1/8, the DC ones); a scan after it that
// carries such coefficients again makes them stale, one that carries only
// unused ones (AC coefficients at 1/8) doesn't.
func TestProgressProgressiveScans(t *testing.T) {
	data := encodeTestJPEG(testImage(64, 48, 5), encOptions{
		comps: []encComp{{id: 1, h: 2, v: 2}, {id: 2, h: 1, v: 1}, {id: 3, h: 1, v: 1}}, quality: 90, progressive: true,
	})
	// Repeat the last scan (AC of one component, to the last bit).
	last := bytes.LastIndex(data, []byte{0xff, sosMarker})
	eoi := len(data) - 2
	again := append(append(bytes.Clone(data[:eoi]), data[last:eoi]...), 0xff, eoiMarker)
	for _, denom := range []int{1, 2, 4, 8} {
		run := checkProgress(t, "plain", data, denom)
		if run.started == nil || run.stale || run.calls == 0 {
			t.Errorf("plain 1/%d: started %v, stale %v, %d Rows calls", denom, run.started != nil, run.stale, run.calls)
		}
		run = checkProgress(t, "again", again, denom)
		if wantStale := denom != 8; run.started == nil || run.stale != wantStale {
			t.Errorf("again 1/%d: started %v, stale %v, want stale %v", denom, run.started != nil, run.stale, wantStale)
		}
	}
	// Without its last scan, the image is never complete: no rows, the
	// same image as DecodeScaled's.
	cut := append(bytes.Clone(data[:last]), 0xff, eoiMarker)
	for _, denom := range []int{1, 2, 4} {
		if run := checkProgress(t, "cut", cut, denom); run.started != nil {
			t.Errorf("cut 1/%d: started", denom)
		}
	}
}

// TestProgressCorpus checks DecodeProgress on every corpus JPEG, valid or
// not, at every scale, as TestProgressGenerated does.
func TestProgressCorpus(t *testing.T) {
	started := 0
	for _, f := range corpusJPEGs(t) {
		data := readFile(t, f.path)
		for _, denom := range []int{1, 2, 4, 8} {
			if checkProgress(t, f.name, data, denom).started != nil {
				started++
			}
		}
	}
	t.Logf("%d decodes reported rows", started)
	if started == 0 {
		t.Error("no corpus JPEG reported rows")
	}
}

// TestProgressBenchPhotos checks the 12 and 16 MP photos (the streamed
// one is the baseline 4:2:2 photo).
func TestProgressBenchPhotos(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	dir := testcorpus.SharedDir(t)
	for _, name := range []string{"photo12_s7edge.jpg", "photo16_leicat_o8.jpg", "photo12_immich_420.jpg"} {
		data := readFile(t, dir+"/bench-photos/"+name)
		for _, denom := range []int{1, 2} {
			run := checkProgress(t, name, data, denom)
			t.Logf("%s 1/%d: started %v, %d Rows calls", name, denom, run.started != nil, run.calls)
		}
	}
}

// TestProgressTruncated checks that truncated JPEGs give DecodeScaled's
// errors with a progress receiver too.
func TestProgressTruncated(t *testing.T) {
	for name, data := range truncationInputs(t) {
		for n := 0; n < len(data)-2; n += 7 {
			for _, denom := range []int{1, 2} {
				checkProgress(t, fmt.Sprintf("%s[:%d]", name, n), data[:n], denom)
			}
		}
	}
}

// stdJPEG encodes a test image with image/jpeg (4:2:0, no JFIF segment).
func stdJPEG(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testImage(64, 48, 3), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestProgressStale checks that changes after the streamed scan are
// reported: a second scan, and an Adobe segment after the scan that makes
// the image RGB-coded (so the result is converted).
func TestProgressStale(t *testing.T) {
	data := stdJPEG(t)
	sos := bytes.Index(data, []byte{0xff, sosMarker})
	eoi := len(data) - 2
	twice := append(append(bytes.Clone(data[:eoi]), data[sos:eoi]...), 0xff, eoiMarker)
	adobe := append(bytes.Clone(data[:eoi]), 0xff, app14Marker, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, adobeTransformUnknown)
	adobe = append(adobe, 0xff, eoiMarker)
	for name, in := range map[string][]byte{"twice": twice, "adobe": adobe} {
		run := checkProgress(t, name, in, 2)
		if run.err != nil || run.started == nil || !run.stale {
			t.Errorf("%s: err %v, started %v, stale %v; want stale", name, run.err, run.started != nil, run.stale)
		}
	}
	if _, ok := decodeWithProgress(adobe, 1).img.(*image.RGBA); !ok {
		t.Error("adobe: not decoded as RGB")
	}
	if run := checkProgress(t, "plain", data, 2); run.stale || run.started == nil {
		t.Errorf("plain: stale %v, started %v", run.stale, run.started != nil)
	}
}

// TestProgressAbort checks that an error from Rows stops the decode and
// is returned, for a sequential and a progressive image (whose rows are
// reported by another goroutine).
func TestProgressAbort(t *testing.T) {
	prog := encodeTestJPEG(testImage(64, 128, 7), encOptions{
		comps: []encComp{{id: 1, h: 2, v: 2}, {id: 2, h: 1, v: 1}, {id: 3, h: 1, v: 1}}, quality: 90, progressive: true,
	})
	for name, data := range map[string][]byte{"sequential": stdJPEG(t), "progressive": prog} {
		stop := errors.New("stop")
		calls := 0
		_, err := DecodeProgress(bytes.NewReader(data), 2, &Progress{
			Rows: func(n int) error {
				calls++
				if calls == 2 {
					return stop
				}
				return nil
			},
		})
		if !errors.Is(err, stop) || calls != 2 {
			t.Errorf("%s: got %v after %d calls, want %v after 2", name, err, calls, stop)
		}
	}
}
