package mask

import (
	"cmp"
	"math"
	"slices"
)

// Point is a position in pixels (continuous coordinates).
type Point struct{ X, Y float64 }

// Shape is an area to edit: Rect, Ellipse or Polygon. The set is closed;
// compose areas by passing several shapes (their union is edited).
type Shape interface {
	// box returns the shape's bounding box [x0, x1) x [y0, y1).
	box() (x0, y0, x1, y1 float64)
	// spans appends to dst the intervals [a, b) of the horizontal line at
	// y that lie inside the shape.
	spans(y float64, dst []span) []span
}

// span is a horizontal interval [a, b).
type span struct{ a, b float64 }

// Rect is the rectangle [X, X+W) x [Y, Y+H). W and H must be positive.
type Rect struct{ X, Y, W, H float64 }

func (r Rect) box() (x0, y0, x1, y1 float64) { return r.X, r.Y, r.X + r.W, r.Y + r.H }

func (r Rect) spans(y float64, dst []span) []span {
	if r.W <= 0 || r.H <= 0 || y < r.Y || y >= r.Y+r.H {
		return dst
	}
	return append(dst, span{r.X, r.X + r.W})
}

// Ellipse is the axis-aligned ellipse centred at (CX, CY) with radii RX
// and RY. RX and RY must be positive.
type Ellipse struct{ CX, CY, RX, RY float64 }

func (e Ellipse) box() (x0, y0, x1, y1 float64) {
	return e.CX - e.RX, e.CY - e.RY, e.CX + e.RX, e.CY + e.RY
}

func (e Ellipse) spans(y float64, dst []span) []span {
	if e.RX <= 0 || e.RY <= 0 {
		return dst
	}
	d := (y - e.CY) / e.RY
	if d <= -1 || d >= 1 {
		return dst
	}
	hw := e.RX * math.Sqrt(1-d*d)
	return append(dst, span{e.CX - hw, e.CX + hw})
}

// Polygon is a closed polygon through its vertices (the last joins the
// first), filled by the non-zero winding rule, so self-overlapping parts
// are inside. It needs at least three vertices.
type Polygon []Point

func (p Polygon) box() (x0, y0, x1, y1 float64) {
	if len(p) == 0 {
		return 0, 0, 0, 0
	}
	x0, y0, x1, y1 = p[0].X, p[0].Y, p[0].X, p[0].Y
	for _, q := range p[1:] {
		x0, y0 = min(x0, q.X), min(y0, q.Y)
		x1, y1 = max(x1, q.X), max(y1, q.Y)
	}
	return x0, y0, x1, y1
}

// crossing is where a polygon edge crosses a scan line, and its direction.
type crossing struct {
	x   float64
	dir int
}

func (p Polygon) spans(y float64, dst []span) []span {
	if len(p) < 3 {
		return dst
	}
	var buf [16]crossing
	xs := buf[:0]
	for i, a := range p {
		b := p[(i+1)%len(p)]
		if (a.Y <= y) == (b.Y <= y) {
			continue
		}
		dir := 1
		if b.Y < a.Y {
			dir = -1
		}
		xs = append(xs, crossing{a.X + (y-a.Y)*(b.X-a.X)/(b.Y-a.Y), dir})
	}
	slices.SortFunc(xs, func(u, v crossing) int { return cmp.Compare(u.x, v.x) })
	wind := 0
	for _, c := range xs {
		before := wind
		wind += c.dir
		if before == 0 && wind != 0 {
			dst = append(dst, span{a: c.x})
		} else if before != 0 && wind == 0 {
			dst[len(dst)-1].b = c.x
		}
	}
	return dst
}
