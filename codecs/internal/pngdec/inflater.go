package pngdec

import (
	"encoding/binary"
	"errors"
	"hash"
	"hash/adler32"
	"io"
)

// errInflate is any error of the inflater: the callers fall back to
// image/png, which reports compress/flate's.
var errInflate = errors.New("pngdec: bad zlib stream")

const (
	winSize  = 1 << 15 // deflate's history
	outSize  = 1 << 18 // the output buffer: history and new output
	maxMatch = 258     // the longest copy
	// outLimit is where decoding stops for the buffer to be read: past
	// it, a copy (written 8 bytes at a time, up to 7 too many) might not
	// fit.
	outLimit = outSize - maxMatch - 16
	litBits  = 10       // primary table bits, literal/length codes
	distBits = 8        // primary table bits, distance codes
	linkFlag = 0x40     // a table entry that points to a subtable
	maxCodes = 286 + 30 // literal/length and distance code lengths
)

// Block states of the inflater.
const (
	blkHeader = iota // between blocks
	blkStored
	blkHuff
	blkDone // after the final block
)

// inflater is a zlib (RFC 1950) reader over a byte slice with a 64-bit
// bit buffer, 10-bit primary lookup tables and a 256 KiB output buffer
// whose first bytes are the 32 KiB history after each slide.
type inflater struct {
	in   []byte
	pos  int // next byte of in to load into bits
	bits uint64
	nb   uint
	over int // zero bytes loaded past the end of in

	out        []byte
	rpos, wpos int // out[rpos:wpos] is produced, not yet read
	state      int
	final      bool
	stored     int // bytes left in a stored block
	lit, dst   *huff
	dyn        [2]huff
	sum        hash.Hash32 // Adler-32 of the output so far
	err        error
}

// newInflater starts reading the zlib stream z.
func newInflater(z []byte) (*inflater, bool) {
	if len(z) < 2 || z[0]&0x0f != 8 || z[0]>>4 > 7 || z[1]&0x20 != 0 || (uint(z[0])<<8|uint(z[1]))%31 != 0 {
		return nil, false
	}
	fixedTables()
	return &inflater{in: z, pos: 2, out: make([]byte, outSize), sum: adler32.New()}, true
}

// refill loads bits: at least 56 when that much input is left; past the
// end it loads zeros, counted in over.
func (f *inflater) refill() {
	if f.pos+8 <= len(f.in) {
		f.bits |= binary.LittleEndian.Uint64(f.in[f.pos:]) << f.nb
		k := (63 - f.nb) >> 3
		f.pos += int(k)
		f.nb += k * 8
		return
	}
	for f.nb <= 56 {
		if f.pos < len(f.in) {
			f.bits |= uint64(f.in[f.pos]) << f.nb
			f.pos++
		} else {
			f.over++
		}
		f.nb += 8
	}
}

// take returns the next n (<= 32) bits.
func (f *inflater) take(n uint) uint32 {
	if f.nb < n {
		f.refill()
	}
	v := uint32(f.bits & (1<<n - 1))
	f.bits >>= n
	f.nb -= n
	return v
}

// sym decodes one symbol with h (bits must hold at least 15).
func (f *inflater) sym(h *huff) (int, bool) {
	if len(h.t) == 0 {
		return 0, false
	}
	e := h.t[f.bits&(1<<h.bits-1)]
	if e&linkFlag != 0 {
		f.bits >>= h.bits
		f.nb -= h.bits
		e = h.t[e>>8+uint32(f.bits&(1<<(e&0xf)-1))]
	}
	n := uint(e & 0xff)
	if n == 0 { // no such code
		return 0, false
	}
	f.bits >>= n
	f.nb -= n
	return int(e >> 8), true
}

// Read implements io.Reader over the inflated data; after the final block
// it checks the Adler-32 and returns io.EOF.
func (f *inflater) Read(p []byte) (int, error) {
	for f.rpos == f.wpos {
		if f.err != nil {
			return 0, f.err
		}
		if f.state == blkDone {
			return 0, io.EOF
		}
		if f.wpos > outLimit {
			n := copy(f.out, f.out[f.wpos-winSize:f.wpos])
			f.rpos, f.wpos = n, n
		}
		start := f.wpos
		f.step()
		f.sum.Write(f.out[start:f.wpos])
		if f.state == blkDone && f.err == nil {
			f.finish()
		}
	}
	n := copy(p, f.out[f.rpos:f.wpos])
	f.rpos += n
	return n, nil
}

