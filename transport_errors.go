package imgprep

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/imgprep/imgprep/internal/editbody"
)

// RequestError is an edit request the transport answers itself, without
// sending it: an input that cannot be prepared, a body over the limit, too
// many images, a parameter refused by policy. The answer is an
// OpenAI-shaped error, so every SDK raises its usual API error.
type RequestError struct {
	// Status is the HTTP status answered (0 means 400).
	Status int
	// Param is the request field at fault: "image", "mask", or a parameter.
	Param string
	// Code is the API error code, e.g. "invalid_image_format".
	Code string
	// Message names the part and the reason.
	Message string
	// Err is the cause, when there is one.
	Err error
}

// Error returns "imgprep: " and the message.
func (e *RequestError) Error() string { return "imgprep: " + e.Message }

// Unwrap returns the cause.
func (e *RequestError) Unwrap() error { return e.Err }

func (e *RequestError) status() int {
	if e.Status == 0 {
		return http.StatusBadRequest
	}
	return e.Status
}

// apiErrorBody is the API's error document.
type apiErrorBody struct {
	Error struct {
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    string  `json:"code"`
	} `json:"error"`
}

// refuse answers req with e as the API would, and reports it.
func (t *transport) refuse(req *http.Request, e *RequestError, rep ...EditReport) *http.Response {
	r := EditReport{Refused: e}
	if len(rep) > 0 {
		r = rep[0]
		r.Refused = e
	}
	t.report(req.Context(), r)
	var doc apiErrorBody
	doc.Error.Message = "imgprep: " + e.Message
	doc.Error.Type = "invalid_request_error"
	if e.Param != "" {
		doc.Error.Param = &e.Param
	}
	doc.Error.Code = e.Code
	b, _ := json.Marshal(doc)
	st := e.status()
	return &http.Response{
		Status:     strconv.Itoa(st) + " " + http.StatusText(st),
		StatusCode: st,
		Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{
			"Content-Type":    {"application/json"},
			"X-Imgprep-Error": {e.Code},
		},
		Body:          io.NopCloser(bytes.NewReader(b)),
		ContentLength: int64(len(b)),
		Request:       req,
	}
}

// bodyError is the API error for a body that cannot be parsed.
func bodyError(err error) *RequestError {
	re := &RequestError{Param: "image", Code: "invalid_request_body", Err: err, Message: "the request body cannot be read: " + reasonOf(err)}
	var be *editbody.Error
	if errors.As(err, &be) {
		if be.Part != "" && be.Part != "body" {
			re.Param = be.Part
		}
		if errors.Is(err, editbody.ErrTooLarge) {
			re.Status, re.Code = http.StatusRequestEntityTooLarge, "request_too_large"
		}
	}
	return re
}

// reasonOf is an error's message for people.
func reasonOf(err error) string {
	var be *editbody.Error
	if errors.As(err, &be) && be.Reason != "" {
		if be.Part != "" && be.Part != "body" {
			return be.Part + ": " + be.Reason
		}
		return be.Reason
	}
	return err.Error()
}

// byteCount formats n bytes for messages, e.g. "256 MiB".
func byteCount(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// stemOr is a file name without directory and extension, def when empty.
func stemOr(name, def string) string {
	b := path.Base(strings.ReplaceAll(name, `\`, "/"))
	b = strings.TrimSuffix(b, path.Ext(b))
	if b == "" || b == "." || b == "/" {
		return def
	}
	return b
}
