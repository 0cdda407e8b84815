package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/imgprep/imgprep/upload/uploadtest"
)

// startBatch runs 'imgprep edit --each' as a subprocess (the test binary
// as main, see TestMain) against the test's fake server.
func startBatch(t *testing.T, r *editRun, args ...string) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"edit"}, args...)...)
	cmd.Env = append(os.Environ(), "IMGPREP_TEST_AS_MAIN=1", "IMGPREP_BASE_URL="+r.vars["IMGPREP_BASE_URL"], "IMGPREP_API_KEY="+testKey)
	stderr := newSyncBuffer()
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	return cmd, stderr
}

// waitFor polls cond every 10 ms for up to 20 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// exited waits for the process to end within d and returns its exit code.
func exited(t *testing.T, cmd *exec.Cmd, d time.Duration, stderr *syncBuffer) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(d):
		cmd.Process.Kill()
		t.Fatalf("still running %v after the interrupt; stderr:\n%s", d, stderr)
	}
	return cmd.ProcessState.ExitCode()
}

// TestEditEachSIGINTThenResume: SIGINT after a few jobs starts no new
// request, lets the two in flight finish and write, exits 1 with no
// partial file; --resume then finishes without sending again any input
// already written.
func TestEditEachSIGINTThenResume(t *testing.T) {
	srv, r := newEditRun(t, uploadtest.Options{Latency: 300 * time.Millisecond})
	in, out := t.TempDir(), t.TempDir()
	files := batchInputs(t, in, 10, false)
	args := append([]string{"--each", "--jobs", "2", "--model", "gpt-image-1", "--prompt", "p", "--grace", "15s", "-o", out}, files...)
	cmd, stderr := startBatch(t, r, args...)
	waitFor(t, "three requests", func() bool { return len(srv.Edits()) >= 3 })
	cmd.Process.Signal(syscall.SIGINT)
	if code := exited(t, cmd, 10*time.Second, stderr); code != exitRejected || !strings.Contains(stderr.String(), "interrupted") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	first := checkOutputs(t, out)
	if sent := len(srv.Edits()); first != sent || first >= 10 {
		t.Fatalf("%d requests sent, %d outputs written: those in flight at the interrupt should finish (and not all 10)\n%s", sent, first, stderr)
	}
	code, _, sum, errs := r.batch(batchCtx(t), append([]string{"--resume"}, args...)...)
	if code != exitOK || sum.Skipped != first || sum.OK != 10-first {
		t.Fatalf("resume: exit %d, %+v\n%s", code, sum, errs)
	}
	for _, f := range files {
		if n := servedBy(srv)[filepath.Base(f)]; n != 1 {
			t.Errorf("%s edited %d times, want once", filepath.Base(f), n)
		}
	}
	if n := checkOutputs(t, out); n != 10 {
		t.Errorf("%d outputs, want 10", n)
	}
}

// TestEditEachSecondSIGINTCancels: a second SIGINT cancels the requests
// in flight at once; nothing partial is left, and --resume sends again
// only what was not written.
func TestEditEachSecondSIGINTCancels(t *testing.T) {
	srv, r := newEditRun(t, uploadtest.Options{Latency: 30 * time.Second})
	in, out := t.TempDir(), t.TempDir()
	files := batchInputs(t, in, 4, false)
	args := append([]string{"--each", "--jobs", "2", "--model", "gpt-image-1", "--prompt", "p", "--grace", "60s", "-o", out}, files...)
	cmd, stderr := startBatch(t, r, args...)
	waitFor(t, "two requests in flight", func() bool { return len(srv.Edits()) >= 2 })
	cmd.Process.Signal(syscall.SIGINT)
	waitFor(t, "the drain message", func() bool { return strings.Contains(stderr.String(), "interrupt again") })
	start := time.Now()
	cmd.Process.Signal(syscall.SIGINT)
	if code := exited(t, cmd, 5*time.Second, stderr); code != exitRejected {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v to stop after the second SIGINT", d)
	}
	if n := checkOutputs(t, out); n != 0 || len(srv.Edits()) != 2 {
		t.Fatalf("%d outputs, %d requests after the cancel", n, len(srv.Edits()))
	}
	srv2, r2 := newEditRun(t, uploadtest.Options{})
	code, _, sum, errs := r2.batch(batchCtx(t), append([]string{"--resume"}, args...)...)
	if code != exitOK || sum.OK != 4 || len(srv2.Edits()) != 4 {
		t.Fatalf("resume: exit %d, %+v, %d requests\n%s", code, sum, len(srv2.Edits()), errs)
	}
}
