package raster

import (
	"syscall"
	"testing"
	"time"
)

// BenchmarkPack measures the row packers as Resize calls them, through the
// packFuncs of its sources, on rows of 4032 pixels (a 12 MP photo's):
// kind=8 and 8x4 read 8-bit planes and 4-byte pixels directly (YCbCr, Gray,
// opaque NRGBA), kind=16 and 16x4 converted 16-bit rows (Gray16, RGBA64,
// ...). lanes=1 packs a single row (zero high lane), lanes=2 a pair.
// cpu-ns/op (process CPU time) is steadier than ns/op on a shared machine.
func BenchmarkPack(b *testing.B) {
	const w = 4032
	pix := make([]uint8, 2*4*w)
	for i := range pix {
		pix[i] = uint8(i * 7)
	}
	conv16 := &source{w: w, ch: 1, conv16: func(y int, d []uint16) {
		for i := range d {
			d[i] = uint16(y + i)
		}
	}}
	conv16x4 := &source{w: w, ch: 4, conv16: conv16.conv16}
	var c1, c4 rowCache
	c1.reset(conv16)
	c4.reset(conv16x4)
	benchPack(b, "kind=8", nil, direct8(pix, w, w))
	benchPack(b, "kind=8x4", nil, direct8x4(pix, 4*w, w, 1))
	benchPack(b, "kind=16", &c1, cached16(w, 1, 0))
	benchPack(b, "kind=16x4", &c4, cached16(w, 4, 1))
}

// benchPack runs one packFunc on rows 0 and 1 (lanes=2) or row 0 alone.
func benchPack(b *testing.B, kind string, c *rowCache, pack packFunc) {
	dst := make([]uint64, 4032)
	for _, y1 := range []int{-1, 1} {
		name := kind + "/lanes=2"
		if y1 < 0 {
			name = kind + "/lanes=1"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(8 * len(dst)))
			c0 := cpuTime()
			for b.Loop() {
				pack(c, 0, y1, dst)
			}
			b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
