package mask

import (
	"image"
	"math"
)

// Resize resamples m to w x h by area averaging: each output pixel is the
// mean of the source area it covers (for upscales, a box with fractional
// edges). Hard edges stay within one pixel of where they map, values never
// overshoot, and a fully edited (or kept) area stays exactly 0 (or 255).
// The result has its Rect at the origin.
func Resize(m *image.Alpha, w, h int) *image.Alpha {
	sw, sh := m.Rect.Dx(), m.Rect.Dy()
	if w == sw && h == sh {
		return clone(m)
	}
	return Resample(m, Rect{0, 0, float64(sw), float64(sh)}, w, h)
}

// area is a rectangle by its edges, [X0, X1) x [Y0, Y1).
type area struct{ X0, Y0, X1, Y1 float64 }

// Resample resamples the rectangle r of m (in pixels from m's top-left
// corner; fractional edges allowed, clipped to m) to w x h by area
// averaging, as Resize does. Cropping and scaling in one pass this way
// avoids resampling twice.
func Resample(m *image.Alpha, r Rect, w, h int) *image.Alpha {
	sw, sh := m.Rect.Dx(), m.Rect.Dy()
	out := image.NewAlpha(image.Rect(0, 0, max(w, 0), max(h, 0)))
	src := area{max(r.X, 0), max(r.Y, 0), min(r.X+r.W, float64(sw)), min(r.Y+r.H, float64(sh))}
	if w <= 0 || h <= 0 || src.X1 <= src.X0 || src.Y1 <= src.Y0 {
		return out
	}
	wx, wy := areaWeights(src.X0, src.X1, w), areaWeights(src.Y0, src.Y1, h)
	// Horizontal pass over the source rows in use, into a float buffer.
	y0 := wy[0].start
	y1 := wy[h-1].start + len(wy[h-1].w)
	tmp := make([]float32, (y1-y0)*w)
	for y := y0; y < y1; y++ {
		row := m.Pix[y*m.Stride : y*m.Stride+sw]
		dst := tmp[(y-y0)*w : (y-y0+1)*w]
		for x, c := range wx {
			var s float32
			for k, wt := range c.w {
				s += wt * float32(row[c.start+k])
			}
			dst[x] = s
		}
	}
	// Vertical pass.
	acc := make([]float32, w)
	for y, c := range wy {
		clear(acc)
		for k, wt := range c.w {
			row := tmp[(c.start+k-y0)*w : (c.start+k-y0+1)*w]
			for x, v := range row {
				acc[x] += wt * v
			}
		}
		dst := out.Pix[y*out.Stride : y*out.Stride+w]
		for x, v := range acc {
			dst[x] = toU8(float64(v))
		}
	}
	return out
}

// contrib is the source pixels one output pixel averages: weights w for
// source pixels start, start+1, ...
type contrib struct {
	start int
	w     []float32
}

// areaWeights maps the source interval [a0, a1) onto m output pixels:
// output i covers [a0 + i*s, a0 + (i+1)*s) with s = (a1-a0)/m, each source
// pixel weighted by its overlap.
func areaWeights(a0, a1 float64, m int) []contrib {
	out := make([]contrib, m)
	scale := (a1 - a0) / float64(m)
	for i := range out {
		a, b := a0+float64(i)*scale, a0+float64(i+1)*scale
		if i == m-1 {
			b = a1
		}
		j0 := int(math.Floor(a))
		j1 := max(int(math.Ceil(b)), j0+1)
		c := contrib{start: j0, w: make([]float32, 0, j1-j0)}
		for j := j0; j < j1; j++ {
			ov := min(b, float64(j+1)) - max(a, float64(j))
			c.w = append(c.w, float32(max(ov, 0)/(b-a)))
		}
		out[i] = c
	}
	return out
}

// Fit returns m at w x h: m itself when it already has that size, scaled
// (Resize) when its aspect ratio is within 1% of w:h, else a *SizeError
// (Scaling true) stating both sizes.
func Fit(m *image.Alpha, w, h int) (*image.Alpha, error) {
	if m.Rect.Dx() == w && m.Rect.Dy() == h {
		return m, nil
	}
	if err := CheckAspect(m, w, h); err != nil {
		return nil, err
	}
	return Resize(m, w, h), nil
}

// CheckAspect returns a *SizeError (Scaling true) stating both sizes when
// m's aspect ratio is more than 1% away from w:h, the rule Fit applies.
func CheckAspect(m *image.Alpha, w, h int) error {
	mw, mh := m.Rect.Dx(), m.Rect.Dy()
	if mw <= 0 || mh <= 0 || w <= 0 || h <= 0 ||
		math.Abs(float64(mw)*float64(h)/(float64(mh)*float64(w))-1) > 0.01 {
		return &SizeError{Mask: image.Pt(mw, mh), Image: image.Pt(w, h), Scaling: true}
	}
	return nil
}
