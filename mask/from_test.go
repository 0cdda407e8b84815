package mask_test

import (
	"image"
	"image/color"
	"testing"

	"github.com/imgprep/imgprep/mask"
)

// painting returns a 4x1 greyscale strip: black, dark grey, light grey, white.
func painting() *image.Gray {
	g := image.NewGray(image.Rect(0, 0, 4, 1))
	copy(g.Pix, []uint8{0, 64, 192, 255})
	return g
}

func TestFromImage(t *testing.T) {
	tests := []struct {
		name string
		img  image.Image
		o    mask.ImageOptions
		want []uint8
	}{
		{"white edits", painting(), mask.ImageOptions{}, []uint8{255, 191, 63, 0}},
		{"invert: black edits", painting(), mask.ImageOptions{Invert: true}, []uint8{0, 64, 192, 255}},
		{"threshold", painting(), mask.ImageOptions{Threshold: 128}, []uint8{255, 255, 0, 0}},
		{"threshold inverted", painting(), mask.ImageOptions{Threshold: 128, Invert: true}, []uint8{0, 0, 255, 255}},
		{"colour image", rgbaStrip(color.NRGBA{0, 0, 0, 255}, color.NRGBA{255, 255, 255, 255}, color.NRGBA{255, 255, 255, 0}),
			mask.ImageOptions{}, []uint8{255, 0, 255}}, // transparent counts as black
		{"generic image type", paletted(), mask.ImageOptions{}, []uint8{0, 255}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := mask.FromImage(tc.img, tc.o)
			if string(m.Pix) != string(tc.want) {
				t.Errorf("got %v, want %v", m.Pix, tc.want)
			}
		})
	}
}

func rgbaStrip(cs ...color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, len(cs), 1))
	for i, c := range cs {
		img.SetNRGBA(i, 0, c)
	}
	return img
}

func paletted() *image.Paletted {
	p := image.NewPaletted(image.Rect(0, 0, 2, 1), color.Palette{color.White, color.Black})
	p.Pix[1] = 1
	return p
}

func TestFromAlphaAndAny(t *testing.T) {
	withAlpha := rgbaStrip(color.NRGBA{255, 255, 255, 0}, color.NRGBA{0, 0, 0, 255}, color.NRGBA{10, 10, 10, 100})
	if m := mask.FromAlpha(withAlpha); string(m.Pix) != string([]uint8{0, 255, 100}) {
		t.Errorf("FromAlpha: %v", m.Pix)
	}
	if m := mask.FromTransparency(withAlpha); string(m.Pix) != string([]uint8{0, 255, 100}) {
		t.Errorf("FromTransparency: %v", m.Pix)
	}
	if m := mask.FromAlpha(painting()); string(m.Pix) != string([]uint8{255, 255, 255, 255}) {
		t.Errorf("FromAlpha of an opaque image must keep everything: %v", m.Pix)
	}
	m, src := mask.FromAny(withAlpha, mask.ImageOptions{})
	if src != mask.SourceAlpha || string(m.Pix) != string([]uint8{0, 255, 100}) {
		t.Errorf("FromAny with transparency: %s %v", src, m.Pix)
	}
	m, src = mask.FromAny(withAlpha, mask.ImageOptions{Invert: true})
	if src != mask.SourceAlpha || string(m.Pix) != string([]uint8{255, 0, 155}) {
		t.Errorf("FromAny inverted: %s %v", src, m.Pix)
	}
	m, src = mask.FromAny(painting(), mask.ImageOptions{})
	if src != mask.SourceLuminance || string(m.Pix) != string([]uint8{255, 191, 63, 0}) {
		t.Errorf("FromAny opaque: %s %v", src, m.Pix)
	}
}
