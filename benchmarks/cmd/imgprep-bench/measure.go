package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

// sample is one whole-process run of a tool (or the sum of a command chain).
type sample struct {
	wall time.Duration
	cpu  time.Duration // user + system, from the child's rusage
	rss  int64         // peak resident set, bytes (max over the chain)
}

// runCmds runs each argv in turn, as a child process with no shell, and
// returns the summed wall and CPU time and the largest peak RSS.
func runCmds(cmds [][]string) (sample, error) {
	var s sample
	for _, argv := range cmds {
		c := exec.Command(argv[0], argv[1:]...)
		var stderr bytes.Buffer
		c.Stderr = &stderr
		start := time.Now()
		err := c.Run()
		s.wall += time.Since(start)
		if err != nil {
			return s, fmt.Errorf("%s: %v: %s", strings.Join(argv, " "), err, strings.TrimSpace(stderr.String()))
		}
		ps := c.ProcessState
		s.cpu += ps.UserTime() + ps.SystemTime()
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			s.rss = max(s.rss, ru.Maxrss*1024) // Linux reports KiB
		}
	}
	return s, nil
}

// summary is what the table shows for one tool on one job and input.
type summary struct {
	wall, cpu time.Duration // medians
	rss       int64         // the largest peak RSS of all runs
	n         int
}

// summarize takes medians of wall and CPU time and the maximum RSS.
func summarize(ss []sample) summary {
	if len(ss) == 0 {
		return summary{}
	}
	walls := make([]time.Duration, len(ss))
	cpus := make([]time.Duration, len(ss))
	var rss int64
	for i, s := range ss {
		walls[i], cpus[i] = s.wall, s.cpu
		rss = max(rss, s.rss)
	}
	return summary{wall: median(walls), cpu: median(cpus), rss: rss, n: len(ss)}
}

// median returns the middle value (the mean of the two middle ones for an
// even count).
func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
