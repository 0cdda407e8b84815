// Copyright 2012 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package jpeg

import (
	"encoding/binary"
	"image"
	"math/bits"
)

// makeImg allocates and initializes the destination image, at the scaled
// size: every 8x8 block of a component becomes (8>>d.shift)^2 samples.
func (d *decoder) makeImg(mxx, myy int) {
	s := d.shift
	denom := 1 << s
	// The visible, scaled size, as libjpeg's jdiv_round_up computes it.
	w := (d.width + denom - 1) >> s
	h := (d.height + denom - 1) >> s
	if d.nComp == 1 {
		m := image.NewGray(image.Rect(0, 0, 8*mxx>>s, 8*myy>>s))
		d.img1 = m.SubImage(image.Rect(0, 0, w, h)).(*image.Gray)
		d.planes[0] = plane{m.Pix, m.Stride}
		return
	}

	h0 := d.comp[0].h
	v0 := d.comp[0].v
	hRatio := h0 / d.comp[1].h
	vRatio := v0 / d.comp[1].v
	var subsampleRatio image.YCbCrSubsampleRatio
	switch hRatio<<4 | vRatio {
	case 0x11:
		subsampleRatio = image.YCbCrSubsampleRatio444
	case 0x12:
		subsampleRatio = image.YCbCrSubsampleRatio440
	case 0x21:
		subsampleRatio = image.YCbCrSubsampleRatio422
	case 0x22:
		subsampleRatio = image.YCbCrSubsampleRatio420
	case 0x41:
		subsampleRatio = image.YCbCrSubsampleRatio411
	case 0x42:
		subsampleRatio = image.YCbCrSubsampleRatio410
	default:
		panic("unreachable")
	}
	m := image.NewYCbCr(image.Rect(0, 0, 8*h0*mxx>>s, 8*v0*myy>>s), subsampleRatio)
	d.img3 = m.SubImage(image.Rect(0, 0, w, h)).(*image.YCbCr)
	d.planes[0] = plane{m.Y, m.YStride}
	d.planes[1] = plane{m.Cb, m.CStride}
	d.planes[2] = plane{m.Cr, m.CStride}

	if d.nComp == 4 {
		h3, v3 := d.comp[3].h, d.comp[3].v
		d.blackStride = 8 * h3 * mxx >> s
		d.blackPix = make([]byte, d.blackStride*(8*v3*myy>>s))
		d.planes[3] = plane{d.blackPix, d.blackStride}
	}
}

// scanComp is a component of a scan.
type scanComp struct {
	compIndex uint8
	td        uint8 // DC table selector.
	ta        uint8 // AC table selector.
}

