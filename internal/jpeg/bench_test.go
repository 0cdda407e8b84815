package jpeg

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"github.com/imgprep/imgprep/internal/testcorpus"
)

// benchPhoto reads a photo of <repo root>/../shared/bench-photos, skipping
// the benchmark if it is absent.
func benchPhoto(b *testing.B, name string) []byte {
	b.Helper()
	data, err := os.ReadFile(filepath.Join(testcorpus.RepoRoot(b), "..", "shared", "bench-photos", name))
	if err != nil {
		b.Skipf("benchmark photo not available: %v", err)
	}
	return data
}

// BenchmarkDecodeScaled decodes a 12 MP 4:2:2 baseline phone photo
// (4032x3024, q~96) at every scale, and with image/jpeg for comparison.
func BenchmarkDecodeScaled(b *testing.B) {
	benchmarkDecode(b, benchPhoto(b, "photo12_s7edge.jpg"))
}

// BenchmarkDecodeScaled420 is BenchmarkDecodeScaled with a 12 MP 4:2:0
// photo (3024x4032, q~73).
func BenchmarkDecodeScaled420(b *testing.B) {
	benchmarkDecode(b, benchPhoto(b, "photo12_immich_420.jpg"))
}

func benchmarkDecode(b *testing.B, data []byte) {
	b.Run("stdlib", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, denom := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("denom=%d", denom), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := DecodeScaled(bytes.NewReader(data), denom); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeProgress420 is BenchmarkDecodeScaled420 through
// DecodeProgress, as codecstream decodes: the progressive photo's last
// scan reconstructs and reports its rows (to a receiver that does
// nothing) in a goroutine of the decoder's.
func BenchmarkDecodeProgress420(b *testing.B) {
	data := benchPhoto(b, "photo12_immich_420.jpg")
	for _, denom := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("denom=%d", denom), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			p := &Progress{Rows: func(int) error { return nil }}
			for b.Loop() {
				if _, err := DecodeProgress(bytes.NewReader(data), denom, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
