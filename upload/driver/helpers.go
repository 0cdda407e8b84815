package driver

import (
	"net/http"
	"time"

	"github.com/imgprep/imgprep/upload/internal/wire"
)

// RetryAfter parses the Retry-After-Ms (milliseconds) and Retry-After
// (seconds or an HTTP date, relative to now) headers. It reports false
// when neither gives a positive duration.
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) { return wire.RetryAfter(h, now) }

// DecodeBase64 decodes standard or URL-safe base64, padded or not, with
// white space and an optional "data:<type>;base64," prefix.
func DecodeBase64(s string) ([]byte, error) { return wire.DecodeBase64(s) }
