package heif

import (
	"bytes"
	"encoding/binary"
)

// Builder writes an HEIF file: ftyp, a meta box describing Items, and one
// mdat with their data. It writes what it is given and checks nothing;
// it exists to make the single-item files the HEIC decoder hands to
// libheif and test files.
type Builder struct {
	Major  string
	Brands []string
	// Primary is the primary item's ID.
	Primary uint32
	Items   []BuildItem
}

// BuildItem is one item to write.
type BuildItem struct {
	ID     uint32
	Type   string
	Hidden bool
	// Props are written into ipco in order (identical payloads are not
	// shared) and associated in this order; Essential parallels it.
	Props     []Property
	Essential []bool
	// Refs are written into iref: type -> referenced items.
	Refs []Ref
	Data []byte
}

// Ref is one reference of an item.
type Ref struct {
	Type string
	To   []uint32
}

func appendBox(b []byte, typ string, payload ...[]byte) []byte {
	n := 8
	for _, p := range payload {
		n += len(p)
	}
	b = binary.BigEndian.AppendUint32(b, uint32(n))
	b = append(b, typ...)
	for _, p := range payload {
		b = append(b, p...)
	}
	return b
}

func fullHdr(version byte, flags uint32) []byte {
	return []byte{version, byte(flags >> 16), byte(flags >> 8), byte(flags)}
}

func u16(v uint32) []byte { return binary.BigEndian.AppendUint16(nil, uint16(v)) }
func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// Bytes lays the file out.
func (bd *Builder) Bytes() []byte {
	ftyp := []byte(bd.Major)
	ftyp = append(ftyp, 0, 0, 0, 0)
	for _, br := range bd.Brands {
		ftyp = append(ftyp, br...)
	}
	head := appendBox(nil, "ftyp", ftyp)
	// The meta box's size does not depend on the extent offsets (iloc
	// uses 4-byte fields), so lay it out once with zero offsets to learn
	// where mdat's payload starts.
	meta := bd.meta(0)
	start := uint32(len(head) + len(meta) + 8)
	meta = bd.meta(start)
	out := append(head, meta...)
	var mdat bytes.Buffer
	for _, it := range bd.Items {
		mdat.Write(it.Data)
	}
	return appendBox(out, "mdat", mdat.Bytes())
}

func (bd *Builder) meta(dataStart uint32) []byte {
	hdlr := appendBox(nil, "hdlr", fullHdr(0, 0), u32(0), []byte("pict"), make([]byte, 12), []byte{0})
	pitm := appendBox(nil, "pitm", fullHdr(0, 0), u16(bd.Primary))
	// iloc version 0: offset_size 4, length_size 4, base_offset_size 0.
	iloc := append(fullHdr(0, 0), 0x44, 0x00)
	iloc = append(iloc, u16(uint32(len(bd.Items)))...)
	off := dataStart
	for _, it := range bd.Items {
		iloc = append(iloc, u16(it.ID)...)
		iloc = append(iloc, u16(0)...) // data_reference_index
		iloc = append(iloc, u16(1)...) // extent_count
		iloc = append(iloc, u32(off)...)
		iloc = append(iloc, u32(uint32(len(it.Data)))...)
		off += uint32(len(it.Data))
	}
	iinf := append(fullHdr(0, 0), u16(uint32(len(bd.Items)))...)
	for _, it := range bd.Items {
		var flags uint32
		if it.Hidden {
			flags = 1
		}
		iinf = appendBox(iinf, "infe", fullHdr(2, flags), u16(it.ID), u16(0), []byte(it.Type), []byte{0})
	}
	var iref []byte
	for _, it := range bd.Items {
		for _, r := range it.Refs {
			p := append(u16(it.ID), u16(uint32(len(r.To)))...)
			for _, to := range r.To {
				p = append(p, u16(to)...)
			}
			iref = appendBox(iref, r.Type, p)
		}
	}
	var ipco []byte
	ipma := append(fullHdr(0, 1), u32(uint32(len(bd.Items)))...)
	idx := 0
	for _, it := range bd.Items {
		ipma = append(ipma, u16(it.ID)...)
		ipma = append(ipma, byte(len(it.Props)))
		for i, pr := range it.Props {
			ipco = appendBox(ipco, pr.Type, pr.Payload)
			idx++
			v := uint32(idx)
			if i < len(it.Essential) && it.Essential[i] {
				v |= 0x8000
			}
			ipma = append(ipma, u16(v)...)
		}
	}
	iprp := appendBox(nil, "iprp", appendBox(nil, "ipco", ipco), appendBox(nil, "ipma", ipma))
	parts := [][]byte{fullHdr(0, 0), hdlr, pitm, appendBox(nil, "iloc", iloc), appendBox(nil, "iinf", iinf)}
	if len(iref) > 0 {
		parts = append(parts, appendBox(nil, "iref", fullHdr(0, 0), iref))
	}
	parts = append(parts, iprp)
	return appendBox(nil, "meta", parts...)
}

// Property constructors for the writer.

// ISPE is an ispe property.
func ISPE(w, h int) Property {
	return Property{Type: "ispe", Payload: append(append(fullHdr(0, 0), u32(uint32(w))...), u32(uint32(h))...)}
}

// IROT is an irot property: rot anti-clockwise quarter turns.
func IROT(rot int) Property { return Property{Type: "irot", Payload: []byte{byte(rot & 3)}} }

// IMIR is an imir property (axis 0 top-bottom, 1 left-right).
func IMIR(axis int) Property { return Property{Type: "imir", Payload: []byte{byte(axis & 1)}} }

// CLAP is a clap property with whole-pixel width, height and offsets
// from the centre.
func CLAP(w, h, hoff, voff int) Property {
	var p []byte
	for _, v := range []int32{int32(w), 1, int32(h), 1, int32(hoff), 1, int32(voff), 1} {
		p = append(p, u32(uint32(v))...)
	}
	return Property{Type: "clap", Payload: p}
}

// NCLXProp is a colr nclx property.
func NCLXProp(n NCLX) Property {
	p := append([]byte("nclx"), u16(uint32(n.Primaries))...)
	p = append(p, u16(uint32(n.Transfer))...)
	p = append(p, u16(uint32(n.Matrix))...)
	var fr byte
	if n.FullRange {
		fr = 0x80
	}
	return Property{Type: "colr", Payload: append(p, fr)}
}

// Grid returns a grid item's data: rows x cols tiles, output w x h.
func GridData(rows, cols, w, h int) []byte {
	if w > 0xffff || h > 0xffff {
		return append(append([]byte{0, 1, byte(rows - 1), byte(cols - 1)}, u32(uint32(w))...), u32(uint32(h))...)
	}
	return append(append([]byte{0, 0, byte(rows - 1), byte(cols - 1)}, u16(uint32(w))...), u16(uint32(h))...)
}
