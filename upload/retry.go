package upload

import (
	"context"
	"math/rand/v2"
	"time"
)

// Retry defaults applied to zero fields of a RetryPolicy.
const (
	DefaultMaxRetries    = 3
	DefaultBaseDelay     = 500 * time.Millisecond
	DefaultMaxDelay      = 8 * time.Second
	DefaultMaxRetryAfter = 60 * time.Second
)

// Jitter selects how backoff delays are randomised.
type Jitter int

// Jitter modes. The zero value is JitterEqual.
const (
	// JitterEqual waits half the backoff plus a random part of the other
	// half.
	JitterEqual Jitter = iota
	// JitterFull waits a random duration between 0 and the backoff.
	JitterFull
	// JitterNone waits exactly the backoff.
	JitterNone
)

// RetryPolicy says which failed attempts are repeated and how long to wait.
//
// Retried: 408, 409, 429 and 5xx answers, connection errors (reset, EOF,
// refused) and attempts that timed out. Never retried: other 4xx (400, 401,
// 403, 404, ...), the codes moderation_blocked, content_policy_violation and
// insufficient_quota, TLS certificate errors, and anything after the
// context is done. An "x-should-retry: true|false" header overrides the
// status rule, except that 400, 401, 403, 404 and moderation are never
// retried.
//
// The wait is the server's Retry-After-Ms or Retry-After (seconds or an
// HTTP date) when present and at most MaxRetryAfter; a longer requested
// wait ends retrying (the *APIError carries it in RetryAfter). Otherwise it
// is BaseDelay doubled per retry, capped by MaxDelay, with Jitter applied.
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt:
	// 0 means DefaultMaxRetries, negative means none.
	MaxRetries int
	// BaseDelay is the first backoff (default DefaultBaseDelay).
	BaseDelay time.Duration
	// MaxDelay caps the backoff (default DefaultMaxDelay).
	MaxDelay time.Duration
	// MaxRetryAfter is the longest server-requested wait honoured (default
	// DefaultMaxRetryAfter).
	MaxRetryAfter time.Duration
	// Jitter randomises backoff delays (default JitterEqual).
	Jitter Jitter
}

// RetryEvent describes a failed attempt that is about to be retried.
type RetryEvent struct {
	// Attempt is the number of the attempt that failed, from 1.
	Attempt int
	// Wait is how long the client waits before the next attempt.
	Wait time.Duration
	// Err is the attempt's error.
	Err error
	// RetryAfter is true when Wait came from the server's Retry-After.
	RetryAfter bool
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	switch {
	case p.MaxRetries == 0:
		p.MaxRetries = DefaultMaxRetries
	case p.MaxRetries < 0:
		p.MaxRetries = -1
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = DefaultBaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = DefaultMaxDelay
	}
	if p.MaxDelay < p.BaseDelay {
		p.MaxDelay = p.BaseDelay
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = DefaultMaxRetryAfter
	}
	return p
}

// retries is the number of retries allowed (0 when disabled).
func (p RetryPolicy) retries() int { return max(p.MaxRetries, 0) }

// Backoff returns the jittered exponential delay before retry number n
// (1 for the first retry), ignoring any Retry-After.
func (p RetryPolicy) Backoff(n int) time.Duration {
	p = p.withDefaults()
	d := p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	switch p.Jitter {
	case JitterFull:
		return time.Duration(rand.Int64N(int64(d) + 1))
	case JitterNone:
		return d
	default:
		half := d / 2
		return half + time.Duration(rand.Int64N(int64(d-half)+1))
	}
}

// retryableStatus applies the status/code rules and x-should-retry.
func retryableStatus(e *APIError) bool {
	if isModeration(e.Code) || isModeration(e.Type) || e.Code == "insufficient_quota" {
		return false
	}
	switch e.StatusCode {
	case 400, 401, 403, 404:
		return false
	}
	switch e.shouldRetry {
	case "true":
		return true
	case "false":
		return false
	}
	s := e.StatusCode
	return s == 408 || s == 409 || s == 429 || s >= 500
}

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
