package mask_test

import (
	"image"
	"image/color"
	"testing"

	"github.com/imgprep/imgprep/mask"
)

func TestPreview(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 40, 30))
	for i := range img.Pix {
		img.Pix[i] = 100
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	img.SetNRGBA(0, 0, color.NRGBA{}) // a transparent pixel shows the checkerboard
	m := mask.FromShapes(40, 30, []mask.Shape{mask.Rect{X: 10, Y: 10, W: 10, H: 10}}, mask.Options{})
	p := mask.Preview(img, m)
	if p.Rect != img.Rect {
		t.Fatalf("size %v", p.Rect)
	}
	grey := color.NRGBA{100, 100, 100, 255}
	if c := p.NRGBAAt(30, 25); c != grey {
		t.Errorf("kept pixel changed: %v", c)
	}
	if c := p.NRGBAAt(10, 15); c != (color.NRGBA{255, 0, 255, 255}) {
		t.Errorf("edge pixel %v, want the outline colour", c)
	}
	if c := p.NRGBAAt(15, 15); c.R < 160 || c.G > 60 || c.B < 160 || c.A != 255 {
		t.Errorf("interior pixel %v, want tinted magenta", c)
	}
	if c := p.NRGBAAt(0, 0); c.A != 255 || c.R < 200 {
		t.Errorf("transparent pixel %v, want the light checkerboard", c)
	}
}
