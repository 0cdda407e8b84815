package heif

import (
	"fmt"

	"github.com/imgprep/imgprep/codecs"
)

// Standalone returns a minimal HEIC file holding coded item img alone: its
// hvcC and ispe and its data, as the primary image, with no transforms,
// colour, alpha or other items. The HEIC decoder hands these to libheif
// one tile (or plane) at a time, so that libheif's file handling (brand
// checks, grid assembly, transforms, colour conversion, alpha) is out of
// the way and only its HEVC decoding is used.
//
// With monoAs420, a monochrome item's hvcC claims 4:2:0: the WebAssembly
// build of libheif fails on monochrome HEVC (it asks itself for YCbCr with
// monochrome chroma), but decodes it when told 4:2:0 and adds neutral
// chroma planes, which the caller drops.
func (f *File) Standalone(img *Image, monoAs420 bool) ([]byte, error) {
	if img.Item.Type != "hvc1" || img.Config == nil {
		return nil, f.p.errf(codecs.ErrUnsupported, "item %d is not an HEVC-coded image", img.Item.ID)
	}
	data, err := f.Data(img.Item, 0)
	if err != nil {
		return nil, err
	}
	cfg := img.Config
	if monoAs420 && img.Mono && len(cfg) > 16 {
		cfg = append([]byte(nil), cfg...)
		cfg[16] = cfg[16]&^3 | 1 // chroma_format_idc
	}
	bd := Builder{Major: "heic", Brands: []string{"mif1", "heic"}, Primary: 1, Items: []BuildItem{{
		ID: 1, Type: "hvc1", Data: data,
		Props:     []Property{{Type: "hvcC", Payload: cfg}, ISPE(img.Width, img.Height)},
		Essential: []bool{true, false},
	}}}
	return bd.Bytes(), nil
}

// Tile is one coded image to place in a grid made by AssembleGrid.
type Tile struct {
	Config []byte // hvcC or av1C payload
	Data   []byte
	W, H   int
}

// CodedItem returns the primary coded item of a single-image file (as an
// encoder writes it) for AssembleGrid: its configuration and data.
func CodedItem(data []byte, f codecs.Format) (Tile, error) {
	file, err := Parse(data, f)
	if err != nil {
		return Tile{}, err
	}
	img := file.Primary
	if img.Grid != nil {
		return Tile{}, fmt.Errorf("heif: the primary image is already a grid")
	}
	b, err := file.Data(img.Item, 0)
	if err != nil {
		return Tile{}, err
	}
	return Tile{Config: img.Config, Data: b, W: img.Width, H: img.Height}, nil
}

// AssembleGrid writes a file whose primary image is a rows x cols grid of
// tiles (all the same size, left to right, top to bottom), cut to w x h,
// as cameras write large images. Extra properties (colr, irot, ...) go on
// the grid item in order.
func AssembleGrid(f codecs.Format, rows, cols, w, h int, tiles []Tile, extra ...Property) []byte {
	codec, cfg, brands := "hvc1", "hvcC", []string{"mif1", "heic"}
	major := "heic"
	if f == codecs.AVIF {
		codec, cfg, brands, major = "av01", "av1C", []string{"mif1", "avif", "miaf"}, "avif"
	}
	const gridID = 1
	ids := make([]uint32, len(tiles))
	items := []BuildItem{{ID: gridID, Type: "grid", Data: GridData(rows, cols, w, h),
		Props: append([]Property{ISPE(w, h)}, extra...)}}
	for i, t := range tiles {
		ids[i] = uint32(i + 2)
		items = append(items, BuildItem{ID: ids[i], Type: codec, Hidden: true, Data: t.Data,
			Props:     []Property{{Type: cfg, Payload: t.Config}, ISPE(t.W, t.H)},
			Essential: []bool{true, false}})
	}
	items[0].Refs = []Ref{{Type: "dimg", To: ids}}
	for i := range items[0].Props {
		items[0].Essential = append(items[0].Essential, items[0].Props[i].Type != "ispe")
	}
	bd := Builder{Major: major, Brands: brands, Primary: gridID, Items: items}
	return bd.Bytes()
}

// WithProps returns a single-image file (as an encoder writes it) with
// extra properties (irot, imir, clap, colr) added to its primary item,
// for test files that the encoders cannot make. Other items (thumbnails,
// alpha, Exif) are dropped.
func WithProps(data []byte, f codecs.Format, extra ...Property) ([]byte, error) {
	t, err := CodedItem(data, f)
	if err != nil {
		return nil, err
	}
	codec, cfg, brands, major := "hvc1", "hvcC", []string{"mif1", "heic"}, "heic"
	if f == codecs.AVIF {
		codec, cfg, brands, major = "av01", "av1C", []string{"mif1", "avif", "miaf"}, "avif"
	}
	props := append([]Property{{Type: cfg, Payload: t.Config}, ISPE(t.W, t.H)}, extra...)
	ess := make([]bool, len(props))
	for i, p := range props {
		ess[i] = p.Type != "ispe" && p.Type != "colr"
	}
	bd := Builder{Major: major, Brands: brands, Primary: 1, Items: []BuildItem{{
		ID: 1, Type: codec, Data: t.Data, Props: props, Essential: ess}}}
	return bd.Bytes(), nil
}
