package jpeg

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/internal/testcorpus"
)

// compareVerify checks Verify against DecodeScaled on data: Verify accepts
// exactly what the decoder accepts, except for the documented stricter
// check (errIndexPast63), and when both reject, they give the same error.
func compareVerify(t *testing.T, name string, data []byte) {
	t.Helper()
	vErr := Verify(data)
	_, dErr := DecodeScaled(bytes.NewReader(data), 8)
	switch {
	case vErr != nil && isInternalError(vErr):
		t.Errorf("%s: Verify: %v", name, vErr)
	case vErr == nil && dErr != nil:
		t.Errorf("%s: Verify accepts, the decoder says %v", name, dErr)
	case vErr == errIndexPast63:
	case vErr != nil && dErr == nil:
		t.Errorf("%s: Verify says %v, the decoder accepts", name, vErr)
	case vErr != nil && vErr.Error() != dErr.Error():
		t.Errorf("%s: Verify says %v, the decoder %v", name, vErr, dErr)
	case vErr != nil && errors.Is(vErr, io.ErrUnexpectedEOF) != errors.Is(dErr, io.ErrUnexpectedEOF):
		t.Errorf("%s: Verify says %v, the decoder %v (io.ErrUnexpectedEOF differs)", name, vErr, dErr)
	}
}

// damaged returns variants of data: truncations, flipped bits and
// overwritten bytes, spread over the whole file.
func damaged(data []byte, seed uint64, n int) map[string][]byte {
	r := rand.New(rand.NewPCG(seed, 1))
	out := map[string][]byte{}
	for i := range n {
		at := r.IntN(len(data))
		out["trunc"+itoa(at)] = data[:at]
		b := bytes.Clone(data)
		b[at] ^= 1 << r.IntN(8)
		out["flip"+itoa(at)+"_"+itoa(i)] = b
		b = bytes.Clone(data)
		b[at] = byte(r.Uint32())
		out["set"+itoa(at)+"_"+itoa(i)] = b
	}
	return out
}

func itoa(i int) string { return string(appendInt(nil, i)) }

func appendInt(b []byte, i int) []byte {
	if i >= 10 {
		b = appendInt(b, i/10)
	}
	return append(b, byte('0'+i%10))
}

// TestVerifyMatchesDecode compares Verify with the decoder on every corpus
// JPEG, the generated ones (baseline, progressive, restart intervals,
// every subsampling) and damaged copies of them.
func TestVerifyMatchesDecode(t *testing.T) {
	var inputs []struct {
		name string
		data []byte
	}
	for _, c := range generatedJPEGs(t) {
		inputs = append(inputs, struct {
			name string
			data []byte
		}{c.name, c.data})
	}
	for name, data := range truncationInputs(t) {
		inputs = append(inputs, struct {
			name string
			data []byte
		}{name, data})
	}
	if _, err := os.Stat(filepath.Join(testcorpus.RepoRoot(t), "..", "shared", "corpus", "expect.tsv")); err == nil {
		for _, f := range corpusJPEGs(t) {
			data := readFile(t, f.path)
			if f.valid && Verify(data) != nil {
				t.Errorf("%s: valid, Verify says %v", f.name, Verify(data))
			}
			inputs = append(inputs, struct {
				name string
				data []byte
			}{f.name, data})
		}
	}
	// The reference photo, large enough for the split (see split).
	if data, err := os.ReadFile(filepath.Join(testcorpus.RepoRoot(t), "..", "shared", "bench-photos", "photo12_s7edge.jpg")); err == nil {
		inputs = append(inputs, struct {
			name string
			data []byte
		}{"photo12_s7edge.jpg", data})
	}
	variants := 12
	if testing.Short() {
		variants = 5
	}
	for i, in := range inputs {
		compareVerify(t, in.name, in.data)
		n := variants
		if len(in.data) > 1<<20 {
			n = 3
		}
		for v, data := range damaged(in.data, uint64(i), n) {
			compareVerify(t, in.name+"/"+v, data)
		}
	}
}