// Specified in section B.2.3.
func (d *decoder) processSOS(n int) error {
	if d.nComp == 0 {
		return formatError("missing SOF marker")
	}
	if n < 6 || 4+2*d.nComp < n || n%2 != 0 {
		return formatError("SOS has wrong length")
	}
	if err := d.readFull(d.tmp[:n]); err != nil {
		return err
	}
	nComp := int(d.tmp[0])
	if n != 4+2*nComp {
		return formatError("SOS length inconsistent with number of components")
	}
	var scan [maxComponents]scanComp
	totalHV := 0
	for i := 0; i < nComp; i++ {
		cs := d.tmp[1+2*i] // Component selector.
		compIndex := -1
		for j, comp := range d.comp[:d.nComp] {
			if cs == comp.c {
				compIndex = j
			}
		}
		if compIndex < 0 {
			return formatError("unknown component selector")
		}
		scan[i].compIndex = uint8(compIndex)
		// Section B.2.3 states that "the value of Cs_j shall be different from
		// the values of Cs_1 through Cs_(j-1)". Since we have previously
		// verified that a frame's component identifiers (C_i values in section
		// B.2.2) are unique, it suffices to check that the implicit indexes
		// into d.comp are unique.
		for j := 0; j < i; j++ {
			if scan[i].compIndex == scan[j].compIndex {
				return formatError("repeated component selector")
			}
		}
		totalHV += d.comp[compIndex].h * d.comp[compIndex].v

		// The baseline t <= 1 restriction is specified in table B.3.
		scan[i].td = d.tmp[2+2*i] >> 4
		if t := scan[i].td; t > maxTh || (d.baseline && t > 1) {
			return formatError("bad Td value")
		}
		scan[i].ta = d.tmp[2+2*i] & 0x0f
		if t := scan[i].ta; t > maxTh || (d.baseline && t > 1) {
			return formatError("bad Ta value")
		}
	}
	// Section B.2.3 states that if there is more than one component then the
	// total H*V values in a scan must be <= 10.
	if d.nComp > 1 && totalHV > 10 {
		return formatError("total sampling factors too large")
	}

	// zigStart and zigEnd are the spectral selection bounds.
	// ah and al are the successive approximation high and low values.
	// The spec calls these values Ss, Se, Ah and Al.
	//
	// For progressive JPEGs, these are the two more-or-less independent
	// aspects of progression. Spectral selection progression is when not
	// all of a block's 64 DCT coefficients are transmitted in one pass.
	// For example, three passes could transmit coefficient 0 (the DC
	// component), coefficients 1-5, and coefficients 6-63, in zig-zag
	// order. Successive approximation is when not all of the bits of a
	// band of coefficients are transmitted in one pass. For example,
	// three passes could transmit the 6 most significant bits, followed
	// by the second-least significant bit, followed by the least
	// significant bit.
	//
	// For sequential JPEGs, these parameters are hard-coded to 0/63/0/0, as
	// per table B.3.
	zigStart, zigEnd, ah, al := int32(0), int32(blockSize-1), uint32(0), uint32(0)
	if d.progressive {
		zigStart = int32(d.tmp[1+2*nComp])
		zigEnd = int32(d.tmp[2+2*nComp])
		ah = uint32(d.tmp[3+2*nComp] >> 4)
		al = uint32(d.tmp[3+2*nComp] & 0x0f)
		if (zigStart == 0 && zigEnd != 0) || zigStart > zigEnd || blockSize <= zigEnd {
			return formatError("bad spectral selection bounds")
		}
		if zigStart != 0 && nComp != 1 {
			return formatError("progressive AC coefficients for more than one component")
		}
		if ah != 0 && ah != al+1 {
			return formatError("bad successive approximation values")
		}
	}

	// mxx and myy are the number of MCUs (Minimum Coded Units) in the image.
	h0, v0 := d.comp[0].h, d.comp[0].v // The h and v values from the Y components.
	mxx := (d.width + 8*h0 - 1) / (8 * h0)
	myy := (d.height + 8*v0 - 1) / (8 * v0)
	if d.verifier != nil {
		return d.verifyScan(scan[:nComp], mxx, myy)
	}
	first := d.img1 == nil && d.img3 == nil
	if first {
		d.makeImg(mxx, myy)
	}
	d.streaming = false
	completes := d.progressive && d.trackScan(scan[:nComp], zigStart, zigEnd, al)
	if d.streamed {
		// Rows reported final may change (for a progressive image: if the
		// scan carries coefficients that the reconstruction uses).
		if !d.progressive || d.scanChanges {
			d.stale()
			d.progDone = false
		}
	} else if d.progress != nil && (first && !d.progressive && nComp == d.nComp || completes) &&
		(d.nComp == 1 || d.nComp == 3 && !d.isRGB()) {
		d.streaming, d.streamed = true, true
		if d.nComp == 1 {
			d.streamImg = d.img1
		} else {
			d.streamImg = d.img3
		}
		if d.progress.Start != nil {
			d.progress.Start(d.streamImg)
		}
	}
	if d.progressive {
		for i := 0; i < nComp; i++ {
			compIndex := scan[i].compIndex
			if !d.progCoeffs[compIndex].allocated() {
				d.progCoeffs[compIndex].alloc(mxx*myy*d.comp[compIndex].h*d.comp[compIndex].v, d.shift)
			}
		}
	}

	d.resetBits()
	if d.streaming && d.progressive {
		d.startRecon()
	}
	var err error
	switch {
	case d.progressive && zigStart > 0:
		err = d.decodeACScan(scan[0], mxx, myy, zigStart, zigEnd, ah, al)
	case d.progressive && nComp > 1:
		err = d.decodeDCScan(scan[:nComp], mxx, myy, ah, al)
	default:
		err = d.decodeScan(scan[:nComp], mxx, myy, zigStart, zigEnd, ah, al)
	}
	if d.recon != nil {
		err = d.finishRecon(err)
	}
	if err != nil && d.overrun() {
		// The scan's data ran out, and decoding the padding went wrong:
		// report the real problem.
		err = d.bits.err
	}
	return err
}

