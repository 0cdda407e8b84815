package heif

import (
	"github.com/imgprep/imgprep/codecs"
)

// Item is one entry of the meta box's item information (iinf), with its
// location (iloc), properties (ipma) and references (iref).
type Item struct {
	ID     uint32
	Type   string // "hvc1", "av01", "grid", "iden", "iovl", "Exif", "mime", ...
	Hidden bool   // infe flags bit 0
	// Props are the associated properties in ipma order; Essential
	// parallels it.
	Props     []Property
	Essential []bool
	// Refs maps a reference type (dimg, thmb, auxl, cdsc, prem, ...) to
	// the items this one refers to, in order.
	Refs map[string][]uint32

	method  int // iloc construction method: 0 file offset, 1 idat
	extents []extent
	located bool
}

type extent struct{ off, n uint64 }

// Property is one ipco entry: its box type and payload (version and flags
// included for full boxes), parsed on demand by the accessors in props.go.
type Property struct {
	Type    string
	Payload []byte
}

// meta is the parsed meta box.
type meta struct {
	handler string
	primary uint32
	items   map[uint32]*Item
	order   []uint32 // iinf order
	idat    []byte
}

// maxItems bounds the number of items and properties a file may declare:
// a 200-megapixel camera grid has a few thousand tiles.
const maxItems = 1 << 16

