package imgprep_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/imgprep/imgprep"
	"github.com/imgprep/imgprep/upload"
)

// fakeClock is a Clock that moves only when told to.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeTimer
}

type fakeTimer struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Unix(1_700_000_000, 0)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, fakeTimer{c.now.Add(d), ch})
	return ch
}

// Advance moves the clock on and fires the timers that are due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	keep := c.waiters[:0]
	for _, w := range c.waiters {
		if w.at.After(c.now) {
			keep = append(keep, w)
			continue
		}
		w.ch <- c.now
	}
	c.waiters = keep
}

// acquirer runs Acquire on its own goroutine.
type acquirer struct {
	slot chan *imgprep.Slot
	err  chan error
}

func goAcquire(ctx context.Context, g *imgprep.Governor) acquirer {
	a := acquirer{make(chan *imgprep.Slot, 1), make(chan error, 1)}
	go func() {
		s, err := g.Acquire(ctx)
		if err != nil {
			a.err <- err
			return
		}
		a.slot <- s
	}()
	return a
}

// blocked is how long a waiting Acquire is watched to see that it waits.
const blocked = 30 * time.Millisecond

// got returns the slot the acquirer took within a second.
func (a acquirer) got(t *testing.T) *imgprep.Slot {
	t.Helper()
	select {
	case s := <-a.slot:
		return s
	case err := <-a.err:
		t.Fatalf("Acquire: %v", err)
	case <-time.After(time.Second):
		t.Fatal("Acquire still waiting")
	}
	return nil
}

// waits checks that the acquirer has no slot yet.
func (a acquirer) waits(t *testing.T) {
	t.Helper()
	select {
	case <-a.slot:
		t.Fatal("Acquire did not wait")
	case err := <-a.err:
		t.Fatalf("Acquire: %v", err)
	case <-time.After(blocked):
	}
}

func mustAcquire(t *testing.T, g *imgprep.Governor, n int) []*imgprep.Slot {
	t.Helper()
	var out []*imgprep.Slot
	for range n {
		s, err := g.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func TestGovernorCap(t *testing.T) {
	t.Parallel()
	g := imgprep.NewGovernor(imgprep.GovernorOptions{Limit: 3, Clock: newFakeClock()})
	slots := mustAcquire(t, g, 3)
	a := goAcquire(context.Background(), g)
	a.waits(t)
	slots[0].Success()
	slots[0].Success() // a second report is ignored
	a.got(t).Failure()
	if st := g.State(); st.InFlight != 2 || st.Peak != 3 || st.Window != 3 {
		t.Fatalf("state %+v", st)
	}
	ctx, cancel := context.WithCancel(context.Background())
	mustAcquire(t, g, 1)
	b := goAcquire(ctx, g)
	b.waits(t)
	cancel()
	select {
	case err := <-b.err:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled Acquire: %v", err)
		}
	case <-time.After(time.Second):
		t.Fatal("a cancelled Acquire goes on waiting")
	}
}

// TestGovernorPausesEveryWorker: one worker's Retry-After holds every
// other worker until the time given, and the window is halved.
func TestGovernorPausesEveryWorker(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	g := imgprep.NewGovernor(imgprep.GovernorOptions{Limit: 4, Clock: clk})
	mustAcquire(t, g, 1)[0].RateLimited(2 * time.Second)
	if st := g.State(); st.Paused != 2*time.Second || st.Window != 2 || st.RateLimits != 1 || st.InFlight != 0 {
		t.Fatalf("state %+v", st)
	}
	var as []acquirer
	for range 3 {
		as = append(as, goAcquire(context.Background(), g))
	}
	for _, a := range as {
		a.waits(t)
	}
	clk.Advance(time.Second)
	for _, a := range as {
		a.waits(t)
	}
	clk.Advance(time.Second)
	got := 0
	deadline := time.After(time.Second)
	for got < 2 {
		select {
		case <-as[0].slot:
		case <-as[1].slot:
		case <-as[2].slot:
		case <-deadline:
			t.Fatalf("%d of 3 workers went on after the pause, want 2 (the halved window)", got)
		}
		got++
	}
	if st := g.State(); st.InFlight != 2 || st.Paused != 0 {
		t.Fatalf("state after the pause %+v", st)
	}
}

// TestGovernorDecrease: the window halves once per congestion event (the
// answers to requests sent before a halving do not halve it again), down
// to 1; a later Retry-After never shortens a pause.
func TestGovernorDecrease(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	g := imgprep.NewGovernor(imgprep.GovernorOptions{Limit: 8, Clock: clk})
	slots := mustAcquire(t, g, 8)
	slots[0].RateLimited(3 * time.Second)
	for _, s := range slots[1:] {
		s.RateLimited(time.Second)
	}
	if st := g.State(); st.Window != 4 || st.Paused != 3*time.Second || st.RateLimits != 8 {
		t.Fatalf("after one burst of 429s: %+v, want window 4, paused 3s", st)
	}
	for _, want := range []int{2, 1, 1} {
		clk.Advance(3 * time.Second)
		mustAcquire(t, g, 1)[0].RateLimited(time.Second)
		if st := g.State(); st.Window != want {
			t.Fatalf("window %d, want %d", st.Window, want)
		}
	}
}

// TestGovernorIncrease: the window grows by one per window of successes,
// back up to the limit and never above it.
func TestGovernorIncrease(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	g := imgprep.NewGovernor(imgprep.GovernorOptions{Limit: 6, Clock: clk})
	mustAcquire(t, g, 1)[0].RateLimited(time.Millisecond)
	clk.Advance(time.Millisecond)
	if w := g.State().Window; w != 3 {
		t.Fatalf("window %d after a 429, want 3", w)
	}
	var windows []int
	for range 20 {
		mustAcquire(t, g, 1)[0].Success()
		windows = append(windows, g.State().Window)
	}
	want := []int{3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6}
	for i := range want {
		if windows[i] != want[i] {
			t.Fatalf("windows after each success %v, want %v", windows, want)
		}
	}
	if st := g.State(); st.Peak != 1 || st.Limit != 6 {
		t.Fatalf("state %+v", st)
	}
}

// TestGovernorBackoffWithoutRetryAfter: a 429 without a wait pauses for
// the backoff of the rate limits since the last success.
func TestGovernorBackoffWithoutRetryAfter(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	g := imgprep.NewGovernor(imgprep.GovernorOptions{Limit: 2, Clock: clk,
		Backoff: func(n int) time.Duration { return time.Duration(n) * 100 * time.Millisecond }})
	for _, want := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond} {
		mustAcquire(t, g, 1)[0].RateLimited(0)
		if p := g.State().Paused; p != want {
			t.Fatalf("paused %v, want %v", p, want)
		}
		clk.Advance(want)
	}
	mustAcquire(t, g, 1)[0].Success()
	mustAcquire(t, g, 1)[0].RateLimited(0)
	if p := g.State().Paused; p != 100*time.Millisecond {
		t.Fatalf("after a success: paused %v, want the first backoff again", p)
	}
}

