// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package jpeg

import (
	"encoding/binary"
	"io"
)

// maxCodeLength is the maximum (inclusive) number of bits in a Huffman code.
const maxCodeLength = 16

// maxNCodes is the maximum (inclusive) number of codes in a Huffman tree.
const maxNCodes = 256

// lutBits is the log-2 size of the Huffman decoder's look-up tables.
const lutBits = 9

// huffman is a Huffman decoder, specified in section C.
type huffman struct {
	// nCodes is the number of codes in the tree.
	nCodes int32
	// compat is set for over-subscribed tables (more codes than fit in 16
	// bits, so not a prefix code). Those are invalid, but image/jpeg decodes
	// them in its own peculiar way, and so do we, with slut, to give the
	// same result.
	compat bool
	// lut is the look-up table for the next lutBits bits of the bit-stream.
	// The high 8 bits of the uint16 are the decoded value, the low 8 bits
	// the code length, or 0 if the code is longer than lutBits.
	lut [1 << lutBits]uint16
	// ac is a look-up table for the next lutBits bits of the bit-stream,
	// for AC tables, that decodes both a (run, size) symbol with size > 0
	// and the size extra bits that follow it, when they fit in lutBits:
	// coefficient<<16 | run<<8 | total bit length, or 0.
	ac [1 << lutBits]int32
	// vals are the decoded values, sorted by their encoding.
	vals [maxNCodes]uint8
	// minCodes[i] is the minimum code of length i+1, or -1 if there are no
	// codes of that length.
	minCodes [maxCodeLength]int32
	// maxCodes[i] is the maximum code of length i+1, or -1 if there are no
	// codes of that length.
	maxCodes [maxCodeLength]int32
	// valsIndices[i] is the index into vals of minCodes[i].
	valsIndices [maxCodeLength]int32
	// slut is image/jpeg's 8-bit look-up table (value<<8 | 1+length), used
	// only for compat tables.
	slut [256]uint16
}

// bitReader is the bit reader for entropy-coded data. Bytes are taken from
// d.bytes, with byte stuffing removed, and it stops in front of the first
// marker (or at the end of the input); from then on it supplies zero bits,
// counted in fake, so that the decoding loops need no end-of-data checks.
// Consuming any of those zero bits is detected afterwards (n < fake), which
// turns into the error saved in err: a reader never silently decodes data
// that isn't there.
type bitReader struct {
	acc  uint64 // The next n bits to decode, starting at the MSB.
	n    uint   // Number of valid bits in acc.
	fake uint   // Number of the low valid bits that are padding.
	end  bool   // The end of the entropy-coded segment has been reached.
	err  error  // Why the segment ended: errMissingFF00, errShortHuffmanData, or the reader's error.
}

// refill tops up the bit reader so that d.bits.n >= 57.
func (d *decoder) refill() {
	d.bits.acc, d.bits.n = d.fillBits(d.bits.acc, d.bits.n)
}

// fillBits returns acc and n topped up so that n >= 57. acc and n are
// passed by value so that the hot decoding loops can keep them in registers.
func (d *decoder) fillBits(acc uint64, n uint) (uint64, uint) {
	if !d.bits.end {
		for n <= 56 {
			if i := d.bytes.i; d.bytes.j-i >= 8 {
				x := binary.BigEndian.Uint64(d.bytes.buf[i : i+8])
				// Take as many whole bytes as fit if none of the eight is 0xff.
				if (^x-0x0101010101010101)&x&0x8080808080808080 == 0 {
					k := (64 - n) >> 3
					x &^= 1<<(64-8*k) - 1
					acc |= x >> n
					n += 8 * k
					d.bytes.i = i + int(k)
					break
				}
			}
			c, ok := d.nextDataByte()
			if !ok {
				break
			}
			acc |= uint64(c) << (56 - n)
			n += 8
		}
	}
	if n <= 56 {
		d.bits.fake += 64 - n
		n = 64
	}
	return acc, n
}

// nextDataByte returns the next byte of entropy-coded data, undoing byte
// stuffing. At a marker or at the end of the input it reports false and
// marks the end of the segment; a marker is left unread.
func (d *decoder) nextDataByte() (byte, bool) {
	c, err := d.readByte()
	if err != nil {
		d.endData(err)
		return 0, false
	}
	if c != 0xff {
		return c, true
	}
	c, err = d.readByte()
	if err != nil {
		d.endData(err)
		return 0, false
	}
	if c == 0x00 {
		return 0xff, true
	}
	// A marker. fill keeps the last two bytes, so this unread is possible.
	d.bytes.i -= 2
	d.endData(errMissingFF00)
	return 0, false
}

