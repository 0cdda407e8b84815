package fastpng

import "testing"

func BenchmarkChoose(b *testing.B) {
	cur, prev := make([]byte, 15360), make([]byte, 15360)
	for i := range cur {
		cur[i], prev[i] = byte(i*7+i/13), byte(i*5+i/11)
	}
	out := make([]byte, 15360)
	b.Run("choose1", func(b *testing.B) {
		b.SetBytes(15360)
		for b.Loop() {
			chooseFilter(cur, prev, 3, 1)
		}
	})
	b.Run("choose4", func(b *testing.B) {
		b.SetBytes(15360)
		for b.Loop() {
			chooseFilter(cur, prev, 3, 4)
		}
	})
	for ft := 0; ft < 4; ft++ {
		b.Run("filter"+string(rune('0'+ft)), func(b *testing.B) {
			b.SetBytes(15360)
			for b.Loop() {
				filterRow(out, cur, prev, 3, ft)
			}
		})
	}
}
