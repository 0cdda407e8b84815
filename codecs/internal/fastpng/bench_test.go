package fastpng_test

import (
	"bytes"
	"image"
	"image/png"
	"syscall"
	"testing"
	"time"

	"github.com/imgprep/imgprep/codecs/internal/fastpng"
)

// BenchmarkEncode compares fastpng levels (serial and parallel) with
// image/png BestSpeed and Default on the imgprep workload (a 1024x1024 RGBA
// photo with transparent bands) and a 4K RGB screenshot. The bytes metric
// is the encoded size.
func BenchmarkEncode(b *testing.B) {
	inputs := []struct {
		name string
		img  func(b *testing.B) image.Image
	}{
		{"photo1024-rgba", func(b *testing.B) image.Image { return photo1024(b) }},
		{"screenshot4k", func(b *testing.B) image.Image { return loadPNG(b, sharedFile(b, "screenshot_4k.png")) }},
	}
	for _, in := range inputs {
		b.Run("img="+in.name, func(b *testing.B) {
			img := in.img(b)
			for _, c := range []struct {
				name string
				enc  func(*bytes.Buffer) error
			}{
				{"image-png-BestSpeed", func(w *bytes.Buffer) error {
					return (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(w, img)
				}},
				{"image-png-Default", func(w *bytes.Buffer) error { return png.Encode(w, img) }},
				{"fastpng-L0", func(w *bytes.Buffer) error { return fastpng.Encode(w, img, fastpng.Options{}) }},
				{"fastpng-L0-par", func(w *bytes.Buffer) error {
					return fastpng.Encode(w, img, fastpng.Options{Parallel: true})
				}},
				{"fastpng-L1-par", func(w *bytes.Buffer) error {
					return fastpng.Encode(w, img, fastpng.Options{Level: 1, Parallel: true})
				}},
				{"fastpng-L2-par", func(w *bytes.Buffer) error {
					return fastpng.Encode(w, img, fastpng.Options{Level: 2, Parallel: true})
				}},
				{"fastpng-L3", func(w *bytes.Buffer) error { return fastpng.Encode(w, img, fastpng.Options{Level: 3}) }},
				{"fastpng-L3-par", func(w *bytes.Buffer) error {
					return fastpng.Encode(w, img, fastpng.Options{Level: 3, Parallel: true})
				}},
			} {
				b.Run("enc="+c.name, func(b *testing.B) {
					b.ReportAllocs()
					var buf bytes.Buffer
					c0 := cpuNow()
					for b.Loop() {
						buf.Reset()
						if err := c.enc(&buf); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(buf.Len()), "bytes")
					b.ReportMetric(float64(cpuNow()-c0)/float64(b.N)/1e6, "cpu-ms/op")
				})
			}
		})
	}
}

// cpuNow is the process's user+system CPU time: on a shared machine it
// measures work better than wall time does.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
