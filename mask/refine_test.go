package mask_test

import (
	"image"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/imgprep/imgprep/mask"
)

func TestGrowShrinkMovesEdge(t *testing.T) {
	base := mask.Rect{X: 40, Y: 40, W: 40, H: 40} // right edge at x = 80
	for _, n := range []int{1, 3, 7, 15, -1, -3, -7, -15} {
		m := mask.FromShapes(160, 160, []mask.Shape{base}, mask.Options{Grow: n})
		if got := edgeX(t, m, 60, 60); got < 80+n-1 || got > 80+n+1 {
			t.Errorf("grow %d: right edge at %d, want %d±1", n, got, 80+n)
		}
		// Left edge: first edited pixel going right from 0.
		left := 0
		for left < 160 && at(m, left, 60) >= 128 {
			left++
		}
		if left < 40-n-1 || left > 40-n+1 {
			t.Errorf("grow %d: left edge at %d, want %d±1", n, left, 40-n)
		}
	}
	// A disc grows as a disc.
	disc := mask.Ellipse{CX: 100, CY: 100, RX: 20, RY: 20}
	m := mask.FromShapes(200, 200, []mask.Shape{disc}, mask.Options{Grow: 10})
	if a, want := editArea(m), math.Pi*30*30; math.Abs(a-want)/want > 0.03 {
		t.Errorf("disc r=20 grown by 10: area %.0f, want %.0f within 3%%", a, want)
	}
	m = mask.FromShapes(200, 200, []mask.Shape{disc}, mask.Options{Grow: -10})
	if a, want := editArea(m), math.Pi*10*10; math.Abs(a-want)/want > 0.08 {
		t.Errorf("disc r=20 shrunk by 10: area %.0f, want %.0f within 8%%", a, want)
	}
	// Shrinking past the size removes the area.
	m = mask.FromShapes(100, 100, []mask.Shape{mask.Rect{X: 10, Y: 10, W: 10, H: 10}}, mask.Options{Grow: -6})
	if s := mask.Stats(m); s.Editable != 0 || s.Partial != 0 {
		t.Errorf("shrunk away: %+v", s)
	}
	// The image border is not an edge: an area touching it stays there.
	m = mask.FromShapes(100, 100, []mask.Shape{mask.Rect{X: 0, Y: 0, W: 30, H: 100}}, mask.Options{Grow: -5})
	if at(m, 0, 50) != 0 || edgeX(t, m, 0, 50) != 25 {
		t.Errorf("shrink at the border: alpha(0,50)=%d, edge %d, want 0 and 25", at(m, 0, 50), edgeX(t, m, 0, 50))
	}
}

func TestGrowLargeRadiusIsFast(t *testing.T) {
	start := time.Now()
	m := mask.FromShapes(2000, 1500, []mask.Shape{mask.Ellipse{CX: 1000, CY: 750, RX: 100, RY: 80}}, mask.Options{Grow: 400})
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("grow 400 on 3 MP took %v", d)
	}
	if got := edgeX(t, m, 1000, 750); got < 1499 || got > 1501 {
		t.Errorf("edge at %d, want 1500±1", got)
	}
}

func TestFeatherRamp(t *testing.T) {
	for _, f := range []float64{2, 5, 10, 16.5} {
		m := mask.FromShapes(200, 100, []mask.Shape{mask.Rect{X: 0, Y: 0, W: 100, H: 100}}, mask.Options{Feather: f})
		prev := -1
		first, last := -1, -1 // first pixel above 0, last below 255
		for x := range 200 {
			a := int(at(m, x, 50))
			if a < prev {
				t.Fatalf("feather %g: not monotonic at x=%d (%d after %d)", f, x, a, prev)
			}
			prev = a
			if a > 0 && first < 0 {
				first = x
			}
			if a < 255 {
				last = x
			}
		}
		width := last - first + 1
		if math.Abs(float64(width)-f) > 1.5 {
			t.Errorf("feather %g: ramp %d..%d is %d px wide, want %g±1", f, first, last, width, f)
		}
		if mid := (int(at(m, 99, 50)) + int(at(m, 100, 50))) / 2; mid < 120 || mid > 135 {
			t.Errorf("feather %g: mean alpha of the pixels beside the edge %d, want about 127", f, mid)
		}
		// The ramp is centred on the edge: interior and far outside unchanged.
		if at(m, 100-int(f/2)-2, 50) != 0 || at(m, 100+int(f/2)+2, 50) != 255 {
			t.Errorf("feather %g reaches farther than %g px from the edge", f, f/2)
		}
	}
}

func TestInvertUnion(t *testing.T) {
	a := mask.FromShapes(10, 10, []mask.Shape{mask.Rect{X: 0, Y: 0, W: 5, H: 10}}, mask.Options{})
	b := mask.FromShapes(10, 10, []mask.Shape{mask.Rect{X: 5, Y: 0, W: 5, H: 10}}, mask.Options{})
	if s := mask.Stats(mask.Union(a, b)); s.Editable != 1 {
		t.Errorf("union of halves: %+v", s)
	}
	if s := mask.Stats(mask.Invert(a)); s.Editable != 0.5 || at(mask.Invert(a), 7, 0) != 0 {
		t.Errorf("invert: %+v", s)
	}
}

func TestPlace(t *testing.T) {
	m := mask.FromShapes(4, 3, []mask.Shape{mask.Rect{X: 0, Y: 0, W: 4, H: 3}}, mask.Options{}) // all edited
	for _, tc := range []struct {
		at   image.Point
		fill uint8
		edit image.Rectangle // where the result is m's 0
	}{
		{image.Pt(2, 1), 255, image.Rect(2, 1, 6, 4)},
		{image.Pt(-1, -1), 255, image.Rect(0, 0, 3, 2)}, // clipped top-left
		{image.Pt(8, 5), 128, image.Rect(8, 5, 10, 6)},  // clipped bottom-right
	} {
		out := mask.Place(m, 10, 6, tc.at, tc.fill)
		if out.Rect != image.Rect(0, 0, 10, 6) {
			t.Fatalf("at %v: bounds %v", tc.at, out.Rect)
		}
		for y := range 6 {
			for x := range 10 {
				want := tc.fill
				if image.Pt(x, y).In(tc.edit) {
					want = 0
				}
				if got := at(out, x, y); got != want {
					t.Fatalf("at %v: (%d,%d) = %d, want %d", tc.at, x, y, got, want)
				}
			}
		}
	}
	// A sub-image is read from its own origin.
	big := mask.Place(m, 10, 6, image.Pt(3, 2), 255)
	sub := big.SubImage(image.Rect(2, 1, 8, 5)).(*image.Alpha)
	if back := mask.Place(sub, 6, 4, image.Point{}, 255); !slices.Equal(back.Pix, mask.Place(m, 6, 4, image.Pt(1, 1), 255).Pix) {
		t.Errorf("sub-image placed: %v", back.Pix)
	}
}
