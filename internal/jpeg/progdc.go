package jpeg

// dcOverflow is a DC coefficient of a progressive first DC scan that
// doesn't fit in int16 storage (only a corrupt stream has one).
type dcOverflow struct {
	comp uint8
	i    int // index in the component's stored coefficients
	v    int32
}

// decodeDCScan decodes an interleaved progressive DC scan, as decodeScan
// does, with the bit reader in local variables for the whole scan (and
// the DC code decoded in line, as decodeBlock does) and the blocks of
// every MCU addressed directly. It falls back to decodeScan
// for int32 storage, over-subscribed tables and refinement bits that
// int16 can't hold; DC values that don't fit in int16 it stores saturated
// and patches, after switching the component to int32, at the end of the
// scan.
func (d *decoder) decodeDCScan(scan []scanComp, mxx, myy int, ah, al uint32) error {
	type dcComp struct {
		c16    []int16
		h      *huffman
		n      int // stored coefficients per block
		stride int // blocks per row
		hi, vi int
	}
	var comps [maxComponents]dcComp
	for i, sc := range scan {
		cb := &d.progCoeffs[sc.compIndex]
		h := &d.huff[dcTable][sc.td]
		if cb.c16 == nil || h.compat || al > 13 {
			return d.decodeScan(scan, mxx, myy, 0, 0, ah, al)
		}
		c := &d.comp[sc.compIndex]
		comps[i] = dcComp{cb.c16, h, cb.n, mxx * c.h, c.h, c.v}
	}
	var (
		dc          [maxComponents]int32
		overflows   []dcOverflow
		mcu         int
		expectedRST = uint8(rst0Marker)
		nMCU        = mxx * myy
		acc, n      = d.bits.acc, d.bits.n
	)
	for my := 0; my < myy; my++ {
		for mx := 0; mx < mxx; mx++ {
			for ci := range scan {
				c := &comps[ci]
				for y := 0; y < c.vi; y++ {
					k := ((c.vi*my+y)*c.stride + c.hi*mx) * c.n
					for x := 0; x < c.hi; x, k = x+1, k+c.n {
						if ah != 0 {
							if n == 0 {
								acc, n = d.fillBits(acc, n)
							}
							c.c16[k] |= int16(acc>>63) << al
							acc <<= 1
							n--
							continue
						}
						if n < 32 {
							acc, n = d.fillBits(acc, n)
						}
						var s uint
						if e := c.h.lut[acc>>(64-lutBits)]; e != 0 {
							s = uint(e >> 8)
							l := uint(e & 0xff)
							acc <<= l
							n -= l
						} else {
							d.bits.acc, d.bits.n = acc, n
							v, err := d.decodeHuffman(c.h)
							if err != nil {
								return err
							}
							s = uint(v)
							acc, n = d.bits.acc, d.bits.n
							if n < 16 {
								acc, n = d.fillBits(acc, n)
							}
						}
						if s != 0 {
							if s > 16 {
								d.bits.acc, d.bits.n = acc, n
								return unsupportedError("excessive DC component")
							}
							v := int32(acc >> (64 - s))
							acc <<= s
							n -= s
							if v < 1<<(s-1) {
								v += -1<<s + 1
							}
							dc[ci] += v
						}
						v := dc[ci] << al
						t := int16(v)
						if int32(t) != v {
							overflows = append(overflows, dcOverflow{scan[ci].compIndex, k, v})
							t = 32767
							if v < 0 {
								t = -32768
							}
						}
						c.c16[k] = t
					}
				}
			}
			if n < d.bits.fake {
				d.bits.acc, d.bits.n = acc, n
				return d.bits.err
			}
			mcu++
			if d.ri > 0 && mcu%d.ri == 0 && mcu < nMCU {
				d.bits.acc, d.bits.n = acc, n
				if err := d.processRST(&expectedRST, &dc); err != nil {
					return err
				}
				acc, n = d.bits.acc, d.bits.n
			}
		}
		if d.streaming {
			d.bits.acc, d.bits.n = acc, n
			if err := d.streamRows(my, my+1); err != nil {
				return err
			}
		}
	}
	d.bits.acc, d.bits.n = acc, n
	if len(overflows) > 0 {
		if d.streaming {
			// The rows were reconstructed from saturated values.
			d.streaming = false
			d.stale()
		}
		for _, o := range overflows {
			cb := &d.progCoeffs[o.comp]
			if cb.c32 == nil {
				cb.widen()
			}
			cb.c32[o.i] = o.v
		}
	}
	if d.streaming {
		d.progDone = true
	}
	d.streaming = false
	return nil
}
