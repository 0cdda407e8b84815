package jpegenc

import (
	"image/color"
	"testing"
)

// div is image/jpeg's quantization: a/b rounded to the nearest integer.
func div(a, b int32) int32 {
	if a >= 0 {
		return (a + (b >> 1)) / b
	}
	return -((-a + (b >> 1)) / b)
}

// TestQuantizeIsDiv: the reciprocal quantization equals image/jpeg's
// division for every quantizer and every value the fdct can produce
// (|a| <= 8*64*255 for 8-bit samples), and well beyond.
func TestQuantizeIsDiv(t *testing.T) {
	var e encoder
	var q [nQuantIndex][blockSize]byte
	for v := 1; v <= 255; v++ {
		q[0][0] = uint8(v)
		e.setQuant(q)
		d := 8 * int32(v)
		for a := int32(-1 << 18); a <= 1<<18; a++ {
			if got, want := quantize(a, d, e.recip[0][0]), div(a, d); got != want {
				t.Fatalf("quantize(%d, %d) = %d, want %d", a, d, got, want)
			}
		}
	}
}

// TestRGBToYCbCr: the inlined conversion equals image/color's for every
// 8-bit RGB triple.
func TestRGBToYCbCr(t *testing.T) {
	for r := 0; r < 256; r++ {
		for g := 0; g < 256; g++ {
			for b := 0; b < 256; b++ {
				y0, cb0, cr0 := color.RGBToYCbCr(uint8(r), uint8(g), uint8(b))
				y1, cb1, cr1 := rgbToYCbCr(int32(r), int32(g), int32(b))
				if int32(y0) != y1 || int32(cb0) != cb1 || int32(cr0) != cr1 {
					t.Fatalf("rgbToYCbCr(%d, %d, %d) = %d, %d, %d; want %d, %d, %d", r, g, b, y1, cb1, cr1, y0, cb0, cr0)
				}
			}
		}
	}
}

// TestPremul: premul equals color.NRGBA.RGBA's premultiplication.
func TestPremul(t *testing.T) {
	for c := 0; c < 256; c++ {
		for a := 0; a < 256; a++ {
			r, _, _, _ := color.NRGBA{uint8(c), 0, 0, uint8(a)}.RGBA()
			if got := premul(int32(c), int32(a)); got != int32(r>>8) {
				t.Fatalf("premul(%d, %d) = %d, want %d", c, a, got, r>>8)
			}
		}
	}
}
