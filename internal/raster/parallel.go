package raster

import (
	"runtime"
	"sync"
)

// parallelRows calls fn on contiguous row ranges covering [0, h), on up to
// GOMAXPROCS goroutines; small images (under 64K pixels) run inline.
func parallelRows(h, w int, fn func(y0, y1 int)) {
	n := runtime.GOMAXPROCS(0)
	if h*w < 1<<16 || n < 2 || h < 2 {
		fn(0, h)
		return
	}
	n = min(n, h)
	var wg sync.WaitGroup
	for i := 1; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			fn(i*h/n, (i+1)*h/n)
		}(i)
	}
	fn(0, h/n)
	wg.Wait()
}
