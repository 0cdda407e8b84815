package jpeg

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"os"
	"sort"
	"syscall"
	"testing"
	"time"
)

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestMeasure(t *testing.T) {
	if os.Getenv("MEASURE") == "" {
		t.Skip()
	}
	for _, name := range []string{"photo12_s7edge.jpg", "photo12_immich_420.jpg"} {
		data, _ := os.ReadFile("/work/shared/bench-photos/" + name)
		run := func(f func()) time.Duration {
			var ts []time.Duration
			for r := 0; r < 7; r++ {
				c0 := cpuNow()
				f()
				ts = append(ts, cpuNow()-c0)
			}
			sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
			return ts[1]
		}
		line := name + ":"
		line += fmt.Sprintf(" std %.1f", run(func() { jpeg.Decode(bytes.NewReader(data)) }).Seconds()*1000)
		for _, dn := range []int{1, 2, 4, 8} {
			line += fmt.Sprintf(" d%d %.1f", dn, run(func() { DecodeScaled(bytes.NewReader(data), dn) }).Seconds()*1000)
		}
		fmt.Println(line)
	}
}
