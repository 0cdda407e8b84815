package fastpng_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/imgprep/imgprep/codecs/internal/fastpng"
)

func TestDebugPar(t *testing.T) {
	img := photo1024(t)
	for _, lvl := range []int{0, 3} {
		for _, par := range []bool{false, true} {
			var buf bytes.Buffer
			bw, bc := time.Hour, time.Hour
			for i := 0; i < 5; i++ {
				buf.Reset()
				c0, t0 := cpuNow(), time.Now()
				fastpng.Encode(&buf, img, fastpng.Options{Level: lvl, Parallel: par})
				bw, bc = min(bw, time.Since(t0)), min(bc, cpuNow()-c0)
			}
			t.Logf("level %d par %v: wall %v cpu %v", lvl, par, bw, bc)
		}
	}
}
