package mask

import (
	"image"
	"math"
)

// The edit area for grow and shrink is where alpha < 128 (at least half
// edited). Distances are Euclidean between pixel centres, computed with
// the exact linear-time transform of Felzenszwalb and Huttenlocher, so the
// cost does not depend on the radius.

// grow edits every pixel within n px of the edit area: a pixel d px
// (centre to centre) from the nearest edited pixel gets edit coverage
// clamp(n+1-d, 0, 1), so a straight edge moves out by n with a one-pixel
// ramp on diagonals and curves.
func grow(m *image.Alpha, n int) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	bb := editBounds(m)
	if bb.Empty() {
		return
	}
	r := bb.Inset(-(n + 1)).Intersect(image.Rect(0, 0, w, h))
	d := distanceTo(m, r, func(a uint8) bool { return a < 128 })
	rw := r.Dx()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := m.Pix[y*m.Stride:]
		for x := r.Min.X; x < r.Max.X; x++ {
			cov := float64(n) + 1 - math.Sqrt(float64(d[(y-r.Min.Y)*rw+x-r.Min.X]))
			if cov <= 0 {
				continue
			}
			row[x] = min(row[x], uint8(255-math.Round(255*min(cov, 1))))
		}
	}
}

// shrink keeps every pixel of the edit area within n px of its edge: a
// pixel d px from the nearest unedited pixel keeps edit coverage
// clamp(d-n, 0, 1). The image border does not count as an edge.
func shrink(m *image.Alpha, n int) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	bb := editBounds(m)
	if bb.Empty() {
		return
	}
	r := bb.Inset(-1).Intersect(image.Rect(0, 0, w, h))
	d := distanceTo(m, r, func(a uint8) bool { return a >= 128 })
	rw := r.Dx()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := m.Pix[y*m.Stride:]
		for x := r.Min.X; x < r.Max.X; x++ {
			dd := float64(d[(y-r.Min.Y)*rw+x-r.Min.X])
			if dd >= inf {
				continue
			}
			cov := math.Sqrt(dd) - float64(n)
			if cov >= 1 {
				continue
			}
			row[x] = max(row[x], uint8(255-math.Round(255*max(cov, 0))))
		}
	}
}

// editBounds returns the smallest rectangle holding every pixel with
// alpha < 128.
func editBounds(m *image.Alpha) image.Rectangle {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	x0, y0, x1, y1 := w, h, 0, 0
	for y := range h {
		row := m.Pix[y*m.Stride : y*m.Stride+w]
		for x, a := range row {
			if a < 128 {
				x0, x1 = min(x0, x), max(x1, x+1)
				y0, y1 = min(y0, y), y+1
			}
		}
	}
	return image.Rect(x0, y0, x1, y1)
}

// inf stands for "no target pixel": larger than any squared distance.
const inf = 1e30

// distanceTo returns, for each pixel of r (row-major, r.Dx() wide), the
// squared distance to the nearest pixel of r whose alpha satisfies target
// (0 for the target pixels themselves; inf when there is none).
func distanceTo(m *image.Alpha, r image.Rectangle, target func(uint8) bool) []float32 {
	rw, rh := r.Dx(), r.Dy()
	g := make([]float32, rw*rh)
	for y := range rh {
		row := m.Pix[(y+r.Min.Y)*m.Stride+r.Min.X:]
		for x := range rw {
			if !target(row[x]) {
				g[y*rw+x] = inf
			}
		}
	}
	n := max(rw, rh)
	f, d := make([]float64, n), make([]float64, n)
	v, z := make([]int, n), make([]float64, n+1)
	for x := range rw { // columns
		for y := range rh {
			f[y] = float64(g[y*rw+x])
		}
		edt1(f[:rh], d[:rh], v, z)
		for y := range rh {
			g[y*rw+x] = float32(d[y])
		}
	}
	for y := range rh { // rows
		row := g[y*rw : (y+1)*rw]
		for x := range rw {
			f[x] = float64(row[x])
		}
		edt1(f[:rw], d[:rw], v, z)
		for x := range rw {
			row[x] = float32(min(d[x], inf))
		}
	}
	return g
}

// edt1 is the 1-D squared distance transform of the sampled function f
// (lower envelope of parabolas), written to d. v and z are scratch space
// of len(f) and len(f)+1.
func edt1(f, d []float64, v []int, z []float64) {
	n := len(f)
	if n == 0 {
		return
	}
	k := 0
	v[0] = 0
	z[0], z[1] = math.Inf(-1), math.Inf(1)
	for q := 1; q < n; q++ {
		if f[q] >= inf {
			continue
		}
		if f[v[k]] >= inf { // only "no target" so far: replace it
			v[k] = q
			continue
		}
		var s float64
		for {
			p := v[k]
			s = ((f[q] + float64(q*q)) - (f[p] + float64(p*p))) / float64(2*(q-p))
			if s > z[k] { // z[0] is -Inf: stops at k == 0 at the latest
				break
			}
			k--
		}
		k++
		v[k] = q
		z[k], z[k+1] = s, math.Inf(1)
	}
	k = 0
	for q := range n {
		for z[k+1] < float64(q) {
			k++
		}
		p := v[k]
		if f[p] >= inf {
			d[q] = inf
			continue
		}
		d[q] = float64((q-p)*(q-p)) + f[p]
	}
}
