package pngdec

import "sync"

// huff is a decoding table: entries hold sym<<8 | code length, or, for
// codes longer than the primary bits, sub<<8 | linkFlag | subBits where
// sub is the subtable's offset. Unused entries are 0 (length 0: invalid).
type huff struct {
	t    []uint32
	bits uint
}

// build makes the table for the code lengths lens (canonical Huffman, as
// RFC 1951 3.2.2), rejecting over-subscribed codes and incomplete ones
// other than a single code of length 1 (what compress/flate accepts, or
// stricter). All-zero lengths give an empty table.
func (h *huff) build(lens []uint8, primary uint) bool {
	var count [16]int
	maxLen := uint(0)
	for _, l := range lens {
		count[l]++
		if uint(l) > maxLen {
			maxLen = uint(l)
		}
	}
	count[0] = 0
	if maxLen == 0 {
		h.t, h.bits = h.t[:0], primary
		return true
	}
	var next [16]int
	code := 0
	for l := 1; l <= 15; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
	}
	// The code space: over-subscribed codes are errors, and so are
	// incomplete ones except a single code of length 1.
	left := 1
	total := 0
	for l := 1; l <= 15; l++ {
		left = left<<1 - count[l]
		total += count[l]
		if left < 0 {
			return false
		}
	}
	if left != 0 && (total != 1 || maxLen != 1) {
		return false
	}
	sub := uint(0)
	if maxLen > primary {
		sub = maxLen - primary
	}
	size := 1 << primary
	// subtables are appended after the primary table, one per primary
	// index that has long codes, each 1<<sub entries
	h.t = h.t[:0]
	h.t = append(h.t, make([]uint32, size)...)
	h.bits = primary
	for s, l := range lens {
		if l == 0 {
			continue
		}
		c := next[l]
		next[l]++
		r := reverse(uint32(c), uint(l))
		if uint(l) <= primary {
			for i := r; i < uint32(size); i += 1 << l {
				h.t[i] = uint32(s)<<8 | uint32(l)
			}
			continue
		}
		pi := r & uint32(size-1)
		e := h.t[pi]
		if e == 0 {
			e = uint32(len(h.t))<<8 | linkFlag | uint32(sub)
			h.t[pi] = e
			h.t = append(h.t, make([]uint32, 1<<sub)...)
		}
		base := e >> 8
		rl := uint(l) - primary
		for i := r >> primary; i < 1<<sub; i += 1 << rl {
			h.t[base+i] = uint32(s)<<8 | uint32(rl)
		}
	}
	return true
}

// reverse returns the low n bits of c in reverse order.
func reverse(c uint32, n uint) uint32 {
	var r uint32
	for i := uint(0); i < n; i++ {
		r = r<<1 | c&1
		c >>= 1
	}
	return r
}

var (
	fixedOnce          sync.Once
	fixedLit, fixedDst huff
)

func fixedTables() {
	fixedOnce.Do(func() {
		var l [288]uint8
		for i := range l {
			switch {
			case i < 144:
				l[i] = 8
			case i < 256:
				l[i] = 9
			case i < 280:
				l[i] = 7
			default:
				l[i] = 8
			}
		}
		fixedLit.build(l[:], litBits)
		var d [32]uint8 // 30 and 31 complete the code; decoding rejects them
		for i := range d {
			d[i] = 5
		}
		fixedDst.build(d[:], distBits)
	})
}

var (
	lenBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lenExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	dstBase  = [30]uint32{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	dstExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	clOrder  = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)
