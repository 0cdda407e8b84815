package imgprep

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/imgprep/imgprep/upload"
)

// BatchRetry describes a failed attempt of a job that is about to be sent
// again (for progress output).
type BatchRetry struct {
	// Key is the job's key ("" for a Do outside Run).
	Key string
	// Attempt is the number of the attempt that failed, from 1.
	Attempt int
	// Wait is how long the job waits before its next attempt: its backoff,
	// or the pause every worker keeps for a rate limit.
	Wait time.Duration
	// Err is the attempt's error.
	Err error
	// RateLimited is true for a rate limit, which pauses every worker and
	// does not count against the job's retries.
	RateLimited bool
}

// verdict is what Do makes of a failed attempt.
type verdict int

const (
	failJob   verdict = iota // this job fails, the others go on
	retryJob                 // sent again after a backoff, counted against MaxRetries
	limitJob                 // rate limited: every worker pauses; not counted
	stopBatch                // every other job would fail the same way
)

// judge sorts a failed attempt by the retry policy's rules.
func judge(err error) (verdict, time.Duration) {
	var ae *upload.APIError
	switch {
	case errors.Is(err, upload.ErrAuth):
		return stopBatch, 0
	case errors.As(err, &ae) && (ae.Code == "insufficient_quota" || ae.Type == "insufficient_quota"):
		return stopBatch, 0
	}
	retry, wait := upload.Retryable(err)
	switch {
	case !retry:
		return failJob, 0
	case errors.Is(err, upload.ErrRateLimit):
		return limitJob, wait
	}
	return retryJob, wait
}

// WaitTooLongError stops a batch whose server asks for a longer pause than
// the policy's MaxRetryAfter.
type WaitTooLongError struct {
	// Wait is the pause asked for, Max the longest honoured.
	Wait, Max time.Duration
	// Err is the answer that asked for it.
	Err error
}

// Error returns "imgprep: " + Detail.
func (e *WaitTooLongError) Error() string { return "imgprep: " + e.Detail() }

// Detail says what the server asked for and what to do.
func (e *WaitTooLongError) Detail() string {
	return fmt.Sprintf("the server asks to wait %s, longer than the %s the retry policy waits (raise RetryPolicy.MaxRetryAfter, or run again later): %s",
		e.Wait.Round(time.Second), e.Max, e.Err.Error())
}

// Unwrap returns the answer's error.
func (e *WaitTooLongError) Unwrap() error { return e.Err }

// Do sends one request through the batch's governor: it calls send once
// per attempt, each inside a governor slot, until an attempt succeeds or
// fails for good, and returns the number of attempts made (send calls)
// and the last error. send must make exactly one request (an uploader
// with its retries off, see upload.Retryable) and return its error as
// the upload package gives it.
//
//   - A rate limit (429) pauses every worker until the server's
//     Retry-After (or a backoff) and shrinks the window; the job tries
//     again after the pause without using its retries. It fails for rate
//     limiting only when no request of the governor has succeeded for
//     BatchOptions.RateLimitPatience.
//   - 5xx, 408, 409, resets and timeouts are retried with the batch's
//     RetryPolicy (a Retry-After on them pauses every worker too).
//   - Other 4xx, moderation, malformed answers and failed downloads fail
//     the job at once.
//   - An auth failure (401, 403), an exhausted quota or a Retry-After
//     above RetryPolicy.MaxRetryAfter stops the batch (Governor.Stop):
//     every other job would fail the same way.
//
// A job that cannot start an attempt because the batch stopped or was
// drained gets a *StopError (ErrBatchStopped). Do is safe for concurrent
// use: a queue worker may call it from many goroutines.
func (b *Batch) Do(ctx context.Context, send func(context.Context) error) (int, error) {
	return b.do(ctx, "", send)
}

func (b *Batch) do(ctx context.Context, key string, send func(context.Context) error) (int, error) {
	wctx, cancel := b.waitContext(ctx)
	defer cancel()
	p := b.policy
	start := b.gov.clock.Now()
	attempts, retries := 0, 0
	for {
		if b.drained.Err() != nil {
			return attempts, &StopError{Err: ErrDrained}
		}
		slot, err := b.gov.Acquire(wctx)
		if err != nil {
			return attempts, b.notStarted(ctx, err)
		}
		attempts++
		err = send(ctx)
		if err == nil {
			slot.Success()
			return attempts, nil
		}
		if ctx.Err() != nil {
			slot.Failure()
			return attempts, err
		}
		v, wait := judge(err)
		var backoff time.Duration // the job's own wait; a pause is waited out in Acquire
		if v != failJob && v != stopBatch && wait > p.MaxRetryAfter {
			err, v = &WaitTooLongError{Wait: wait, Max: p.MaxRetryAfter, Err: err}, stopBatch
		}
		switch v {
		case failJob:
			slot.Failure()
			return attempts, err
		case stopBatch:
			slot.Failure()
			b.gov.Stop(err)
			return attempts, err
		case limitJob:
			slot.RateLimited(wait)
			if b.gov.clock.Now().Sub(later(start, b.gov.State().LastSuccess)) > b.opts.RateLimitPatience {
				return attempts, err
			}
			wait = b.gov.State().Paused
		case retryJob:
			if wait > 0 {
				slot.RateLimited(wait) // a 503 with Retry-After slows everyone down
			} else {
				slot.Failure()
			}
			if retries++; retries > max(p.MaxRetries, 0) {
				return attempts, err
			}
			if wait == 0 {
				backoff = p.Backoff(retries)
				wait = backoff
			}
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return attempts, err
		}
		b.onRetry(BatchRetry{Key: key, Attempt: attempts, Wait: wait, Err: err, RateLimited: v == limitJob})
		if backoff > 0 {
			if serr := b.wait(wctx, backoff); serr != nil {
				return attempts, b.notStarted(ctx, serr)
			}
		}
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// notStarted turns the error of a wait that ended before an attempt into
// the job's error: the context's own, or a *StopError (a drain shows as
// the wait context's cancellation).
func (b *Batch) notStarted(ctx context.Context, err error) error {
	var se *StopError
	switch {
	case errors.As(err, &se):
		return err
	case ctx.Err() != nil:
		return ctx.Err()
	case b.drained.Err() != nil:
		return &StopError{Err: ErrDrained}
	}
	return err
}

// waitContext is ctx, also cancelled by Drain: waits end on a drain,
// requests in flight do not.
func (b *Batch) waitContext(ctx context.Context) (context.Context, context.CancelFunc) {
	wctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(b.drained, cancel)
	return wctx, func() { stop(); cancel() }
}
