package heif

import (
	"encoding/binary"
	"fmt"

	"github.com/imgprep/imgprep/codecs"
)

// box is one ISOBMFF box: its type and its payload (after the header and,
// for a full box, before version and flags: see fullBox).
type box struct {
	typ     string
	payload []byte
	off     int // offset of the payload in the parent's data
}

// parser carries the format for error messages and the whole file for
// extent checks.
type parser struct {
	f    codecs.Format
	data []byte
}

func (p *parser) errf(kind error, format string, a ...any) *codecs.FormatError {
	return &codecs.FormatError{Format: p.f, Kind: kind, Reason: fmt.Sprintf(format, a...)}
}

// boxes splits b into its child boxes. A box whose size runs past the end
// of b is an error: ErrTruncated when b ends where the file ends (atEOF),
// ErrCorrupt inside an enclosing box. The boxes before it, and what there
// is of it, are returned with the error.
func (p *parser) boxes(b []byte, atEOF bool) ([]box, error) {
	var out []box
	for off := 0; off < len(b); {
		if len(b)-off < 8 {
			if atEOF {
				return out, p.errf(codecs.ErrTruncated, "box header cut at offset %d", off)
			}
			return out, p.errf(codecs.ErrCorrupt, "%d stray bytes at the end of a box", len(b)-off)
		}
		size := uint64(binary.BigEndian.Uint32(b[off:]))
		typ := string(b[off+4 : off+8])
		hdr := 8
		switch size {
		case 0: // to the end of the enclosing data
			size = uint64(len(b) - off)
		case 1:
			if len(b)-off < 16 {
				return out, p.errf(codecs.ErrTruncated, "%q box header cut", typ)
			}
			size = binary.BigEndian.Uint64(b[off+8:])
			hdr = 16
		}
		if typ == "uuid" {
			hdr += 16
		}
		if size < uint64(hdr) {
			return out, p.errf(codecs.ErrCorrupt, "%q box size %d is smaller than its header", typ, size)
		}
		if size > uint64(len(b)-off) {
			kind := codecs.ErrCorrupt
			if atEOF {
				kind = codecs.ErrTruncated
			}
			// Keep what is there: a reader may still find meta before a
			// cut mdat, and report the truncation from the extents.
			out = append(out, box{typ: typ, payload: b[min(off+hdr, len(b)):], off: off + hdr})
			return out, p.errf(kind, "%q box of %d bytes at offset %d runs past the end (%d bytes)", typ, size, off, len(b))
		}
		out = append(out, box{typ: typ, payload: b[off+hdr : off+int(size)], off: off + hdr})
		off += int(size)
	}
	return out, nil
}

// fullBox splits a full box's payload into version, flags and the rest.
func (p *parser) fullBox(bx box) (version int, flags uint32, rest []byte, err error) {
	if len(bx.payload) < 4 {
		return 0, 0, nil, p.errf(codecs.ErrCorrupt, "%q box too short", bx.typ)
	}
	v := binary.BigEndian.Uint32(bx.payload)
	return int(v >> 24), v & 0xffffff, bx.payload[4:], nil
}

// reader is a bounds-checked big-endian cursor; the first read past the
// end sets bad and returns zeros.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) take(n int) []byte {
	if r.bad || n < 0 || n > len(r.b) {
		r.bad = true
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

func (r *reader) u8() uint32 {
	if s := r.take(1); s != nil {
		return uint32(s[0])
	}
	return 0
}

func (r *reader) u16() uint32 {
	if s := r.take(2); s != nil {
		return uint32(binary.BigEndian.Uint16(s))
	}
	return 0
}

func (r *reader) u32() uint32 {
	if s := r.take(4); s != nil {
		return binary.BigEndian.Uint32(s)
	}
	return 0
}

// uN reads an unsigned integer of n bytes (0, 2, 4 or 8; 0 reads nothing).
func (r *reader) uN(n int) uint64 {
	switch n {
	case 0:
		return 0
	case 1:
		return uint64(r.u8())
	case 2:
		return uint64(r.u16())
	case 4:
		return uint64(r.u32())
	case 8:
		if s := r.take(8); s != nil {
			return binary.BigEndian.Uint64(s)
		}
		return 0
	}
	r.bad = true
	return 0
}

func (r *reader) fourCC() string { return string(r.take(4)) }

// cstring reads a NUL-terminated string; a missing NUL takes the rest.
func (r *reader) cstring() string {
	for i, c := range r.b {
		if c == 0 {
			s := string(r.b[:i])
			r.b = r.b[i+1:]
			return s
		}
	}
	s := string(r.b)
	r.b = nil
	return s
}
