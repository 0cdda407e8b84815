package raster

import "sync"

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

// getWorker returns a worker with scratch for s's planned planes.
func getWorker(s *source) *worker {
	wk := workers.Get().(*worker)
	wk.cache.reset(s)
	half, maxW := 0, 0
	for _, p := range s.planes {
		maxW = max(maxW, p.w)
		half = max(half, p.half())
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
		wk.rings[i] = grow(wk.rings[i], p.ring*p.half())
		wk.out[i] = grow(wk.out[i], 2*p.half())
	}
	return wk
}

// half is the number of packed column pairs of one of the plane's
// horizontally filtered rows.
func (p *plane) half() int { return (p.hw.n + 1) / 2 }

// rows produces destination rows [y0, y1). With cont, the worker has just
// produced the rows up to y0 and goes on from its ring. ready, when not
// nil, is called before source rows are read (see ResizeRows); its error
// stops the work and is returned.
func (wk *worker) rows(s *source, dst output, y0, y1 int, cont bool, ready func(int) error) error {
	for i, p := range s.planes {
		if cont {
			break
		}
		// Starts are monotonic by construction; the min is belt and braces.
		lo, hi := p.outRows(y0, y1)
		st := p.vw.start[min(lo, p.oh-1)]
		for _, v := range p.vw.start[lo:hi] {
			st = min(st, v)
		}
		wk.next[i] = int(st) &^ 1
	}
	for y := y0; y < y1; y++ {
		for i, p := range s.planes {
			if p.odiv > 1 && y%p.odiv != 0 {
				continue
			}
			oy := y / max(p.odiv, 1)
			ring, half := wk.rings[i], p.half()
			slot := func(r int) []uint64 {
				o := (r % p.ring) * half
				return ring[o : o+half]
			}
			taps := p.vw.taps
			st := int(p.vw.start[oy])
			for r := wk.next[i]; r < st+taps; r += 2 {
				r1 := r + 1
				if r1 >= p.vh {
					r1 = -1
				}
				if ready != nil {
					last := r1
					if last < 0 {
						last = r
					}
					if p.box > 1 {
						last = min(last*p.box+p.box, p.h) - 1
					}
					if err := ready(p.need(last)); err != nil {
						return err
					}
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
			vfilter(wk.out[i][:p.ow], wk.acc[:half], wk.view, p.vw.w[oy*taps:(oy+1)*taps])
		}
		dst.put(y, wk.out)
	}
	return nil
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
