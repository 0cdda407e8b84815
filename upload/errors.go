package upload

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/imgprep/imgprep/upload/internal/wire"
)

// Error categories. Every *APIError matches the categories of its status
// and code with errors.Is; other errors of this package wrap one of them.
var (
	// ErrAuth: 401 or 403, a missing or wrong API key.
	ErrAuth = errors.New("upload: authentication failed")
	// ErrRateLimit: 429.
	ErrRateLimit = errors.New("upload: rate limited")
	// ErrBadRequest: 400, 404, 409, 413, 415 or 422: the request itself is
	// wrong and is not retried as is.
	ErrBadRequest = errors.New("upload: bad request")
	// ErrModeration: the code moderation_blocked or content_policy_violation.
	ErrModeration = errors.New("upload: blocked by moderation")
	// ErrServer: a 5xx status.
	ErrServer = errors.New("upload: server error")
	// ErrNetwork: no answer: the connection was refused, reset or closed
	// early.
	ErrNetwork = errors.New("upload: network error")
	// ErrTimeout: 408 or 504, an attempt that timed out, or a deadline.
	ErrTimeout = errors.New("upload: timed out")
	// ErrNoImage: a successful response that carries no image.
	ErrNoImage = errors.New("upload: response carries no image")
	// ErrMalformedResponse: a response that is not the expected JSON or SSE,
	// is truncated, or exceeds Config.MaxResponseBytes.
	ErrMalformedResponse = errors.New("upload: malformed response")
	// ErrTaskFailed: an async task that ended in failure (Code "task_failed").
	ErrTaskFailed = errors.New("upload: task failed")
	// ErrDownload: a result URL that could not be downloaded.
	ErrDownload = errors.New("upload: download failed")
	// ErrInvalidRequest: Validate rejected the request before any byte was
	// sent. It is in the ErrBadRequest category.
	ErrInvalidRequest error = &sentinel{"upload: invalid request", ErrBadRequest}
)

// sentinel is a category error with a parent category.
type sentinel struct {
	msg    string
	parent error
}

func (s *sentinel) Error() string { return s.msg }
func (s *sentinel) Unwrap() error { return s.parent }

// prefix starts every message of this package.
const prefix = "upload: "

// kindError is an error of a category with its own message. Its message is
// built (and redacted) at construction; the cause is kept for errors.Is/As
// only and is never printed again.
type kindError struct {
	kind  error
	msg   string // the message without the "upload: " prefix
	cause error
}

// Error returns "upload: " + Detail.
func (e *kindError) Error() string { return prefix + e.msg }

// Detail returns the message without the "upload: " prefix.
func (e *kindError) Detail() string { return e.msg }

func (e *kindError) Unwrap() []error {
	if e.cause != nil {
		return []error{e.kind, e.cause}
	}
	return []error{e.kind}
}

