package heif

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/imgprep/imgprep/codecs"
)

// File is a parsed HEIF file.
type File struct {
	p *parser
	m *meta
	// Major and Brands are the ftyp major brand and compatible brands.
	Major  string
	Brands []string
	// Primary is the image to decode; Images counts the top-level images
	// (not thumbnails, auxiliary images, tiles or hidden items), the
	// primary included; Thumbnails the thumbnails of the primary.
	Primary    *Image
	Images     int
	Thumbnails int
	// Layout is the primary image's orientation and clean aperture.
	Layout Layout
}

// Image is a coded image item (hvc1, av01) or a grid of them, with what
// the decoder needs to know about it.
type Image struct {
	Item *Item
	// Width and Height are the ispe extents: the coded size of a coded
	// item, the output size of a grid.
	Width, Height int
	// Bits is the luma bit depth (pixi, else the codec configuration).
	Bits int
	// Mono: a monochrome image (an alpha plane, a grey picture).
	Mono bool
	// Config is the hvcC or av1C payload (for a grid: its first tile's).
	Config []byte
	HEVC   *HEVCConfig // parsed hvcC, for hvc1 items and tiles
	AV1    *AV1Config  // parsed av1C, for av01 items and tiles
	NCLX   *NCLX
	ICC    bool
	// Transforms are clap, irot and imir in order (the primary only).
	Transforms []Transform
	// Grid is set for a grid item.
	Grid *Grid
	// Alpha is the primary's alpha plane, if any; Premultiplied when the
	// colour is premultiplied by it (a prem reference).
	Alpha         *Image
	Premultiplied bool
}

// Grid is an image grid derivation: Rows x Cols tiles of TileW x TileH
// (all the same size) placed left to right, top to bottom, the result
// cut to the grid image's Width x Height.
type Grid struct {
	Rows, Cols   int
	TileW, TileH int
	Tiles        []*Image
}

// Parse reads the header boxes of an HEIF file (format f is HEIC or AVIF,
// for messages and the codec the primary image must use) and resolves the
// primary image. It checks that every extent the primary image needs lies
// within data, so that a cut file is ErrTruncated here, before decoding.
func Parse(data []byte, f codecs.Format) (file *File, err error) {
	p := &parser{f: f, data: data}
	defer func() {
		if r := recover(); r != nil {
			file, err = nil, p.errf(codecs.ErrCorrupt, "header parser panic: %v", r)
		}
	}()
	top, berr := p.boxes(data, true)
	file = &File{p: p}
	var metaBox *box
	sequence := false
	for i := range top {
		switch top[i].typ {
		case "ftyp":
			rd := reader{b: top[i].payload}
			file.Major = rd.fourCC()
			rd.u32()
			for len(rd.b) >= 4 {
				file.Brands = append(file.Brands, rd.fourCC())
			}
		case "meta":
			if metaBox == nil {
				metaBox = &top[i]
			}
		case "moov":
			sequence = true
		}
	}
	if metaBox == nil {
		if berr != nil {
			return nil, berr
		}
		if sequence {
			return nil, p.errf(codecs.ErrUnsupported, "an image sequence without a still image (no meta box)")
		}
		return nil, p.errf(codecs.ErrCorrupt, "no meta box")
	}
	if berr != nil && metaBox == &top[len(top)-1] {
		return nil, berr // the meta box itself is cut
	}
	m, err := p.parseMeta(*metaBox)
	if err != nil {
		return nil, err
	}
	file.m = m
	if err := file.resolve(); err != nil {
		return nil, err
	}
	if berr != nil {
		// A box after meta is cut (usually mdat). The extents were checked
		// against the file; if they fit, the data the primary needs is all
		// there, but the file is still damaged.
		return nil, berr
	}
	return file, nil
}

// codec returns the coded item type for the file's format.
func (p *parser) codec() string {
	if p.f == codecs.AVIF {
		return "av01"
	}
	return "hvc1"
}

