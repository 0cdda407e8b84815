package raster

import (
	"image"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// Vertical downscales by more than boxMinRatio first average groups of box
// rows (box = ratio/boxResidual, rounded down), leaving the Lanczos pass a
// residual ratio of at least boxResidual: this bounds the ring buffer and
// skips horizontal filtering of most source rows.
const (
	boxMinRatio = 8.0
	boxResidual = 4.0
	maxBox      = 1024
)

// testChunks, when set by tests, overrides the number of row chunks.
var testChunks int

// Resize resamples src (its whole Bounds) to w x h and returns a new
// *image.NRGBA with Rect (0,0,w,h). It uses Lanczos-3 (widened by the
// ratio for downscales, so it antialiases; vertical downscales beyond 8x
// first average whole rows), resamples in premultiplied space and returns
// non-premultiplied pixels. *image.YCbCr is resampled per plane (Y, Cb, Cr at
// their own resolution) and converted to RGB only at the output size. w or
// h below 1 yields an empty image.
func Resize(src image.Image, w, h int) *image.NRGBA {
	dst := image.NewNRGBA(image.Rect(0, 0, max(w, 0), max(h, 0)))
	resizeInto(dst, src)
	return dst
}

// resizeInto resamples src onto the whole of dst (Rect at origin).
func resizeInto(dst *image.NRGBA, src image.Image) {
	dw, dh := dst.Rect.Dx(), dst.Rect.Dy()
	sb := src.Bounds()
	if dw <= 0 || dh <= 0 || sb.Empty() {
		return
	}
	if sb.Dx() == dw && sb.Dy() == dh { // a plain conversion
		row := rowConverter(src)
		parallelRows(dh, dw, func(y0, y1 int) {
			for y := y0; y < y1; y++ {
				row(dst.Pix[y*dst.Stride:y*dst.Stride+4*dw], y)
			}
		})
		return
	}
	s := newSource(src, dw, dh)
	plan(s, dw, dh)
	chunks := min(2*runtime.GOMAXPROCS(0), max(1, dh/32))
	if testChunks > 0 {
		chunks = min(testChunks, dh)
	}
	var next atomic.Int32
	run := func() {
		wk := getWorker(s, dw)
		for {
			c := int(next.Add(1) - 1)
			if c >= chunks {
				break
			}
			wk.rows(s, dst, c*dh/chunks, (c+1)*dh/chunks)
		}
		wk.cache.src = nil // do not keep the source alive from the pool
		workers.Put(wk)
	}
	procs := min(runtime.GOMAXPROCS(0), chunks)
	var wg sync.WaitGroup
	for i := 1; i < procs; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); run() }()
	}
	run()
	wg.Wait()
}

// plan computes each plane's weight tables, box factor and ring size.
func plan(s *source, dw, dh int) {
	get := func(n, src int, scale, off float64, f *fold) *weights {
		k := weightKey{n: n, src: src, scale: scale, off: off}
		if f != nil {
			k.f = *f
			k.src, k.scale, k.off = f.n, f.scale, 0
		}
		return cachedWeights(k, f)
	}
	for _, p := range s.planes {
		p.box = 1
		if p.sy > boxMinRatio {
			p.box = min(int(math.Floor(p.sy/boxResidual)), maxBox)
		}
		p.vh = (p.h + p.box - 1) / p.box
		p.hw = get(dw, p.w, p.sx, p.ox, p.hf)
		if p.box > 1 {
			// Folding does not compose with row averaging; at these ratios
			// resampling the chroma grid directly is indistinguishable.
			p.vw = get(dh, p.vh, p.sy/float64(p.box), p.oy/float64(p.box), nil)
		} else {
			p.vw = get(dh, p.h, p.sy, p.oy, p.vf)
		}
		// Rows are filtered in pairs up to the highest window end seen so
		// far; the ring must still hold each window's first row.
		end, ring := 0, 2
		for y := 0; y < dh; y++ {
			st := int(p.vw.start[y])
			end = max(end, (st+p.vw.taps+1)&^1)
			ring = max(ring, end-st)
		}
		p.ring = ring
	}
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

// worker is the per-goroutine scratch state of a resize.
type worker struct {
	cache  rowCache
	packed []uint64
	tmp    []uint64
	sum    []uint64
	acc    []uint64
	rings  [][]uint64
	next   []int
	out    [][]int32
	view   [][]uint64
}

var workers = sync.Pool{New: func() any { return new(worker) }}

func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}

