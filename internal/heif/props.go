package heif

import (
	"github.com/imgprep/imgprep/codecs"
)

// NCLX is a colr box of type nclx: the coding-independent code points of
// ITU-T H.273.
type NCLX struct {
	Primaries, Transfer, Matrix int
	FullRange                   bool
}

// Clap is a clean aperture: a width, height and centre offset, each a
// fraction.
type Clap struct {
	WN, WD, HN, HD uint32
	HOffN, HOffD   int32
	VOffN, VOffD   int32
}

// Transform is one transformative property of the primary image, in the
// order the reader must apply them.
type Transform struct {
	Kind string // "clap", "irot" or "imir"
	// Rot is irot's anti-clockwise rotation in quarter turns (0..3).
	Rot int
	// Axis is imir's: 0 mirrors top to bottom (about a horizontal axis),
	// 1 left to right, as libheif and libavif read it (ISO/IEC
	// 23008-12:2022's "mode").
	Axis int
	Clap Clap
}

// knownProps are the properties this reader understands or may safely
// ignore; an essential property outside this list makes the item
// unsupported, as ISO/IEC 23008-12 requires.
var knownProps = map[string]bool{
	"ispe": true, "pixi": true, "colr": true, "hvcC": true, "av1C": true,
	"irot": true, "imir": true, "clap": true, "auxC": true, "pasp": true,
	"lsel": true, "a1op": true, "a1lx": true, "rloc": true, "udes": true,
	"clli": true, "mdcv": true, "amve": true, "cclv": true, "rref": true,
}

func (p *parser) prop(it *Item, typ string) (Property, bool) {
	for _, pr := range it.Props {
		if pr.Type == typ {
			return pr, true
		}
	}
	return Property{}, false
}

// ispe returns the item's image spatial extents.
func (p *parser) ispe(it *Item) (w, h int, ok bool, err error) {
	pr, ok := p.prop(it, "ispe")
	if !ok {
		return 0, 0, false, nil
	}
	rd := reader{b: pr.Payload}
	rd.u32() // version, flags
	w, h = int(rd.u32()), int(rd.u32())
	if rd.bad {
		return 0, 0, false, p.errf(codecs.ErrCorrupt, "ispe box too short")
	}
	return w, h, true, nil
}

// pixi returns the bits per channel of the item's pixi property (nil when
// absent).
func (p *parser) pixi(it *Item) ([]int, error) {
	pr, ok := p.prop(it, "pixi")
	if !ok {
		return nil, nil
	}
	rd := reader{b: pr.Payload}
	rd.u32()
	n := int(rd.u8())
	bits := make([]int, 0, n)
	for range n {
		bits = append(bits, int(rd.u8()))
	}
	if rd.bad {
		return nil, p.errf(codecs.ErrCorrupt, "pixi box too short")
	}
	return bits, nil
}

// colr returns the item's nclx code points and whether it carries an ICC
// profile (colr boxes of type prof or rICC); an item may have one of each.
func (p *parser) colr(it *Item) (nclx *NCLX, icc bool, err error) {
	for _, pr := range it.Props {
		if pr.Type != "colr" {
			continue
		}
		rd := reader{b: pr.Payload}
		switch rd.fourCC() {
		case "nclx":
			n := NCLX{Primaries: int(rd.u16()), Transfer: int(rd.u16()), Matrix: int(rd.u16()), FullRange: rd.u8()&0x80 != 0}
			if rd.bad {
				return nil, false, p.errf(codecs.ErrCorrupt, "colr nclx box too short")
			}
			if nclx == nil {
				nclx = &n
			}
		case "prof", "rICC":
			icc = true
		}
	}
	return nclx, icc, nil
}

// auxType returns the URN of the item's auxC property ("" when absent).
func (p *parser) auxType(it *Item) string {
	pr, ok := p.prop(it, "auxC")
	if !ok {
		return ""
	}
	rd := reader{b: pr.Payload}
	rd.u32()
	return rd.cstring()
}

// transforms returns the item's clap, irot and imir properties in
// association order.
func (p *parser) transforms(it *Item) ([]Transform, error) {
	var ts []Transform
	for _, pr := range it.Props {
		rd := reader{b: pr.Payload}
		switch pr.Type {
		case "irot":
			ts = append(ts, Transform{Kind: "irot", Rot: int(rd.u8() & 3)})
		case "imir":
			ts = append(ts, Transform{Kind: "imir", Axis: int(rd.u8() & 1)})
		case "clap":
			c := Clap{WN: rd.u32(), WD: rd.u32(), HN: rd.u32(), HD: rd.u32(),
				HOffN: int32(rd.u32()), HOffD: int32(rd.u32()), VOffN: int32(rd.u32()), VOffD: int32(rd.u32())}
			if c.WD == 0 || c.HD == 0 || c.HOffD == 0 || c.VOffD == 0 {
				return nil, p.errf(codecs.ErrCorrupt, "clap box with a zero denominator")
			}
			ts = append(ts, Transform{Kind: "clap", Clap: c})
		default:
			continue
		}
		if rd.bad {
			return nil, p.errf(codecs.ErrCorrupt, "%s box too short", pr.Type)
		}
	}
	return ts, nil
}

// checkEssential rejects an item with an essential property this reader
// does not know.
func (p *parser) checkEssential(it *Item) error {
	for i, pr := range it.Props {
		if it.Essential[i] && !knownProps[pr.Type] {
			return p.errf(codecs.ErrUnsupported, "item %d has the essential property %q, which this reader does not know", it.ID, pr.Type)
		}
	}
	return nil
}