func (d *decoder) endData(err error) {
	if err == io.ErrUnexpectedEOF {
		err = errShortHuffmanData
	}
	d.bits.end = true
	d.bits.err = err
}

// resetBits discards the bit reader's state, at the start of a scan and at
// restart markers.
func (d *decoder) resetBits() {
	d.bits = bitReader{}
}

// overrun reports whether padding bits beyond the end of the entropy-coded
// data have been consumed.
func (d *decoder) overrun() bool {
	return d.bits.n < d.bits.fake
}

// processDHT processes a Define Huffman Table marker, and initializes a huffman
// struct from its contents. Specified in section B.2.4.2.
func (d *decoder) processDHT(n int) error {
	for n > 0 {
		if n < 17 {
			return formatError("DHT has wrong length")
		}
		if err := d.readFull(d.tmp[:17]); err != nil {
			return err
		}
		tc := d.tmp[0] >> 4
		if tc > maxTc {
			return formatError("bad Tc value")
		}
		th := d.tmp[0] & 0x0f
		// The baseline th <= 1 restriction is specified in table B.5.
		if th > maxTh || (d.baseline && th > 1) {
			return formatError("bad Th value")
		}
		h := &d.huff[tc][th]

		// Read nCodes and h.vals (and derive h.nCodes).
		// nCodes[i] is the number of codes with code length i.
		// h.nCodes is the total number of codes.
		h.nCodes = 0
		var nCodes [maxCodeLength]int32
		for i := range nCodes {
			nCodes[i] = int32(d.tmp[i+1])
			h.nCodes += nCodes[i]
		}
		if h.nCodes == 0 {
			return formatError("Huffman table has zero length")
		}
		if h.nCodes > maxNCodes {
			return formatError("Huffman table has excessive length")
		}
		n -= int(h.nCodes) + 17
		if n < 0 {
			return formatError("DHT has wrong length")
		}
		if err := d.readFull(h.vals[:h.nCodes]); err != nil {
			return err
		}
		h.build(&nCodes, tc == acTable)
	}
	return nil
}

// build derives the decoding tables from nCodes and h.vals.
func (h *huffman) build(nCodes *[maxCodeLength]int32, isAC bool) {
	// Derive minCodes, maxCodes, and valsIndices, exactly as image/jpeg does.
	var c, index int32
	h.compat = false
	for i, n := range nCodes {
		if n == 0 {
			h.minCodes[i] = -1
			h.maxCodes[i] = -1
			h.valsIndices[i] = -1
		} else {
			h.minCodes[i] = c
			h.maxCodes[i] = c + n - 1
			h.valsIndices[i] = index
			c += n
			index += n
		}
		if c > 1<<(i+1) {
			// Over-subscribed: the codes of length i+1 don't fit in i+1 bits.
			h.compat = true
		}
		c <<= 1
	}

	clear(h.lut[:])
	clear(h.ac[:])
	if h.compat {
		// image/jpeg's look-up table, including its overflow behaviour.
		clear(h.slut[:])
		var x, code uint32
		for i := uint32(0); i < 8; i++ {
			code <<= 1
			for j := int32(0); j < nCodes[i]; j++ {
				base := uint8(code << (7 - i))
				lutValue := uint16(h.vals[x])<<8 | uint16(2+i)
				for k := uint8(0); k < 1<<(7-i); k++ {
					h.slut[base|k] = lutValue
				}
				code++
				x++
			}
		}
		return
	}

	// A prefix code: every lutBits-bit index starting with a code of length
	// l <= lutBits decodes to that code.
	var x, code uint32
	for i := uint32(0); i < lutBits; i++ {
		code <<= 1
		for j := int32(0); j < nCodes[i]; j++ {
			l := i + 1
			base := code << (lutBits - l)
			v := uint16(h.vals[x])<<8 | uint16(l)
			for k := uint32(0); k < 1<<(lutBits-l); k++ {
				h.lut[base|k] = v
			}
			code++
			x++
		}
	}
	if !isAC {
		return
	}
	for i, e := range h.lut {
		if e == 0 {
			continue
		}
		l := uint(e & 0xff)
		s := e >> 8
		run, size := uint(s>>4), uint(s&0x0f)
		if size == 0 || l+size > lutBits {
			continue
		}
		v := int32(uint(i)>>(lutBits-l-size)) & (1<<size - 1)
		if v < 1<<(size-1) {
			v += -1<<size + 1
		}
		h.ac[i] = v<<16 | int32(run<<8) | int32(l+size)
	}
}

