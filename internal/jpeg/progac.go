package jpeg

// decodeACScan decodes a progressive scan of the AC band [zigStart,
// zigEnd] (zigStart > 0) of one component, as decodeScan does, but going
// through the component's blocks directly, left to right and top to
// bottom, and calling decodeFirst or refine only for the blocks that
// need it: in a first scan, a block in an end-of-band run has nothing,
// and in a refinement, one without non-zero coefficients in the band
// only counts down the run.
func (d *decoder) decodeACScan(sc scanComp, mxx, myy int, zigStart, zigEnd int32, ah, al uint32) error {
	compIndex := sc.compIndex
	c := &d.comp[compIndex]
	hi, vi := c.h, c.v
	acH := &d.huff[acTable][sc.ta]
	dcH := &d.huff[dcTable][sc.td]
	cb := &d.progCoeffs[compIndex]
	stride := mxx * hi
	// The blocks with data: those inside the image at the pixel level (see
	// decodeScan). They are the MCUs that restart intervals count.
	nbx := min(stride, (d.width+7)/8)
	nby := min(myy*vi, (d.height+7)/8)
	nMCU := nbx * nby
	if hi*vi > 1 && d.ri > 0 {
		d.blockRestarts = true
	}
	band := ^uint64(0) >> (63 - uint(zigEnd)) &^ (1<<uint(zigStart) - 1)
	var dc [maxComponents]int32 // unused: an AC scan has no DC
	mcu, expectedRST := 0, uint8(rst0Marker)
	reported := 0 // rows of MCUs reported final while streaming
	for by := 0; by < nby; by++ {
		for bx := 0; bx < nbx; bx++ {
			bi := by*stride + bx
			if d.eobRun > 0 && (ah == 0 || cb.nz[bi]&band == 0) {
				// Nothing in the band, and nothing to refine.
				d.eobRun--
			} else if err := d.decodeCoefs(cb, bi, dcH, acH, &dc[compIndex], zigStart, zigEnd, ah, al); err != nil {
				return err
			}
			if d.ri > 0 {
				mcu++
				if mcu%d.ri == 0 && mcu < nMCU {
					if err := d.processRST(&expectedRST, &dc); err != nil {
						return err
					}
				}
			}
		}
		if d.streaming && (by+1)%vi == 0 {
			if err := d.streamRows(reported, (by+1)/vi); err != nil {
				return err
			}
			reported = (by + 1) / vi
		}
	}
	if d.streaming {
		if err := d.streamRows(reported, myy); err != nil {
			return err
		}
		d.progDone = d.streaming
	}
	d.streaming = false
	return nil
}
