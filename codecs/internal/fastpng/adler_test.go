package fastpng

import (
	"hash/adler32"
	"testing"
)

func TestAdler32Combine(t *testing.T) {
	data := make([]byte, 300000)
	s := uint32(1)
	for i := range data {
		s = s*1664525 + 1013904223
		data[i] = uint8(s >> 24)
		if i > 200000 {
			data[i] = 255 // long runs of 0xff stress the modular sums
		}
	}
	for _, cuts := range [][]int{{0}, {1}, {5552}, {65521}, {100, 70000, 210000}, {299999}, {300000}} {
		sum := uint32(1)
		prev := 0
		for _, c := range append(cuts, len(data)) {
			sum = adler32Combine(sum, adler32.Checksum(data[prev:c]), int64(c-prev))
			prev = c
		}
		if want := adler32.Checksum(data); sum != want {
			t.Errorf("cuts %v: %08x, want %08x", cuts, sum, want)
		}
	}
}
