package main

import (
	"context"
	"net/http"
	"sync"
)

// admission bounds the requests whose bodies the proxy holds in memory at
// once. The transport reads a whole edit body, then waits for a
// preparation slot; under a burst of large uploads every waiting request
// would hold its body (and its parsed copy) meanwhile. A request with a
// body is admitted before the transport reads it and leaves as soon as the
// transport hands it upstream (prepared and re-encoded, or passed through)
// or answers it itself, so the long wait for the API's answer holds no
// slot. Requests beyond the bound wait, unread, under their context.
type admission struct {
	slots chan struct{}
}

func newAdmission(n int) *admission {
	if n <= 0 {
		return nil
	}
	return &admission{slots: make(chan struct{}, n)}
}

type admittedKey struct{}

// admit waits for a slot under r's context and returns r carrying its
// release (idempotent), and the release; ok is false when the context
// ended first.
func (a *admission) admit(r *http.Request) (*http.Request, func(), bool) {
	if a == nil || r.Body == nil || r.Body == http.NoBody {
		return r, func() {}, true
	}
	select {
	case a.slots <- struct{}{}:
	case <-r.Context().Done():
		return r, func() {}, false
	}
	release := sync.OnceFunc(func() { <-a.slots })
	return r.WithContext(context.WithValue(r.Context(), admittedKey{}, release)), release, true
}

// releasing wraps the upstream round tripper: a request leaves admission
// when it is sent.
func releasing(next http.RoundTripper) http.RoundTripper {
	return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
		if release, ok := req.Context().Value(admittedKey{}).(func()); ok {
			release()
		}
		return next.RoundTrip(req)
	})
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
