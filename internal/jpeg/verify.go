package jpeg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math/bits"
	"runtime"
	"unsafe"
)

// Verify reports whether DecodeScaled would decode data, without decoding
// it: it parses the markers as the decoder does and walks the entropy-coded
// data of every sequential scan with the file's Huffman tables, checking
// that every code is valid, that the blocks of every scan are all there,
// that restart markers come in sequence and that the data does not end
// early, but does no dequantization, inverse DCT or colour conversion and
// keeps no coefficients. Each AC look-up decodes as many whole symbols
// (code and extra bits) as fit in vWindow bits, needing only their lengths
// and run lengths, not the coefficient values.
//
// A scan without restart intervals whose data is large (splitMin) is
// verified by two goroutines (see verify_split.go).
//
// Progressive images, and scans that use an over-subscribed or undefined
// Huffman table, are handed to DecodeScaled at 1/8 instead, which for a
// progressive image is already little more than entropy decoding (it keeps
// only the DC coefficient and a 64-bit mask per block).
//
// Verify returns nil exactly when DecodeScaled succeeds, except that it is
// stricter in one way, only on invalid streams: a coefficient index past
// 63 (a run that overflows its block, which the decoder ignores, ending
// the block) is an error, formatError("coefficient index past 63"). Errors
// are DecodeScaled's otherwise (where the
// decoder goes on past a coefficient run past 63, it may fail later with
// another error, or not at all). Verify does not panic on malformed input.
func Verify(data []byte) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = internalError(p)
		}
	}()
	d := new(decoder)
	rd := bytes.NewReader(data)
	d.verifier = &verifier{data: data, rd: rd, ac: new([maxTh + 1]acGroups)}
	_, err = d.decode(rd, false)
	if err == errVerifyFallback {
		_, err = DecodeScaled(bytes.NewReader(data), 8)
	}
	return err
}

// errIndexPast63 is Verify's error for a run past the end of a block.
var errIndexPast63 = formatError("coefficient index past 63")

// errVerifyFallback makes Verify decode the image instead.
var errVerifyFallback = errors.New("jpeg: verify by decoding")

// vWindow is the number of bits an acGroups look-up decodes.
const vWindow = 13

// Fields of an acGroups entry.
const (
	groupBits = 0x1f // total length of the symbols decoded
	groupEOB  = 0x20 // the last symbol is EOB
	// entry >> groupAdvanceShift is the sum of run+1 over the coefficients
	// decoded (16 for a ZRL), plus 64 if the last symbol is EOB, so that
	// one comparison tells whether the block goes on; groupNone when the
	// entry decodes nothing.
	groupAdvanceShift = 8
	groupNone         = 0xff << groupAdvanceShift
)

// acGroups decodes, from the next vWindow bits of a sequential scan's AC
// data, the run of whole symbols that fit in them: AC coefficients and
// ZRLs, up to and including an EOB. It stops before an EOBn symbol and
// anything else the slow path must see.
type acGroups [1 << vWindow]uint16

func (t *acGroups) build(h *huffman) {
	for w := range t {
		t[w] = groupEntry(h, uint64(w)<<(64-vWindow), 0, vWindow)
	}
}

// dcGroups is acGroups for the start of a block: the DC symbol (code and
// extra bits), then what acGroups decodes, from the next vDCWindow bits; an
// entry of groupNone when the DC symbol does not fit or is not valid.
type dcGroups [1 << vDCWindow]uint16

// vDCWindow is the number of bits a dcGroups look-up decodes.
const vDCWindow = 12

func (t *dcGroups) build(dc, ac *huffman) {
	for w := range t {
		acc := uint64(w) << (64 - vDCWindow)
		e := dc.lut[acc>>(64-lutBits)]
		val, l := uint8(e>>8), uint(e&0xff)
		if l == 0 {
			val, l = dc.decodeLong(acc)
		}
		if l == 0 || val > 16 || l+uint(val) > vDCWindow {
			t[w] = groupNone
			continue
		}
		t[w] = groupEntry(ac, acc, l+uint(val), vDCWindow)
	}
}