// decodeScan decodes the entropy-coded data of one scan.
func (d *decoder) decodeScan(scan []scanComp, mxx, myy int, zigStart, zigEnd int32, ah, al uint32) error {
	nComp := len(scan)
	mcu, expectedRST := 0, uint8(rst0Marker)
	// Restart intervals count MCUs, and the MCU of a non-interleaved scan
	// is one block (section A.2.1). image/jpeg counts iterations of the
	// loop below instead, which is the same thing except for a component
	// with more than one block per interleaved MCU (e.g. Y in 4:2:0), where
	// it errors out on valid files; there we count blocks, as libjpeg does.
	nMCU := mxx * myy
	blockRestarts := false
	if nComp == 1 {
		c := &d.comp[scan[0].compIndex]
		if c.h*c.v > 1 && d.ri > 0 {
			blockRestarts = true
			d.blockRestarts = true
			nMCU = min(mxx*c.h, (d.width+7)/8) * min(myy*c.v, (d.height+7)/8)
		}
	}
	var (
		// b is the decoded coefficients, in natural (not zig-zag) order.
		b  = &d.blk
		dc [maxComponents]int32
		// bx and by are the location of the current block, in units of 8x8
		// blocks: the third block in the first row has (bx, by) = (2, 0).
		bx, by int
		// ncx and ncy are the location of the next block of a
		// non-interleaved scan.
		ncx, ncy int
	)
	*b = block{}
	for my := 0; my < myy; my++ {
		for mx := 0; mx < mxx; mx++ {
			for i := 0; i < nComp; i++ {
				compIndex := scan[i].compIndex
				hi := d.comp[compIndex].h
				vi := d.comp[compIndex].v
				qt := &d.quant[d.comp[compIndex].tq]
				dcH := &d.huff[dcTable][scan[i].td]
				acH := &d.huff[acTable][scan[i].ta]
				jx, jy := 0, 0
				for j := 0; j < hi*vi; j++ {
					// The blocks are traversed one MCU at a time. For 4:2:0 chroma
					// subsampling, there are four Y 8x8 blocks in every 16x16 MCU.
					//
					// For a sequential 32x16 pixel image, the Y blocks visiting order is:
					//	0 1 4 5
					//	2 3 6 7
					//
					// For progressive images, the interleaved scans (those with nComp > 1)
					// are traversed as above, but non-interleaved scans are traversed left
					// to right, top to bottom:
					//	0 1 2 3
					//	4 5 6 7
					// Only DC scans (zigStart == 0) can be interleaved. AC scans must have
					// only one component.
					//
					// To further complicate matters, for non-interleaved scans, there is no
					// data for any blocks that are inside the image at the MCU level but
					// outside the image at the pixel level. For example, a 24x16 pixel 4:2:0
					// progressive image consists of two 16x16 MCUs. The interleaved scans
					// will process 8 Y blocks:
					//	0 1 4 5
					//	2 3 6 7
					// The non-interleaved scans will process only 6 Y blocks:
					//	0 1 2
					//	3 4 5
					if nComp != 1 {
						// bx = hi*mx + j%hi, by = vi*my + j/hi.
						bx, by = hi*mx+jx, vi*my+jy
						if jx++; jx == hi {
							jx, jy = 0, jy+1
						}
					} else {
						// bx = blockCount % q, by = blockCount / q, with q = mxx * hi.
						bx, by = ncx, ncy
						if ncx++; ncx == mxx*hi {
							ncx, ncy = 0, ncy+1
						}
						if bx*8 >= d.width || by*8 >= d.height {
							continue
						}
					}

					if !d.progressive {
						zm, err := d.decodeBlock(b, dcH, acH, &dc[compIndex], qt)
						if err != nil {
							return err
						}
						var mask uint64
						if d.shift < 3 {
							mask = zigToNatural(zm)
						}
						d.reconstructBlock(b, mask, bx, by, int(compIndex))
					} else if err := d.decodeProgressiveBlock(scan[i], bx, by, mxx, zigStart, zigEnd, ah, al, &dc); err != nil {
						return err
					}
					if blockRestarts {
						mcu++
						if mcu%d.ri == 0 && mcu < nMCU {
							if err := d.processRST(&expectedRST, &dc); err != nil {
								return err
							}
						}
					}
				} // for j
			} // for i
			if !blockRestarts {
				mcu++
				if d.ri > 0 && mcu%d.ri == 0 && mcu < nMCU {
					if err := d.processRST(&expectedRST, &dc); err != nil {
						return err
					}
				}
			}
		} // for mx
		if d.streaming && d.progressive {
			// The scan completes the coefficients: this row of MCUs is
			// final in every component.
			if err := d.streamRows(my, my+1); err != nil {
				return err
			}
		} else if d.streaming {
			// Every block of this row of MCUs is reconstructed.
			rowH := 8 * d.comp[0].v >> d.shift // v is 1 for grayscale
			if err := d.reportRows(min((my+1)*rowH, d.streamImg.Bounds().Max.Y)); err != nil {
				return err
			}
		}
	} // for my
	if d.streaming && d.progressive {
		d.progDone = true
	}
	d.streaming = false
	return nil
}

// reportRows tells the progress receiver that rows [0, n) are final.
func (d *decoder) reportRows(n int) error {
	if d.progress.Rows == nil {
		return nil
	}
	return d.progress.Rows(n)
}

// stale tells the progress receiver, once, that rows reported final changed.
func (d *decoder) stale() {
	if d.progress != nil && d.progress.Stale != nil && !d.staleSent {
		d.staleSent = true
		d.progress.Stale()
	}
}

// decodeProgressiveBlock updates the partially decoded coefficients of the
// block (bx, by) of a component with one scan's data.
func (d *decoder) decodeProgressiveBlock(sc scanComp, bx, by, mxx int, zigStart, zigEnd int32, ah, al uint32, dc *[maxComponents]int32) error {
	compIndex := sc.compIndex
	hi := d.comp[compIndex].h
	dcH := &d.huff[dcTable][sc.td]
	acH := &d.huff[acTable][sc.ta]

	// The coefficients are only updated here: the image is reconstructed
	// from them once they are complete (see progstream.go).
	return d.decodeCoefs(&d.progCoeffs[compIndex], by*mxx*hi+bx, dcH, acH, &dc[compIndex], zigStart, zigEnd, ah, al)
}

