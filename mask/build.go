package mask

import (
	"cmp"
	"image"
	"math"
	"slices"
)

// Options refine a mask's edit area: first Grow, then Feather. The zero
// value changes nothing.
type Options struct {
	// Grow moves the edge of the edit area outwards by this many pixels
	// (negative: shrinks it inwards), measured by Euclidean distance.
	Grow int
	// Feather softens the edge into a linear ramp this many pixels wide,
	// centred on the edge: alpha rises from 0 (edit) to 255 (keep) across
	// it. 0 keeps the edge as it is (anti-aliased over one pixel). With
	// Grow set to half of Feather the whole ramp lies outside the edit
	// area, which keeps its full strength.
	Feather float64
}

// subRows is the number of sub-scanlines per pixel row when rendering
// shapes; horizontal coverage is computed exactly.
const subRows = 16

// New returns a w x h mask that keeps everything (alpha 255 everywhere).
func New(w, h int) *image.Alpha {
	m := image.NewAlpha(image.Rect(0, 0, max(w, 0), max(h, 0)))
	for i := range m.Pix {
		m.Pix[i] = 255
	}
	return m
}

// FromShapes returns a w x h mask in which the union of shapes is edited
// (alpha 0) and the rest kept (alpha 255), with anti-aliased edges (exact
// horizontal coverage, 16 sub-rows vertically), then refined by o. Parts
// of shapes outside the image are clipped away.
func FromShapes(w, h int, shapes []Shape, o Options) *image.Alpha {
	m := New(w, h)
	paint(m, shapes)
	return Refine(m, o)
}

// paint marks the union of shapes as edited in m (which it only lowers).
func paint(m *image.Alpha, shapes []Shape) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	if w == 0 || h == 0 || len(shapes) == 0 {
		return
	}
	bx0, by0, bx1, by1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	usable := make([]Shape, 0, len(shapes))
	for _, s := range shapes {
		x0, y0, x1, y1 := s.box()
		if !finite(x0, y0, x1, y1) {
			continue // NaN or infinite coordinates: no area
		}
		usable = append(usable, s)
		bx0, by0, bx1, by1 = min(bx0, x0), min(by0, y0), max(bx1, x1), max(by1, y1)
	}
	if len(usable) == 0 {
		return
	}
	shapes = usable
	const lim = 1 << 30 // keep the int conversions below in range
	bx0, by0 = max(bx0, -lim), max(by0, -lim)
	bx1, by1 = min(bx1, lim), min(by1, lim)
	r := image.Rect(int(math.Floor(bx0)), int(math.Floor(by0)), int(math.Ceil(bx1)), int(math.Ceil(by1))).
		Intersect(image.Rect(0, 0, w, h))
	if r.Empty() {
		return
	}
	acc := make([]float64, w+1)  // partial coverage per pixel
	full := make([]float64, w+1) // difference array of fully covered runs
	var sp []span
	for y := r.Min.Y; y < r.Max.Y; y++ {
		clear(acc)
		clear(full)
		for k := range subRows {
			yy := float64(y) + (float64(k)+0.5)/subRows
			sp = sp[:0]
			for _, s := range shapes {
				sp = s.spans(yy, sp)
			}
			for _, s := range merge(sp) {
				addSpan(acc, full, max(s.a, 0), min(s.b, float64(w)))
			}
		}
		row := m.Pix[y*m.Stride : y*m.Stride+w]
		run := 0.0
		for x := range w {
			run += full[x]
			cov := (acc[x] + run) / subRows
			if cov <= 0 {
				continue
			}
			a := uint8(255 - math.Round(255*min(cov, 1)))
			row[x] = min(row[x], a)
		}
	}
}

// finite reports whether no value is NaN or infinite.
func finite(v ...float64) bool {
	for _, f := range v {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return false
		}
	}
	return true
}

// merge sorts spans and joins overlapping ones, in place.
func merge(sp []span) []span {
	if len(sp) < 2 {
		return sp
	}
	slices.SortFunc(sp, func(u, v span) int { return cmp.Compare(u.a, v.a) })
	out := sp[:1]
	for _, s := range sp[1:] {
		last := &out[len(out)-1]
		if s.a <= last.b {
			last.b = max(last.b, s.b)
			continue
		}
		out = append(out, s)
	}
	return out
}

// addSpan adds the coverage of [a, b) on one sub-row: partial end pixels
// into acc, whole pixels as a run in the difference array full.
func addSpan(acc, full []float64, a, b float64) {
	if b <= a {
		return
	}
	ia, ib := int(a), int(b)
	if ia == ib {
		acc[ia] += b - a
		return
	}
	acc[ia] += float64(ia+1) - a
	full[ia+1]++
	full[ib]--
	if ib < len(acc)-1 {
		acc[ib] += b - float64(ib)
	}
}

// Refine applies o to a copy of m: grow or shrink the edit area, then
// feather its edge. It returns m itself when o is the zero value.
func Refine(m *image.Alpha, o Options) *image.Alpha {
	if o.Grow == 0 && o.Feather <= 0 {
		return m
	}
	out := clone(m)
	// Beyond the image's diagonal more changes nothing: bound the radii.
	limit := out.Rect.Dx() + out.Rect.Dy() + 2
	switch {
	case o.Grow > 0:
		grow(out, min(o.Grow, limit))
	case o.Grow < 0:
		shrink(out, min(-o.Grow, limit))
	}
	if o.Feather > 0 && !math.IsInf(o.Feather, 0) {
		feather(out, min(o.Feather, float64(2*limit)))
	}
	return out
}

// Union returns a mask editing wherever a or b edits (the smaller alpha).
// Both must have the same size; the result has a's bounds.
func Union(a, b *image.Alpha) *image.Alpha {
	out := clone(a)
	w, h := out.Rect.Dx(), out.Rect.Dy()
	for y := range min(h, b.Rect.Dy()) {
		ra := out.Pix[y*out.Stride : y*out.Stride+w]
		rb := b.Pix[y*b.Stride:]
		for x := range min(w, b.Rect.Dx()) {
			ra[x] = min(ra[x], rb[x])
		}
	}
	return out
}

// Invert returns a mask that edits what m keeps and keeps what m edits
// (alpha 255 - a).
func Invert(m *image.Alpha) *image.Alpha {
	out := clone(m)
	for i, v := range out.Pix {
		out.Pix[i] = 255 - v
	}
	return out
}

// Place returns a w x h mask filled with fill (255 keeps, 0 edits) with m
// copied in so that m's top-left pixel lands at at; whatever of m falls
// outside w x h is clipped away. It pads a mask onto a larger canvas or
// puts a part back into the whole.
func Place(m *image.Alpha, w, h int, at image.Point, fill uint8) *image.Alpha {
	out := image.NewAlpha(image.Rect(0, 0, max(w, 0), max(h, 0)))
	if fill != 0 {
		for i := range out.Pix {
			out.Pix[i] = fill
		}
	}
	r := image.Rect(at.X, at.Y, at.X+m.Rect.Dx(), at.Y+m.Rect.Dy()).Intersect(out.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		src := m.Pix[(y-at.Y)*m.Stride+r.Min.X-at.X:]
		copy(out.Pix[y*out.Stride+r.Min.X:y*out.Stride+r.Max.X], src)
	}
	return out
}

// clone copies m into a new mask with its Rect at the origin.
func clone(m *image.Alpha) *image.Alpha {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	out := image.NewAlpha(image.Rect(0, 0, w, h))
	for y := range h {
		copy(out.Pix[y*w:(y+1)*w], m.Pix[y*m.Stride:])
	}
	return out
}
