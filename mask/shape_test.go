package mask_test

import (
	"math"
	"testing"

	"github.com/imgprep/imgprep/mask"
)

func TestRectExactPixels(t *testing.T) {
	m := mask.FromShapes(40, 30, []mask.Shape{mask.Rect{X: 10, Y: 5, W: 12, H: 8}}, mask.Options{})
	if m.Rect.Dx() != 40 || m.Rect.Dy() != 30 {
		t.Fatalf("size %v", m.Rect)
	}
	for y := range 30 {
		for x := range 40 {
			in := x >= 10 && x < 22 && y >= 5 && y < 13
			want := uint8(255)
			if in {
				want = 0
			}
			if got := at(m, x, y); got != want {
				t.Fatalf("(%d,%d) = %d, want %d", x, y, got, want)
			}
		}
	}
}

func TestRectAntiAliased(t *testing.T) {
	// Left edge at 10.5, right at 20.25, top at 5.5: edge pixels partial.
	m := mask.FromShapes(30, 20, []mask.Shape{mask.Rect{X: 10.5, Y: 5.5, W: 9.75, H: 8}}, mask.Options{})
	tests := []struct {
		x, y int
		want uint8
	}{
		{12, 8, 0},    // interior
		{9, 8, 255},   // outside
		{10, 8, 128},  // half covered horizontally (255 - 127.5)
		{20, 8, 191},  // a quarter covered (255 - 63.75)
		{12, 5, 128},  // half covered vertically
		{10, 5, 191},  // corner: a quarter
		{12, 13, 128}, // bottom at 13.5
		{12, 14, 255}, // below
		{21, 8, 255},  // right of the edge
		{20, 13, 223}, // bottom-right corner: 0.25*0.5 covered
		{19, 12, 0},   // last full pixel
		{12, 4, 255},  // above
		{20, 5, 223},  // top-right corner
	}
	for _, tc := range tests {
		if got := at(m, tc.x, tc.y); int(got)-int(tc.want) > 1 || int(tc.want)-int(got) > 1 {
			t.Errorf("(%d,%d) = %d, want %d±1", tc.x, tc.y, got, tc.want)
		}
	}
	if a, want := editArea(m), 9.75*8; math.Abs(a-want) > 0.2 { // rounding to 8 bits
		t.Errorf("area %.3f, want %.3f", a, want)
	}
}

func TestEllipseSymmetric(t *testing.T) {
	const w, h = 64, 48
	m := mask.FromShapes(w, h, []mask.Shape{mask.Ellipse{CX: 32, CY: 24, RX: 20, RY: 12}}, mask.Options{})
	for y := range h {
		for x := range w {
			a, b, c := at(m, x, y), at(m, w-1-x, y), at(m, x, h-1-y)
			if d := int(a) - int(b); d < -1 || d > 1 {
				t.Fatalf("not mirror-symmetric in x at (%d,%d): %d vs %d", x, y, a, b)
			}
			if d := int(a) - int(c); d < -4 || d > 4 { // vertical sampling is 1/16 px
				t.Fatalf("not mirror-symmetric in y at (%d,%d): %d vs %d", x, y, a, c)
			}
		}
	}
	if at(m, 32, 24) != 0 || at(m, 0, 0) != 255 || at(m, 32, 11) != 255 || at(m, 11, 24) != 255 {
		t.Error("centre must be edited and the outside kept")
	}
	if a, want := editArea(m), math.Pi*20*12; math.Abs(a-want)/want > 0.01 {
		t.Errorf("area %.1f, want %.1f within 1%%", a, want)
	}
}

func TestPolygonTriangleArea(t *testing.T) {
	tri := mask.Polygon{{X: 10.3, Y: 7.1}, {X: 90.6, Y: 20.2}, {X: 40.4, Y: 70.9}}
	m := mask.FromShapes(100, 80, []mask.Shape{tri}, mask.Options{})
	want := math.Abs((tri[1].X-tri[0].X)*(tri[2].Y-tri[0].Y)-(tri[2].X-tri[0].X)*(tri[1].Y-tri[0].Y)) / 2
	if a := editArea(m); math.Abs(a-want)/want > 0.02 {
		t.Errorf("area %.1f, want %.1f within 2%%", a, want)
	}
	// Clockwise and counter-clockwise fill the same.
	rev := mask.Polygon{tri[2], tri[1], tri[0]}
	m2 := mask.FromShapes(100, 80, []mask.Shape{rev}, mask.Options{})
	for i := range m.Pix {
		if m.Pix[i] != m2.Pix[i] {
			t.Fatal("winding direction changes the fill")
		}
	}
	if at(m, 45, 30) != 0 || at(m, 90, 70) != 255 {
		t.Error("inside must be edited, outside kept")
	}
}

func TestUnionAndClipping(t *testing.T) {
	// Two rectangles sharing an edge leave no seam; one sticks out of the image.
	shapes := []mask.Shape{mask.Rect{X: 2.5, Y: 2, W: 5, H: 4}, mask.Rect{X: 7.5, Y: 2, W: 20, H: 4}}
	m := mask.FromShapes(16, 8, shapes, mask.Options{})
	for x := 3; x < 16; x++ {
		if at(m, x, 3) != 0 {
			t.Fatalf("(%d,3) = %d, want 0 (union without seam, clipped at the border)", x, at(m, x, 3))
		}
	}
	if m := mask.FromShapes(10, 10, []mask.Shape{mask.Rect{X: 20, Y: 20, W: 5, H: 5}}, mask.Options{}); mask.Stats(m).Editable != 0 {
		t.Error("a shape outside the image edits nothing")
	}
}

func TestDegenerateShapes(t *testing.T) {
	nan := math.NaN()
	shapes := []mask.Shape{
		mask.Rect{X: nan, Y: 1, W: 5, H: 5},
		mask.Rect{X: math.Inf(-1), Y: 0, W: math.Inf(1), H: 5},
		mask.Rect{X: 1, Y: 1, W: -5, H: 5},
		mask.Ellipse{CX: 5, CY: 5, RX: 0, RY: 3},
		mask.Polygon{{X: 1, Y: 1}, {X: 5, Y: 5}},
		mask.Polygon{{X: nan, Y: 1}, {X: 5, Y: 5}, {X: 1, Y: 5}},
		mask.Rect{X: -1e300, Y: -1e300, W: 1e300, H: 1e300},
	}
	m := mask.FromShapes(10, 10, shapes, mask.Options{Grow: 1 << 40, Feather: 1e300})
	if s := mask.Stats(m); s.Editable != 0 || s.Partial != 0 {
		t.Errorf("degenerate shapes edit %+v", s)
	}
	m = mask.FromShapes(10, 10, []mask.Shape{mask.Rect{X: -1e300, Y: -1e300, W: 2e300, H: 2e300}}, mask.Options{Grow: -(1 << 40)})
	if s := mask.Stats(m); s.Editable != 1 {
		t.Errorf("huge rectangle (shrink does not eat the border) %+v", s)
	}
}
