//go:build cgo

package webpenc_test

import (
	"fmt"
	"testing"

	"github.com/imgprep/imgprep/codecs/internal/webpenc"
)

// BenchmarkWebP measures the libwebp settings codecs chooses from, on the
// imgprep workloads: lossy q80 on the 12 MP photo at 1536x1152 (gpt-image-1
// --max-side 1536) and lossless on the 4K screenshot, whole and at
// 1536x864. It reports the
// output bytes and, for lossy, the PSNR against the input.
func BenchmarkWebP(b *testing.B) {
	b.Run("mode=lossy", func(b *testing.B) {
		img := sharedImage(b, "photo12_s7edge.jpg", 1536)
		for _, method := range []int{0, 1, 2, 3, 4} {
			for _, threads := range []bool{false, true} {
				o := webpenc.Options{Quality: 80, Method: method, Threads: threads}
				b.Run(fmt.Sprintf("method=%d/threads=%v", method, threads), func(b *testing.B) {
					var out []byte
					for b.Loop() {
						out = encode(b, img, o)
					}
					b.ReportMetric(float64(len(out)), "bytes")
					b.ReportMetric(psnr(img, decode(b, out)), "dB")
				})
			}
		}
	})
	b.Run("mode=lossless", func(b *testing.B) {
		for _, side := range []int{1536, 3840} {
			img := sharedImage(b, "screenshot_4k.png", side)
			for _, c := range []struct{ effort, method int }{{0, 0}, {25, 1}, {26, 1}, {51, 1}, {75, 1}, {75, 4}} {
				o := webpenc.Options{Lossless: true, Quality: float32(c.effort), Method: c.method, Exact: true}
				b.Run(fmt.Sprintf("side=%d/effort=%d/method=%d", side, c.effort, c.method), func(b *testing.B) {
					var out []byte
					for b.Loop() {
						out = encode(b, img, o)
					}
					b.ReportMetric(float64(len(out)), "bytes")
				})
			}
		}
	})
}
