package mask_test

import (
	"image"
	"testing"
)

// at returns m's alpha at (x, y).
func at(m *image.Alpha, x, y int) uint8 { return m.AlphaAt(x, y).A }

// editArea returns the area in pixels, counting soft pixels by their share.
func editArea(m *image.Alpha) float64 {
	var s float64
	for _, a := range m.Pix {
		s += float64(255-a) / 255
	}
	return s
}

// edgeX returns where a row's edit area ends going right from x0: the
// first x at or after x0 whose alpha is at least 128.
func edgeX(t *testing.T, m *image.Alpha, x0, y int) int {
	t.Helper()
	for x := x0; x < m.Rect.Dx(); x++ {
		if at(m, x, y) >= 128 {
			return x
		}
	}
	return m.Rect.Dx()
}
