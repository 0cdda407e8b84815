package fastpng

import (
	"bytes"
	"image"
	"testing"
	"time"
)

func TestDebugPar2(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 1024, 1024))
	s := uint32(1)
	for i := range img.Pix {
		s = s*1664525 + 1013904223
		img.Pix[i] = uint8(s>>28) + uint8(i/4096)
	}
	r := newRows(img, true)
	for _, ch := range []int{1, 2, 8} {
		var buf bytes.Buffer
		t0 := time.Now()
		if ch == 1 {
			compressRows(&buf, r, 0, r.h, params{3, -1, 4}, true)
		} else {
			compressParallel(&buf, r, params{3, -1, 4}, ch)
		}
		t.Logf("chunks %d: %v", ch, time.Since(t0))
	}
}