func (f *File) resolve() error {
	p, m := f.p, f.m
	if m.primary == 0 && len(m.order) > 0 {
		return p.errf(codecs.ErrCorrupt, "no primary item (pitm)")
	}
	prim := m.items[m.primary]
	if prim == nil {
		return p.errf(codecs.ErrCorrupt, "primary item %d is not declared", m.primary)
	}
	// Roles of the items, from the references.
	tile, thumbOf, auxOf := map[uint32]bool{}, map[uint32]bool{}, map[uint32]bool{}
	for _, id := range m.order {
		it := m.items[id]
		for _, t := range it.Refs["dimg"] {
			tile[t] = true
		}
		if len(it.Refs["thmb"]) > 0 {
			thumbOf[id] = true
			for _, t := range it.Refs["thmb"] {
				if t == m.primary {
					f.Thumbnails++
				}
			}
		}
		if len(it.Refs["auxl"]) > 0 {
			auxOf[id] = true
		}
	}
	for _, id := range m.order {
		it := m.items[id]
		if isImageType(it.Type) && !it.Hidden && !tile[id] && !thumbOf[id] && !auxOf[id] {
			f.Images++
		}
	}
	img, err := f.image(prim, true)
	if err != nil {
		return err
	}
	if img.Transforms, err = p.transforms(prim); err != nil {
		return err
	}
	// The alpha plane: an auxiliary image referring to the primary.
	for _, id := range m.order {
		it := m.items[id]
		if !refersTo(it.Refs["auxl"], prim.ID) || !isAlphaURN(p.auxType(it)) {
			continue
		}
		a, err := f.image(it, false)
		if err != nil {
			return fmt.Errorf("alpha plane: %w", err)
		}
		if a.Width != img.Width || a.Height != img.Height {
			return p.errf(codecs.ErrUnsupported, "alpha plane %dx%d differs from the image's %dx%d", a.Width, a.Height, img.Width, img.Height)
		}
		img.Alpha = a
		img.Premultiplied = refersTo(prim.Refs["prem"], it.ID)
		break
	}
	f.Primary = img
	if f.Layout, err = img.Layout(); err != nil {
		return p.errf(codecs.ErrCorrupt, "%v", err)
	}
	if f.Images == 0 {
		f.Images = 1 // the primary may be hidden in odd files
	}
	return nil
}

func isImageType(t string) bool {
	switch t {
	case "hvc1", "av01", "grid", "iden", "iovl", "jpeg", "j2k1", "unci", "hvt1":
		return true
	}
	return false
}

func isAlphaURN(urn string) bool {
	return urn == "urn:mpeg:hevc:2015:auxid:1" || urn == "urn:mpeg:mpegB:cicp:systems:auxiliary:alpha"
}

func refersTo(ids []uint32, id uint32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// image resolves a coded item or a grid of coded items.
func (f *File) image(it *Item, primary bool) (*Image, error) {
	p := f.p
	if err := p.checkEssential(it); err != nil {
		return nil, err
	}
	img := &Image{Item: it}
	w, h, ok, err := p.ispe(it)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, p.errf(codecs.ErrCorrupt, "item %d (%s) has no ispe property", it.ID, it.Type)
	}
	if w <= 0 || h <= 0 || w > 1<<20 || h > 1<<20 {
		return nil, p.errf(codecs.ErrCorrupt, "item %d declares %dx%d pixels", it.ID, w, h)
	}
	img.Width, img.Height = w, h
	if img.NCLX, img.ICC, err = p.colr(it); err != nil {
		return nil, err
	}
	switch it.Type {
	case p.codec():
		if err := f.coded(img); err != nil {
			return nil, err
		}
	case "grid":
		if err := f.grid(img); err != nil {
			return nil, err
		}
	case "hvc1", "av01":
		return nil, p.errf(codecs.ErrUnsupported, "a %s file whose image is coded as %s", p.f, it.Type)
	default:
		what := "image item type " + strings.TrimSpace(it.Type)
		if !primary {
			what = "auxiliary " + what
		}
		return nil, p.errf(codecs.ErrUnsupported, "%s (only %s and grid are read)", what, p.codec())
	}
	bits, err := p.pixi(it)
	if err != nil {
		return nil, err
	}
	if len(bits) > 0 && bits[0] > 0 {
		img.Bits = bits[0]
	}
	if img.Bits > 16 {
		return nil, p.errf(codecs.ErrUnsupported, "%d bits per sample", img.Bits)
	}
	return img, nil
}

