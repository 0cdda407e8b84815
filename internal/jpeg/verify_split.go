package jpeg

import (
	"bytes"
	"sync/atomic"
)

// Splitting a scan without restart markers between two goroutines.
//
// Huffman-coded data resynchronises by itself: decoding from an arbitrary
// byte, with a guess at which block of the MCU comes next, soon falls into
// step with the true decoding (or fails and is tried again further on,
// with the next guess). So a second goroutine, the speculator, verifies
// the second half of the segment from its middle, recording where each of
// its first MCUs starts; the first goroutine verifies the first half, and
// then goes on until one of its block starts is one the speculator
// recorded: the same bit and the same block of the MCU (and no EOB run
// pending), from where both do exactly the same, so the speculator's
// outcome from there on is the scan's. If they never meet, the first
// goroutine verifies the rest itself: the split costs time, never
// correctness.

// splitMin is the size of the input from a scan's data on, in bytes,
// from which Verify splits the scan.
var splitMin = 256 << 10

// splitMeetings counts the splits whose goroutines met, for the tests.
var splitMeetings atomic.Int64

const (
	// specRecords is the number of MCU starts the speculator records.
	specRecords = 2048
	// specChunk is the number of MCUs verified per call between checks.
	specChunk = 64
	// specAttempts bounds the speculator's fresh starts.
	specAttempts = 32
)

// specRecordsMsg is the speculator's record of its last start: it began
// its MCUs at block phase of the MCU, and recs[u] is the bitPos of its MCU
// u.
type specRecordsMsg struct {
	phase int
	recs  []int
}

// specResult is how the speculator's last start ended: clean MCUs went
// through; the next one, which began in state fail, failed with err
// (possibly by running out of data, past the end of the scan's blocks);
// pos is where its reader stopped.
type specResult struct {
	clean int
	fail  vreader
	err   error
	pos   int
}

// rotate returns unit's blocks starting from block phase.
func rotate(unit []vblock, phase int) []vblock {
	r := make([]vblock, 0, len(unit))
	return append(append(r, unit[phase:]...), unit[:phase]...)
}

// split verifies units MCUs of unit's blocks, none of them restart
// intervals, with a speculator for the second half.
func (v *verifier) split(unit []vblock, units int, eob *uint16) error {
	p := v.pos + (len(v.data)-v.pos)/2
	for p > v.pos && v.data[p-1] == 0xff {
		p--
	}
	recsCh := make(chan *specRecordsMsg, 1)
	doneCh := make(chan *specResult, 1)
	var stop atomic.Bool
	start := v.pos
	go func() {
		var res *specResult
		defer func() {
			// A panic is a bug; the first goroutine then verifies it all.
			recover()
			doneCh <- res
		}()
		res = v.speculate(unit, start, p, recsCh, &stop)
	}()
	err := v.splitFirst(unit, units, p, eob, recsCh, doneCh, &stop)
	stop.Store(true)
	return err
}

// splitFirst is split's first goroutine. doneCh is left for it to drain
// only when it used the result.
func (v *verifier) splitFirst(unit []vblock, units, p int, eob *uint16, recsCh chan *specRecordsMsg, doneCh chan *specResult, stop *atomic.Bool) (err error) {
	nb := len(unit)
	done := 0 // MCUs verified
	synced := false
	defer func() {
		if !synced {
			stop.Store(true)
			<-doneCh
		}
	}()
	for done < units && v.pos < p {
		k := min(units-done, specChunk)
		if err := v.run(k, unit, eob); err != nil {
			return err
		}
		done += k
	}
	if done == units {
		return nil
	}
	rm := <-recsCh
	if rm == nil || v.eobn > 0 || (units-done)*nb < nb+rm.phase {
		return v.run(units-done, unit, eob)
	}
	// Verify blocks one MCU (starting at the speculator's phase) at a
	// time, looking for a meeting point.
	blocksLeft := (units - done) * nb
	if err := v.run(1, unit[:rm.phase], eob); err != nil {
		return err
	}
	blocksLeft -= rm.phase
	rot := rotate(unit, rm.phase)
	j := 0
	for blocksLeft >= nb {
		at := v.bitPos()
		for j < len(rm.recs) && rm.recs[j] < at {
			j++
		}
		if j == len(rm.recs) {
			break
		}
		if rm.recs[j] == at && *eob == 0 && v.eobn == 0 && !v.end {
			synced = true
			splitMeetings.Add(1)
			return v.splitJoin(rot, j, blocksLeft, eob, doneCh)
		}
		if err := v.run(1, rot, eob); err != nil {
			return err
		}
		blocksLeft -= nb
	}
	// No meeting point: verify the rest here.
	if full := blocksLeft / nb; full > 0 {
		if err := v.run(full, rot, eob); err != nil {
			return err
		}
	}
	if rem := blocksLeft % nb; rem > 0 {
		return v.run(1, rot[:rem], eob)
	}
	return nil
}

