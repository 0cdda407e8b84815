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

// ResizeRows is Resize for a source whose rows become final in order, top
// to bottom, while it runs (an image being decoded). ready(y) must block
// until the rows of src above y (y in src's coordinates: rows
// Bounds().Min.Y .. y-1, and for *image.YCbCr the chroma samples they use)
// are final and return nil, or return an error, which stops the resize
// and is returned. ready may be called from several goroutines.
//
// The result is identical to Resize's. *image.YCbCr and *image.Gray
// sources are resampled as their rows arrive, on the calling goroutine
// only (the decoder is expected to use another core) until ready(Max.Y)
// returns, then on GOMAXPROCS goroutines; other sources are resampled once
// all their rows are final.
func ResizeRows(src image.Image, w, h int, ready func(y int) error) (*image.NRGBA, error) {
	dst := image.NewNRGBA(image.Rect(0, 0, max(w, 0), max(h, 0)))
	if err := ResizeRowsInto(dst, src, ready, nil); err != nil {
		return nil, err
	}
	return dst, nil
}

// ResizeRowsInto is ResizeRows onto dst (whose Rect must be at the origin:
// use image.NewNRGBA). done, when not nil, is called on the calling
// goroutine with n whenever the first n rows of dst have become final, n
// increasing, the last time with n = dst's height (unless there is an
// error), so that they can be consumed (encoded) while the rest is being
// produced.
func ResizeRowsInto(dst *image.NRGBA, src image.Image, ready func(y int) error, done func(n int)) error {
	return resizeRowsDone(dst, src, ready, done, false)
}

// ResizeOpaqueRowsInto is ResizeRowsInto for a source whose alpha is 255
// everywhere by construction (an RGB PNG being decoded), which it must
// be: its rows are then resampled as they arrive, as *image.Gray's are,
// where a source of unknown alpha is resampled once all its rows are
// final (its alpha decides the resampling). The result is the same.
func ResizeOpaqueRowsInto(dst *image.NRGBA, src *image.RGBA, ready func(y int) error, done func(n int)) error {
	return resizeRowsDone(dst, src, ready, done, true)
}

// resizeRowsDone is ResizeRowsInto; opaqueRGBA says that src is an
// *image.RGBA known to be opaque.
func resizeRowsDone(dst *image.NRGBA, src image.Image, ready func(y int) error, done func(n int), opaqueRGBA bool) error {
	if err := resizeRows(dst, src, ready, done, opaqueRGBA); err != nil {
		return err
	}
	if done != nil {
		done(dst.Rect.Dy())
	}
	return nil
}

// resizeInto resamples src onto the whole of dst (Rect at origin).
func resizeInto(dst *image.NRGBA, src image.Image) {
	resizeRows(dst, src, nil, nil, false)
}

// resizeRows is resizeInto, waiting on ready (if not nil) for source rows
// and, when they are streamed, reporting finished rows to done (if not nil).
func resizeRows(dst *image.NRGBA, src image.Image, ready func(int) error, done func(int), opaqueRGBA bool) error {
	dw, dh := dst.Rect.Dx(), dst.Rect.Dy()
	sb := src.Bounds()
	if ready != nil {
		streamed := false
		switch src.(type) {
		case *image.YCbCr, *image.Gray:
			streamed = sb.Dx() != dw || sb.Dy() != dh
		case *image.RGBA:
			streamed = opaqueRGBA && (sb.Dx() != dw || sb.Dy() != dh)
		}
		if !streamed {
			// Wait for the whole source.
			if err := ready(sb.Max.Y); err != nil {
				return err
			}
			ready = nil
		}
	}
	if dw <= 0 || dh <= 0 || sb.Empty() {
		return nil
	}
	if sb.Dx() == dw && sb.Dy() == dh { // a plain conversion
		row := rowConverter(src)
		parallelRows(dh, dw, func(y0, y1 int) {
			for y := y0; y < y1; y++ {
				row(dst.Pix[y*dst.Stride:y*dst.Stride+4*dw], y)
			}
		})
		return nil
	}
	s := newSourceHint(src, dw, dh, opaqueRGBA)
	out := output{w: dw, h: dh, put: func(y int, rows [][]int32) {
		s.emit(dst.Pix[y*dst.Stride:y*dst.Stride+4*dw], rows)
	}}
	return resample(s, out, ready, sb.Max.Y, done)
}

