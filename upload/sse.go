package upload

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/imgprep/imgprep/upload/internal/wire"
)

// sseReader reads server-sent events (text/event-stream). Lines end in
// "\n" or "\r\n"; comments and "retry:" are skipped. It starts no
// goroutine.
type sseReader struct {
	r   *bufio.Reader
	max int64
}

// newSSEReader returns a reader of r whose events may carry at most
// maxEventBytes of data (<= 0 means DefaultMaxResponseBytes).
func newSSEReader(r io.Reader, maxEventBytes int64) *sseReader {
	if maxEventBytes <= 0 {
		maxEventBytes = DefaultMaxResponseBytes
	}
	return &sseReader{r: bufio.NewReaderSize(r, 64<<10), max: maxEventBytes}
}

// NewSSEReader returns a reader of r capped at the client's
// MaxResponseBytes per event.
func (c *client) NewSSEReader(r io.Reader) wire.EventReader {
	return newSSEReader(r, c.cfg.MaxResponseBytes)
}

// Next returns the next event with data, io.EOF at the end of the stream.
// An event cut off by the end of the stream is still returned when it has
// data (its JSON will tell whether it is whole). An event over the size
// limit gives ErrMalformedResponse.
func (s *sseReader) Next() (wire.Event, error) {
	var ev wire.Event
	var data bytes.Buffer
	hasData := false
	for {
		line, err := s.readLine(int64(data.Len()))
		if err != nil && !(errors.Is(err, io.EOF) && len(line) > 0) {
			if errors.Is(err, io.EOF) && hasData {
				ev.Data = data.Bytes()
				return ev, nil
			}
			return wire.Event{}, err
		}
		if len(line) == 0 { // blank line: dispatch
			if hasData {
				ev.Data = data.Bytes()
				return ev, nil
			}
			ev = wire.Event{}
			continue
		}
		if line[0] == ':' {
			continue
		}
		field, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimPrefix(value, []byte(" "))
		switch string(field) {
		case "event":
			ev.Name = string(value)
		case "data":
			if hasData {
				data.WriteByte('\n')
			}
			data.Write(value)
			hasData = true
		case "id":
			ev.ID = string(value)
		}
	}
}

// readLine returns one line without its line ending; used counts the
// event's data so far against the limit.
func (s *sseReader) readLine(used int64) ([]byte, error) {
	var line []byte
	for {
		chunk, err := s.r.ReadSlice('\n')
		if used+int64(len(line)+len(chunk)) > s.max+16 {
			return nil, errorf(ErrMalformedResponse, "stream event exceeds %d bytes", s.max)
		}
		line = append(line, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
		if err != nil {
			return line, err
		}
		return line, nil
	}
}

// streamEvent is the JSON of an image_edit.* event.
type streamEvent struct {
	Type              string  `json:"type"`
	B64JSON           string  `json:"b64_json"`
	CreatedAt         flexInt `json:"created_at"`
	Size              string  `json:"size"`
	Quality           string  `json:"quality"`
	Background        string  `json:"background"`
	OutputFormat      string  `json:"output_format"`
	PartialImageIndex int     `json:"partial_image_index"`
	RevisedPrompt     string  `json:"revised_prompt"`
	Usage             *Usage  `json:"usage"`
}

// readStream reads an image edit SSE stream to its end: each
// *.partial_image event goes to onPartial (when non-nil) on the calling
// goroutine; every *.completed event adds its image to the Response (with
// usage and settings; Raw is the last completed event). An error event
// becomes an *APIError (StatusCode 200); a stream that ends without a
// completed event, or with an undecodable event, gives ErrMalformedResponse.
// Reading ends at io.EOF or a "data: [DONE]" line.
func readStream(r io.Reader, maxEventBytes int64, onPartial func(PartialImage)) (*Response, error) {
	sr := newSSEReader(r, maxEventBytes)
	var resp *Response
	partials := 0
	for {
		ev, err := sr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var ke *kindError
			if errors.As(err, &ke) {
				return nil, err
			}
			return nil, &kindError{kind: ErrMalformedResponse, cause: err, msg: "reading the stream: " + Redact(err.Error())}
		}
		if string(bytes.TrimSpace(ev.Data)) == "[DONE]" {
			break
		}
		var se streamEvent
		if err := jsonUnmarshal(ev.Data, &se); err != nil {
			return nil, &kindError{kind: ErrMalformedResponse, cause: err,
				msg: fmt.Sprintf("stream event %q is not valid JSON (%d bytes): %v", ev.Name, len(ev.Data), err)}
		}
		name := ev.Name
		if name == "" || name == "message" {
			name = se.Type
		}
		switch {
		case name == "error" || strings.HasSuffix(name, ".failed") || se.Type == "error":
			e := &APIError{StatusCode: 200}
			fillAPIError(e, ev.Data)
			e.Message = Redact(e.Message)
			return nil, e
		case strings.HasSuffix(name, ".partial_image"):
			data, err := wire.DecodeBase64(se.B64JSON)
			if err != nil {
				return nil, &kindError{kind: ErrMalformedResponse, cause: err, msg: fmt.Sprintf("partial image %d: %v", se.PartialImageIndex, err)}
			}
			partials++
			if onPartial != nil {
				onPartial(PartialImage{Index: se.PartialImageIndex, Data: data, Format: sniff(data), CreatedAt: int64(se.CreatedAt),
					Size: se.Size, Quality: se.Quality, Background: se.Background, OutputFormat: se.OutputFormat})
			}
		case strings.HasSuffix(name, ".completed"):
			data, err := wire.DecodeBase64(se.B64JSON)
			if err != nil {
				return nil, &kindError{kind: ErrMalformedResponse, cause: err, msg: "completed image: " + err.Error()}
			}
			if resp == nil {
				resp = &Response{}
			}
			resp.Images = append(resp.Images, Image{Data: data, Format: sniff(data), RevisedPrompt: se.RevisedPrompt})
			resp.Created = int64(se.CreatedAt)
			resp.Size, resp.Quality, resp.Background, resp.OutputFormat = se.Size, se.Quality, se.Background, se.OutputFormat
			if se.Usage != nil {
				resp.Usage = se.Usage
			}
			resp.Raw = bytes.Clone(ev.Data)
		}
	}
	if resp == nil {
		return nil, errorf(ErrMalformedResponse, "the stream ended without an image_edit.completed event (%d partial images)", partials)
	}
	return resp, nil
}
