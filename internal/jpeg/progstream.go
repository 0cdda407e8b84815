package jpeg

import (
	"errors"
	"sync/atomic"
)

// Progressive images are reconstructed from their coefficients once these
// are complete. When a scan is the one that completes them (for the scale
// decoded: at 1/8, the last DC scan), that scan reconstructs every row of
// MCUs as soon as it has passed it, and reports it through Progress, so
// that a consumer can process the top of the image while the decoder goes
// on with the bottom; otherwise the image is reconstructed at the end.

// neededZig[shift] is the mask of the zig-zag positions whose coefficients
// the inverse DCT at scale 1>>shift uses (see coefSlots).
var neededZig [4]uint64

// initNeededZig fills neededZig, once coefSlots is filled.
func initNeededZig() {
	for shift := range neededZig {
		for zig := range blockSize {
			if coefSlots[shift][unzig[zig]] >= 0 {
				neededZig[shift] |= 1 << zig
			}
		}
	}
}

// trackScan records that a progressive scan of the components of scan
// carries the band [zigStart, zigEnd] with successive approximation low
// bit al, sets d.scanChanges if it carries coefficients that the
// reconstruction uses, and reports whether it is the scan that completes
// them: every component has them all, to their last bit, after it and not
// before.
func (d *decoder) trackScan(scan []scanComp, zigStart, zigEnd int32, al uint32) bool {
	if !d.pendingSet {
		d.pendingSet = true
		for i := 0; i < d.nComp; i++ {
			d.pending[i] = neededZig[d.shift]
		}
	}
	before := d.coefsComplete()
	band := ^uint64(0) >> (63 - uint(zigEnd)) &^ (1<<uint(zigStart) - 1)
	d.scanChanges = false
	for _, sc := range scan {
		used := band & neededZig[d.shift]
		if used != 0 {
			d.scanChanges = true
		}
		if al == 0 {
			d.pending[sc.compIndex] &^= used
		} else {
			d.pending[sc.compIndex] |= used
		}
	}
	return !before && d.coefsComplete()
}

// coefsComplete reports whether no component has coefficients pending.
func (d *decoder) coefsComplete() bool {
	for i := 0; i < d.nComp; i++ {
		if d.pending[i] != 0 {
			return false
		}
	}
	return true
}

// mcuRows returns the number of rows of MCUs of the image.
func (d *decoder) mcuRows() int {
	v0 := d.comp[0].v
	return (d.height + 8*v0 - 1) / (8 * v0)
}

// reconstructRows reconstructs the rows of MCUs [my0, my1) of every
// component of a progressive image from its coefficients coefs, with b
// (all zero) as scratch.
func (d *decoder) reconstructRows(coefs *[maxComponents]coefBuf, b *block, my0, my1 int) {
	// The h0, mxx, by and bx variables have the same meaning as in the
	// processSOS method.
	h0 := d.comp[0].h
	mxx := (d.width + 8*h0 - 1) / (8 * h0)
	slot := &coefSlots[d.shift]
	for i := 0; i < d.nComp; i++ {
		cb := &coefs[i]
		if !cb.allocated() {
			continue
		}
		qt := &d.quant[d.comp[i].tq]
		vi := d.comp[i].v
		v := 8 * d.comp[0].v / vi
		h := 8 * h0 / d.comp[i].h
		stride := mxx * d.comp[i].h
		for by := my0 * vi; by < my1*vi && by*v < d.height; by++ {
			for bx := 0; bx*h < d.width; bx++ {
				mask := cb.loadDequantized(by*stride+bx, b, qt, slot)
				d.reconstructBlock(b, mask, bx, by, i)
			}
		}
	}
}

// reconWorker reconstructs, in a goroutine of its own, the rows of MCUs
// of a progressive image that the scan completing its coefficients has
// passed, and reports them final, while the decoder goes on with the
// scan (streamRows hands them over, finishRecon waits for the end).
type reconWorker struct {
	rows   chan [2]int // rows of MCUs [my0, my1) to reconstruct
	done   chan struct{}
	coefs  [maxComponents]coefBuf // the decoder's buffers when it started
	failed atomic.Bool            // err is set (readable once done is closed)
	err    error
}

// errReconFailed stops a scan whose reconWorker failed; finishRecon
// replaces it by the worker's error.
var errReconFailed = errors.New("jpeg: reconstruction failed")

// startRecon starts d.recon for the scan that completes the coefficients.
func (d *decoder) startRecon() {
	w := &reconWorker{rows: make(chan [2]int, 16), done: make(chan struct{}), coefs: d.progCoeffs}
	d.recon = w
	go w.run(d)
}

func (w *reconWorker) run(d *decoder) {
	defer close(w.done)
	defer func() {
		if p := recover(); p != nil {
			w.err = internalError(p)
			w.failed.Store(true)
			for range w.rows {
			}
		}
	}()
	var b block
	rowH := 8 * d.comp[0].v >> d.shift // v is 1 for grayscale
	maxY := d.streamImg.Bounds().Max.Y
	for r := range w.rows {
		for my := r[0]; my < r[1] && !w.failed.Load(); my++ {
			d.reconstructRows(&w.coefs, &b, my, my+1)
			if err := d.reportRows(min((my+1)*rowH, maxY)); err != nil {
				w.err = err
				w.failed.Store(true)
			}
		}
	}
}

// streamRows hands the rows of MCUs [my0, my1) of a progressive image,
// final in every component, to d.recon. Should a corrupt stream have
// switched a component's coefficients to int32 storage during the scan
// (which the worker doesn't see), it stops streaming instead: the rows
// are stale, and the image is reconstructed at the end.
func (d *decoder) streamRows(my0, my1 int) error {
	w := d.recon
	if w.failed.Load() {
		return errReconFailed
	}
	if !d.streaming || my0 >= my1 {
		return nil
	}
	for i := range w.coefs {
		if w.coefs[i].c16 != nil && d.progCoeffs[i].c16 == nil {
			d.streaming = false
			d.stale()
			return nil
		}
	}
	w.rows <- [2]int{my0, my1}
	return nil
}

// finishRecon waits for d.recon to finish the rows handed to it, and
// returns the scan's error err, or the worker's.
func (d *decoder) finishRecon(err error) error {
	w := d.recon
	d.recon = nil
	close(w.rows)
	<-w.done
	if w.err != nil && (err == nil || err == errReconFailed) {
		err = w.err
	}
	if w.err != nil {
		d.progDone = false
	}
	return err
}
