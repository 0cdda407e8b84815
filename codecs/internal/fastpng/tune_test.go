package fastpng

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuTime returns the least CPU time of n runs of f.
func cpuTime(n int, f func()) time.Duration {
	best := time.Hour
	for i := 0; i < n; i++ {
		t0 := cpuNow()
		f()
		best = min(best, cpuNow()-t0)
	}
	return best
}

func TestTune(t *testing.T) {
	if os.Getenv("TUNE") == "" {
		t.Skip()
	}
	imgs := map[string]image.Image{}
	for _, p := range []string{"/tmp/photo1024.png", "/work/shared/bench-photos/screenshot_4k.png"} {
		f, _ := os.Open(p)
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		imgs[p[len(p)-12:]] = img
	}
	for name, img := range imgs {
		for _, lvl := range []png.CompressionLevel{png.BestSpeed, png.DefaultCompression} {
			var buf bytes.Buffer
			enc := png.Encoder{CompressionLevel: lvl}
			d := cpuTime(3, func() { buf.Reset(); enc.Encode(&buf, img) })
			fmt.Printf("%s stdlib %d: %d bytes %v\n", name, lvl, buf.Len(), d.Round(time.Millisecond))
		}
		for _, cfg := range strings.Fields(os.Getenv("CFG")) { // flate:filter:sample
			f := strings.Split(cfg, ":")
			fl, _ := strconv.Atoi(f[0])
			ft, _ := strconv.Atoi(f[1])
			sample, _ := strconv.Atoi(f[2])
			r := newRows(img, false)
			var buf bytes.Buffer
			d := cpuTime(3, func() { buf.Reset(); writeZlib(&buf, r, params{fl, ft, sample}, false) })
			fmt.Printf("%s flate %d filter %d sample %d: %d bytes %v\n", name, fl, ft, sample, buf.Len(), d.Round(time.Millisecond))
		}
	}
}