func errorf(kind error, format string, args ...any) error {
	return &kindError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// APIError is an error answer of the API: an HTTP status with the
// {"error":{"message","type","param","code"}} body, an `event: error` of a
// stream, or a failed async task (Code "task_failed").
type APIError struct {
	// StatusCode is the HTTP status (200 for stream errors and failed tasks).
	StatusCode int
	// Code, Type, Param and Message come from the error body. For a non-JSON
	// body Message is its first 200 characters. For a failed task Type holds
	// the task's own error code, if any.
	Code, Type, Param, Message string
	// RequestID is the x-request-id response header.
	RequestID string
	// RetryAfter is the wait the server asked for (Retry-After or
	// Retry-After-Ms), 0 if none.
	RetryAfter time.Duration
	// Attempts is how many requests were made before giving up.
	Attempts int

	shouldRetry string // x-should-retry header
}

// Error returns e.g. "upload: 429 rate_limit_exceeded: Rate limit reached":
// "upload: " + Detail.
func (e *APIError) Error() string { return prefix + e.Detail() }

// Detail returns the message without the "upload: " prefix, e.g. "429
// rate_limit_exceeded: Rate limit reached (request req_1)".
func (e *APIError) Detail() string {
	var b strings.Builder
	if e.StatusCode != 0 && e.StatusCode != http.StatusOK {
		fmt.Fprintf(&b, "%d ", e.StatusCode)
	}
	switch {
	case e.Code != "":
		b.WriteString(e.Code)
	case e.Type != "":
		b.WriteString(e.Type)
	case e.StatusCode >= 400:
		b.WriteString(strings.ToLower(http.StatusText(e.StatusCode)))
	default:
		b.WriteString("error")
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Param != "" {
		fmt.Fprintf(&b, " (param %s)", e.Param)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request %s)", e.RequestID)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// Is reports whether e belongs to the category target (ErrAuth,
// ErrRateLimit, ErrBadRequest, ErrModeration, ErrServer, ErrTimeout,
// ErrTaskFailed).
func (e *APIError) Is(target error) bool {
	s := e.StatusCode
	if s < 400 { // a stream's error event or a 200 error body: go by the code
		s = codeStatus[e.Code]
		if s == 0 {
			s = codeStatus[e.Type]
		}
	}
	switch target {
	case ErrAuth:
		return s == 401 || s == 403
	case ErrRateLimit:
		return s == 429
	case ErrBadRequest:
		switch s {
		case 400, 404, 409, 413, 415, 422:
			return true
		}
	case ErrModeration:
		return isModeration(e.Code) || isModeration(e.Type)
	case ErrServer:
		return s >= 500 && s <= 599
	case ErrTimeout:
		return s == 408 || s == 504
	case ErrTaskFailed:
		return e.Code == "task_failed"
	}
	return false
}

// codeStatus maps error codes and types to the status they usually come
// with, to categorise errors that arrive without an error status.
var codeStatus = map[string]int{
	"invalid_api_key": 401, "authentication_error": 401, "permission_error": 403,
	"rate_limit_exceeded": 429, "rate_limit_error": 429, "insufficient_quota": 429,
	"server_error": 500, "api_error": 500, "overloaded_error": 503,
	"invalid_request_error": 400, "invalid_value": 400, "moderation_blocked": 400,
	"timeout": 408, "request_timeout": 408,
}

func isModeration(code string) bool {
	return code == "moderation_blocked" || code == "content_policy_violation"
}

// wireError is the error object of an error body or event.
type wireError struct {
	Message string          `json:"message"`
	Type    string          `json:"type"`
	Param   json.RawMessage `json:"param"`
	Code    json.RawMessage `json:"code"`
}

// newAPIError builds an *APIError from an HTTP status, headers and error
// body. It understands {"error":{...}}, {"error":"text"}, flat
// {"message","code"} and {"detail"} bodies; anything else (an HTML page
// from a gateway) becomes Message, cut to 200 characters. Bearer tokens and
// sk- keys in the message are redacted (see Redact); client.NewAPIError additionally
// removes its own key.
func newAPIError(status int, h http.Header, body []byte) *APIError {
	e := &APIError{StatusCode: status}
	if h != nil {
		e.RequestID = h.Get("X-Request-Id")
		e.shouldRetry = strings.ToLower(h.Get("X-Should-Retry"))
		if d, ok := wire.RetryAfter(h, time.Now()); ok {
			e.RetryAfter = d
		}
	}
	fillAPIError(e, body)
	e.Message = Redact(e.Message)
	return e
}

// NewAPIError is newAPIError with the client's key redacted too.
func (c *client) NewAPIError(status int, h http.Header, body []byte) *APIError {
	e := newAPIError(status, h, body)
	e.Message = c.cfg.redact(e.Message)
	return e
}

// fillAPIError parses body into e's Code, Type, Param and Message.
func fillAPIError(e *APIError, body []byte) {
	var env struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
		Detail  json.RawMessage `json:"detail"`
		Code    json.RawMessage `json:"code"`
		Type    string          `json:"type"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		e.Message = snippet(body, 200)
		return
	}
	var we wireError
	switch {
	case len(env.Error) > 0 && env.Error[0] == '{':
		_ = json.Unmarshal(env.Error, &we)
	case len(env.Error) > 0 && env.Error[0] == '"':
		_ = json.Unmarshal(env.Error, &we.Message)
		we.Code = env.Code
	default:
		we.Message, we.Code = env.Message, env.Code
		if env.Type != "error" {
			we.Type = env.Type
		}
		if we.Message == "" && len(env.Detail) > 0 {
			we.Message = rawText(env.Detail)
		}
	}
	e.Message = strings.TrimSpace(we.Message)
	e.Type = we.Type
	e.Param = rawText(we.Param)
	e.Code = rawText(we.Code)
	if e.Message == "" && e.Code == "" && e.Type == "" {
		e.Message = snippet(body, 200)
	}
}

// rawText renders a JSON scalar (string, number, null) as text.
func rawText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return snippet(raw, 200)
}

// snippet returns the first n characters of b as one line of valid UTF-8,
// with runs of white space collapsed.
func snippet(b []byte, n int) string {
	s := strings.Join(strings.Fields(strings.ToValidUTF8(string(b[:min(len(b), 4*n)]), "\uFFFD")), " ")
	if utf8.RuneCountInString(s) > n {
		r := []rune(s)
		s = string(r[:n]) + "…"
	}
	return s
}
