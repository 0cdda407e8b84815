package fastpng

// adler32 combination, for checksumming chunks compressed concurrently.

const adlerMod = 65521

// adler32Combine returns the Adler-32 of A+B given adler32(A), adler32(B)
// and len(B) (as zlib's adler32_combine).
func adler32Combine(a1, a2 uint32, len2 int64) uint32 {
	rem := uint32(len2 % adlerMod)
	sum1 := a1 & 0xffff
	sum2 := (rem * sum1) % adlerMod
	sum1 += (a2 & 0xffff) + adlerMod - 1
	sum2 += (a1 >> 16) + (a2 >> 16) + adlerMod - rem
	if sum1 >= adlerMod {
		sum1 -= adlerMod
	}
	if sum1 >= adlerMod {
		sum1 -= adlerMod
	}
	if sum2 >= adlerMod<<1 {
		sum2 -= adlerMod << 1
	}
	if sum2 >= adlerMod {
		sum2 -= adlerMod
	}
	return sum1 | sum2<<16
}