// finish checks the stream's end: the Adler-32 (byte-aligned after the
// final block) and no byte after it.
func (f *inflater) finish() {
	f.bits >>= f.nb & 7
	f.nb -= f.nb & 7
	left := int(f.nb/8) - f.over // real bytes still in bits
	if left < 0 {
		f.err = errInflate
		return
	}
	i := f.pos - left
	if i+4 != len(f.in) || binary.BigEndian.Uint32(f.in[i:]) != f.sum.Sum32() {
		f.err = errInflate
	}
}

// step inflates until the output buffer is nearly full, or the stream
// ends (state blkDone) or fails (err).
func (f *inflater) step() {
	for f.wpos <= outLimit {
		switch f.state {
		case blkHeader:
			if f.final {
				f.state = blkDone
				return
			}
			if !f.header() {
				f.err = errInflate
				return
			}
		case blkStored:
			if !f.copyStored() {
				f.err = errInflate
				return
			}
		case blkHuff:
			if !f.huffman() {
				f.err = errInflate
				return
			}
		}
		if f.over > 8 {
			f.err = errInflate
			return
		}
	}
}

// header reads a block header (and a dynamic block's tables).
func (f *inflater) header() bool {
	f.final = f.take(1) == 1
	switch f.take(2) {
	case 0:
		f.bits >>= f.nb & 7
		f.nb -= f.nb & 7
		left := int(f.nb/8) - f.over
		if left < 0 {
			return false
		}
		f.pos -= left
		f.bits, f.nb, f.over = 0, 0, 0
		if f.pos+4 > len(f.in) {
			return false
		}
		n := binary.LittleEndian.Uint16(f.in[f.pos:])
		if ^n != binary.LittleEndian.Uint16(f.in[f.pos+2:]) {
			return false
		}
		f.pos += 4
		f.stored = int(n)
		f.state = blkStored
	case 1:
		f.lit, f.dst = &fixedLit, &fixedDst
		f.state = blkHuff
	case 2:
		if !f.dynamic() {
			return false
		}
		f.lit, f.dst = &f.dyn[0], &f.dyn[1]
		f.state = blkHuff
	default:
		return false
	}
	return true
}

// dynamic reads a dynamic block's code lengths and builds its tables.
func (f *inflater) dynamic() bool {
	nlit := int(f.take(5)) + 257
	ndst := int(f.take(5)) + 1
	ncl := int(f.take(4)) + 4
	if nlit > 286 || ndst > 30 {
		return false
	}
	var cl [19]uint8
	for i := 0; i < ncl; i++ {
		cl[clOrder[i]] = uint8(f.take(3))
	}
	var clh huff
	if !clh.build(cl[:], 7) || len(clh.t) == 0 {
		return false
	}
	var lens [maxCodes]uint8
	for i := 0; i < nlit+ndst; {
		if f.nb < 16 {
			f.refill()
		}
		s, ok := f.sym(&clh)
		if !ok {
			return false
		}
		var rep int
		var v uint8
		switch {
		case s < 16:
			lens[i] = uint8(s)
			i++
			continue
		case s == 16:
			if i == 0 {
				return false
			}
			v, rep = lens[i-1], 3+int(f.take(2))
		case s == 17:
			rep = 3 + int(f.take(3))
		default:
			rep = 11 + int(f.take(7))
		}
		if i+rep > nlit+ndst {
			return false
		}
		for ; rep > 0; rep-- {
			lens[i] = v
			i++
		}
	}
	if lens[256] == 0 {
		return false
	}
	return f.dyn[0].build(lens[:nlit], litBits) && f.dyn[1].build(lens[nlit:nlit+ndst], distBits)
}

