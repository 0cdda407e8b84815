package upload

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/imgprep/imgprep/upload/internal/wire"
)

// retry runs try until it succeeds, fails for good, or retries run out.
func (c *client) retry(ctx context.Context, call wire.Call, try func(context.Context) (bool, error)) (int, error) {
	p := c.cfg.Retry
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return attempt - 1, ctxErr(ctx, call.Method+" "+redactURL(call.URL), nil)
		}
		retry, err := try(ctx)
		if err == nil {
			return attempt, nil
		}
		var ae *APIError
		if errors.As(err, &ae) {
			ae.Attempts = attempt
		}
		if !retry || attempt > p.retries() || ctx.Err() != nil {
			return attempt, withAttempts(err, attempt)
		}
		wait, fromServer := p.Backoff(attempt), false
		if ae != nil && ae.RetryAfter > 0 {
			if ae.RetryAfter > p.MaxRetryAfter {
				return attempt, withAttempts(err, attempt) // the server asks for a longer pause than we wait
			}
			wait, fromServer = ae.RetryAfter, true
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return attempt, withAttempts(err, attempt)
		}
		if c.cfg.OnRetry != nil {
			c.onMu.Lock()
			c.cfg.OnRetry(RetryEvent{Attempt: attempt, Wait: wait, Err: err, RetryAfter: fromServer})
			c.onMu.Unlock()
		}
		if c.sleep(ctx, wait) != nil || ctx.Err() != nil {
			return attempt, ctxErr(ctx, fmt.Sprintf("%s %s: stopped waiting to retry (attempt %d failed)", call.Method, redactURL(call.URL), attempt), err)
		}
	}
}

// withAttempts notes the attempt count on a non-API error.
func withAttempts(err error, n int) error {
	var ae *APIError
	if n <= 1 || errors.As(err, &ae) {
		return err
	}
	var ke *kindError
	if errors.As(err, &ke) && ke == err {
		return &kindError{kind: ke.kind, cause: ke.cause, msg: fmt.Sprintf("%s (after %d attempts)", ke.msg, n)}
	}
	return fmt.Errorf("%w (after %d attempts)", err, n)
}