func (p *parser) parseMeta(bx box) (*meta, error) {
	_, _, rest, err := p.fullBox(bx)
	if err != nil {
		return nil, err
	}
	children, err := p.boxes(rest, false)
	if err != nil {
		return nil, err
	}
	m := &meta{items: map[uint32]*Item{}}
	var iloc, iref, iprp *box
	for i := range children {
		c := &children[i]
		switch c.typ {
		case "hdlr":
			_, _, r, err := p.fullBox(*c)
			if err != nil || len(r) < 8 {
				return nil, p.errf(codecs.ErrCorrupt, "hdlr box too short")
			}
			m.handler = string(r[4:8])
		case "pitm":
			v, _, r, err := p.fullBox(*c)
			if err != nil {
				return nil, err
			}
			rd := reader{b: r}
			if v == 0 {
				m.primary = rd.u16()
			} else {
				m.primary = rd.u32()
			}
			if rd.bad {
				return nil, p.errf(codecs.ErrCorrupt, "pitm box too short")
			}
		case "iinf":
			if err := p.parseIinf(*c, m); err != nil {
				return nil, err
			}
		case "iloc":
			iloc = c
		case "iref":
			iref = c
		case "iprp":
			iprp = c
		case "idat":
			m.idat = c.payload
		}
	}
	if m.handler != "pict" {
		return nil, p.errf(codecs.ErrUnsupported, "meta handler %q is not 'pict'", m.handler)
	}
	if iloc != nil {
		if err := p.parseIloc(*iloc, m); err != nil {
			return nil, err
		}
	}
	if iref != nil {
		if err := p.parseIref(*iref, m); err != nil {
			return nil, err
		}
	}
	if iprp != nil {
		if err := p.parseIprp(*iprp, m); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (p *parser) parseIinf(bx box, m *meta) error {
	v, _, r, err := p.fullBox(bx)
	if err != nil {
		return err
	}
	skip := 2
	if v != 0 {
		skip = 4
	}
	if len(r) < skip {
		return p.errf(codecs.ErrCorrupt, "iinf box too short")
	}
	entries, err := p.boxes(r[skip:], false)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.typ != "infe" {
			continue
		}
		ev, flags, er, err := p.fullBox(e)
		if err != nil {
			return err
		}
		if ev < 2 {
			continue // version 0/1 entries name no item type: not images
		}
		rd := reader{b: er}
		var id uint32
		if ev == 2 {
			id = rd.u16()
		} else {
			id = rd.u32()
		}
		rd.u16() // item_protection_index
		typ := rd.fourCC()
		if rd.bad {
			return p.errf(codecs.ErrCorrupt, "infe box too short")
		}
		if _, dup := m.items[id]; dup {
			return p.errf(codecs.ErrCorrupt, "item %d declared twice", id)
		}
		if len(m.items) >= maxItems {
			return p.errf(codecs.ErrCorrupt, "more than %d items", maxItems)
		}
		m.items[id] = &Item{ID: id, Type: typ, Hidden: flags&1 != 0, Refs: map[string][]uint32{}}
		m.order = append(m.order, id)
	}
	return nil
}

func (p *parser) parseIloc(bx box, m *meta) error {
	v, _, r, err := p.fullBox(bx)
	if err != nil {
		return err
	}
	if v > 2 {
		return p.errf(codecs.ErrUnsupported, "iloc version %d", v)
	}
	rd := reader{b: r}
	a, b := rd.u8(), rd.u8()
	offSize, lenSize, baseSize := int(a>>4), int(a&15), int(b>>4)
	idxSize := 0
	if v > 0 {
		idxSize = int(b & 15)
	}
	var count uint32
	if v < 2 {
		count = rd.u16()
	} else {
		count = rd.u32()
	}
	for range count {
		var id uint32
		if v < 2 {
			id = rd.u16()
		} else {
			id = rd.u32()
		}
		method := 0
		if v > 0 {
			method = int(rd.u16() & 15)
		}
		rd.u16() // data_reference_index
		base := rd.uN(baseSize)
		n := rd.u16()
		if rd.bad {
			break
		}
		it := m.items[id]
		var exts []extent
		for range n {
			rd.uN(idxSize)
			off, l := rd.uN(offSize), rd.uN(lenSize)
			if rd.bad {
				break
			}
			if base+off < base {
				return p.errf(codecs.ErrCorrupt, "item %d extent offset overflows", id)
			}
			exts = append(exts, extent{base + off, l})
		}
		if it != nil {
			it.method, it.extents, it.located = method, exts, true
		}
	}
	if rd.bad {
		return p.errf(codecs.ErrCorrupt, "iloc box too short")
	}
	return nil
}

func (p *parser) parseIref(bx box, m *meta) error {
	v, _, r, err := p.fullBox(bx)
	if err != nil {
		return err
	}
	refs, err := p.boxes(r, false)
	if err != nil {
		return err
	}
	total := 0
	for _, ref := range refs {
		rd := reader{b: ref.payload}
		for len(rd.b) > 0 && !rd.bad {
			var from uint32
			if v == 0 {
				from = rd.u16()
			} else {
				from = rd.u32()
			}
			n := int(rd.u16())
			to := make([]uint32, 0, min(n, 64))
			for range n {
				if v == 0 {
					to = append(to, rd.u16())
				} else {
					to = append(to, rd.u32())
				}
			}
			if rd.bad {
				return p.errf(codecs.ErrCorrupt, "iref %q box too short", ref.typ)
			}
			if total += n; total > 4*maxItems {
				return p.errf(codecs.ErrCorrupt, "more than %d references", 4*maxItems)
			}
			if it := m.items[from]; it != nil {
				it.Refs[ref.typ] = append(it.Refs[ref.typ], to...)
			}
		}
	}
	return nil
}

func (p *parser) parseIprp(bx box, m *meta) error {
	children, err := p.boxes(bx.payload, false)
	if err != nil {
		return err
	}
	var props []Property
	for _, c := range children {
		if c.typ != "ipco" {
			continue
		}
		pb, err := p.boxes(c.payload, false)
		if err != nil {
			return err
		}
		if len(pb) > maxItems {
			return p.errf(codecs.ErrCorrupt, "more than %d properties", maxItems)
		}
		for _, b := range pb {
			props = append(props, Property{Type: b.typ, Payload: b.payload})
		}
	}
	seen := map[uint32]bool{}
	for _, c := range children {
		if c.typ != "ipma" {
			continue
		}
		v, flags, r, err := p.fullBox(c)
		if err != nil {
			return err
		}
		rd := reader{b: r}
		n := rd.u32()
		for i := uint32(0); i < n && !rd.bad; i++ {
			var id uint32
			if v < 1 {
				id = rd.u16()
			} else {
				id = rd.u32()
			}
			k := int(rd.u8())
			it := m.items[id]
			if it != nil && seen[id] {
				return p.errf(codecs.ErrCorrupt, "item %d has two ipma entries", id)
			}
			seen[id] = true
			for range k {
				var idx int
				var ess bool
				if flags&1 != 0 {
					x := rd.u16()
					ess, idx = x&0x8000 != 0, int(x&0x7fff)
				} else {
					x := rd.u8()
					ess, idx = x&0x80 != 0, int(x&0x7f)
				}
				if rd.bad || it == nil || idx == 0 {
					continue // index 0: no property
				}
				if idx > len(props) {
					return p.errf(codecs.ErrCorrupt, "item %d refers to property %d of %d", id, idx, len(props))
				}
				it.Props = append(it.Props, props[idx-1])
				it.Essential = append(it.Essential, ess)
			}
		}
		if rd.bad {
			return p.errf(codecs.ErrCorrupt, "ipma box too short")
		}
	}
	return nil
}

// Data returns the item's bytes: its extents concatenated, from the file
// (construction method 0) or the idat box (1). An extent that runs past
// the end of the file is ErrTruncated; one past the idat box, ErrCorrupt.
// limit bounds the total length (0: no bound).
func (f *File) Data(it *Item, limit int) ([]byte, error) {
	total, err := f.DataLen(it)
	if err != nil {
		return nil, err
	}
	if limit > 0 && total > limit {
		return nil, f.p.errf(codecs.ErrCorrupt, "item %d is %d bytes, above %d", it.ID, total, limit)
	}
	src := f.source(it)
	if len(it.extents) == 1 {
		off, end := f.span(src, it.extents[0])
		return src[off:end:end], nil
	}
	out := make([]byte, 0, total)
	for _, e := range it.extents {
		off, end := f.span(src, e)
		out = append(out, src[off:end]...)
	}
	return out, nil
}

// DataLen is the item's total length, with Data's checks.
func (f *File) DataLen(it *Item) (int, error) {
	p := f.p
	if !it.located {
		return 0, p.errf(codecs.ErrCorrupt, "item %d (%s) has no location", it.ID, it.Type)
	}
	kind := codecs.ErrTruncated
	switch it.method {
	case 0:
	case 1:
		kind = codecs.ErrCorrupt
	default:
		return 0, p.errf(codecs.ErrUnsupported, "item %d uses iloc construction method %d", it.ID, it.method)
	}
	src := f.source(it)
	var total uint64
	for _, e := range it.extents {
		if e.off > uint64(len(src)) || (e.n != 0 && e.n > uint64(len(src))-e.off) {
			return 0, p.errf(kind, "item %d (%s) needs bytes %d-%d of %d: the file is cut short",
				it.ID, it.Type, e.off, e.off+e.n, len(src))
		}
		off, end := f.span(src, e)
		total += uint64(end - off)
	}
	// Overlapping extents could otherwise make a small file expand into
	// gigabytes.
	if total > uint64(len(src)) {
		return 0, p.errf(codecs.ErrCorrupt, "item %d has %d bytes of extents in %d bytes of data", it.ID, total, len(src))
	}
	return int(total), nil
}

func (f *File) source(it *Item) []byte {
	if it.method == 1 {
		return f.m.idat
	}
	return f.p.data
}

// span returns the checked byte range of e in src (length 0: to the end).
func (f *File) span(src []byte, e extent) (int, int) {
	if e.n == 0 {
		return int(e.off), len(src)
	}
	return int(e.off), int(e.off + e.n)
}