// output is where a resample writes: its size and how one destination
// row of resampled planes (x255 units) is stored.
type output struct {
	w, h int
	put  func(y int, rows [][]int32)
}

// resample runs the planned resampling of s onto out, streamed (waiting on
// ready for source rows up to maxY, reporting rows to done) when ready is
// not nil.
func resample(s *source, out output, ready func(int) error, maxY int, done func(int)) error {
	dw, dh := out.w, out.h
	plan(s, dw, dh)
	if ready != nil {
		for _, p := range s.planes {
			if p.rowDiv == 0 { // not read directly (malformed YCbCr)
				if err := ready(maxY); err != nil {
					return err
				}
				ready = nil
				break
			}
		}
	}
	if ready != nil {
		return resizeStreaming(s, out, ready, maxY, done)
	}
	chunks := min(2*runtime.GOMAXPROCS(0), max(1, dh/32))
	if testChunks > 0 {
		chunks = min(testChunks, dh)
	}
	var next atomic.Int32
	run := func() {
		wk := getWorker(s)
		for {
			c := int(next.Add(1) - 1)
			if c >= chunks {
				break
			}
			wk.rows(s, out, c*dh/chunks, (c+1)*dh/chunks, false, nil)
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
	return nil
}

// streamChunk is the number of destination rows ResizeRows hands out at a
// time.
const streamChunk = 32

// resizeStreaming resamples s onto dst while its rows arrive. The calling
// goroutine takes chunks of destination rows from the top, in order,
// going on from its ring from one chunk to the next, and waits for source
// rows as it needs them. The other goroutines wait for the whole source,
// then take chunks from the bottom; the two ends meet somewhere below the
// rows that were resampled while the source was decoded. done, when not
// nil, is called by the calling goroutine after each of its chunks.
func resizeStreaming(s *source, dst output, ready func(int) error, maxY int, done func(int)) error {
	dh := dst.h
	chunks := max(1, (dh+streamChunk-1)/streamChunk)
	if testChunks > 0 {
		chunks = min(testChunks, dh)
	}
	var (
		mu       sync.Mutex
		lo, hi   = 0, chunks // chunks [lo, hi) are left
		firstErr error
	)
	claim := func(front bool) int {
		mu.Lock()
		defer mu.Unlock()
		if firstErr != nil || lo >= hi {
			return -1
		}
		if front {
			lo++
			return lo - 1
		}
		hi--
		return hi
	}
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	run := func(front bool) {
		wk := getWorker(s)
		defer func() {
			wk.cache.src = nil
			workers.Put(wk)
		}()
		prev := -1
		for {
			c := claim(front)
			if c < 0 {
				return
			}
			var err error
			if front {
				err = wk.rows(s, dst, c*dh/chunks, (c+1)*dh/chunks, c == prev+1 && prev >= 0, ready)
				if err == nil && done != nil {
					done((c + 1) * dh / chunks)
				}
			} else {
				err = wk.rows(s, dst, c*dh/chunks, (c+1)*dh/chunks, false, nil)
			}
			if err != nil {
				fail(err)
				return
			}
			prev = c
		}
	}
	procs := min(runtime.GOMAXPROCS(0), chunks)
	var wg sync.WaitGroup
	for i := 1; i < procs; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := ready(maxY); err != nil {
				fail(err)
				return
			}
			run(false)
		}()
	}
	run(true)
	wg.Wait()
	return firstErr
}

// plan computes each plane's weight tables, box factor and ring size, for
// a destination of dw x dh (a plane with its own output size, ow x oh,
// keeps it).
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
		if p.ow == 0 {
			p.ow, p.oh = dw, dh
		}
		dw, dh := p.ow, p.oh
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