// groupEntry returns the acGroups entry for the AC symbols of acc's top
// window bits from bit used on, counting the used bits before them.
func groupEntry(h *huffman, acc uint64, used, window uint) uint16 {
	var adv uint
	eob := false
	for used < window {
		a := acc << used
		e := h.lut[a>>(64-lutBits)]
		val, l := uint8(e>>8), uint(e&0xff)
		if l == 0 {
			val, l = h.decodeLong(a)
		}
		run, size := uint(val>>4), uint(val&0x0f)
		if l == 0 || used+l+size > window {
			break
		}
		if size == 0 && run == 0 {
			used += l
			eob = true
			break
		}
		if size == 0 && run != 0x0f {
			break // EOBn
		}
		adv += run + 1
		used += l + size
	}
	switch {
	case used == 0 || adv >= blockSize:
		return groupNone
	case eob:
		return uint16(adv+blockSize)<<groupAdvanceShift | groupEOB | uint16(used)
	}
	return uint16(adv)<<groupAdvanceShift | uint16(used)
}

// verifier is the state of Verify: the input and a bit reader over its
// entropy-coded data, read straight from data.
type verifier struct {
	data []byte
	rd   *bytes.Reader // the decoder's reader over data
	// scanned is set once a scan has been verified.
	scanned bool
	ac      *[maxTh + 1]acGroups

	vreader
}

// vreader is Verify's bit reader, as the decoder's (see bitReader): acc
// holds n bits, the low fake of them padding past the end of the segment;
// pos is the next byte of data to read.
type vreader struct {
	acc  uint64
	n    uint
	fake uint
	pos  int
	lim  int // see setLim; 0 until set
	end  bool
	err  error
	// base is where the scan's data starts, stuffed the number of
	// stuffed zero bytes read since (for bitPos); eobn counts EOBn symbols.
	base, stuffed, eobn int
	// skipOver is set when the data ran out in blocks that an EOB run
	// skipped, the last ones verified: the decoder only reports that at
	// the end of the next block it decodes in full, if there is one.
	skipOver bool
}

// vblock is what verifying one block of a scan needs.
type vblock struct {
	dc *huffman
	ac *huffman
	g  *acGroups
	dg *dcGroups
}

// verifyScan verifies the entropy-coded data of the scan whose header
// processSOS has just read, in place of decodeScan, and leaves the
// decoder's reader after it.
func (d *decoder) verifyScan(scan []scanComp, mxx, myy int) error {
	v := d.verifier
	if d.progressive {
		return errVerifyFallback
	}
	var built [maxTh + 1]bool
	var dcBuilt [maxTh + 1][maxTh + 1]*dcGroups
	var unit [10]vblock
	nb := 0
	for _, sc := range scan {
		dc, ac := &d.huff[dcTable][sc.td], &d.huff[acTable][sc.ta]
		if dc.nCodes == 0 || ac.nCodes == 0 || dc.compat || ac.compat {
			return errVerifyFallback
		}
		if !built[sc.ta] {
			v.ac[sc.ta].build(ac)
			built[sc.ta] = true
		}
		c := &d.comp[sc.compIndex]
		k := c.h * c.v
		if len(scan) == 1 {
			k = 1
		}
		if nb+k > len(unit) {
			return errVerifyFallback
		}
		dg := dcBuilt[sc.td][sc.ta]
		if dg == nil {
			dg = new(dcGroups)
			dg.build(dc, ac)
			dcBuilt[sc.td][sc.ta] = dg
		}
		for range k {
			unit[nb] = vblock{dc, ac, &v.ac[sc.ta], dg}
			nb++
		}
	}
	// A unit is an MCU of an interleaved scan, a block of a
	// non-interleaved one, where the blocks outside the image are not
	// coded (see decodeScan).
	units := mxx * myy
	if len(scan) == 1 {
		c := &d.comp[scan[0].compIndex]
		units = min(mxx*c.h, (d.width+7)/8) * min(myy*c.v, (d.height+7)/8)
	}

	// Take over from the decoder's buffered reader.
	v.pos = int(v.rd.Size()) - v.rd.Len() - (d.bytes.j - d.bytes.i)
	v.resetBits()
	v.base, v.stuffed = v.pos, 0
	var err error
	if d.ri == 0 && d.eobRun == 0 && len(v.data)-v.pos >= splitMin && runtime.GOMAXPROCS(0) > 1 {
		err = v.split(unit[:nb], units, &d.eobRun)
	} else {
		err = v.intervals(unit[:nb], units, d.ri, &d.eobRun)
	}
	if err != nil {
		return err
	}
	v.scanned = true
	// Give the rest of the input back to the decoder.
	d.bytes.i, d.bytes.j, d.bytes.nUnreadable = 0, 0, 0
	_, err = v.rd.Seek(int64(v.pos), io.SeekStart)
	return err
}

