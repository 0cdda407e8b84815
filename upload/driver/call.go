package driver

import (
	"net/http"
)

// Call is one HTTP exchange; the body is replayed for every attempt.
type Call struct {
	// Method is the HTTP method (GET when empty).
	Method string
	// URL is absolute, e.g. from Client.URL.
	URL string
	// ContentType is the body's media type.
	ContentType string
	// Body is sent as is; nil means no body.
	Body []byte
	// Header holds headers for this call on top of upload.Config.Header.
	Header http.Header
}

// Reply is a successful (2xx) answer read in full.
type Reply struct {
	// StatusCode, Header and Body are the answer's.
	StatusCode int
	Header     http.Header
	Body       []byte
	// Attempts is the number of requests made, retries included.
	Attempts int
}
