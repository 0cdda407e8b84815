package main

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// forEach runs fn for each index 0..n-1 on up to GOMAXPROCS goroutines,
// drawing a progress line on stderr when it is a terminal and n is large.
// fn reports whether the item failed, for the progress count.
func forEach(ctx context.Context, env *cliEnv, verb string, n int, fn func(ctx context.Context, i int) bool) {
	var done, failed atomic.Int64
	progress := env.stderrTTY && n >= 4
	var mu sync.Mutex
	report := func() {
		if progress {
			mu.Lock()
			fmt.Fprintf(env.stderr, "\rimgprep: %s %d/%d, %d rejected", verb, done.Load(), n, failed.Load())
			mu.Unlock()
		}
	}
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if fn(ctx, i) {
				failed.Add(1)
			}
			done.Add(1)
			report()
		}()
	}
	wg.Wait()
	if progress {
		fmt.Fprintln(env.stderr)
	}
}
