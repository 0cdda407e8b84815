package upload

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Defaults that Config.WithDefaults fills into zero fields.
const (
	DefaultBaseURL          = "https://api.openai.com/v1"
	DefaultTimeout          = 10 * time.Minute
	DefaultDownloadTimeout  = 2 * time.Minute
	DefaultMaxResponseBytes = 64 << 20
	DefaultMaxDownloadBytes = 64 << 20
)

// Config configures an uploader. The zero value is valid and talks to
// OpenAI without a key. Print it freely: String and GoString redact the key.
type Config struct {
	// BaseURL is the API root; requests go to BaseURL + "/images/edits".
	// Default DefaultBaseURL. A query (e.g. ?api-version=...) is kept.
	BaseURL string
	// APIKey is sent as "Authorization: Bearer <key>" when non-empty.
	APIKey string
	// HTTPClient sends the requests; nil means a client without a global
	// timeout (Timeout and DownloadTimeout bound the work instead).
	HTTPClient *http.Client
	// Retry is the retry policy; the zero value retries 3 times.
	Retry RetryPolicy
	// Timeout bounds each attempt's stalls: the attempt fails when for this
	// long no request byte was sent and no response byte arrived (so it
	// bounds the server's thinking time, and for a stream the pause between
	// events). 0 means DefaultTimeout, negative means none.
	Timeout time.Duration
	// MaxResponseBytes caps a response body or one stream event (default
	// DefaultMaxResponseBytes).
	MaxResponseBytes int64
	// MaxDownloadBytes caps one downloaded result image (default
	// DefaultMaxDownloadBytes).
	MaxDownloadBytes int64
	// DownloadTimeout bounds the download of one result URL, retries
	// included (default DefaultDownloadTimeout).
	DownloadTimeout time.Duration
	// OnRetry, when set, is called before each wait between attempts (for
	// progress output). Calls are serialised; those for result downloads
	// come from the download goroutines.
	OnRetry func(RetryEvent)
	// Header holds extra request headers (e.g. for a gateway).
	Header http.Header
	// Sleep waits d or until ctx is done, returning ctx.Err() in the latter
	// case. Nil means a real timer. Tests inject a recorder here so that
	// retry waits and poll intervals take no time.
	Sleep func(ctx context.Context, d time.Duration) error
	// Options are driver-specific settings, each a struct value (or a
	// pointer to one) of a type its driver documents, such as
	// MultipartOptions or async.Options. A driver reads the values of the
	// types it knows, the last of each type winning, and ignores the rest,
	// so one Config serves any driver.
	Options []any
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.DownloadTimeout <= 0 {
		c.DownloadTimeout = DefaultDownloadTimeout
	}
	if c.MaxResponseBytes <= 0 {
		c.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if c.MaxDownloadBytes <= 0 {
		c.MaxDownloadBytes = DefaultMaxDownloadBytes
	}
	c.Retry = c.Retry.withDefaults()
	return c
}

// Validate checks that BaseURL is an absolute http or https URL.
func (c Config) Validate() error {
	base := c.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("upload: base URL %q must be an absolute http or https URL such as %s", Redact(c.redact(base)), DefaultBaseURL)
	}
	return nil
}

// String describes c with the API key and secret headers redacted.
func (c Config) String() string {
	key := ""
	if c.APIKey != "" {
		key = redacted
	}
	return fmt.Sprintf("upload.Config{BaseURL:%q APIKey:%q Timeout:%s Retry:%+v MaxResponseBytes:%d MaxDownloadBytes:%d DownloadTimeout:%s Header:%v Options:%s}",
		c.redact(c.BaseURL), key, c.Timeout, c.Retry,
		c.MaxResponseBytes, c.MaxDownloadBytes, c.DownloadTimeout, redactHeader(c.Header), optionTypes(c.Options))
}

// optionTypes names the types of opts (their values are the drivers'
// business, and could hold secrets).
func optionTypes(opts []any) string {
	names := make([]string, len(opts))
	for i, o := range opts {
		names[i] = fmt.Sprintf("%T", o)
	}
	return "[" + strings.Join(names, " ") + "]"
}

// GoString is String, so that %#v redacts too.
func (c Config) GoString() string { return c.String() }

// Redact removes c.APIKey from s, then applies the package-level Redact.
func (c Config) redact(s string) string {
	if c.APIKey != "" {
		s = strings.ReplaceAll(s, c.APIKey, redacted)
	}
	return Redact(s)
}

const redacted = "[REDACTED]"

var secretRE = regexp.MustCompile(`(?i)(bearer\s+)[^\s"',;]+|\bsk-[A-Za-z0-9_\-]{8,}`)

// Redact replaces bearer tokens ("Bearer xyz") and OpenAI-style keys
// ("sk-...") in s with "[REDACTED]".
func Redact(s string) string {
	return secretRE.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasPrefix(strings.ToLower(m), "bearer") {
			return m[:len("bearer")] + " " + redacted
		}
		return redacted
	})
}

// secretHeaders are headers whose values never appear in dumps.
var secretHeaders = map[string]bool{
	"Authorization": true, "Proxy-Authorization": true, "Api-Key": true,
	"X-Api-Key": true, "Cookie": true, "X-Goog-Api-Key": true,
}

// redactHeader renders h sorted, secret values redacted.
func redactHeader(h http.Header) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := strings.Join(h[k], ", ")
		if secretHeaders[http.CanonicalHeaderKey(k)] {
			v = redacted
		}
		parts = append(parts, k+": "+v)
	}
	return "{" + strings.Join(parts, "; ") + "}"
}
