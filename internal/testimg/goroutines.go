package testimg

import (
	"runtime"
	"testing"
	"time"
)

// WaitGoroutines waits (up to 5 s) for the goroutine count to come back to
// at most n, as counted before a streamed decode or render, and fails t
// with every goroutine's stack when it does not.
func WaitGoroutines(t testing.TB, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, want <= %d:\n%s", runtime.NumGoroutine(), n, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
