package conformance

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// RunMain is the TestMain of a decoder package with a WebAssembly path:
// in the child process WASMChild starts (env=1) it selects that path with
// useWASM before the tests run.
func RunMain(m *testing.M, env string, useWASM func()) {
	if os.Getenv(env) == "1" {
		useWASM()
	}
	os.Exit(m.Run())
}

// WASMChild, unless path() (the package's Path) is already "wasm", runs the decode, cut, limit and corpus tests of the calling
// test binary again in a child process with env=1 set (whose TestMain then
// selects the WebAssembly decoder: the choice is made once per process),
// and fails unless they pass and the output contains marker (the log line
// naming the WebAssembly path). Lines comparing with libvips are logged.
func WASMChild(t *testing.T, path func() string, env, marker string) {
	t.Helper()
	if path() == "wasm" {
		t.Skip("this process already decodes with WebAssembly")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^(TestDecode|TestCut|TestPixelLimit|TestCorpus)$", "-test.v")
	cmd.Env = append(os.Environ(), env+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), marker) || !strings.Contains(string(out), "--- PASS: TestCorpus/prepare") {
		t.Fatalf("WebAssembly path: %v\n%s", err, out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "vs libvips") {
			t.Log(strings.TrimSpace(l))
		}
	}
}
