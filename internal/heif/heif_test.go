package heif_test

import (
	"errors"
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/heif"
	"github.com/imgprep/imgprep/internal/raster"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "heif", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseFixtures(t *testing.T) {
	for _, tc := range []struct {
		name         string
		typ          string
		w, h, bits   int
		alpha, mono  bool
		thumbs, grid int
		orientation  int
		crop         image.Rectangle
	}{
		{"heic-8bit.heic", "hvc1", 96, 64, 8, false, false, 0, 0, 1, image.Rect(0, 0, 96, 64)},
		{"heic-thumb.heic", "hvc1", 96, 64, 8, false, false, 1, 0, 1, image.Rect(0, 0, 96, 64)},
		{"heic-10bit.heic", "hvc1", 96, 64, 10, false, false, 0, 0, 1, image.Rect(0, 0, 96, 64)},
		{"heic-alpha.heic", "grid", 48, 64, 8, true, false, 0, 1, 1, image.Rect(0, 0, 48, 64)},
		{"heic-grid.heic", "grid", 120, 100, 8, false, false, 0, 4, 1, image.Rect(0, 0, 120, 100)},
		{"heic-irot1-imir1.heic", "hvc1", 96, 64, 8, false, false, 0, 0, 7, image.Rect(0, 0, 96, 64)},
		// clap 80x48 centred +2,-4 on the stored image, then irot 3.
		{"heic-clap-irot3.heic", "hvc1", 96, 64, 8, false, false, 0, 0, 6, image.Rect(10, 4, 90, 52)},
		{"avif-alpha.avif", "av01", 48, 64, 8, true, false, 0, 0, 1, image.Rect(0, 0, 48, 64)},
		{"avif-10bit.avif", "av01", 96, 64, 10, false, false, 0, 0, 1, image.Rect(0, 0, 96, 64)},
		{"avif-grid.avif", "grid", 128, 128, 8, false, false, 0, 4, 1, image.Rect(0, 0, 128, 128)},
		{"avif-irot1-imir0.avif", "av01", 96, 64, 8, false, false, 0, 0, 5, image.Rect(0, 0, 96, 64)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := fixture(t, tc.name)
			f, err := heif.Parse(b, codecs.Sniff(b))
			if err != nil {
				t.Fatal(err)
			}
			p := f.Primary
			tiles := 0
			if p.Grid != nil {
				tiles = len(p.Grid.Tiles)
			}
			if p.Item.Type != tc.typ || p.Width != tc.w || p.Height != tc.h || p.Bits != tc.bits ||
				(p.Alpha != nil) != tc.alpha || p.Mono != tc.mono || f.Thumbnails != tc.thumbs || tiles != tc.grid ||
				f.Images != 1 || f.Layout.Orientation != tc.orientation || f.Layout.Crop != tc.crop {
				t.Errorf("got %s %dx%d bits %d alpha %v mono %v thumbs %d tiles %d images %d layout %+v",
					p.Item.Type, p.Width, p.Height, p.Bits, p.Alpha != nil, p.Mono, f.Thumbnails, tiles, f.Images, f.Layout)
			}
		})
	}
}

func TestParseTruncated(t *testing.T) {
	for _, name := range []string{"heic-8bit.heic", "heic-grid.heic", "heic-alpha.heic", "avif-grid.avif"} {
		b := fixture(t, name)
		for _, n := range []int{len(b) - 1, len(b) / 2, 100, 30, 12} {
			_, err := heif.Parse(b[:n], codecs.Sniff(b))
			if !errors.Is(err, codecs.ErrTruncated) {
				t.Errorf("%s cut to %d bytes: err = %v, want ErrTruncated", name, n, err)
			}
		}
	}
}

