package jpeg

// decodeDC decodes the DC coefficient of the block bi of a component in a
// progressive DC scan (a first scan if ah is 0, else a refinement with
// low bit al), as decodeProgressiveBlock does, with the bit reader in
// local variables and the Huffman code decoded by one look-up. It reports
// false, having consumed nothing, when it can't (int32 storage, a code
// longer than lutBits, an over-subscribed table, a refinement bit that
// int16 can't hold): decodeProgressiveBlock does it then.
func (d *decoder) decodeDC(cb *coefBuf, bi int, dcH *huffman, pred *int32, ah, al uint32) (bool, error) {
	if cb.c16 == nil || al > 13 {
		return false, nil
	}
	c := &cb.c16[bi*cb.n]
	acc, n := d.bits.acc, d.bits.n
	if ah != 0 {
		if n == 0 {
			acc, n = d.fillBits(acc, n)
		}
		if acc>>63 != 0 {
			*c |= 1 << al
		}
		acc <<= 1
		n--
	} else {
		if n < 32 {
			acc, n = d.fillBits(acc, n)
		}
		e := dcH.lut[acc>>(64-lutBits)]
		if e == 0 || dcH.compat {
			d.bits.acc, d.bits.n = acc, n
			return false, nil
		}
		// The code takes at most lutBits of the 32 or more bits in acc,
		// and its extra bits at most 16.
		s := uint(e >> 8)
		l := uint(e & 0xff)
		acc <<= l
		n -= l
		if s != 0 {
			if s > 16 {
				d.bits.acc, d.bits.n = acc, n
				return true, unsupportedError("excessive DC component")
			}
			v := int32(acc >> (64 - s))
			acc <<= s
			n -= s
			if v < 1<<(s-1) {
				v += -1<<s + 1
			}
			*pred += v
		}
		v := *pred << al
		if int32(int16(v)) != v {
			// Doesn't fit in int16: switch to int32.
			cb.widen()
			cb.c32[bi*cb.n] = v
		} else {
			*c = int16(v)
		}
	}
	d.bits.acc, d.bits.n = acc, n
	if d.overrun() {
		return true, d.bits.err
	}
	return true, nil
}