// decodeCoefs updates the stored coefficients of the block bi of cb with
// one progressive scan's data for it: a first scan of the band [zigStart,
// zigEnd] if ah is 0, else a refinement, with low bit al.
func (d *decoder) decodeCoefs(cb *coefBuf, bi int, dcH, acH *huffman, dcPred *int32, zigStart, zigEnd int32, ah, al uint32) error {
	var err error
	slot := &coefSlots[d.shift]
	lo, end := bi*cb.n, bi*cb.n+cb.n
	if cb.c32 == nil {
		cs := cb.c16[lo:end:end]
		if ah != 0 {
			err = refine(d, cs, slot, &cb.nz[bi], acH, zigStart, zigEnd, 1<<al, &d.patches)
		} else {
			err = decodeFirst(d, cs, slot, &cb.nz[bi], dcH, acH, dcPred, zigStart, zigEnd, al, &d.patches)
		}
		if d.patches.n > 0 {
			// A value didn't fit in int16: switch to int32.
			cb.widen()
			d.patches.apply(cb.c32[lo:end:end])
		}
	} else {
		cs := cb.c32[lo:end:end]
		if ah != 0 {
			err = refine(d, cs, slot, &cb.nz[bi], acH, zigStart, zigEnd, 1<<al, &d.patches)
		} else {
			err = decodeFirst(d, cs, slot, &cb.nz[bi], dcH, acH, dcPred, zigStart, zigEnd, al, &d.patches)
		}
	}
	if err != nil {
		return err
	}
	if d.overrun() {
		return d.bits.err
	}
	return nil
}

// decodeBlock decodes one block of a sequential scan into b. It
// dequantizes with qt (in zig-zag order) and writes the coefficients in
// natural order, and returns the mask of the positions written, in
// zig-zag order (bit zig for b[unzig[zig]]). b must be zero on entry
// except at positions that reconstructBlock ignores.
//
// This is image/jpeg's decoding loop (decodeFirst with zigStart 0 and
// zigEnd 63) with the bit reader in local variables, AC symbols and their
// extra bits decoded by one look-up where possible, and the common cases
// in a function without calls (decodeAC), so that its state stays in
// registers. Long codes, over-subscribed tables, refills at the end of the
// buffer and errors go through decodeHuffman and fillBits.
func (d *decoder) decodeBlock(b *block, dcH, acH *huffman, pred *int32, qt *block) (uint64, error) {
	acc, n := d.bits.acc, d.bits.n
	if n < 32 {
		acc, n = d.fillBits(acc, n)
	}

	// The DC coefficient, as specified in section F.2.2.1. The code and its
	// extra bits take at most 32 bits.
	var s uint
	if e := dcH.lut[acc>>(64-lutBits)]; e != 0 {
		s = uint(e >> 8)
		l := uint(e & 0xff)
		acc <<= l
		n -= l
	} else {
		// A long code, or an over-subscribed table, or an error.
		d.bits.acc, d.bits.n = acc, n
		v, err := d.decodeHuffman(dcH)
		if err != nil {
			return 0, err
		}
		s = uint(v)
		acc, n = d.bits.acc, d.bits.n
	}
	if s != 0 {
		if s > 16 {
			d.bits.acc, d.bits.n = acc, n
			return 0, unsupportedError("excessive DC component")
		}
		v := int32(acc >> (64 - s))
		acc <<= s
		n -= s
		if v < 1<<(s-1) {
			v += -1<<s + 1
		}
		*pred += v
	}
	b[0] = *pred * qt[0]
	d.bits.acc, d.bits.n = acc, n
	mask := uint64(1)

	if d.eobRun > 0 {
		d.eobRun--
		return mask, nil
	}
	// The AC coefficients, as specified in section F.2.2.2.
	zig := uint(1)
	for {
		zig, mask = d.decodeAC(b, acH, qt, zig, mask)
		if zig >= blockSize {
			break
		}
		// decodeAC needs help: a refill, or a symbol that its look-up
		// table doesn't have.
		if d.bits.n < 32 {
			d.refill()
			continue
		}
		v, err := d.decodeHuffman(acH)
		if err != nil {
			return 0, err
		}
		run, size := uint(v>>4), uint(v&0x0f)
		if size != 0 {
			zig += run
			if zig >= blockSize {
				break
			}
			ac, _ := d.receiveExtend(uint8(size))
			b[unzig[zig]&63] = ac * qt[zig]
			mask |= 1 << zig
			zig++
		} else if run != 0x0f {
			eob := uint16(1) << run
			if run != 0 {
				extra, _ := d.decodeBits(int32(run))
				eob |= uint16(extra)
			}
			d.eobRun = eob - 1
			break
		} else {
			zig += 0x10
			if zig >= blockSize {
				break
			}
		}
	}
	if d.overrun() {
		return 0, d.bits.err
	}
	return mask, nil
}

