package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"time"
)

// Linux records, at execve, the peak RSS of the address space being
// replaced into the new program's rusage. Go starts children with
// CLONE_VM|CLONE_VFORK, so every child the harness started itself would
// report at least the harness's own peak RSS (tens of MB after decoding
// outputs). The harness therefore starts each chain through a fresh copy of
// itself in launcher mode, whose peak RSS is a few MB: the `cp` rows show
// that floor.

// launchEnv switches the binary into launcher mode.
const launchEnv = "IMGPREP_BENCH_LAUNCH"

// launched is the launcher's answer on stdout.
type launched struct {
	Wall, CPU time.Duration
	RSS       int64
	Err       string
}

// launcherMain runs the chain read from stdin and prints the measurements;
// it is called before anything else when launchEnv is set.
func launcherMain() {
	var cmds [][]string
	if err := json.NewDecoder(os.Stdin).Decode(&cmds); err != nil {
		fmt.Fprintln(os.Stderr, "imgprep-bench launcher:", err)
		os.Exit(2)
	}
	s, err := runCmds(cmds)
	res := launched{Wall: s.wall, CPU: s.cpu, RSS: s.rss}
	if err != nil {
		res.Err = err.Error()
	}
	json.NewEncoder(os.Stdout).Encode(res)
	os.Exit(0)
}

// launch runs a command chain through the launcher (self) and returns what
// it measured.
func launch(self string, cmds [][]string) (sample, error) {
	in, err := json.Marshal(cmds)
	if err != nil {
		return sample{}, err
	}
	c := exec.Command(self)
	c.Env = append(os.Environ(), launchEnv+"=1")
	c.Stdin = bytes.NewReader(in)
	out, err := c.Output()
	if err != nil {
		return sample{}, fmt.Errorf("launcher: %v", err)
	}
	var res launched
	if err := json.Unmarshal(out, &res); err != nil {
		return sample{}, fmt.Errorf("launcher output %q: %v", out, err)
	}
	s := sample{wall: res.Wall, cpu: res.CPU, rss: res.RSS}
	if res.Err != "" {
		return s, fmt.Errorf("%s", res.Err)
	}
	return s, nil
}
