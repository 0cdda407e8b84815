package upload

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/imgprep/imgprep/upload/internal/wire"
)

// transportRetryable reports whether a transport failure may be retried.
func (c *client) transportRetryable(ctx context.Context, err error) bool {
	return ctx.Err() == nil && transportCauseRetryable(err)
}

// transportCauseRetryable reports whether a transport failure is of a
// kind that may pass on a retry: not a certificate, not a refused
// redirect.
func transportCauseRetryable(err error) bool {
	var (
		cv *tls.CertificateVerificationError
		ua x509.UnknownAuthorityError
		hn x509.HostnameError
		ci x509.CertificateInvalidError
	)
	if errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci) {
		return false
	}
	if strings.Contains(err.Error(), "redirect to a") { // refused by CheckRedirect
		return false
	}
	return true
}

// transportErr describes a failed exchange (no answer, or a body that
// could not be read), redacted.
func (c *client) transportErr(ctx, actx context.Context, call wire.Call, o callOpts, doing string, err error) error {
	where := call.Method + " " + redactURL(call.URL)
	if doing != "" {
		where += ": " + doing
	}
	switch {
	case ctx.Err() != nil:
		return ctxErr(ctx, where, nil)
	case context.Cause(actx) == errAttemptTimeout:
		return &kindError{kind: ErrTimeout, cause: context.DeadlineExceeded,
			msg: fmt.Sprintf("%s: nothing received for %s (attempt timeout)", where, o.timeout)}
	}
	kind := ErrNetwork
	var ne interface{ Timeout() bool }
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
		kind = ErrTimeout
	} else if o.kind != nil {
		kind = o.kind
	}
	return &kindError{kind: kind, cause: err, msg: where + ": " + c.cfg.redact(stripURLError(err))}
}

// stripURLError drops the *url.Error prefix (method and URL, already
// reported).
func stripURLError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// ctxErr wraps ctx.Err() (and ErrTimeout for a deadline) with a message.
func ctxErr(ctx context.Context, msg string, last error) error {
	cerr := ctx.Err()
	kinds := cerr
	if errors.Is(cerr, context.DeadlineExceeded) {
		kinds = errors.Join(cerr, ErrTimeout)
	}
	msg += ": " + cerr.Error()
	if last != nil {
		msg += " (last error: " + last.Error() + ")"
	}
	return &kindError{kind: kinds, msg: msg, cause: last}
}

// redactURL drops the query and fragment of u (they may hold signatures or
// keys) for messages.
func redactURL(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		return u[:i] + "?…"
	}
	return u
}