// decodeAC decodes AC coefficients of a sequential block from position zig
// on (see decodeBlock), as long as it can do so without calls: it returns
// when the block is done (with zig >= 64), or else (with zig < 64) when it
// needs a refill beyond the fast path or meets a code longer than lutBits.
func (d *decoder) decodeAC(b *block, h *huffman, qt *block, zig uint, mask uint64) (uint, uint64) {
	acc, n := d.bits.acc, d.bits.n
	i, j := d.bytes.i, d.bytes.j
	buf := &d.bytes.buf
	for zig < blockSize {
		// A code and its extra bits take at most 31 bits.
		if n < 32 {
			// fillBits' fast path: take whole bytes from the next 8
			// buffered ones if none of them is 0xff.
			if uint(i) > uint(len(buf)-8) || i+8 > j {
				break
			}
			x := binary.BigEndian.Uint64(buf[i:])
			if (^x-0x0101010101010101)&x&0x8080808080808080 != 0 {
				break
			}
			k := (63 - n) >> 3 // n < 32, so 4 <= k <= 7.
			i += int(k)
			acc |= (x &^ (1<<((64-8*k)&63) - 1)) >> (n & 63)
			n += 8 * k
		}
		if f := h.ac[acc>>(64-lutBits)]; f != 0 {
			if z := zig + uint(f>>8)&0xff; z < blockSize {
				l := uint(f) & 0xff
				acc <<= l & 63
				n -= l
				b[unzig[z]&63] = (f >> 16) * qt[z]
				mask |= 1 << z
				zig = z + 1
				continue
			}
		}
		e := h.lut[acc>>(64-lutBits)]
		if e == 0 {
			break
		}
		l := uint(e) & 0xff
		acc <<= l & 63
		n -= l
		run, size := uint(e>>12), uint(e>>8)&0x0f
		if size != 0 {
			zig += run
			if zig >= blockSize {
				break
			}
			v := int32(acc >> (64 - size))
			acc <<= size
			n -= size
			if v < 1<<(size-1) {
				v += -1<<size + 1
			}
			b[unzig[zig]&63] = v * qt[zig]
			mask |= 1 << zig
			zig++
		} else if run != 0x0f {
			eob := uint16(1) << run
			if run != 0 {
				eob |= uint16(acc >> (64 - run))
				acc <<= run
				n -= run
			}
			d.eobRun = eob - 1
			zig = blockSize
			break
		} else {
			zig += 0x10
		}
	}
	d.bits.acc, d.bits.n = acc, n
	d.bytes.i = i
	return zig, mask
}

// coef is the storage type of progressive coefficients.
type coef interface{ int16 | int32 }

// patches records the exact values of coefficients that didn't fit in
// int16 storage while decoding one block of one scan. Within a block and
// scan, every coefficient is written at most once, and a written one is
// not read again except for its sign and whether it is zero, which the
// saturated placeholder preserves; so the block is completed in int16 and
// then patched after widening the storage to int32.
type patches struct {
	n int
	k [blockSize]uint8
	v [blockSize]int32
}

// apply writes the recorded values to b (indexed by slot) and clears p.
func (p *patches) apply(b []int32) {
	for i := 0; i < p.n; i++ {
		b[p.k[i]] = p.v[i]
	}
	p.n = 0
}

// setCoef stores v as the coefficient at natural position k of a block,
// which is b[slot[k]], or nowhere if slot[k] < 0 (see coefSlots). It
// records v in p if it doesn't fit in T.
func setCoef[T coef](b []T, slot *[blockSize]int8, k uint8, v int32, p *patches) {
	s := slot[k&63]
	if s < 0 {
		return
	}
	t := T(v)
	if int32(t) != v {
		if p.n < blockSize {
			p.k[p.n] = uint8(s)
			p.v[p.n] = v
			p.n++
		}
		if v > 0 {
			t = T(32767)
		} else {
			t = T(-32768)
		}
	}
	b[s] = t
}

// decodeFirst decodes the first scan of the band [zigStart, zigEnd] of one
// block of a progressive image, as specified in section G.1.2.1 (and as
// image/jpeg's decoding loop for ah == 0 does), into b, which holds the
// coefficients in natural order, not dequantized, and *nz, the mask of
// its non-zero AC coefficients in zig-zag order (bit zig for
// b[unzig[zig]]).
func decodeFirst[T coef](d *decoder, b []T, slot *[blockSize]int8, nz *uint64, dcH, acH *huffman, dcPred *int32, zigStart, zigEnd int32, al uint32, p *patches) error {
	zig := zigStart
	if zig == 0 {
		zig++
		// Decode the DC coefficient, as specified in section F.2.2.1.
		value, err := d.decodeHuffman(dcH)
		if err != nil {
			return err
		}
		if value > 16 {
			return unsupportedError("excessive DC component")
		}
		dcDelta, err := d.receiveExtend(value)
		if err != nil {
			return err
		}
		*dcPred += dcDelta
		setCoef(b, slot, 0, *dcPred<<al, p)
	}

	if zig <= zigEnd && d.eobRun > 0 {
		d.eobRun--
		return nil
	}
	// Decode the AC coefficients, as specified in section F.2.2.2. Their
	// values are never 0.
	acc, n := d.bits.acc, d.bits.n
	mask := *nz
	for ; zig <= zigEnd; zig++ {
		if n < 32 {
			acc, n = d.fillBits(acc, n)
		}
		if f := acH.ac[acc>>(64-lutBits)]; f != 0 {
			if z := zig + (f>>8)&0xff; z <= zigEnd {
				l := uint(f & 0xff)
				acc <<= l
				n -= l
				setCoef(b, slot, unzig[z&63], (f>>16)<<al, p)
				mask |= 1 << (z & 63)
				zig = z
				continue
			}
		}
		var value uint8
		if e := acH.lut[acc>>(64-lutBits)]; e != 0 {
			value = uint8(e >> 8)
			l := uint(e & 0xff)
			acc <<= l
			n -= l
		} else {
			d.bits.acc, d.bits.n = acc, n
			v, err := d.decodeHuffman(acH)
			if err != nil {
				return err
			}
			value = v
			acc, n = d.bits.acc, d.bits.n
		}
		val0 := uint(value >> 4)
		val1 := uint(value & 0x0f)
		if val1 != 0 {
			zig += int32(val0)
			if zig > zigEnd {
				break
			}
			ac := int32(acc >> (64 - val1))
			acc <<= val1
			n -= val1
			if ac < 1<<(val1-1) {
				ac += -1<<val1 + 1
			}
			setCoef(b, slot, unzig[zig&63], ac<<al, p)
			mask |= 1 << (zig & 63)
		} else {
			if val0 != 0x0f {
				d.eobRun = uint16(1) << val0
				if val0 != 0 {
					d.eobRun |= uint16(acc >> (64 - val0))
					acc <<= val0
					n -= val0
				}
				d.eobRun--
				break
			}
			zig += 0x0f
		}
	}
	*nz = mask
	d.bits.acc, d.bits.n = acc, n
	return nil
}