// TestVerifyTruncated checks that every truncation of a few JPEGs is an
// error matching io.ErrUnexpectedEOF, as the decoder's.
func TestVerifyTruncated(t *testing.T) {
	for name, data := range truncationInputs(t) {
		for n := 0; n < len(data)-2; n++ {
			if err := Verify(data[:n]); err == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("%s truncated to %d bytes: got %v, want io.ErrUnexpectedEOF", name, n, err)
			}
		}
	}
}

// TestVerifyIndexPast63 checks the deliberate difference: a run past the
// end of a block is an error.
func TestVerifyIndexPast63(t *testing.T) {
	for name, data := range truncationInputs(t) {
		if err := Verify(data); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	// An AC table whose only codes are a (15, 1) coefficient and EOB: four
	// of them in a row overflow the block.
	d := new(decoder)
	var nCodes [maxCodeLength]int32
	nCodes[0] = 2
	d.huff[acTable][0].vals[0] = 0xf1
	d.huff[acTable][0].vals[1] = 0x00
	d.huff[acTable][0].nCodes = 2
	d.huff[acTable][0].build(&nCodes, true)
	nCodes[0] = 1
	d.huff[dcTable][0].vals[0] = 0
	d.huff[dcTable][0].nCodes = 1
	d.huff[dcTable][0].build(&nCodes, false)
	// DC code 0, then (15,1) + 1 bit four times: 0 00 00 00 00.
	v := &verifier{data: []byte{0x00, 0x00, 0xff, 0xd9}}
	var g acGroups
	g.build(&d.huff[acTable][0])
	var dg dcGroups
	dg.build(&d.huff[dcTable][0], &d.huff[acTable][0])
	var eob uint16
	err := v.blocks(1, []vblock{{&d.huff[dcTable][0], &d.huff[acTable][0], &g, &dg}}, &eob)
	if err != errIndexPast63 {
		t.Errorf("got %v, want %v", err, errIndexPast63)
	}
}

// FuzzVerify checks that Verify never panics and accepts only what the
// decoder accepts; where the decoder accepts and Verify does not, the
// reason must be the documented one (errIndexPast63).
func FuzzVerify(f *testing.F) {
	for _, c := range generatedJPEGs(f) {
		if len(c.data) < 16<<10 {
			f.Add(c.data)
		}
	}
	if _, err := os.Stat(filepath.Join(testcorpus.RepoRoot(f), "..", "shared", "corpus", "expect.tsv")); err == nil {
		for _, c := range corpusJPEGs(f) {
			if data := readFile(f, c.path); len(data) < 16<<10 {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := DecodeConfig(bytes.NewReader(data))
		if err == nil && cfg.Width*cfg.Height > 1<<20 {
			return
		}
		compareVerify(t, "input", data)
	})
}

// BenchmarkVerify verifies the 12 MP photos (4:2:2 baseline, the issue's
// reference; 4:2:0 progressive, which Verify decodes at 1/8).
func BenchmarkVerify(b *testing.B) {
	for _, c := range []struct{ key, file string }{
		{"jpeg-12mp", "photo12_s7edge.jpg"},
		{"jpeg-16mp-o8", "photo16_leicat_o8.jpg"},
		{"jpeg-12mp-420-progressive", "photo12_immich_420.jpg"},
		{"jpeg-12mp/split=off", "photo12_s7edge.jpg"},
	} {
		b.Run("in="+c.key, func(b *testing.B) {
			if strings.HasSuffix(c.key, "split=off") {
				defer func(m int) { splitMin = m }(splitMin)
				splitMin = 1 << 62
			}
			data := benchPhoto(b, c.file)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if err := Verify(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestVerifySplit compares Verify with the decoder as
// TestVerifyMatchesDecode does, splitting every scan (see split), and
// checks that the split meets on the generated images.
func TestVerifySplit(t *testing.T) {
	defer func(m int) { splitMin = m }(splitMin)
	splitMin = 0
	met := splitMeetings.Load()
	TestVerifyMatchesDecode(t)
	if n := splitMeetings.Load() - met; n < 10 {
		t.Errorf("the goroutines met in %d splits", n)
	}
	t.Logf("the goroutines met in %d splits", splitMeetings.Load()-met)
}
