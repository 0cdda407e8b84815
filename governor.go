package imgprep

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/imgprep/imgprep/internal/errdetail"
	"github.com/imgprep/imgprep/upload"
)

// Governor is the rate governor a batch's workers share, so that they back
// off together instead of colliding (TCP's additive increase and
// multiplicative decrease, applied to the requests in flight):
//
//   - every request holds a Slot from Acquire until its answer; at most
//     Window slots are out, and the window is never above Limit;
//   - a rate limit (Slot.RateLimited) pauses every Acquire until the time
//     the server gave, and halves the window once per congestion event:
//     answers to requests sent before the last halving do not halve it
//     again;
//   - each run of Window successes (Slot.Success) grows it by one, back up
//     to Limit;
//   - Stop ends it: every Acquire, waiting or to come, fails with
//     ErrBatchStopped and the cause.
//
// It is safe for concurrent use. One Governor may serve several batches
// or the goroutines of a queue worker that call one API with one key.
type Governor struct {
	clock   Clock
	backoff func(n int) time.Duration

	mu          sync.Mutex
	limit       int
	window      int
	inFlight    int
	peak        int
	acked       int    // successes since the window last changed
	epoch       uint64 // bumped by every halving
	pausedUntil time.Time
	streak      int // rate limits since the last success
	rateLimits  int
	lastSuccess time.Time
	err         error         // set by Stop
	changed     chan struct{} // closed and replaced on every change
}

// GovernorOptions configure a Governor. The zero value is valid.
type GovernorOptions struct {
	// Limit is the most requests in flight (N); 0 means 4.
	Limit int
	// Backoff is the pause after a rate limit that came without a wait
	// (no Retry-After), n counting the rate limits since the last success
	// from 1; nil means upload.RetryPolicy{}.Backoff.
	Backoff func(n int) time.Duration
	// Clock is the time source; nil means the real clock. Tests give a
	// fake one.
	Clock Clock
}

// Clock is the governor's time source.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives once d has passed.
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// ErrBatchStopped: a request that was not sent, or not sent again,
// because the batch stopped: Batch.Drain was called, or a failure every
// other job would share (auth, exhausted quota, a rate limit longer than
// the policy waits) ended it (see Governor.Stop).
var ErrBatchStopped = errors.New("imgprep: batch stopped")

// StopError is ErrBatchStopped with its cause.
type StopError struct {
	// Err is the cause: the job's error that stopped the batch, or
	// ErrDrained.
	Err error
}

// ErrDrained is the cause of a stop by Batch.Drain.
var ErrDrained = errors.New("drained: no new requests are started")

// Error returns "imgprep: batch stopped: " + Detail.
func (e *StopError) Error() string { return "imgprep: batch stopped: " + e.Detail() }

// Detail returns the cause's message.
func (e *StopError) Detail() string { return errdetail.Of(e.Err) }

// Unwrap returns ErrBatchStopped and the cause.
func (e *StopError) Unwrap() []error { return []error{ErrBatchStopped, e.Err} }

// NewGovernor returns a governor with its window at the limit.
func NewGovernor(o GovernorOptions) *Governor {
	if o.Limit <= 0 {
		o.Limit = 4
	}
	g := &Governor{clock: o.Clock, backoff: o.Backoff, limit: o.Limit, window: o.Limit, changed: make(chan struct{})}
	if g.clock == nil {
		g.clock = realClock{}
	}
	if g.backoff == nil {
		g.backoff = upload.RetryPolicy{}.Backoff
	}
	g.lastSuccess = g.clock.Now()
	return g
}

// Slot is one request's place in the window, from Acquire to its answer.
// Exactly one of Success, RateLimited and Failure gives it back; later
// calls do nothing.
type Slot struct {
	g     *Governor
	epoch uint64
	done  atomic.Bool
}