// refine decodes a successive approximation refinement scan of the band
// [zigStart, zigEnd] of one block, as specified in section G.1.2.2 and
// G.1.2.3, into b and its non-zero mask *nz (see decodeFirst). This is
// image/jpeg's refine and refineNonZeroes, with the bit reader in local
// variables, and finding the non-zero coefficients (which get a correction
// bit) and the zero ones (which are counted by the run lengths) in *nz
// rather than by looking at every coefficient.
func refine[T coef](d *decoder, b []T, slot *[blockSize]int8, nz *uint64, h *huffman, zigStart, zigEnd, delta int32, p *patches) error {
	// Refining a DC component is trivial.
	if zigStart == 0 {
		if zigEnd != 0 {
			panic("unreachable")
		}
		bit, err := d.decodeBit()
		if err != nil {
			return err
		}
		if bit {
			setCoef(b, slot, 0, int32(b[0])|delta, p) // The DC term is always in b[0].
		}
		return nil
	}

	// Refining AC components is more complicated; see sections G.1.2.2 and G.1.2.3.
	acc, n := d.bits.acc, d.bits.n
	mask := *nz
	end := ^uint64(0) >> (63 - uint(zigEnd)) // Bits 0 to zigEnd.
	zig := uint(zigStart)
	if d.eobRun == 0 {
		for zig <= uint(zigEnd) {
			// A code, a sign bit and up to 14 EOB run bits.
			if n < 32 {
				acc, n = d.fillBits(acc, n)
			}
			var value uint8
			if e := h.lut[acc>>(64-lutBits)]; e != 0 {
				value = uint8(e >> 8)
				l := uint(e & 0xff)
				acc <<= l
				n -= l
			} else {
				d.bits.acc, d.bits.n = acc, n
				v, err := d.decodeHuffman(h)
				if err != nil {
					return err
				}
				value = v
				acc, n = d.bits.acc, d.bits.n
			}
			val0 := uint(value >> 4)
			val1 := value & 0x0f

			z := int32(0)
			if val1 == 0 {
				if val0 != 0x0f {
					d.eobRun = uint16(1) << val0
					if val0 != 0 {
						d.eobRun |= uint16(acc >> (64 - val0))
						acc <<= val0
						n -= val0
					}
					break
				}
			} else if val1 == 1 {
				z = delta
				if acc>>63 == 0 {
					z = -z
				}
				acc <<= 1
				n--
			} else {
				d.bits.acc, d.bits.n = acc, n
				return formatError("unexpected Huffman code")
			}

			// Skip over val0 zero coefficients, refining the non-zero ones
			// on the way, up to the next zero one (image/jpeg's
			// refineNonZeroes with nz = val0): stop is the position of the
			// (val0+1)th zero coefficient from zig on, or zigEnd+1.
			zeros := ^mask & end &^ (1<<zig - 1)
			for i := uint(0); i < val0 && zeros != 0; i++ {
				zeros &= zeros - 1
			}
			stop := uint(zigEnd) + 1
			if zeros != 0 {
				stop = uint(bits.TrailingZeros64(zeros))
			}
			if m := mask & (1<<stop - 1) &^ (1<<zig - 1); m != 0 {
				acc, n = refineBits(d, b, slot, m, delta, acc, n, p)
			}
			zig = stop
			if zig > uint(zigEnd) {
				d.bits.acc, d.bits.n = acc, n
				return formatError("too many coefficients")
			}
			if z != 0 {
				setCoef(b, slot, unzig[zig&63], z, p)
				mask |= 1 << (zig & 63)
			}
			zig++
		}
	}
	if d.eobRun > 0 {
		d.eobRun--
		// Refine the remaining non-zero coefficients (refineNonZeroes
		// with nz = -1).
		if m := mask & end &^ (1<<zig - 1); m != 0 {
			acc, n = refineBits(d, b, slot, m, delta, acc, n, p)
		}
	}
	*nz = mask
	d.bits.acc, d.bits.n = acc, n
	return nil
}

