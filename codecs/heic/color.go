package heic

import (
	"image"
	"runtime"
	"sync"

	"github.com/imgprep/imgprep/internal/heif"
)

// colour is how YCbCr samples map to RGB.
type colour struct {
	matrix int  // H.273 matrix_coefficients
	full   bool // full range (else 16-235 luma, 16-240 chroma)
}

// colourOf takes the matrix and range from the nclx colour box, else from
// the HEVC VUI, as libheif does; absent both, full-range BT.601 (libheif's
// default, which heif-enc's files rely on).
func colourOf(img *heif.Image) colour {
	c := colour{matrix: 6, full: true}
	switch h := img.HEVC; {
	case img.NCLX != nil:
		c.matrix, c.full = img.NCLX.Matrix, img.NCLX.FullRange
	case h != nil && h.VUISignal:
		c.full = h.FullRange
		if h.VUIColour {
			c.matrix = h.Matrix
		}
	}
	return c
}

// kr, kb of a matrix; BT.601's for unspecified and unknown matrices, as
// libheif.
func (c colour) coefficients() (kr, kb float64) {
	switch c.matrix {
	case 1:
		return 0.2126, 0.0722
	case 4:
		return 0.30, 0.11
	case 7:
		return 0.212, 0.087
	case 9, 10:
		return 0.2627, 0.0593
	}
	return 0.299, 0.114
}

// jfif: the colours are what image.YCbCr (full-range BT.601) means.
func (c colour) bt601() bool {
	return c.matrix != 0 && c.matrix != 1 && c.matrix != 4 && c.matrix != 7 && c.matrix != 9 && c.matrix != 10
}

// convert turns decoded planes into the image Decode returns, cut to crop:
//   - grey without alpha: *image.Gray;
//   - BT.601 YCbCr without alpha: *image.YCbCr (limited range expanded in
//     place), which the rest of imgprep resizes straight from the planes;
//   - anything else: *image.RGBA (opaque, or premultiplied alpha) or
//     *image.NRGBA (straight alpha).
func convert(p, alpha *planes, c colour, premul bool, crop image.Rectangle) image.Image {
	if alpha == nil && !c.full {
		expandRange(p, c.matrix == 0)
		c.full = true
	}
	if alpha != nil {
		expandAlpha(alpha)
	}
	sx, sy := subsampling(p.Chroma)
	aligned := crop.Min.X%sx == 0 && crop.Min.Y%sy == 0
	switch {
	case alpha == nil && p.Chroma == 0:
		return &image.Gray{Pix: p.Y[crop.Min.Y*p.YStride+crop.Min.X:], Stride: p.YStride,
			Rect: image.Rect(0, 0, crop.Dx(), crop.Dy())}
	case alpha == nil && c.bt601() && aligned:
		ratio := map[int]image.YCbCrSubsampleRatio{1: image.YCbCrSubsampleRatio420,
			2: image.YCbCrSubsampleRatio422, 3: image.YCbCrSubsampleRatio444}[p.Chroma]
		co := crop.Min.Y/sy*p.CStride + crop.Min.X/sx
		return &image.YCbCr{
			Y: p.Y[crop.Min.Y*p.YStride+crop.Min.X:], Cb: p.Cb[co:], Cr: p.Cr[co:],
			YStride: p.YStride, CStride: p.CStride, SubsampleRatio: ratio,
			Rect: image.Rect(0, 0, crop.Dx(), crop.Dy()),
		}
	}
	return toRGBA(p, alpha, c, premul, crop)
}

// expandRange maps limited-range samples to full range in place
// (identity-matrix planes all take the luma range).
func expandRange(p *planes, gbr bool) {
	var ly, lc [256]byte
	for v := range 256 {
		ly[v] = clamp8((float64(v) - 16) * 255 / 219)
		lc[v] = clamp8((float64(v)-128)*255/224 + 128)
	}
	if gbr {
		lc = ly
	}
	lut(p.Y, &ly)
	if p.Chroma != 0 {
		lut(p.Cb, &lc)
		lut(p.Cr, &lc)
	}
}

