package upload

import (
	"errors"
	"time"
)

// Retryable reports whether the failed edit call err may be sent again by
// the rules of RetryPolicy (408, 409, 429 and 5xx answers, x-should-retry,
// connection errors, attempts that timed out; never moderation,
// insufficient_quota, other 4xx, TLS certificate errors, a cancelled
// context, a truncated or malformed answer, a failed result download),
// and the wait the server asked for (Retry-After or Retry-After-Ms, 0 if
// none). It is for a caller that retries attempts itself through
// something shared, such as a rate governor for many workers, with the
// uploader's own retries turned off (Config.Retry.MaxRetries < 0).
func Retryable(err error) (bool, time.Duration) {
	if err == nil || errors.Is(err, ErrDownload) {
		return false, 0
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return retryableStatus(ae), ae.RetryAfter
	}
	var ke *kindError
	if !errors.As(err, &ke) || (ke.kind != ErrNetwork && ke.kind != ErrTimeout) {
		return false, 0 // a cancelled context's kind is the context error
	}
	return ke.cause == nil || transportCauseRetryable(ke.cause), 0
}
