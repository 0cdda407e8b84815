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
	out := image.NewAlpha(image.Rect(0, 0, max(w, 0), max(h, 0)))
	if w <= 0 || h <= 0 || sw == 0 || sh == 0 {
		return out
	}
	wx, wy := areaWeights(sw, w), areaWeights(sh, h)
	// Horizontal pass into a float buffer (sh rows of w).
	tmp := make([]float32, sh*w)
	for y := range sh {
		src := m.Pix[y*m.Stride : y*m.Stride+sw]
		dst := tmp[y*w : (y+1)*w]
		for x, c := range wx {
			var s float32
			for k, wt := range c.w {
				s += wt * float32(src[c.start+k])
			}
			dst[x] = s
		}
	}
	// Vertical pass.
	acc := make([]float32, w)
	for y, c := range wy {
		clear(acc)
		for k, wt := range c.w {
			row := tmp[(c.start+k)*w : (c.start+k+1)*w]
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

// areaWeights maps n source pixels onto m output pixels: output i covers
// source [i*n/m, (i+1)*n/m), each source pixel weighted by its overlap.
func areaWeights(n, m int) []contrib {
	out := make([]contrib, m)
	scale := float64(n) / float64(m)
	for i := range out {
		a, b := float64(i)*scale, float64(i+1)*scale
		j0 := int(math.Floor(a))
		j1 := min(int(math.Ceil(b)), n)
		c := contrib{start: j0, w: make([]float32, 0, j1-j0)}
		for j := j0; j < j1; j++ {
			ov := min(b, float64(j+1)) - max(a, float64(j))
			c.w = append(c.w, float32(ov/scale))
		}
		out[i] = c
	}
	return out
}

// Fit returns m at w x h: m itself when it already has that size, scaled
// (Resize) when its aspect ratio is within 1% of w:h, else a *SizeError
// (Scaling true) stating both sizes.
func Fit(m *image.Alpha, w, h int) (*image.Alpha, error) {
	mw, mh := m.Rect.Dx(), m.Rect.Dy()
	if mw == w && mh == h {
		return m, nil
	}
	if mw <= 0 || mh <= 0 || w <= 0 || h <= 0 ||
		math.Abs(float64(mw)*float64(h)/(float64(mh)*float64(w))-1) > 0.01 {
		return nil, &SizeError{Mask: image.Pt(mw, mh), Image: image.Pt(w, h), Scaling: true}
	}
	return Resize(m, w, h), nil
}