func getWorker(s *source, dw int) *worker {
	wk := workers.Get().(*worker)
	wk.cache.reset(s)
	half := (dw + 1) / 2
	maxW := 0
	for _, p := range s.planes {
		maxW = max(maxW, p.w)
	}
	wk.packed = grow(wk.packed, maxW)
	for _, p := range s.planes {
		if p.box > 1 {
			wk.tmp = grow(wk.tmp, maxW)
			wk.sum = grow(wk.sum, maxW)
		}
	}
	wk.acc = grow(wk.acc, half)
	np := len(s.planes)
	wk.rings = grow(wk.rings, np)
	wk.out = grow(wk.out, np)
	wk.next = grow(wk.next, np)
	for i, p := range s.planes {
		wk.rings[i] = grow(wk.rings[i], p.ring*half)
		wk.out[i] = grow(wk.out[i], 2*half)
	}
	return wk
}

// rows produces destination rows [y0, y1).
func (wk *worker) rows(s *source, dst *image.NRGBA, y0, y1 int) {
	dw := dst.Rect.Dx()
	half := (dw + 1) / 2
	for i, p := range s.planes {
		// Starts are monotonic by construction; the min is belt and braces.
		st := p.vw.start[y0]
		for _, v := range p.vw.start[y0:y1] {
			st = min(st, v)
		}
		wk.next[i] = int(st) &^ 1
	}
	for y := y0; y < y1; y++ {
		for i, p := range s.planes {
			ring := wk.rings[i]
			slot := func(r int) []uint64 {
				o := (r % p.ring) * half
				return ring[o : o+half]
			}
			taps := p.vw.taps
			st := int(p.vw.start[y])
			for r := wk.next[i]; r < st+taps; r += 2 {
				r1 := r + 1
				if r1 >= p.vh {
					r1 = -1
				}
				src := wk.packed[:p.w]
				if p.box > 1 {
					wk.packBox(p, r, r1, src)
				} else {
					p.pack(&wk.cache, r, r1, src)
				}
				hfilter(slot(r), slot(r+1), src, p.hw, p.narrow && p.box == 1)
				wk.next[i] = r + 2
			}
			wk.view = wk.view[:0]
			for k := 0; k < taps; k++ {
				wk.view = append(wk.view, slot(st+k))
			}
			vfilter(wk.out[i][:dw], wk.acc[:half], wk.view, p.vw.w[y*taps:(y+1)*taps])
		}
		s.emit(dst.Pix[y*dst.Stride:y*dst.Stride+4*dw], wk.out)
	}
}

// packBox packs the averages of the source row groups v0 and v1 (v1 < 0:
// zero lane) of a box-reduced plane, in x255 units.
func (wk *worker) packBox(p *plane, v0, v1 int, dst []uint64) {
	mul := uint64(1)
	if p.narrow {
		mul = 255
	}
	for lane, v := range [2]int{v0, v1} {
		if lane == 0 {
			clear(dst)
		}
		if v < 0 {
			continue
		}
		r0, r1 := v*p.box, min(v*p.box+p.box, p.h)
		sum := wk.sum[:len(dst)]
		clear(sum)
		tmp := wk.tmp[:len(dst)]
		for r := r0; r < r1; r += 2 {
			rr := r + 1
			if rr >= r1 {
				rr = -1
			}
			p.pack(&wk.cache, r, rr, tmp)
			for i, t := range tmp {
				sum[i] += t
			}
		}
		n := uint64(r1 - r0)
		recip := (1<<32 + n - 1) / n
		shift := uint(32 * lane)
		for i, t := range sum {
			tot := (t&0xffffffff + t>>32) * mul
			dst[i] |= ((tot*recip + 1<<31) >> 32) << shift
		}
	}
}
