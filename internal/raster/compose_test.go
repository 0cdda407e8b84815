package raster_test

import (
	"image"
	"image/color"
	"image/draw"
	"testing"

	"github.com/imgprep/imgprep/internal/raster"
)

func TestPlace(t *testing.T) {
	src := grid([]string{"abc", "def"})
	bg := color.NRGBA{1, 2, 3, 0}
	got := raster.Place(src, 5, 4, image.Pt(1, 2), bg)
	want := []string{"\x01\x01\x01\x01\x01", "\x01\x01\x01\x01\x01", "\x01abc\x01", "\x01def\x01"}
	if g := labels(got); len(g) != 4 || g[0] != want[0] || g[2] != want[2] || g[3] != want[3] {
		t.Errorf("Place: %q", g)
	}
	if got.NRGBAAt(0, 0) != bg || got.Rect != image.Rect(0, 0, 5, 4) {
		t.Errorf("Place background %v rect %v", got.NRGBAAt(0, 0), got.Rect)
	}
	// Clipping on both sides.
	got = raster.Place(src, 2, 1, image.Pt(-1, 0), bg)
	if g := labels(got); g[0] != "bc" {
		t.Errorf("clipped Place: %q", g)
	}
	got = raster.Place(src, 2, 2, image.Pt(5, 5), bg)
	if got.NRGBAAt(1, 1) != bg {
		t.Errorf("off-canvas Place drew something")
	}
}

func TestFlattenOpaque(t *testing.T) {
	m := image.NewNRGBA(image.Rect(0, 0, 40, 3))
	for i := range m.Pix {
		m.Pix[i] = 255
	}
	if !raster.Opaque(m) {
		t.Fatal("opaque image reported transparent")
	}
	m.SetNRGBA(39, 2, color.NRGBA{200, 100, 0, 128})
	m.SetNRGBA(0, 0, color.NRGBA{9, 9, 9, 0})
	if raster.Opaque(m) {
		t.Fatal("transparent image reported opaque")
	}
	if raster.Opaque(m.SubImage(image.Rect(1, 0, 39, 3)).(*image.NRGBA)) != true {
		t.Fatal("opaque sub-image reported transparent")
	}
	f := raster.Flatten(m, color.NRGBA{0, 0, 255, 7})
	if !raster.Opaque(f) {
		t.Fatal("Flatten result not opaque")
	}
	if c := f.NRGBAAt(0, 0); c != (color.NRGBA{0, 0, 255, 255}) {
		t.Errorf("transparent pixel flattened to %v", c)
	}
	if c := f.NRGBAAt(39, 2); c != (color.NRGBA{100, 50, 127, 255}) {
		t.Errorf("half pixel flattened to %v", c)
	}
	if c := f.NRGBAAt(5, 1); c != (color.NRGBA{255, 255, 255, 255}) {
		t.Errorf("opaque pixel flattened to %v", c)
	}
}

func TestToNRGBA(t *testing.T) {
	base := synth(67, 45, true)
	opq := synth(67, 45, false)
	rgba := image.NewRGBA(base.Rect)
	draw.Draw(rgba, rgba.Rect, base, image.Point{}, draw.Src)
	pal := image.NewPaletted(base.Rect, color.Palette{color.NRGBA{1, 2, 3, 255}, color.NRGBA{200, 0, 0, 100}})
	pal.Pix[5] = 1
	cases := map[string]image.Image{
		"nrgba-sub": base.SubImage(image.Rect(3, 4, 60, 40)),
		"rgba":      rgba,
		"ycbcr420":  toYCbCr(opq, image.YCbCrSubsampleRatio420),
		"ycbcr-sub": toYCbCr(opq, image.YCbCrSubsampleRatio422).SubImage(image.Rect(1, 3, 50, 41)),
		"gray":      convert(base, image.NewGray(base.Rect)),
		"gray16":    convert(base, image.NewGray16(base.Rect)),
		"nrgba64":   convert(base, image.NewNRGBA64(base.Rect)),
		"rgba64":    convert(base, image.NewRGBA64(base.Rect)),
		"cmyk":      convert(opq, image.NewCMYK(base.Rect)),
		"paletted":  pal,
	}
	for name, img := range cases {
		got := raster.ToNRGBA(img)
		b := img.Bounds()
		if got.Rect != image.Rect(0, 0, b.Dx(), b.Dy()) {
			t.Errorf("%s: rect %v", name, got.Rect)
			continue
		}
		bad := 0
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				want := color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
				g := got.NRGBAAt(x, y)
				if d := diff(g, want); d > 1 || (want.A == 255 && g.A != 255) {
					bad++
					if bad < 3 {
						t.Errorf("%s (%d,%d): got %v want %v", name, x, y, g, want)
					}
				}
			}
		}
	}
	if raster.ToNRGBA(base) != base {
		t.Error("ToNRGBA copied an NRGBA at the origin")
	}
}

// convert draws src into dst (image/draw's conversion) and returns dst.
func convert[T draw.Image](src image.Image, dst T) T {
	draw.Draw(dst, dst.Bounds(), src, src.Bounds().Min, draw.Src)
	return dst
}

func diff(a, b color.NRGBA) int {
	m := 0
	for _, d := range []int{int(a.R) - int(b.R), int(a.G) - int(b.G), int(a.B) - int(b.B), int(a.A) - int(b.A)} {
		m = max(m, d, -d)
	}
	if a.A == 0 && b.A == 0 {
		return 0
	}
	return m
}
