package jpegenc

import "testing"

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
