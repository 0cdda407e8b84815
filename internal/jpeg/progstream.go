package jpeg

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
// component of a progressive image from its coefficients.
func (d *decoder) reconstructRows(my0, my1 int) {
	// The h0, mxx, by and bx variables have the same meaning as in the
	// processSOS method.
	h0 := d.comp[0].h
	mxx := (d.width + 8*h0 - 1) / (8 * h0)
	b := &d.blk
	*b = block{}
	slot := &coefSlots[d.shift]
	for i := 0; i < d.nComp; i++ {
		cb := &d.progCoeffs[i]
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