// decodeLong decodes a code longer than lutBits from the top 16 bits of acc.
// It returns a zero length if there is no such code. It must not be used
// with compat tables.
func (h *huffman) decodeLong(acc uint64) (value uint8, length uint) {
	code16 := int32(acc >> 48)
	for i := lutBits; i < maxCodeLength; i++ {
		code := code16 >> (15 - i)
		if code <= h.maxCodes[i] {
			return h.vals[(h.valsIndices[i]+code-h.minCodes[i])&(maxNCodes-1)], uint(i + 1)
		}
	}
	return 0, 0
}

// badCode returns the error for a failure to decode a Huffman code with h.
func (d *decoder) badCode(h *huffman) error {
	if h.nCodes == 0 {
		return formatError("uninitialized Huffman table")
	}
	if d.bits.n < d.bits.fake+maxCodeLength {
		// Some of the bits looked at were padding: the data ran out.
		return d.bits.err
	}
	return formatError("bad Huffman code")
}

// decodeHuffman returns the next Huffman-coded value from the bit-stream,
// decoded according to h.
func (d *decoder) decodeHuffman(h *huffman) (uint8, error) {
	if d.bits.n < maxCodeLength {
		d.refill()
	}
	if h.compat {
		return d.decodeHuffmanCompat(h)
	}
	e := h.lut[d.bits.acc>>(64-lutBits)]
	v, l := uint8(e>>8), uint(e&0xff)
	if l == 0 {
		if v, l = h.decodeLong(d.bits.acc); l == 0 {
			return 0, d.badCode(h)
		}
	}
	d.bits.acc <<= l
	d.bits.n -= l
	return v, nil
}

// decodeHuffmanCompat decodes with an over-subscribed table exactly as
// image/jpeg does: with its 8-bit look-up table when 8 bits of data are
// available, else bit by bit.
func (d *decoder) decodeHuffmanCompat(h *huffman) (uint8, error) {
	if h.nCodes == 0 {
		return 0, formatError("uninitialized Huffman table")
	}
	avail := int(d.bits.n) - int(d.bits.fake)
	if avail >= 8 {
		if v := h.slut[d.bits.acc>>56]; v != 0 {
			n := uint(v&0xff) - 1
			d.bits.acc <<= n
			d.bits.n -= n
			return uint8(v >> 8), nil
		}
	}
	code := int32(0)
	for i := 0; i < maxCodeLength; i++ {
		if avail <= 0 {
			return 0, d.bits.err
		}
		code |= int32(d.bits.acc >> 63)
		d.bits.acc <<= 1
		d.bits.n--
		avail--
		if code <= h.maxCodes[i] {
			return h.vals[h.valsIndices[i]+code-h.minCodes[i]], nil
		}
		code <<= 1
	}
	return 0, formatError("bad Huffman code")
}

// receiveExtend is the composition of RECEIVE and EXTEND, specified in section
// F.2.2.1. t must be at most 16.
func (d *decoder) receiveExtend(t uint8) (int32, error) {
	if d.bits.n < 16 {
		d.refill()
	}
	s := uint(t)
	x := int32(d.bits.acc >> (64 - s))
	d.bits.acc <<= s
	d.bits.n -= s
	if x < 1<<s>>1 {
		x += -1<<s + 1
	}
	return x, nil
}

func (d *decoder) decodeBit() (bool, error) {
	if d.bits.n == 0 {
		d.refill()
	}
	ret := d.bits.acc>>63 != 0
	d.bits.acc <<= 1
	d.bits.n--
	return ret, nil
}

// decodeBits returns the next n bits; n must be at most 16.
func (d *decoder) decodeBits(n int32) (uint32, error) {
	if d.bits.n < 16 {
		d.refill()
	}
	s := uint(n)
	ret := uint32(d.bits.acc >> (64 - s))
	d.bits.acc <<= s
	d.bits.n -= s
	return ret, nil
}
