package editbody

import (
	"errors"
	"fmt"
)

// ErrNotEditBody is returned by Parse for a content type that is neither
// multipart/form-data nor application/json. Parse reads nothing from the
// body then, so the caller can forward the request untouched.
var ErrNotEditBody = errors.New("editbody: not a multipart/form-data or application/json body")

// ErrTooLarge is the cause of the *Error that Parse returns when the body
// is longer than Limits.MaxBytes; test for it with errors.Is (and answer
// 413 Request Entity Too Large).
var ErrTooLarge = errors.New("editbody: body too large")

// Error codes carried by *Error.
const (
	CodeInvalidBody    = "invalid_body"     // malformed multipart or JSON, a second mask, a bad Content-Transfer-Encoding
	CodeBodyTooLarge   = "body_too_large"   // the body is longer than Limits.MaxBytes
	CodeTooManyParts   = "too_many_parts"   // more parts or image entries than Limits.MaxParts
	CodeInvalidBase64  = "invalid_base64"   // an image string that is not base64
	CodeInvalidDataURL = "invalid_data_url" // a data: URL that is not "data:<type>;base64,<payload>"
	CodeInvalidPart    = "invalid_part"     // Encode: Images or Mask no longer fit the body
)

// Error reports a body that cannot be parsed or encoded.
type Error struct {
	// Part is the wire field the error is about ("image[]", "images[1]",
	// "mask"); "" when it is about the body as a whole.
	Part string
	// Code is one of the Code constants.
	Code string
	// Reason says what is wrong, in lower case.
	Reason string
	// Err is the underlying cause (ErrTooLarge, a base64 or multipart
	// error), nil when there is none.
	Err error
}

// Error returns "editbody: <part>: <reason>", or "editbody: <reason>"
// when the error is about the whole body.
func (e *Error) Error() string {
	if e.Part == "" {
		return "editbody: " + e.Reason
	}
	return "editbody: " + e.Part + ": " + e.Reason
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

func newError(part, code string, cause error, format string, args ...any) *Error {
	return &Error{Part: part, Code: code, Reason: fmt.Sprintf(format, args...), Err: cause}
}
