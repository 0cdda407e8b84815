package uploadtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// apiError is an error response in the OpenAI shape.
type apiError struct {
	Status  int
	Message string
	Type    string
	Param   string // "" is sent as null
	Code    string // "" is sent as null
}

func (e *apiError) Error() string { return e.Message }

// errorBody is the JSON form {"error":{message,type,param,code}}.
type errorBody struct {
	Error errorObject `json:"error"`
}

type errorObject struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// object returns the error object as it appears in bodies and SSE events.
func (e *apiError) object() errorObject {
	return errorObject{Message: e.Message, Type: e.Type, Param: nullable(e.Param), Code: nullable(e.Code)}
}

func (e *apiError) body() []byte {
	b, _ := json.Marshal(errorBody{Error: e.object()})
	return b
}

// badRequest is a 400 invalid_request_error.
func badRequest(code, param, format string, args ...any) *apiError {
	return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error",
		Code: code, Param: param, Message: fmt.Sprintf(format, args...)}
}

// errAuth is the fixed 401; the message never contains the presented key.
func errAuth() *apiError {
	return &apiError{Status: http.StatusUnauthorized, Type: "invalid_request_error",
		Code: "invalid_api_key", Message: "Incorrect API key provided"}
}

func errUnknownParam(name string) *apiError {
	return badRequest("unknown_parameter", name, "Unknown parameter: '%s'.", name)
}

func errMissing(name string) *apiError {
	return badRequest("missing_required_parameter", name, "Missing required parameter: '%s'.", name)
}

func errInvalidValue(name, value string, allowed []string) *apiError {
	if len(allowed) == 0 {
		return badRequest("invalid_value", name, "Invalid value for '%s': '%s'.", name, value)
	}
	return badRequest("invalid_value", name, "Invalid value: '%s'. Supported values are: %s.", value, quoteList(allowed))
}

func errInvalidType(name, want, got string) *apiError {
	return badRequest("invalid_type", name, "Invalid type for '%s': expected %s, but got %s instead.", name, want, got)
}

// quoteList renders 'a', 'b', and 'c'.
func quoteList(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = "'" + v + "'"
	}
	switch len(q) {
	case 1:
		return q[0]
	case 2:
		return q[0] + " and " + q[1]
	}
	return strings.Join(q[:len(q)-1], ", ") + ", and " + q[len(q)-1]
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":{"message":"fake server: encode failed","type":"server_error","param":null,"code":null}}`)
	}
	writeBody(w, status, b)
}

func writeBody(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, e *apiError) { writeBody(w, e.Status, e.body()) }