// splitJoin finishes the scan from the speculator's result, the first
// goroutine being at the start of the speculator's MCU j with blocksLeft
// blocks to go.
func (v *verifier) splitJoin(rot []vblock, j, blocksLeft int, eob *uint16, doneCh chan *specResult) error {
	res := <-doneCh
	nb := len(rot)
	full, rem := blocksLeft/nb, blocksLeft%nb
	if res == nil {
		// The speculator stopped: verify the rest here.
		if err := v.run(full, rot, eob); err != nil || rem == 0 {
			return err
		}
		return v.run(1, rot[:rem], eob)
	}
	switch got := res.clean - j; {
	case got > full || got == full && rem == 0:
		v.resetBits()
		v.pos = res.pos
		return nil
	case got == full:
		// The last, partial MCU is the one that failed: verify the
		// blocks that count.
		v.vreader = res.fail
		return v.run(1, rot[:rem], eob)
	}
	return res.err
}

// speculate verifies the data from byte p on, with fresh starts after
// failures early on, recording MCU starts (see split). It sends the
// records of its last start on recsCh (nil if it gave up) and returns how
// that start ended, or nil.
func (v *verifier) speculate(unit []vblock, start, p int, recsCh chan *specRecordsMsg, stop *atomic.Bool) *specResult {
	sent := false
	defer func() {
		if !sent {
			recsCh <- nil
		}
	}()
	// p must be in the same segment.
	ff := bytes.Count(v.data[start:p], []byte{0xff})
	if ff != bytes.Count(v.data[start:min(p+1, len(v.data))], []byte{0xff, 0}) {
		return nil
	}
	s := &verifier{data: v.data}
	s.base, s.stuffed, s.pos = start, ff, p
	phase := 0
	for range specAttempts {
		rm := &specRecordsMsg{phase: phase, recs: make([]int, 0, specRecords)}
		rot := rotate(unit, phase)
		var eob uint16
		u := 0 // MCUs verified
		for !stop.Load() {
			snap := s.vreader
			k := specChunk
			if len(rm.recs) < specRecords {
				// Record every MCU start.
				k = 1
				at := -1
				if !s.end {
					at = s.bitPos()
				}
				rm.recs = append(rm.recs, at)
			} else if !sent {
				sent = true
				recsCh <- rm
			}
			err := s.run(k, rot, &eob)
			if err == nil && (eob != 0 || s.eobn > 0) {
				return nil // EOBn: not worth it
			}
			if err == nil {
				u += k
				continue
			}
			if !sent && !s.end {
				// An early failure, not at the end of the data: most
				// likely a wrong start.
				s.resetBits()
				phase = (phase + 1) % len(unit)
				break
			}
			if !sent {
				sent = true
				recsCh <- rm
			}
			// Find the MCU that failed.
			s.vreader, eob = snap, 0
			for {
				snap = s.vreader
				if err = s.run(1, rot, &eob); err != nil {
					return &specResult{clean: u, fail: snap, err: err, pos: s.pos}
				}
				u++
			}
		}
		if stop.Load() {
			return nil
		}
	}
	return nil
}
