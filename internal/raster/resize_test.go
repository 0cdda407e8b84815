package raster_test

import (
	"image"
	"image/color"
	"testing"

	"github.com/imgprep/imgprep/internal/raster"
)

// sizes covers downscales (mild, ~4x, beyond the 8x box threshold),
// upscales, mixed and degenerate targets.
var sizes = [][4]int{ // src w, h -> dst w, h
	{40, 30, 10, 7}, {40, 30, 23, 29}, {40, 30, 97, 61}, {40, 30, 1, 1},
	{40, 30, 40, 30}, {7, 5, 40, 30}, {1, 1, 3, 2}, {3, 200, 2, 9},
	{201, 3, 19, 5}, {50, 400, 31, 20}, {33, 17, 120, 4},
}

func TestResizeDims(t *testing.T) {
	for _, s := range sizes {
		got := raster.Resize(synth(s[0], s[1], true), s[2], s[3])
		if got.Rect != image.Rect(0, 0, s[2], s[3]) || got.Stride != 4*s[2] {
			t.Errorf("%v: rect %v stride %d", s, got.Rect, got.Stride)
		}
	}
	if got := raster.Resize(synth(4, 4, false), 0, 3); !got.Rect.Empty() {
		t.Errorf("w=0: rect %v", got.Rect)
	}
	src := synth(20, 20, false)
	if got := raster.Resize(src, 20, 20); got == src || maxDiff(got, src) != 0 {
		t.Error("same-size Resize must return an identical copy")
	}
}

