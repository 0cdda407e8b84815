package mask

import (
	"image"
	"math"
)

// feather blurs m with a separable box of width f px (fractional widths
// are exact), replicating the border. A straight edge becomes a linear
// ramp f px wide centred on it; pixels farther than f/2 from any edge are
// unchanged.
func feather(m *image.Alpha, f float64) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	bb := softBounds(m)
	if bb.Empty() {
		return
	}
	r := bb.Inset(-int(math.Ceil(f/2) + 1)).Intersect(image.Rect(0, 0, w, h))
	n := max(w, h)
	line, out, cum := make([]float64, n), make([]float64, n), make([]float64, n+1)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := m.Pix[y*m.Stride+r.Min.X : y*m.Stride+r.Max.X]
		for i, a := range row {
			line[i] = float64(a)
		}
		boxLine(line[:len(row)], out, cum, f)
		for i := range row {
			row[i] = toU8(out[i])
		}
	}
	rh := r.Dy()
	for x := r.Min.X; x < r.Max.X; x++ {
		for i := range rh {
			line[i] = float64(m.Pix[(r.Min.Y+i)*m.Stride+x])
		}
		boxLine(line[:rh], out, cum, f)
		for i := range rh {
			m.Pix[(r.Min.Y+i)*m.Stride+x] = toU8(out[i])
		}
	}
}

// softBounds returns the smallest rectangle holding every pixel with
// alpha < 255.
func softBounds(m *image.Alpha) image.Rectangle {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	x0, y0, x1, y1 := w, h, 0, 0
	for y := range h {
		row := m.Pix[y*m.Stride : y*m.Stride+w]
		for x, a := range row {
			if a < 255 {
				x0, x1 = min(x0, x), max(x1, x+1)
				y0, y1 = min(y0, y), y+1
			}
		}
	}
	return image.Rect(x0, y0, x1, y1)
}

// boxLine writes to out the average of v over [i+0.5-f/2, i+0.5+f/2) for
// each i, treating v as piecewise constant and extended by its end values.
// cum is scratch space of len(v)+1.
func boxLine(v, out, cum []float64, f float64) {
	n := len(v)
	if n == 0 {
		return
	}
	cum[0] = 0
	for i, a := range v {
		cum[i+1] = cum[i] + a
	}
	// integral of v over [0, t)
	at := func(t float64) float64 {
		switch {
		case t <= 0:
			return t * v[0]
		case t >= float64(n):
			return cum[n] + (t-float64(n))*v[n-1]
		}
		k := int(t)
		return cum[k] + (t-float64(k))*v[k]
	}
	for i := range n {
		c := float64(i) + 0.5
		out[i] = (at(c+f/2) - at(c-f/2)) / f
	}
}

// toU8 rounds v to the nearest value in 0..255.
func toU8(v float64) uint8 { return uint8(math.Round(min(max(v, 0), 255))) }
