package raster

import (
	"math"
	"sync"
)

// wBits is the fixed-point precision of filter weights: they sum to 1<<wBits.
const wBits = 13

// lanczosSupport is the Lanczos-3 kernel radius in destination samples.
const lanczosSupport = 3.0

// weights is a resampling table: output sample i is the dot product of
// w[i*taps:(i+1)*taps] with source samples start[i] .. start[i]+taps-1.
// Windows clipped by the image edges are renormalised (no edge padding) and
// shifted to keep every window inside the source, with zero weights filling
// the unused taps.
type weights struct {
	n     int
	taps  int
	start []int32
	w     []int32
}

func lanczos3(x float64) float64 {
	if x < 0 {
		x = -x
	}
	if x >= lanczosSupport {
		return 0
	}
	if x < 1e-12 {
		return 1
	}
	px := math.Pi * x
	return lanczosSupport * math.Sin(px) * math.Sin(px/lanczosSupport) / (px * px)
}

// fold describes a plane subsampled by div relative to a fine grid of n
// samples whose first sample is at absolute coordinate base: fine sample i
// reads plane sample (base+i)/div - base/div (nearest replication, as
// image.YCbCr.At does).
type fold struct {
	div, base, n int
	scale        float64 // fine samples per output sample
}

func (f *fold) coarse(i int) int {
	return (f.base+i)/f.div - f.base/f.div
}

// makeWeights builds the table resampling src samples to n. The centre of
// output sample i maps to source coordinate (i+0.5)*scale+off, where source
// sample j covers [j, j+1). For downscales (scale > 1) the kernel is widened
// by scale so that it also antialiases. With a fold, src is the fine grid
// size and the fine weights are summed onto the plane's samples.
func makeWeights(n, src int, scale, off float64, f *fold) *weights {
	planeN := src
	if f != nil {
		planeN = f.coarse(src-1) + 1
	}
	fs := math.Max(scale, 1)
	support := lanczosSupport * fs
	begins := make([]int32, n)
	counts := make([]int32, n)
	var q []int32 // concatenated quantised windows
	var tmp, bins []float64
	taps := 1
	for i := 0; i < n; i++ {
		c := (float64(i)+0.5)*scale + off - 0.5 // centre in sample-index units
		lo := int(math.Ceil(c - support))
		hi := int(math.Floor(c + support))
		lo = max(lo, 0)
		hi = min(hi, src-1)
		tmp = tmp[:0]
		var sum float64
		for j := lo; j <= hi; j++ {
			v := lanczos3((float64(j) - c) / fs)
			tmp = append(tmp, v)
			sum += v
		}
		if len(tmp) == 0 || sum == 0 {
			// Degenerate (centre outside the source): nearest sample.
			j := min(max(int(math.Floor(c+0.5)), 0), src-1)
			lo, tmp = j, append(tmp[:0], 1)
			sum = 1
		}
		if f != nil {
			clo, chi := f.coarse(lo), f.coarse(hi)
			bins = append(bins[:0], make([]float64, chi-clo+1)...)
			for k, v := range tmp {
				bins[f.coarse(lo+k)-clo] += v
			}
			lo, tmp = clo, append(tmp[:0], bins...)
		}
		b := len(q)
		big, total := 0, int32(0)
		for k, v := range tmp {
			qv := int32(math.Round(v / sum * (1 << wBits)))
			q = append(q, qv)
			total += qv
			if qv > q[b+big] {
				big = k
			}
		}
		q[b+big] += 1<<wBits - total // exact unit sum: flat input stays flat
		win := q[b:]
		for len(win) > 1 && win[0] == 0 {
			win, lo = win[1:], lo+1
		}
		for len(win) > 1 && win[len(win)-1] == 0 {
			win = win[:len(win)-1]
		}
		q = append(q[:b], win...)
		begins[i], counts[i] = int32(lo), int32(len(win))
		taps = max(taps, len(win))
	}
	wt := &weights{n: n, taps: taps, start: make([]int32, n), w: make([]int32, n*taps)}
	off0, prev := 0, 0
	for i := 0; i < n; i++ {
		// Any st in [end-taps, begin] holds the window; staying close to
		// the previous one keeps starts monotonic (trimmed zero weights
		// could otherwise make them step back), which the ring relies on.
		b, c := int(begins[i]), int(counts[i])
		st := min(max(prev, b+c-taps), b, planeN-taps)
		prev = st
		wt.start[i] = int32(st)
		copy(wt.w[i*taps+b-st:], q[off0:off0+c])
		off0 += c
	}
	return wt
}

// weightKey identifies a weight table.
type weightKey struct {
	n, src     int
	scale, off float64
	f          fold
}

// weightCache keeps recent weight tables (computing one costs about 1 ms
// for a 12 MP source, and batches repeat the same geometry).
var weightCache struct {
	sync.Mutex
	m map[weightKey]*weights
}

// maxCachedWeights bounds the cache; tables over 1 MiB are not cached.
const maxCachedWeights = 64

func cachedWeights(k weightKey, f *fold) *weights {
	weightCache.Lock()
	wt := weightCache.m[k]
	weightCache.Unlock()
	if wt != nil {
		return wt
	}
	wt = makeWeights(k.n, k.src, k.scale, k.off, f)
	if len(wt.w) > 1<<18 {
		return wt
	}
	weightCache.Lock()
	if len(weightCache.m) >= maxCachedWeights || weightCache.m == nil {
		weightCache.m = make(map[weightKey]*weights)
	}
	weightCache.m[k] = wt
	weightCache.Unlock()
	return wt
}
