package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/imgprep/imgprep/codecs"
)

// TestMain lets the test binary act as the imgprep command, so tests can
// send it real signals.
func TestMain(m *testing.M) {
	if os.Getenv("IMGPREP_TEST_AS_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestInterruptLeavesNoPartialFiles sends SIGINT to a running prep of many
// files: it stops, says so, exits 1, and every file in the output
// directory is complete (no temporary or truncated file).
func TestInterruptLeavesNoPartialFiles(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(sample("landscape_o6.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"prep", "--model", "dall-e-2", "--reencode", "-o", filepath.Join(dir, "out")}
	for i := range 60 {
		p := filepath.Join(dir, "in", strings.Repeat("x", i%3+1)+string(rune('a'+i%26))+string(rune('a'+i/26))+".jpg")
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, src, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "IMGPREP_TEST_AS_MAIN=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("prep did not stop within 20 s of SIGINT")
	}
	if code := cmd.ProcessState.ExitCode(); code != exitRejected || !strings.Contains(stderr.String(), "interrupted") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	outs, _ := os.ReadDir(filepath.Join(dir, "out"))
	if len(outs) >= 60 {
		t.Skip("all 60 files finished before the signal; machine too fast for this check")
	}
	for _, e := range outs {
		if strings.HasSuffix(e.Name(), ".tmp") || strings.HasPrefix(e.Name(), ".") {
			t.Errorf("partial file left: %s", e.Name())
			continue
		}
		b, _ := os.ReadFile(filepath.Join(dir, "out", e.Name()))
		if _, _, err := codecs.Decode(b, codecs.DecodeOptions{}); err != nil {
			t.Errorf("%s is not a complete image: %v", e.Name(), err)
		}
	}
}