// Acquire waits until no pause is in effect and fewer than Window
// requests are in flight, and takes a slot. It fails with ctx's error, or
// with a *StopError once the governor is stopped.
func (g *Governor) Acquire(ctx context.Context) (*Slot, error) {
	for {
		g.mu.Lock()
		if g.err != nil {
			err := g.err
			g.mu.Unlock()
			return nil, &StopError{Err: err}
		}
		if err := ctx.Err(); err != nil {
			g.mu.Unlock()
			return nil, err
		}
		var timer <-chan time.Time
		if wait := g.pausedUntil.Sub(g.clock.Now()); wait > 0 {
			timer = g.clock.After(wait)
		} else if g.inFlight < g.window {
			g.inFlight++
			g.peak = max(g.peak, g.inFlight)
			s := &Slot{g: g, epoch: g.epoch}
			g.mu.Unlock()
			return s, nil
		}
		changed := g.changed
		g.mu.Unlock()
		select {
		case <-ctx.Done():
		case <-changed:
		case <-timer: // nil without a pause: waits for a change
		}
	}
}

// notify wakes every waiting Acquire (g.mu held).
func (g *Governor) notify() {
	close(g.changed)
	g.changed = make(chan struct{})
}

// release gives the slot back and applies f to the state, once.
func (s *Slot) release(f func(g *Governor, now time.Time)) {
	if s == nil || !s.done.CompareAndSwap(false, true) {
		return
	}
	g := s.g
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inFlight--
	if f != nil {
		f(g, g.clock.Now())
	}
	g.notify()
}

// Success reports an answered request: after Window successes in a row
// the window grows by one, up to Limit.
func (s *Slot) Success() {
	s.release(func(g *Governor, now time.Time) {
		g.streak, g.lastSuccess = 0, now
		g.acked++
		if g.acked >= g.window && g.window < g.limit {
			g.window++
			g.acked = 0
		}
	})
}

// RateLimited reports a rate-limited request (a 429, or any answer with a
// Retry-After): every Acquire waits until wait has passed (or, when wait
// is 0, the Backoff for the rate limits since the last success), and the
// window halves, at least to 1, unless it already halved since this slot
// was taken.
func (s *Slot) RateLimited(wait time.Duration) {
	s.release(func(g *Governor, now time.Time) {
		g.rateLimits++
		g.streak++
		if wait <= 0 {
			wait = g.backoff(g.streak)
		}
		if until := now.Add(wait); until.After(g.pausedUntil) {
			g.pausedUntil = until
		}
		if s.epoch == g.epoch {
			g.window = max(1, g.window/2)
			g.acked = 0
			g.epoch++
		}
	})
}

// Failure reports a request that failed otherwise (a 5xx, a reset, a
// refused request): the window stays as it is.
func (s *Slot) Failure() { s.release(nil) }

// Stop ends the governor with err (the first cause is kept): every
// Acquire, waiting or to come, fails with a *StopError. Requests in flight
// are not touched.
func (g *Governor) Stop(err error) {
	if err == nil {
		err = errors.New("stopped")
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err == nil {
		g.err = err
		g.notify()
	}
}

// Err returns the cause given to Stop, or nil.
func (g *Governor) Err() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}

// GovernorState is a snapshot of a governor, for progress displays.
type GovernorState struct {
	// Limit is the most requests in flight; Window the current bound
	// (1..Limit); InFlight the slots out; Peak the most ever out at once.
	Limit, Window, InFlight, Peak int
	// Paused is how long every Acquire still waits for a rate limit (0
	// when none).
	Paused time.Duration
	// RateLimits counts the rate-limited answers reported.
	RateLimits int
	// LastSuccess is when a request last succeeded (the governor's
	// creation before the first).
	LastSuccess time.Time
	// Stopped is the cause given to Stop, or nil.
	Stopped error
}

// State returns the governor's current state.
func (g *Governor) State() GovernorState {
	g.mu.Lock()
	defer g.mu.Unlock()
	return GovernorState{Limit: g.limit, Window: g.window, InFlight: g.inFlight, Peak: g.peak,
		Paused: max(0, g.pausedUntil.Sub(g.clock.Now())), RateLimits: g.rateLimits,
		LastSuccess: g.lastSuccess, Stopped: g.err}
}
