package raster

// Inner loops of the resampler. A packed sample holds two signed 32-bit
// lanes: v = lo + hi<<32 (mod 2^64). Multiplying by a weight and summing is
// linear, so both lanes are filtered at once as long as each lane's true sum
// stays within int32. Samples are at most 65025 (x255 units; narrow 8-bit
// samples are at most 255), weights sum to 2^wBits and a window's positive
// weights to P < 1.35 (TestWeightRange). Horizontal sums are then below
// P*2^13*65025 < 2^30; vertical ones, over horizontal results of at most
// P*65025, below P*P*2^13*65025 < 2^31 (the bound is P < 2).

// split returns the two signed lanes of a packed sum.
func split(s uint64) (lo, hi int64) {
	lo = int64(int32(uint32(s)))
	hi = int64(s-uint64(lo)) >> 32
	return lo, hi
}

// join packs two signed lanes.
func join(lo, hi int64) uint64 {
	return uint64(lo) + uint64(hi)<<32
}

// sample is the type of one unpacked sample: 8-bit, or 16-bit in x255 units.
//
// pack and pack4 replaced per-type copies (pack8, pack16, pack8x4,
// pack16x4). uint8 and uint16 are different GC shapes, so each type gets
// its own compiled body, whose loops are the copies' instructions (bar
// alignment padding); a call (one per row) also passes a dictionary. What
// BenchmarkPack does see, up to +-50% for one kernel between two builds,
// follows where the linker puts the loops (one straddling a 64-byte line
// is slower on the development machine): the typed copies, rebuilt at new
// addresses, moved by as much, and Resize's CPU time did not move.
type sample interface{ uint8 | uint16 }

// pack packs two rows of samples (b may be nil: zero lane).
func pack[T sample](dst []uint64, a, b []T) {
	dst = dst[:len(a)]
	if b == nil {
		for i, v := range a {
			dst[i] = uint64(v)
		}
		return
	}
	b = b[:len(a)]
	for i, v := range a {
		dst[i] = uint64(v) | uint64(b[i])<<32
	}
}

// pack4 packs channel 0 of two rows of 4-sample pixels (pass rows re-sliced
// to start at the wanted channel; b may be nil: zero lane).
func pack4[T sample](dst []uint64, a, b []T) {
	n := len(dst)
	a = a[:4*n-3]
	if b == nil {
		for i := range dst {
			dst[i] = uint64(a[4*i])
		}
		return
	}
	b = b[:4*n-3]
	for i := range dst {
		dst[i] = uint64(a[4*i]) | uint64(b[4*i])<<32
	}
}

// dot is the packed dot product of a source window and its weights.
func dot(p []uint64, w []int32) uint64 {
	w = w[:len(p)]
	var s0, s1 uint64
	i := 0
	for ; i+4 <= len(p); i += 4 {
		q, v := p[i:i+4:i+4], w[i:i+4:i+4]
		s0 += q[0]*uint64(int64(v[0])) + q[1]*uint64(int64(v[1]))
		s1 += q[2]*uint64(int64(v[2])) + q[3]*uint64(int64(v[3]))
	}
	for ; i < len(p); i++ {
		s0 += p[i] * uint64(int64(w[i]))
	}
	return s0 + s1
}

// hfilter resamples a packed pair of source rows horizontally into two
// destination rows, each packed by pairs of adjacent columns. Narrow (8-bit)
// samples are scaled by 255 so that every plane ends up in "x255" units.
func hfilter(d0, d1, src []uint64, wt *weights, narrow bool) {
	const half = 1 << (wBits - 1)
	taps, n := wt.taps, wt.n
	mul := int64(1)
	if narrow {
		mul = 255
	}
	st, w := wt.start[:n], wt.w[:n*taps]
	d0, d1 = d0[:(n+1)/2], d1[:(n+1)/2]
	for j := range d0 {
		x := 2 * j
		s := int(st[x])
		a0, b0 := split(dot(src[s:s+taps], w[x*taps:x*taps+taps]))
		var a1, b1 int64
		if x+1 < n {
			s = int(st[x+1])
			a1, b1 = split(dot(src[s:s+taps], w[(x+1)*taps:(x+1)*taps+taps]))
		}
		d0[j] = join((a0*mul+half)>>wBits, (a1*mul+half)>>wBits)
		d1[j] = join((b0*mul+half)>>wBits, (b1*mul+half)>>wBits)
	}
}

// vfilter resamples len(rows) packed rows vertically into out (one value per
// destination column), using acc as scratch.
func vfilter(out []int32, acc []uint64, rows [][]uint64, w []int32) {
	const half = 1 << (wBits - 1)
	n := len(acc)
	k := 0
	first := true
	for ; k+4 <= len(rows); k += 4 {
		r0, r1, r2, r3 := rows[k][:n], rows[k+1][:n], rows[k+2][:n], rows[k+3][:n]
		w0, w1 := uint64(int64(w[k])), uint64(int64(w[k+1]))
		w2, w3 := uint64(int64(w[k+2])), uint64(int64(w[k+3]))
		if first {
			for i := range acc {
				acc[i] = r0[i]*w0 + r1[i]*w1 + r2[i]*w2 + r3[i]*w3
			}
			first = false
			continue
		}
		for i := range acc {
			acc[i] += r0[i]*w0 + r1[i]*w1 + r2[i]*w2 + r3[i]*w3
		}
	}
	for ; k < len(rows); k++ {
		r0, w0 := rows[k][:n], uint64(int64(w[k]))
		if first {
			for i := range acc {
				acc[i] = r0[i] * w0
			}
			first = false
			continue
		}
		for i := range acc {
			acc[i] += r0[i] * w0
		}
	}
	out = out[:min(len(out), 2*n)]
	for i := range acc {
		lo, hi := split(acc[i])
		out[2*i] = int32((lo + half) >> wBits)
		if 2*i+1 < len(out) {
			out[2*i+1] = int32((hi + half) >> wBits)
		}
	}
}
