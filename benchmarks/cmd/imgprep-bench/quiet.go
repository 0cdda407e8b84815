package main

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// cpuBusy returns the fraction of all CPUs' time spent busy (anything but
// idle and iowait) over an interval d, from /proc/stat; -1 when unknown.
func cpuBusy(d time.Duration) float64 {
	busy0, total0, ok0 := procStat()
	time.Sleep(d)
	busy1, total1, ok1 := procStat()
	if !ok0 || !ok1 || total1 <= total0 {
		return -1
	}
	return float64(busy1-busy0) / float64(total1-total0)
}

// procStat returns the busy and total jiffies of the "cpu" line.
func procStat() (busy, total uint64, ok bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 6 || f[0] != "cpu" {
		return 0, 0, false
	}
	for i, s := range f[1:] {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, 0, false
		}
		total += v
		if i != 3 && i != 4 { // idle, iowait
			busy += v
		}
	}
	return busy, total, true
}

// quietThreshold is the busy fraction of the machine (other processes:
// the harness is idle while it samples) above which a round waits.
const quietThreshold = 0.15

// waitQuiet waits, up to c.waitQuiet, until the machine is nearly idle,
// and counts the rounds that had to start while it was still busy.
func (c *config) waitQuiet() {
	if c.waitQuietMax <= 0 {
		return
	}
	deadline := time.Now().Add(c.waitQuietMax)
	for {
		b := cpuBusy(300 * time.Millisecond)
		if b >= 0 && b < quietThreshold {
			c.quietRounds++
			return
		}
		if time.Now().After(deadline) {
			c.busyRounds++
			return
		}
		time.Sleep(time.Second)
	}
}