// coded fills in a coded item's codec configuration and checks its data.
func (f *File) coded(img *Image) error {
	p, it := f.p, img.Item
	switch it.Type {
	case "hvc1":
		pr, ok := p.prop(it, "hvcC")
		if !ok {
			return p.errf(codecs.ErrCorrupt, "item %d has no hvcC property", it.ID)
		}
		c, err := ParseHEVCConfig(pr.Payload)
		if err != nil {
			return p.errf(codecs.ErrCorrupt, "item %d: %v", it.ID, err)
		}
		// The decoder allocates what the SPS says: hold it to the ispe
		// that the pixel limit was checked against (MIAF allows the coded
		// size to be larger by less than one coding block).
		if c.HasSPS && (c.CodedWidth > img.Width+64 || c.CodedHeight > img.Height+64) {
			return p.errf(codecs.ErrCorrupt, "item %d codes %dx%d pixels for a %dx%d image",
				it.ID, c.CodedWidth, c.CodedHeight, img.Width, img.Height)
		}
		img.Config, img.HEVC = pr.Payload, &c
		img.Bits, img.Mono = c.BitDepthLuma, c.ChromaFormat == 0
	case "av01":
		pr, ok := p.prop(it, "av1C")
		if !ok {
			return p.errf(codecs.ErrCorrupt, "item %d has no av1C property", it.ID)
		}
		c, err := ParseAV1Config(pr.Payload)
		if err != nil {
			return p.errf(codecs.ErrCorrupt, "item %d: %v", it.ID, err)
		}
		img.Config, img.AV1 = pr.Payload, &c
		img.Bits, img.Mono = c.BitDepth, c.Mono
	}
	n, err := f.DataLen(it)
	if err != nil {
		return err
	}
	if n == 0 {
		return p.errf(codecs.ErrCorrupt, "item %d has no data", it.ID)
	}
	return nil
}

// maxTiles bounds a grid: 256 x 256 tiles.
const maxTiles = 256 * 256

func (f *File) grid(img *Image) error {
	p, it := f.p, img.Item
	b, err := f.Data(it, 64)
	if err != nil {
		return err
	}
	if len(b) < 8 {
		return p.errf(codecs.ErrCorrupt, "grid item %d: descriptor too short", it.ID)
	}
	g := &Grid{Rows: int(b[2]) + 1, Cols: int(b[3]) + 1}
	var ow, oh int
	if b[1]&1 != 0 {
		if len(b) < 12 {
			return p.errf(codecs.ErrCorrupt, "grid item %d: descriptor too short", it.ID)
		}
		ow, oh = int(binary.BigEndian.Uint32(b[4:])), int(binary.BigEndian.Uint32(b[8:]))
	} else {
		ow, oh = int(binary.BigEndian.Uint16(b[4:])), int(binary.BigEndian.Uint16(b[6:]))
	}
	if ow != img.Width || oh != img.Height {
		return p.errf(codecs.ErrCorrupt, "grid item %d: output %dx%d but ispe %dx%d", it.ID, ow, oh, img.Width, img.Height)
	}
	ids := it.Refs["dimg"]
	if len(ids) != g.Rows*g.Cols {
		return p.errf(codecs.ErrCorrupt, "grid item %d: %dx%d grid with %d tiles", it.ID, g.Cols, g.Rows, len(ids))
	}
	for i, id := range ids {
		t := f.m.items[id]
		if t == nil {
			return p.errf(codecs.ErrCorrupt, "grid item %d: tile %d is not declared", it.ID, id)
		}
		if t.Type != p.codec() {
			return p.errf(codecs.ErrUnsupported, "grid item %d: tile %d is %q, not %s", it.ID, id, t.Type, p.codec())
		}
		ti, err := f.image(t, false)
		if err != nil {
			return err
		}
		if i == 0 {
			g.TileW, g.TileH = ti.Width, ti.Height
			img.Config, img.HEVC, img.AV1, img.Bits, img.Mono = ti.Config, ti.HEVC, ti.AV1, ti.Bits, ti.Mono
			if img.NCLX == nil {
				img.NCLX = ti.NCLX
			}
			img.ICC = img.ICC || ti.ICC
			// Tiles must cover the output, and each row and column of
			// tiles must reach into it: that bounds the decoded pixels
			// by the output's and one tile's.
			if g.Cols*g.TileW < ow || g.Rows*g.TileH < oh ||
				(g.Cols-1)*g.TileW >= ow || (g.Rows-1)*g.TileH >= oh {
				return p.errf(codecs.ErrCorrupt, "grid item %d: %dx%d tiles of %dx%d do not fit a %dx%d image",
					it.ID, g.Cols, g.Rows, g.TileW, g.TileH, ow, oh)
			}
		} else if ti.Width != g.TileW || ti.Height != g.TileH {
			return p.errf(codecs.ErrCorrupt, "grid item %d: tile %d is %dx%d, tile 1 %dx%d", it.ID, i+1, ti.Width, ti.Height, g.TileW, g.TileH)
		} else if ti.Mono != img.Mono || ti.Bits != img.Bits {
			return p.errf(codecs.ErrUnsupported, "grid item %d: tiles of different formats", it.ID)
		}
		g.Tiles = append(g.Tiles, ti)
	}
	img.Grid = g
	return nil
}