// copyStored copies stored bytes as far as the output buffer allows.
func (f *inflater) copyStored() bool {
	n := min(f.stored, outSize-f.wpos, len(f.in)-f.pos)
	if n == 0 && f.stored > 0 {
		return len(f.in) > f.pos // no input left: truncated
	}
	copy(f.out[f.wpos:], f.in[f.pos:f.pos+n])
	f.wpos += n
	f.pos += n
	f.stored -= n
	if f.stored == 0 {
		f.state = blkHeader
	}
	return true
}

// huffman decodes a Huffman block's symbols until the block ends or the
// output buffer is nearly full. The bit buffer lives in locals, written
// back on return, and input is loaded 8 bytes at a time while at least 8
// are left (then through refill).
func (f *inflater) huffman() bool {
	out := f.out
	lt, lbits := f.lit.t, f.lit.bits
	dt, dbits := f.dst.t, f.dst.bits
	if len(lt) == 0 {
		return false
	}
	lmask, dmask := uint64(1)<<lbits-1, uint64(1)<<dbits-1
	bits, nb, w := f.bits, f.nb, f.wpos
	in, pos := f.in, f.pos
	ok := false
	for w <= outLimit {
		if nb < 48 {
			if pos+8 <= len(in) {
				bits |= binary.LittleEndian.Uint64(in[pos:]) << nb
				k := (63 - nb) >> 3
				pos += int(k)
				nb += k * 8
			} else {
				f.bits, f.nb, f.pos = bits, nb, pos
				f.refill()
				bits, nb, pos = f.bits, f.nb, f.pos
				if f.over > 8 {
					break
				}
			}
		}
		e := lt[bits&lmask]
		if e&linkFlag != 0 {
			bits >>= lbits
			nb -= lbits
			e = lt[e>>8+uint32(bits&(1<<(e&0xf)-1))]
		}
		n := uint(e & 0xff)
		if n == 0 {
			break
		}
		bits >>= n
		nb -= n
		sym := int(e >> 8)
		if sym < 256 {
			out[w] = byte(sym)
			w++
			continue
		}
		if sym == 256 {
			f.state = blkHeader
			ok = true
			break
		}
		sym -= 257
		if sym >= 29 || len(dt) == 0 {
			break
		}
		length := int(lenBase[sym])
		if x := uint(lenExtra[sym]); x > 0 {
			length += int(bits & (1<<x - 1))
			bits >>= x
			nb -= x
		}
		e = dt[bits&dmask]
		if e&linkFlag != 0 {
			bits >>= dbits
			nb -= dbits
			e = dt[e>>8+uint32(bits&(1<<(e&0xf)-1))]
		}
		n = uint(e & 0xff)
		ds := int(e >> 8)
		if n == 0 || ds >= 30 {
			break
		}
		bits >>= n
		nb -= n
		if nb < 13 {
			f.bits, f.nb, f.pos = bits, nb, pos
			f.refill()
			bits, nb, pos = f.bits, f.nb, f.pos
		}
		dist := int(dstBase[ds])
		if x := uint(dstExtra[ds]); x > 0 {
			dist += int(bits & (1<<x - 1))
			bits >>= x
			nb -= x
		}
		if dist > w {
			break
		}
		end := w + length
		switch {
		case dist >= 8:
			// Whole words: each one's source is written before it is read.
			for ; w < end; w += 8 {
				binary.LittleEndian.PutUint64(out[w:], binary.LittleEndian.Uint64(out[w-dist:]))
			}
		case dist == 1:
			v := uint64(out[w-1]) * 0x0101010101010101
			for ; w < end; w += 8 {
				binary.LittleEndian.PutUint64(out[w:], v)
			}
		default:
			// A pattern of dist bytes repeats: copy bytes until a
			// multiple of dist of at least 8 is written, then words at
			// that distance.
			d := dist * ((8 + dist - 1) / dist)
			stop := min(end, w+d)
			for ; w < stop; w++ {
				out[w] = out[w-dist]
			}
			for ; w < end; w += 8 {
				binary.LittleEndian.PutUint64(out[w:], binary.LittleEndian.Uint64(out[w-d:]))
			}
		}
		w = end
	}
	if w > outLimit && f.state == blkHuff {
		ok = true // the buffer is full: go on after it is read
	}
	f.bits, f.nb, f.pos, f.wpos = bits, nb, pos, w
	return ok
}