// TestGovernorStop: an auth failure stops the governor: waiting and later
// Acquires fail with ErrBatchStopped and the cause.
func TestGovernorStop(t *testing.T) {
	t.Parallel()
	g := imgprep.NewGovernor(imgprep.GovernorOptions{Limit: 1, Clock: newFakeClock()})
	s := mustAcquire(t, g, 1)[0]
	a := goAcquire(context.Background(), g)
	a.waits(t)
	auth := &upload.APIError{StatusCode: 401, Code: "invalid_api_key"}
	g.Stop(auth)
	g.Stop(errors.New("a later cause is ignored"))
	for _, err := range []error{<-a.err, func() error { _, err := g.Acquire(context.Background()); return err }()} {
		var se *imgprep.StopError
		if !errors.Is(err, imgprep.ErrBatchStopped) || !errors.Is(err, upload.ErrAuth) || !errors.As(err, &se) {
			t.Fatalf("Acquire after Stop: %v", err)
		}
	}
	s.Failure()
	if st := g.State(); st.InFlight != 0 || !errors.Is(st.Stopped, upload.ErrAuth) || g.Err() != auth {
		t.Fatalf("state %+v", st)
	}
}

// TestGovernorConcurrent: many goroutines, real time, random outcomes:
// never more than Limit slots out.
func TestGovernorConcurrent(t *testing.T) {
	t.Parallel()
	g := imgprep.NewGovernor(imgprep.GovernorOptions{Limit: 5})
	var wg sync.WaitGroup
	for w := range 20 {
		wg.Go(func() {
			for i := range 30 {
				s, err := g.Acquire(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				switch (w + i) % 7 {
				case 0:
					s.RateLimited(time.Millisecond)
				case 1:
					s.Failure()
				default:
					s.Success()
				}
			}
		})
	}
	wg.Wait()
	if st := g.State(); st.Peak > 5 || st.InFlight != 0 || st.Window < 1 || st.Window > 5 {
		t.Fatalf("state %+v", st)
	}
}