// refineBits reads a correction bit for each of the non-zero coefficients
// of b at the zig-zag positions in m, in order, and adds delta to the
// magnitude of those whose bit is 1.
func refineBits[T coef](d *decoder, b []T, slot *[blockSize]int8, m uint64, delta int32, acc uint64, n uint, p *patches) (uint64, uint) {
	for m != 0 {
		zig := uint(bits.TrailingZeros64(m))
		m &= m - 1
		if n == 0 {
			acc, n = d.fillBits(acc, n)
		}
		bit := int32(acc >> 63)
		acc <<= 1
		n--
		u := unzig[zig&63]
		s := slot[u&63]
		if s < 0 {
			// Not stored: only whether it is zero matters.
			continue
		}
		// Add delta to the magnitude if the bit is 1, without a branch on
		// the bit (which is as good as random).
		c := int32(b[s])
		sign := c >> 31
		c += (delta&-bit ^ sign) - sign
		if t := T(c); int32(t) == c {
			b[s] = t
		} else {
			setCoef(b, slot, u, c, p)
		}
	}
	return acc, n
}

// reconstructBlock performs the (possibly reduced) inverse DCT of the
// dequantized coefficients b, whose non-zero positions are in mask, and
// stores the block to the image. It leaves b all zero, except at scale 1/8,
// where only b[0] is used and nothing is cleared.
func (d *decoder) reconstructBlock(b *block, mask uint64, bx, by, compIndex int) {
	p := &d.planes[compIndex]
	stride := p.stride
	switch d.shift {
	case 0:
		dst := p.pix[8*(by*stride+bx):]
		dst = dst[:7*stride+8]
		if mask <= 1 {
			fillBlock(dst, stride, 8, clampDC8(b[0]))
			b[0] = 0
			return
		}
		idct8x8(b, mask, dst, stride)
	case 1:
		dst := p.pix[4*(by*stride+bx):]
		dst = dst[:3*stride+4]
		if mask <= 1 {
			fillBlock(dst, stride, 4, clampDC(b[0]))
			b[0] = 0
			return
		}
		idct4x4(b, mask, dst, stride)
	case 2:
		dst := p.pix[2*(by*stride+bx):]
		dst = dst[:stride+2]
		if mask <= 1 {
			fillBlock(dst, stride, 2, clampDC(b[0]))
			b[0] = 0
			return
		}
		idct2x2(b, mask, dst, stride)
	default:
		p.pix[by*stride+bx] = clampDC(b[0])
		return
	}
	clearRows(b, mask)
}

// zigNatural[i][x] is the natural-order mask of the zig-zag positions
// 8i to 8i+7 set in x.
var zigNatural = func() (t [8][256]uint64) {
	for i := range t {
		for x := range t[i] {
			for j := 0; j < 8; j++ {
				if x&(1<<j) != 0 {
					t[i][x] |= 1 << unzig[8*i+j]
				}
			}
		}
	}
	return t
}()

// zigToNatural converts a mask of zig-zag positions to natural order.
func zigToNatural(zm uint64) uint64 {
	if zm <= 1 {
		return zm
	}
	return zigNatural[0][zm&0xff] | zigNatural[1][zm>>8&0xff] |
		zigNatural[2][zm>>16&0xff] | zigNatural[3][zm>>24&0xff] |
		zigNatural[4][zm>>32&0xff] | zigNatural[5][zm>>40&0xff] |
		zigNatural[6][zm>>48&0xff] | zigNatural[7][zm>>56]
}

// clearRows zeroes the rows of b that have a bit set in mask.
func clearRows(b *block, mask uint64) {
	for r := 0; r < 8; r++ {
		if mask>>(8*r)&0xff != 0 {
			*(*[8]int32)(b[8*r:]) = [8]int32{}
		}
	}
}

// fillBlock sets an n x n block of dst to v.
func fillBlock(dst []byte, stride, n int, v uint8) {
	for y := 0; y < n; y++ {
		row := dst[y*stride : y*stride+n]
		for x := range row {
			row[x] = v
		}
	}
}

// processRST reads the restart marker expected after a restart interval
// and resets the decoder state.
func (d *decoder) processRST(expectedRST *uint8, dc *[maxComponents]int32) error {
	// For well-formed input, the RST[0-7] restart marker follows
	// immediately. For corrupt input, call findRST to try to
	// resynchronize.
	if err := d.readFull(d.tmp[:2]); err != nil {
		return err
	} else if d.tmp[0] != 0xff || d.tmp[1] != *expectedRST {
		if err := d.findRST(*expectedRST); err != nil {
			return err
		}
	}
	*expectedRST++
	if *expectedRST == rst7Marker+1 {
		*expectedRST = rst0Marker
	}
	// Reset the Huffman decoder.
	d.resetBits()
	// Reset the DC components, as per section F.2.1.3.1.
	*dc = [maxComponents]int32{}
	// Reset the progressive decoder state, as per section G.1.2.2.
	d.eobRun = 0
	return nil
}

