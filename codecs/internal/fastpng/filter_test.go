package fastpng

import "testing"

// unfilter is the PNG specification's reconstruction, written plainly.
func unfilter(ft int, f, prev []byte, bpp int) []byte {
	out := make([]byte, len(f))
	for i := range f {
		var a, b byte
		if i >= bpp {
			a = out[i-bpp]
		}
		b = prev[i]
		switch ft {
		case ftNone:
			out[i] = f[i]
		case ftSub:
			out[i] = f[i] + a
		case ftUp:
			out[i] = f[i] + b
		case ftAverage:
			out[i] = f[i] + byte((int(a)+int(b))/2)
		}
	}
	return out
}

func TestFilters(t *testing.T) {
	s := uint32(3)
	rnd := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			s = s*1664525 + 1013904223
			b[i] = byte(s >> 24)
		}
		return b
	}
	for _, bpp := range []int{1, 3, 4} {
		for _, n := range []int{1, 2, 3, 4, 5, 64, 65, 300, 1000} {
			if n%bpp != 0 {
				continue
			}
			cur, prev := rnd(n), rnd(n)
			for ft := ftNone; ft <= ftAverage; ft++ {
				out := make([]byte, n)
				filterRow(out, cur, prev, bpp, ft)
				if got := unfilter(ft, out, prev, bpp); string(got) != string(cur) {
					t.Errorf("bpp %d n %d filter %d: round trip fails", bpp, n, ft)
				}
			}
			if ft := chooseFilter(cur, prev, bpp, 1); ft < ftNone || ft > ftAverage {
				t.Errorf("chooseFilter returned %d", ft)
			}
		}
	}
	// The heuristic picks the obvious filter on structured rows.
	row := make([]byte, 300)
	for i := range row {
		row[i] = byte(i / 3 * 2)
	}
	if ft := chooseFilter(row, make([]byte, 300), 3, 1); ft != ftSub {
		t.Errorf("ramp: chose %d, want Sub", ft)
	}
	if ft := chooseFilter(row, row, 3, 4); ft != ftUp {
		t.Errorf("repeated row: chose %d, want Up", ft)
	}
}
