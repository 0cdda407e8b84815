package fastpng

import (
	"bytes"
	"image"
	"sync"
	"testing"
	"time"
)

func TestDebugPar3(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 1024, 1024))
	s := uint32(1)
	for i := range img.Pix {
		s = s*1664525 + 1013904223
		img.Pix[i] = uint8(s>>28) + uint8(i/4096)
	}
	r := newRows(img, true)
	for round := 0; round < 3; round++ {
	t0 := time.Now()
	var wg sync.WaitGroup
	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			a := time.Since(t0)
			compressRows(&buf, r, g*512, g*512+512, params{3, -1, 4}, true)
			t.Logf("g%d: %v .. %v", g, a, time.Since(t0))
		}()
	}
	wg.Wait()
	t.Logf("total %v", time.Since(t0))
	}
	var buf bytes.Buffer
	t1 := time.Now()
	compressRows(&buf, r, 0, 512, params{3, -1, 4}, true)
	t.Logf("one half serial %v", time.Since(t1))
}
