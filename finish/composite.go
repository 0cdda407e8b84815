package finish

import (
	"fmt"
	"image"
	"math"

	"github.com/imgprep/imgprep/internal/raster"
)

// composite blends the restored edit (crop-sized, in original upright
// coordinates) onto the original through the model's mask mapped back to
// the original. Pixels whose edit weight is 0 are copied from the original
// unchanged.
func (f *job) composite(edited *image.NRGBA) (*image.NRGBA, error) {
	up, err := f.uprightOriginal()
	if err != nil {
		return nil, err
	}
	weights, err := f.editWeights()
	if err != nil {
		return nil, err
	}
	crop := f.plan.Crop
	dst := raster.Place(up, up.Rect.Dx(), up.Rect.Dy(), image.Point{}, up.NRGBAAt(0, 0))
	w := up.Rect.Dx()
	for y := 0; y < crop.H; y++ {
		oy := crop.Y + y
		wrow := weights[oy*w : (oy+1)*w]
		for x := 0; x < crop.W; x++ {
			ox := crop.X + x
			a := uint32(wrow[ox])
			if a == 0 {
				continue
			}
			d := dst.Pix[oy*dst.Stride+4*ox : oy*dst.Stride+4*ox+4]
			s := edited.Pix[y*edited.Stride+4*x : y*edited.Stride+4*x+4]
			for c := range 4 {
				d[c] = uint8((uint32(d[c])*(255-a) + uint32(s[c])*a + 127) / 255)
			}
		}
	}
	return dst, nil
}

// editWeights maps the model's mask back to the upright original: one byte
// per pixel, 255 where the model was told to edit, 0 where the original
// must stay, with a soft edge grown outward by the feather.
func (f *job) editWeights() ([]uint8, error) {
	img, _, err := f.decode(f.o.Mask, "mask")
	if err != nil {
		return nil, err
	}
	pl := f.plan
	b := img.Bounds()
	if b.Dx() != pl.Canvas.W || b.Dy() != pl.Canvas.H {
		return nil, fmt.Errorf("%w: the mask is %dx%d, the prepared image was %dx%d; give the mask the model got",
			ErrPlanMismatch, b.Dx(), b.Dy(), pl.Canvas.W, pl.Canvas.H)
	}
	m := raster.ToNRGBA(img)
	// Edit strength in canvas coordinates, as grey, restricted to content.
	c := pl.Content
	edit := image.NewGray(image.Rect(0, 0, c.W, c.H))
	for y := range c.H {
		row := m.Pix[(c.Y+y)*m.Stride+4*c.X:]
		for x := range c.W {
			edit.Pix[y*edit.Stride+x] = 255 - row[4*x+3]
		}
	}
	crop := pl.Crop
	uw, uh := pl.Upright.W, pl.Upright.H
	wts := make([]uint8, uw*uh)
	bilinearInto(wts, uw, image.Pt(crop.X, crop.Y), crop.W, crop.H, edit)
	feather := f.o.Feather
	if feather <= 0 {
		feather = int(math.Ceil(float64(crop.W) / float64(pl.Resize.W)))
	}
	growSoft(wts, uw, uh, feather)
	return wts, nil
}

// growSoft replaces each weight by the larger of itself and its box blur of
// radius r: full strength inside the edit area, a ramp of width r outside
// it, and exactly 0 farther than r from any edited pixel.
func growSoft(w []uint8, width, height, r int) {
	if r <= 0 {
		return
	}
	blur := boxBlur(w, width, height, r)
	for i, v := range blur {
		if v > w[i] {
			w[i] = v
		}
	}
}

// boxBlur is a separable box blur with radius r (running sums, O(n)),
// rounding up so that any nonzero neighbourhood stays nonzero.
func boxBlur(src []uint8, w, h, r int) []uint8 {
	n := 2*r + 1
	tmp := make([]uint32, w*h)
	for y := range h {
		row := src[y*w : (y+1)*w]
		var sum uint32
		for x := -r; x <= r; x++ {
			if x >= 0 && x < w {
				sum += uint32(row[x])
			}
		}
		for x := range w {
			tmp[y*w+x] = sum
			if x-r >= 0 {
				sum -= uint32(row[x-r])
			}
			if x+r+1 < w {
				sum += uint32(row[x+r+1])
			}
		}
	}
	out := make([]uint8, w*h)
	div := uint32(n * n)
	for x := range w {
		var sum uint32
		for y := -r; y <= r; y++ {
			if y >= 0 && y < h {
				sum += tmp[y*w+x]
			}
		}
		for y := range h {
			out[y*w+x] = uint8((sum + div - 1) / div)
			if y-r >= 0 {
				sum -= tmp[(y-r)*w+x]
			}
			if y+r+1 < h {
				sum += tmp[(y+r+1)*w+x]
			}
		}
	}
	return out
}

// bilinearInto scales src to w x h with bilinear interpolation and writes
// it into dst (row length stride) at offset at. Bilinear, not Lanczos: a
// mask must not ring, so an edit weight is nonzero only within one source
// pixel of an edited source pixel.
func bilinearInto(dst []uint8, stride int, at image.Point, w, h int, src *image.Gray) {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	fx, fy := float64(sw)/float64(w), float64(sh)/float64(h)
	x0s, wxs := make([]int, w), make([]float64, w)
	for x := range w {
		sx := min(max((float64(x)+0.5)*fx-0.5, 0), float64(sw-1))
		x0s[x] = min(int(sx), sw-1)
		wxs[x] = sx - float64(x0s[x])
	}
	for y := range h {
		sy := min(max((float64(y)+0.5)*fy-0.5, 0), float64(sh-1))
		y0 := min(int(sy), sh-1)
		y1 := min(y0+1, sh-1)
		wy := sy - float64(y0)
		r0, r1 := src.Pix[y0*src.Stride:], src.Pix[y1*src.Stride:]
		out := dst[(at.Y+y)*stride+at.X:]
		for x := range w {
			a, b := x0s[x], min(x0s[x]+1, sw-1)
			wx := wxs[x]
			top := float64(r0[a])*(1-wx) + float64(r0[b])*wx
			bot := float64(r1[a])*(1-wx) + float64(r1[b])*wx
			out[x] = uint8(math.Ceil(top*(1-wy) + bot*wy - 1e-9))
		}
	}
}
