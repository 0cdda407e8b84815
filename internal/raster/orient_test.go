package raster_test

import (
	"image"
	"image/color"
	"testing"

	"github.com/imgprep/imgprep/internal/raster"
)

// grid builds an image whose pixel (x, y) is labelled by rows[y][x].
func grid(rows []string) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, len(rows[0]), len(rows)))
	for y, r := range rows {
		for x, c := range r {
			m.SetNRGBA(x, y, color.NRGBA{uint8(c), uint8(x), uint8(y), 255})
		}
	}
	return m
}

func labels(m *image.NRGBA) []string {
	var out []string
	for y := m.Rect.Min.Y; y < m.Rect.Max.Y; y++ {
		var s []byte
		for x := m.Rect.Min.X; x < m.Rect.Max.X; x++ {
			s = append(s, m.NRGBAAt(x, y).R)
		}
		out = append(out, string(s))
	}
	return out
}

func TestOrient(t *testing.T) {
	stored := []string{"abc", "def"}
	want := map[int][]string{
		1: {"abc", "def"},
		2: {"cba", "fed"},     // flip horizontal
		3: {"fed", "cba"},     // rotate 180
		4: {"def", "abc"},     // flip vertical
		5: {"ad", "be", "cf"}, // transpose
		6: {"da", "eb", "fc"}, // rotate 90 CW
		7: {"fc", "eb", "da"}, // transverse
		8: {"cf", "be", "ad"}, // rotate 90 CCW
		9: {"abc", "def"},     // invalid: unchanged
		0: {"abc", "def"},     // invalid: unchanged
	}
	for o, w := range want {
		got := labels(raster.Orient(grid(stored), o))
		if len(got) != len(w) {
			t.Errorf("o=%d: got %q, want %q", o, got, w)
			continue
		}
		for i := range w {
			if got[i] != w[i] {
				t.Errorf("o=%d: got %q, want %q", o, got, w)
				break
			}
		}
	}
}

func TestOrientLarge(t *testing.T) {
	// Bigger than a tile and than the parallel threshold, non-square.
	src := synth(301, 257, true)
	for o := 1; o <= 8; o++ {
		got := raster.Orient(src, o)
		// Every stored pixel must land where OrientRect maps it.
		for _, p := range []image.Point{{0, 0}, {300, 0}, {0, 256}, {300, 256}, {123, 77}, {64, 64}} {
			r := raster.OrientRect(image.Rect(p.X, p.Y, p.X+1, p.Y+1), 301, 257, o)
			if got.NRGBAAt(r.Min.X, r.Min.Y) != src.NRGBAAt(p.X, p.Y) {
				t.Errorf("o=%d: stored %v not at upright %v", o, p, r.Min)
			}
		}
		back := raster.Orient(got, map[int]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 8, 7: 7, 8: 6}[o])
		if maxDiff(back, src) != 0 {
			t.Errorf("o=%d: inverse orientation does not restore the image", o)
		}
	}
}

func TestOrientRect(t *testing.T) {
	const w, h = 30, 20
	stored := grid([]string{"abc", "def"})
	for o := 1; o <= 8; o++ {
		up := raster.Orient(stored, o)
		// Each stored pixel, as a 1x1 rect, maps to the upright position of
		// the same label.
		for y := 0; y < 2; y++ {
			for x := 0; x < 3; x++ {
				r := raster.OrientRect(image.Rect(x, y, x+1, y+1), 3, 2, o)
				if up.NRGBAAt(r.Min.X, r.Min.Y) != stored.NRGBAAt(x, y) || r.Dx() != 1 || r.Dy() != 1 {
					t.Errorf("o=%d: pixel (%d,%d) mapped to %v", o, x, y, r)
				}
			}
		}
		for _, r := range []image.Rectangle{
			image.Rect(0, 0, w, h), image.Rect(3, 4, 10, 9), image.Rect(0, 0, 1, 1),
			image.Rect(29, 19, 30, 20), image.Rect(5, 0, 6, 20),
		} {
			u := raster.OrientRect(r, w, h, o)
			if u.Dx()*u.Dy() != r.Dx()*r.Dy() {
				t.Errorf("o=%d: %v -> %v changes area", o, r, u)
			}
			bounds := image.Rect(0, 0, w, h)
			if o >= 5 {
				bounds = image.Rect(0, 0, h, w)
			}
			if !u.In(bounds) {
				t.Errorf("o=%d: %v -> %v outside %v", o, r, u, bounds)
			}
			if back := raster.UnorientRect(u, w, h, o); back != r {
				t.Errorf("o=%d: %v -> %v -> %v", o, r, u, back)
			}
		}
	}
}
