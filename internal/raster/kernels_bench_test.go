package raster

import "testing"

// BenchmarkPack measures the row packers on one 12 MP row (4032 samples):
// kind is the sample width and layout; lanes=1 packs a single row (zero high
// lane), lanes=2 a pair of rows.
func BenchmarkPack(b *testing.B) {
	const w = 4032
	a8, b8 := make([]uint8, 4*w), make([]uint8, 4*w)
	a16, b16 := make([]uint16, 4*w), make([]uint16, 4*w)
	for i := range a8 {
		a8[i], b8[i] = uint8(i), uint8(i*7)
		a16[i], b16[i] = uint16(i*257), uint16(i*263)
	}
	benchPack(b, "kind=8", pack8, a8[:w], b8[:w])
	benchPack(b, "kind=8x4", pack8x4, a8[1:], b8[1:])
	benchPack(b, "kind=16", pack16, a16[:w], b16[:w])
	benchPack(b, "kind=16x4", pack16x4, a16[1:], b16[1:])
}

// benchPack runs one packer into a 4032-value row, with and without a
// second row.
func benchPack[T uint8 | uint16](b *testing.B, kind string, pack func(dst []uint64, a, b []T), a, c []T) {
	dst := make([]uint64, 4032)
	for _, lanes := range []string{"1", "2"} {
		second := c
		if lanes == "1" {
			second = nil
		}
		b.Run(kind+"/lanes="+lanes, func(b *testing.B) {
			b.SetBytes(int64(8 * len(dst)))
			for b.Loop() {
				pack(dst, a, second)
			}
		})
	}
}