// TestOrientation checks the EXIF orientation of every irot/imir pair
// against applying the two steps to pixels.
func TestOrientation(t *testing.T) {
	b := fixture(t, "heic-8bit.heic")
	src := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	for i := range src.Pix {
		src.Pix[i] = byte(i)
	}
	// irot r = r quarter turns anti-clockwise = EXIF 8 r times; imir 0 =
	// top-bottom = EXIF 4, imir 1 = left-right = EXIF 2.
	apply := func(img *image.NRGBA, rot, axis int) *image.NRGBA {
		for range rot {
			img = raster.Orient(img, 8)
		}
		if axis >= 0 {
			img = raster.Orient(img, []int{4, 2}[axis])
		}
		return img
	}
	for rot := range 4 {
		for axis := -1; axis <= 1; axis++ {
			props := []heif.Property{heif.IROT(rot)}
			if axis >= 0 {
				props = append(props, heif.IMIR(axis))
			}
			file, err := heif.WithProps(b, codecs.HEIC, props...)
			if err != nil {
				t.Fatal(err)
			}
			f, err := heif.Parse(file, codecs.HEIC)
			if err != nil {
				t.Fatal(err)
			}
			want := apply(src, rot, axis)
			got := raster.Orient(src, f.Layout.Orientation)
			if string(got.Pix) != string(want.Pix) || got.Rect != want.Rect {
				t.Errorf("irot %d imir %d: orientation %d does not do the same", rot, axis, f.Layout.Orientation)
			}
		}
	}
}

func TestEssentialUnknown(t *testing.T) {
	b := fixture(t, "heic-8bit.heic")
	bd := heif.Builder{Major: "heic", Brands: []string{"mif1"}, Primary: 1}
	tile, err := heif.CodedItem(b, codecs.HEIC)
	if err != nil {
		t.Fatal(err)
	}
	bd.Items = []heif.BuildItem{{ID: 1, Type: "hvc1", Data: tile.Data,
		Props:     []heif.Property{{Type: "hvcC", Payload: tile.Config}, heif.ISPE(96, 64), {Type: "zzzz", Payload: []byte{1}}},
		Essential: []bool{true, false, true}}}
	if _, err := heif.Parse(bd.Bytes(), codecs.HEIC); !errors.Is(err, codecs.ErrUnsupported) {
		t.Errorf("unknown essential property: err = %v, want ErrUnsupported", err)
	}
	bd.Items[0].Essential[2] = false
	if _, err := heif.Parse(bd.Bytes(), codecs.HEIC); err != nil {
		t.Errorf("unknown optional property: %v", err)
	}
}

// TestGridBounds: tiles that do not cover the output, or reach far past
// it, are corrupt (that bounds the decoded pixels by the declared ones).
func TestGridBounds(t *testing.T) {
	b := fixture(t, "heic-8bit.heic")
	tile, err := heif.CodedItem(b, codecs.HEIC)
	if err != nil {
		t.Fatal(err)
	}
	tiles := []heif.Tile{tile, tile}
	for _, tc := range []struct{ w, h int }{{200, 64}, {96, 64}, {192, 65}} {
		_, err := heif.Parse(heif.AssembleGrid(codecs.HEIC, 1, 2, tc.w, tc.h, tiles), codecs.HEIC)
		if !errors.Is(err, codecs.ErrCorrupt) {
			t.Errorf("1x2 tiles of 96x64 for %dx%d: err = %v, want ErrCorrupt", tc.w, tc.h, err)
		}
	}
	if _, err := heif.Parse(heif.AssembleGrid(codecs.HEIC, 1, 2, 150, 60, tiles), codecs.HEIC); err != nil {
		t.Errorf("150x60: %v", err)
	}
}

func TestHEVCConfig(t *testing.T) {
	b := fixture(t, "heic-10bit.heic")
	f, err := heif.Parse(b, codecs.HEIC)
	if err != nil {
		t.Fatal(err)
	}
	c := f.Primary.HEVC
	if !c.HasSPS || c.ChromaFormat != 1 || c.BitDepthLuma != 10 || c.Width != 96 || c.Height != 64 || !c.VUISignal || !c.FullRange {
		t.Errorf("hvcC/SPS = %+v", *c)
	}
}