// intervals verifies units units of unit's blocks, with a restart marker
// after every ri of them (none if ri is 0).
func (v *verifier) intervals(unit []vblock, units, ri int, eobRun *uint16) error {
	expectedRST := uint8(rst0Marker)
	for done := 0; done < units; {
		k := units - done
		if ri > 0 {
			k = min(k, ri)
		}
		if err := v.run(k, unit, eobRun); err != nil {
			return err
		}
		if done += k; done < units {
			if err := v.restart(expectedRST); err != nil {
				return err
			}
			*eobRun = 0
			if expectedRST++; expectedRST > rst7Marker {
				expectedRST = rst0Marker
			}
		}
	}
	return nil
}

// run is blocks, also reporting an overrun (padding consumed) as the end
// of data error, as decodeScan does.
func (v *verifier) run(units int, unit []vblock, eobRun *uint16) error {
	err := v.blocks(units, unit, eobRun)
	if v.n < v.fake && (err != nil || !v.skipOver) {
		err = v.err
	}
	return err
}

// bitPos is the position of the next bit of the scan's data, in bits
// from its start, not counting stuffed bytes.
func (v *verifier) bitPos() int {
	return (v.pos-v.base-v.stuffed)*8 - int(v.n)
}

// verifyResult is the decoder's final check in place of result.
func (d *decoder) verifyResult() error {
	if !d.verifier.scanned {
		return formatError("missing SOS marker")
	}
	if d.nComp == 4 && !d.adobeTransformValid {
		return unsupportedError("unknown color model: 4-component JPEG doesn't have Adobe APP14 metadata")
	}
	return nil
}

func (v *verifier) resetBits() {
	v.acc, v.n, v.fake, v.end, v.err, v.lim, v.skipOver = 0, 0, 0, false, nil, 0, false
}

// noFF reports whether none of the bytes of x is 0xff.
func noFF(x uint64) bool {
	return (^x-0x0101010101010101)&x&0x8080808080808080 == 0
}

// blocks verifies units units of unit's blocks.
func (v *verifier) blocks(units int, unit []vblock, eobRun *uint16) error {
	for range units {
		for bi := range unit {
			b := &unit[bi]
			if *eobRun > 0 {
				// After an EOBn: the DC coefficient only. The decoder does
				// not look for an overrun in such a block (see skipOver).
				over := v.n < v.fake
				if err := v.dcSlow(b.dc); err != nil {
					return err
				}
				if !over && v.n < v.fake {
					v.skipOver = true
				}
				*eobRun--
				continue
			}
			v.skipOver = false
			zig := uint(0)
			for {
				var x uint64
				// See blockFast: it needs n >= vWindow, x the 8 bytes from
				// pos when none is 0xff, else 0 and n >= 56. (The slow
				// path can leave n as low as 1.)
				if win := v.data[:v.lim]; uint(v.pos)+8 <= uint(len(win)) && v.n >= vWindow {
					x = binary.BigEndian.Uint64(win[v.pos : v.pos+8])
				} else {
					v.acc, v.n, v.pos = v.fill(v.acc, v.n, v.pos)
				}
				var next uint
				v.acc, v.n, v.pos, next = blockFast(b.dg, b.g, v.data[:v.lim], x, v.acc, v.n, v.pos, zig)
				if next >= blockSize {
					break
				}
				if next == zig {
					// No progress: the slow path's turn.
					var err error
					if zig == 0 {
						if err = v.dcSlow(b.dc); err != nil {
							return err
						}
						next = 1
					} else if next, err = v.acSlow(b.ac, zig, eobRun); err != nil {
						return err
					}
					if next >= blockSize {
						break
					}
				}
				zig = next
			}
		}
	}
	return nil
}

