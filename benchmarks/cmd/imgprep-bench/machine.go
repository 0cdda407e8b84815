package main

import (
	"bufio"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// env describes the machine and tools a table was measured with.
type env struct {
	date, cpu, mem, kernel, goVersion   string
	vips, magick, loadBefore, loadAfter string
	cores                               int
}

// machine collects what the report states about the machine and peers.
func machine(c *config) env {
	e := env{
		date:       time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		cpu:        procField("/proc/cpuinfo", "model name"),
		mem:        procField("/proc/meminfo", "MemTotal"),
		kernel:     firstLine(os.ReadFile("/proc/sys/kernel/osrelease")),
		goVersion:  runtime.Version(),
		cores:      runtime.NumCPU(),
		loadBefore: loadAvg(),
	}
	if c.peers.vips != "" {
		e.vips = firstLine(exec.Command(c.peers.vips, "--version").Output())
	}
	if c.peers.convert != "" {
		e.magick = firstLine(exec.Command(c.peers.convert, "-version").Output())
	}
	return e
}

// procField returns the value of the first "key: value" line in a /proc file.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return "?"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.Join(strings.Fields(v), " ")
		}
	}
	return "?"
}

// loadAvg returns the 1, 5 and 15 minute load averages.
func loadAvg() string {
	f := strings.Fields(firstLine(os.ReadFile("/proc/loadavg")))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func firstLine(b []byte, err error) string {
	if err != nil {
		return "?"
	}
	s, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(s)
}
