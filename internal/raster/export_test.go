package raster

// SetChunks forces the number of row chunks Resize splits its work into
// (0 restores the default).
func SetChunks(n int) { testChunks = n }

// MaxPositiveSum returns the largest sum of positive weights (in units of
// one) over the outputs of a weight table: the resampler's packed lanes
// stay exact while it is below 2 (see kernels.go).
func MaxPositiveSum(n, src int, scale, off float64) float64 {
	wt := makeWeights(n, src, scale, off, nil)
	best := 0.0
	for i := 0; i < n; i++ {
		s := 0
		for _, v := range wt.w[i*wt.taps : (i+1)*wt.taps] {
			s += max(int(v), 0)
		}
		best = max(best, float64(s)/(1<<wBits))
	}
	return best
}

// ChromaDiv exposes chromaDiv to the external tests.
var ChromaDiv = chromaDiv