// findRST advances past the next RST restart marker that matches expectedRST.
// Other than I/O errors, it is also an error if we encounter an {0xFF, M}
// two-byte marker sequence where M is not 0x00, 0xFF or the expectedRST.
//
// This is similar to libjpeg's jdmarker.c's next_marker function.
// https://github.com/libjpeg-turbo/libjpeg-turbo/blob/2dfe6c0fe9e18671105e94f7cbf044d4a1d157e6/jdmarker.c#L892-L935
//
// Precondition: d.tmp[:2] holds the next two bytes of JPEG-encoded input
// (input in the d.readFull sense).
func (d *decoder) findRST(expectedRST uint8) error {
	for {
		// i is the index such that, at the bottom of the loop, we read 2-i
		// bytes into d.tmp[i:2], maintaining the invariant that d.tmp[:2]
		// holds the next two bytes of JPEG-encoded input. It is either 0 or 1,
		// so that each iteration advances by 1 or 2 bytes (or returns).
		i := 0

		if d.tmp[0] == 0xff {
			if d.tmp[1] == expectedRST {
				return nil
			} else if d.tmp[1] == 0xff {
				i = 1
			} else if d.tmp[1] != 0x00 {
				// libjpeg's jdmarker.c's jpeg_resync_to_restart does something
				// fancy here, treating RST markers within two (modulo 8) of
				// expectedRST differently from RST markers that are 'more
				// distant'. Until we see evidence that recovering from such
				// cases is frequent enough to be worth the complexity, we take
				// a simpler approach for now. Any marker that's not 0x00, 0xff
				// or expectedRST is a fatal FormatError.
				return formatError("bad RST marker")
			}

		} else if d.tmp[1] == 0xff {
			d.tmp[0] = 0xff
			i = 1
		}

		if err := d.readFull(d.tmp[i:2]); err != nil {
			return err
		}
	}
}

// coefBuf holds a component's coefficients between progressive scans, in
// natural order and not dequantized, and a mask of the non-zero ones.
//
// Only the coefficients that the inverse DCT at the decoder's scale uses
// are stored (see coefSlots): for the others, the mask is all the
// successive approximation decoding needs. They are stored as int16,
// which is enough for any valid JPEG; should a corrupt stream produce a
// value that doesn't fit, the buffer switches to int32, to give the same
// result as image/jpeg.
type coefBuf struct {
	n   int // Coefficients stored per block.
	c16 []int16
	c32 []int32
	nz  []uint64 // Non-zero AC coefficients of each block, see decodeFirst.
}

// coefSlots[shift][k] is the index in a block's stored coefficients of the
// coefficient at natural position k, or -1 if it isn't stored at that
// scale: the reduced inverse DCTs give row and column 4 (scale 1/2), or
// rows and columns 2, 4 and 6 (1/4), zero weight, and scale 1/8 only uses
// the DC term. coefCount[shift] is the number of stored coefficients.
var (
	coefSlots [4][blockSize]int8
	coefCount [4]int
)

func init() {
	for shift := range coefSlots {
		n := 0
		for k := range blockSize {
			y, x := k/8, k%8
			keep := true
			switch shift {
			case 1:
				keep = y != 4 && x != 4
			case 2:
				keep = (y < 2 || y%2 == 1) && (x < 2 || x%2 == 1)
			case 3:
				keep = k == 0
			}
			coefSlots[shift][k] = -1
			if keep {
				coefSlots[shift][k] = int8(n)
				n++
			}
		}
		coefCount[shift] = n
	}
	initNeededZig()
}

func (c *coefBuf) allocated() bool { return c.c16 != nil || c.c32 != nil }

// alloc allocates c for blocks blocks at scale 1>>shift.
func (c *coefBuf) alloc(blocks int, shift uint) {
	c.n = coefCount[shift]
	c.c16 = make([]int16, blocks*c.n)
	c.nz = make([]uint64, blocks)
}

// widen switches c to int32 storage.
func (c *coefBuf) widen() {
	c.c32 = make([]int32, len(c.c16))
	for i, v := range c.c16 {
		c.c32[i] = int32(v)
	}
	c.c16 = nil
}

// loadDequantized copies the stored coefficients of block i to b,
// dequantized with qt (zig-zag order), and returns the mask of the
// non-zero ones in natural order (with bit 0 always set). It writes b[0]
// and those coefficients only: the rest of b must be zero already, except
// at scale 1/8, where only b[0] is used.
func (c *coefBuf) loadDequantized(i int, b *block, qt *block, slot *[blockSize]int8) uint64 {
	mask := uint64(1)
	m := c.nz[i] &^ 1
	lo, hi := i*c.n, i*c.n+c.n
	if c.c32 != nil {
		src := c.c32[lo:hi:hi]
		b[0] = src[0] * qt[0]
		for m != 0 {
			zig := uint(bits.TrailingZeros64(m))
			m &= m - 1
			k := unzig[zig&63] & 63
			if s := slot[k]; s >= 0 {
				b[k] = src[s] * qt[zig&63]
				mask |= 1 << k
			}
		}
		return mask
	}
	src := c.c16[lo:hi:hi]
	b[0] = int32(src[0]) * qt[0]
	for m != 0 {
		zig := uint(bits.TrailingZeros64(m))
		m &= m - 1
		k := unzig[zig&63] & 63
		if s := slot[k]; s >= 0 {
			b[k] = int32(src[s]) * qt[zig&63]
			mask |= 1 << k
		}
	}
	return mask
}