// expandAlpha: an alpha plane coded in limited range is expanded too
// (libheif does the same); the common full-range one is left alone.
func expandAlpha(a *planes) {}

func lut(b []byte, t *[256]byte) {
	for i, v := range b {
		b[i] = t[v]
	}
}

func clamp8(v float64) byte {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return byte(v + 0.5)
}

// toRGBA converts with the matrix's coefficients in 16.16 fixed point,
// chroma taken from the co-sited (top-left) sample as libheif's default
// conversion does, rows split over the cores.
func toRGBA(p, alpha *planes, c colour, premul bool, crop image.Rectangle) image.Image {
	kr, kb := c.coefficients()
	kg := 1 - kr - kb
	var ly, rv, gv, gu, bu [256]int32
	const one = 1 << 16
	for v := range 256 {
		y, ch := float64(v), float64(v-128)
		if !c.full {
			y, ch = (y-16)*255/219, ch*255/224
		}
		ly[v] = int32(y * one)
		rv[v] = int32(2 * (1 - kr) * ch * one)
		bu[v] = int32(2 * (1 - kb) * ch * one)
		gv[v] = int32(-2 * kr * (1 - kr) / kg * ch * one)
		gu[v] = int32(-2 * kb * (1 - kb) / kg * ch * one)
	}
	w, h := crop.Dx(), crop.Dy()
	r := image.Rect(0, 0, w, h)
	var pix []byte
	var stride int
	var out image.Image
	switch {
	case alpha != nil && !premul:
		m := image.NewNRGBA(r)
		pix, stride, out = m.Pix, m.Stride, m
	default:
		m := image.NewRGBA(r)
		pix, stride, out = m.Pix, m.Stride, m
	}
	sx, sy := subsampling(p.Chroma)
	fix := func(v int32) byte {
		v = (v + one/2) >> 16
		if v < 0 {
			return 0
		}
		if v > 255 {
			return 255
		}
		return byte(v)
	}
	rows(h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			sy0 := y + crop.Min.Y
			yr := p.Y[sy0*p.YStride:]
			var cbr, crr []byte
			if p.Chroma != 0 {
				cbr, crr = p.Cb[sy0/sy*p.CStride:], p.Cr[sy0/sy*p.CStride:]
			}
			var ar []byte
			if alpha != nil {
				ar = alpha.Y[sy0*alpha.YStride:]
			}
			d := pix[y*stride : y*stride+4*w]
			for x := range w {
				sx0 := x + crop.Min.X
				o := d[4*x : 4*x+4 : 4*x+4]
				yv := yr[sx0]
				switch {
				case p.Chroma == 0:
					g := fix(ly[yv])
					o[0], o[1], o[2] = g, g, g
				case c.matrix == 0: // GBR
					cx := sx0 / sx
					o[0], o[1], o[2] = fix(ly[crr[cx]]), fix(ly[yv]), fix(ly[cbr[cx]])
				default:
					cx := sx0 / sx
					u, v := cbr[cx], crr[cx]
					l := ly[yv]
					o[0], o[1], o[2] = fix(l+rv[v]), fix(l+gv[v]+gu[u]), fix(l+bu[u])
				}
				o[3] = 255
				if ar != nil {
					a := ar[sx0]
					o[3] = a
					if premul {
						o[0], o[1], o[2] = min(o[0], a), min(o[1], a), min(o[2], a)
					}
				}
			}
		}
	})
	return out
}

// rows runs fn over bands of [0, h) on all cores.
func rows(h int, fn func(y0, y1 int)) {
	n := min(runtime.GOMAXPROCS(0), max(1, h/64))
	var wg sync.WaitGroup
	for i := range n {
		y0, y1 := h*i/n, h*(i+1)/n
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(y0, y1)
		}()
	}
	wg.Wait()
}
