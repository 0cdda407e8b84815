package driver

import "github.com/imgprep/imgprep/upload/internal/wire"

// Event is one server-sent event.
type Event struct {
	// Name is the "event:" field ("" when absent).
	Name string
	// Data is the "data:" lines joined with "\n".
	Data []byte
	// ID is the "id:" field.
	ID string
}

// SSEReader reads server-sent events (text/event-stream). Lines end in
// "\n" or "\r\n"; comments and "retry:" are skipped. It starts no
// goroutine. Make one with Client.NewSSEReader.
type SSEReader struct {
	r wire.EventReader
}

// Next returns the next event with data, io.EOF at the end of the stream.
// An event cut off by the end of the stream is still returned when it has
// data (its JSON will tell whether it is whole). An event over the
// client's MaxResponseBytes gives upload.ErrMalformedResponse.
func (s *SSEReader) Next() (Event, error) {
	ev, err := s.r.Next()
	return Event(ev), err
}