// blockFast verifies what it can of a block from position zig (0 for the
// DC coefficient) with the look-up tables, and returns the bit reader's
// state and the next position: blockSize or more when the block is done,
// zig itself when the slow path must decode the next symbol, else where it
// stopped for a refill near a 0xff byte.
//
// The bit reader is refilled at every look-up, without a branch: while the
// next 8 bytes x hold no 0xff, acc |= x>>n takes them to fill acc, of which
// the whole bytes, (63-n)/8 of them, count, making n 63-(63-n)%8, which is
// n|56; the bits of the partial byte after them are ORed in again,
// identically, by the next refill. The look-up uses the bits acc had
// before (there are at least vWindow), so that it does not wait for the
// refill: acc = (acc|x>>n) << l. The caller passes the first x, or 0 after
// a fill (n >= 56, where the refill does nothing).
//
//go:noinline
func blockFast(dg *dcGroups, g *acGroups, win []byte, x, acc uint64, n uint, pos int, zig uint) (uint64, uint, int, uint) {
	// The refill reads the 8 bytes at pos while pos <= last, without bounds
	// checks: they cost a fifth of the loop's instructions.
	last := len(win) - 8
	base := unsafe.Pointer(unsafe.SliceData(win))
	load := func(pos int) uint64 {
		return bits.ReverseBytes64(*(*uint64)(unsafe.Add(base, pos)))
	}
	if zig == 0 {
		e := uint(dg[acc>>(64-vDCWindow)])
		z := 1 + e>>groupAdvanceShift
		if z >= blockSize && !(e&groupEOB != 0 && z < 2*blockSize || e&groupEOB == 0 && z == blockSize) {
			return acc, n, pos, 0
		}
		acc = (acc | x>>(n&63)) << (e & groupBits)
		pos += int((63 - n) >> 3)
		n = (n | 56) - e&groupBits
		if z >= blockSize {
			return acc, n, pos, blockSize
		}
		zig = z
		if pos > last {
			return acc, n, pos, zig
		}
		x = load(pos)
	}
	for {
		e := uint(g[acc>>(64-vWindow)])
		z := zig + e>>groupAdvanceShift
		if z >= blockSize {
			if e&groupEOB != 0 && z < 2*blockSize || e&groupEOB == 0 && z == blockSize {
				// The block ends with these symbols.
				acc = (acc | x>>(n&63)) << (e & groupBits)
				pos += int((63 - n) >> 3)
				n = (n | 56) - e&groupBits
				return acc, n, pos, blockSize
			}
			return acc, n, pos, zig
		}
		acc = (acc | x>>(n&63)) << (e & groupBits)
		pos += int((63 - n) >> 3)
		n = (n | 56) - e&groupBits
		zig = z
		if pos > last {
			return acc, n, pos, zig
		}
		x = load(pos)
	}
}

// fill tops up acc so that n >= 56, much as the decoder's fillBits does,
// from v.data at pos; past the end of the segment it supplies zero bits,
// counted in v.fake. n stays at most 63 (see blocks).
func (v *verifier) fill(acc uint64, n uint, pos int) (uint64, uint, int) {
	data := v.data
	for !v.end && n < 56 {
		if pos+8 <= len(data) {
			if x := binary.BigEndian.Uint64(data[pos:]); noFF(x) {
				acc |= x >> n
				pos += int((63 - n) >> 3)
				n |= 56
				break
			}
		}
		if pos >= len(data) {
			v.end, v.err = true, errShortHuffmanData
			break
		}
		c := data[pos]
		if c == 0xff {
			if pos+1 >= len(data) {
				v.end, v.err = true, errShortHuffmanData
				break
			}
			if data[pos+1] != 0 {
				// A marker, left unread.
				v.end, v.err = true, errMissingFF00
				break
			}
			pos++
			v.stuffed++
		}
		pos++
		acc |= uint64(c) << (56 - n)
		n += 8
	}
	if n < 56 {
		v.fake += 63 - n
		n = 63
	}
	v.setLim(pos)
	return acc, n, pos
}