// solidSources returns flat images of colour c in every supported layout
// (and the colour each should resample to).
func solidSources(c color.NRGBA, w, h int) map[string]struct {
	img  image.Image
	want color.NRGBA
} {
	r := image.Rect(0, 0, w, h)
	n := image.NewNRGBA(r)
	for i := 0; i < len(n.Pix); i += 4 {
		n.Pix[i], n.Pix[i+1], n.Pix[i+2], n.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	out := map[string]struct {
		img  image.Image
		want color.NRGBA
	}{}
	add := func(name string, img image.Image) {
		out[name] = struct {
			img  image.Image
			want color.NRGBA
		}{img, color.NRGBAModel.Convert(img.At(0, 0)).(color.NRGBA)}
	}
	add("nrgba", n)
	add("generic", generic{n})
	add("nrgba64", convert(n, image.NewNRGBA64(r)))
	add("rgba64", convert(n, image.NewRGBA64(r)))
	add("paletted", image.NewPaletted(r, color.Palette{c}))
	if c.A == 255 {
		add("rgba", convert(n, image.NewRGBA(r)))
		add("gray", convert(n, image.NewGray(r)))
		add("gray16", convert(n, image.NewGray16(r)))
		add("cmyk", convert(n, image.NewCMYK(r)))
		for _, ss := range []image.YCbCrSubsampleRatio{
			image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
			image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
		} {
			add("ycbcr"+ss.String(), toYCbCr(n, ss))
		}
	}
	return out
}

func TestResizeSolid(t *testing.T) {
	for _, c := range []color.NRGBA{
		{200, 100, 50, 255}, {0, 0, 0, 255}, {255, 255, 255, 255}, {13, 250, 128, 255},
		{200, 100, 50, 77}, {255, 0, 0, 128}, {9, 200, 99, 1}, {255, 255, 255, 254},
	} {
		for _, s := range sizes {
			for name, src := range solidSources(c, s[0], s[1]) {
				got := raster.Resize(src.img, s[2], s[3])
				want := src.want
				tol := 0
				if name[:3] == "ycb" || name == "cmyk" {
					tol = 1 // image/color's 8- and 16-bit conversions differ by 1
				}
				if c.A < 16 {
					tol = 1 // 16-bit premultiplied inputs lose colour precision
				}
				first := got.NRGBAAt(0, 0)
				if d := diff(first, want); d > tol {
					t.Errorf("%v %s %v: got %v, want %v", c, name, s, first, want)
					continue
				}
				for y := 0; y < s[3]; y++ {
					for x := 0; x < s[2]; x++ {
						if g := got.NRGBAAt(x, y); g != first {
							t.Errorf("%v %s %v: not flat at (%d,%d): %v vs %v", c, name, s, x, y, g, first)
							y = s[3]
							break
						}
					}
				}
			}
		}
	}
}

func TestResizeNoDarkFringe(t *testing.T) {
	// Half-transparent red next to transparent black: colour must stay
	// pure red wherever anything is visible.
	src := image.NewNRGBA(image.Rect(0, 0, 301, 203))
	for y := 0; y < 203; y++ {
		for x := 0; x < 301; x++ {
			if (x/37+y/29)%2 == 0 {
				src.SetNRGBA(x, y, color.NRGBA{255, 0, 0, 128})
			}
		}
	}
	for _, d := range [][2]int{{75, 50}, {150, 100}, {640, 480}, {29, 190}} {
		got := raster.Resize(src, d[0], d[1])
		for i := 0; i < len(got.Pix); i += 4 {
			p := got.Pix[i : i+4]
			if p[3] != 0 && (p[0] != 255 || p[1] != 0 || p[2] != 0) {
				t.Fatalf("%v: fringe pixel %v", d, p)
			}
			if p[3] > 166 { // 2-D Lanczos ringing (imaging: up to 160 here) is fine
				t.Fatalf("%v: alpha overshoot %v", d, p)
			}
		}
	}
}

func TestResizeEdge(t *testing.T) {
	// A sharp black|white vertical edge lands at the scaled column.
	for _, c := range []struct{ sw, edge, dw int }{
		{4000, 2000, 1000}, {4032, 1000, 1024}, {1000, 301, 333}, {100, 37, 250}, {640, 320, 80},
	} {
		src := image.NewGray(image.Rect(0, 0, c.sw, 16))
		for y := 0; y < 16; y++ {
			for x := c.edge; x < c.sw; x++ {
				src.Pix[y*src.Stride+x] = 255
			}
		}
		for _, img := range []image.Image{src, generic{src}} {
			got := raster.Resize(img, c.dw, 4)
			cross := -1
			for x := 1; x < c.dw; x++ {
				if got.Pix[4*(x-1)] < 128 && got.Pix[4*x] >= 128 {
					cross = x
				}
			}
			want := float64(c.edge) * float64(c.dw) / float64(c.sw)
			if d := float64(cross) - want; d < -1 || d > 1 {
				t.Errorf("%+v: edge at column %d, want %.1f", c, cross, want)
			}
		}
	}
}

func TestResizeSubImage(t *testing.T) {
	big := synth(90, 70, true)
	sub := big.SubImage(image.Rect(7, 5, 80, 61)).(*image.NRGBA)
	cp := image.NewNRGBA(image.Rect(0, 0, 73, 56))
	for y := 0; y < 56; y++ {
		copy(cp.Pix[y*cp.Stride:], sub.Pix[y*sub.Stride:y*sub.Stride+4*73])
	}
	if d := maxDiff(raster.Resize(sub, 31, 17), raster.Resize(cp, 31, 17)); d != 0 {
		t.Errorf("sub-image differs from its copy by %d", d)
	}
	ycc := toYCbCr(synth(90, 70, false), image.YCbCrSubsampleRatio420)
	ysub := ycc.SubImage(image.Rect(7, 5, 80, 61))
	g1, g2 := raster.Resize(ysub, 31, 17), raster.Resize(generic{ysub}, 31, 17)
	if p := psnr(g1, g2); p < 45 {
		t.Errorf("odd-origin YCbCr sub-image: PSNR %.1f vs generic", p)
	}
}

func TestResizeChunking(t *testing.T) {
	// Output must not depend on how rows are split between workers.
	defer raster.SetChunks(0)
	src := synth(504, 378, true)
	ycc := toYCbCr(synth(504, 378, false), image.YCbCrSubsampleRatio420)
	noise := image.NewNRGBA(src.Rect)
	for i := range noise.Pix {
		noise.Pix[i] = uint8(i * 7919 >> 3)
	}
	for _, d := range [][2]int{{300, 450}, {128, 96}, {700, 500}, {504, 41}, {97, 3000}, {60, 30}} {
		for _, img := range []image.Image{src, ycc} {
			raster.SetChunks(1)
			want := raster.Resize(img, d[0], d[1])
			for _, n := range []int{2, 3, 7, 16} {
				raster.SetChunks(n)
				raster.Resize(noise, d[0], d[1]) // leave stale state in pooled buffers
				if got := raster.Resize(img, d[0], d[1]); maxDiff(got, want) != 0 {
					t.Errorf("%T %v: %d chunks differ from 1", img, d, n)
				}
			}
		}
	}
}
