// Package wire holds what package upload, which runs the built-in drivers,
// and package upload/driver, which offers the same engine to other drivers,
// share below both: the exchange types the engine's methods take and give
// (they mention no upload type, so upload can import them), the Key that
// keeps those methods out of reach outside this module, and the helpers
// both sides offer (RetryAfter, DecodeBase64, Option).
package wire

import "net/http"

// Key is the parameter of the built-in uploaders' Kit method: a type only
// packages under upload can name, so only they can call it.
type Key struct{}

// Call is one HTTP exchange; see upload/driver.Call, its public twin. The
// two convert into each other, so the compiler keeps their fields equal.
type Call struct {
	Method      string
	URL         string
	ContentType string
	Body        []byte
	Header      http.Header
}

// Reply is a successful answer read in full; see upload/driver.Reply (the
// same fields, converted).
type Reply struct {
	StatusCode int
	Header     http.Header
	Body       []byte
	Attempts   int
}

// Event is one server-sent event; see upload/driver.Event (the same
// fields, converted).
type Event struct {
	Name string
	Data []byte
	ID   string
}

// EventReader reads server-sent events; see upload/driver.SSEReader.
type EventReader interface {
	Next() (Event, error)
}