// setLim sets v.lim to the position of the next 0xff byte from pos on (or
// the end of the data): blocks reads 8 bytes at a time below it.
func (v *verifier) setLim(pos int) {
	if v.end {
		v.lim = 0
		return
	}
	if pos <= v.lim && v.lim > 0 {
		return // still the next one
	}
	v.lim = len(v.data)
	if i := bytes.IndexByte(v.data[pos:], 0xff); i >= 0 {
		v.lim = pos + i
	}
}

// symbol decodes the next Huffman code with h, as decodeHuffman does,
// returning its value; n must be at least 16.
func (v *verifier) symbol(h *huffman) (uint8, error) {
	e := h.lut[v.acc>>(64-lutBits)]
	val, l := uint8(e>>8), uint(e&0xff)
	if l == 0 {
		if val, l = h.decodeLong(v.acc); l == 0 {
			if v.n < v.fake+maxCodeLength {
				return 0, v.err
			}
			return 0, formatError("bad Huffman code")
		}
	}
	v.acc <<= l
	v.n -= l
	return val, nil
}

// skip drops the next s <= 16 bits.
func (v *verifier) skip(s uint) {
	if v.n < 16 {
		v.acc, v.n, v.pos = v.fill(v.acc, v.n, v.pos)
	}
	v.acc <<= s
	v.n -= s
}

// dcSlow verifies a DC code that the look-up table does not have.
func (v *verifier) dcSlow(h *huffman) error {
	if v.n < 32 {
		v.acc, v.n, v.pos = v.fill(v.acc, v.n, v.pos)
	}
	s, err := v.symbol(h)
	if err != nil {
		return err
	}
	if s > 16 {
		return unsupportedError("excessive DC component")
	}
	v.skip(uint(s))
	return nil
}

// acSlow verifies one AC symbol at position zig, as decodeBlock does, and
// returns the next position, or blockSize when the block is done.
func (v *verifier) acSlow(h *huffman, zig uint, eobRun *uint16) (uint, error) {
	if v.n < 32 {
		v.acc, v.n, v.pos = v.fill(v.acc, v.n, v.pos)
	}
	val, err := v.symbol(h)
	if err != nil {
		return 0, err
	}
	run, size := uint(val>>4), uint(val&0x0f)
	switch {
	case size != 0:
		if zig += run; zig >= blockSize {
			return 0, errIndexPast63
		}
		v.skip(size)
		return zig + 1, nil
	case run == 0x0f:
		if zig += 0x10; zig > blockSize {
			return 0, errIndexPast63
		}
		return zig, nil
	}
	// EOB, or EOBn (which only progressive scans should have).
	eob := uint16(1) << run
	if run != 0 {
		eob |= uint16(v.acc >> (64 - run))
		v.skip(run)
	}
	*eobRun = eob - 1
	if run != 0 {
		v.eobn++
	}
	return blockSize, nil
}

// restart reads the restart marker that must follow a restart interval,
// skipping what the decoder's findRST skips.
func (v *verifier) restart(expected uint8) error {
	data, pos := v.data, v.pos
	if pos+2 > len(data) {
		return io.ErrUnexpectedEOF
	}
	t0, t1 := data[pos], data[pos+1]
	pos += 2
	for t0 != 0xff || t1 != expected {
		switch {
		case t0 == 0xff && t1 == 0xff:
		case t0 == 0xff && t1 != 0:
			return formatError("bad RST marker")
		case t0 != 0xff && t1 == 0xff:
			t0 = 0xff
		default:
			if pos+2 > len(data) {
				return io.ErrUnexpectedEOF
			}
			t0, t1 = data[pos], data[pos+1]
			pos += 2
			continue
		}
		if pos >= len(data) {
			return io.ErrUnexpectedEOF
		}
		t1 = data[pos]
		pos++
	}
	v.pos = pos
	v.resetBits()
	return nil
}
