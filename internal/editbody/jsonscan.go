package editbody

import (
	"bytes"
	"encoding/json"
)

// scanner walks a JSON text to find where values start and end. It
// trusts nothing but checks little: at the end of the input or on a byte
// it cannot go on from it sets bad and returns zero values. parseJSON
// then has json.Valid check the text with the image strings cut out, so
// that the long base64 strings are scanned only by bytes.IndexByte and
// the base64 decoder.
type scanner struct {
	d   []byte
	i   int
	bad bool
}

func (s *scanner) ws() {
	for s.i < len(s.d) {
		switch s.d[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

// peek returns the byte at the cursor, 0 at the end or once bad.
func (s *scanner) peek() byte {
	if s.bad || s.i >= len(s.d) {
		s.bad = true
		return 0
	}
	return s.d[s.i]
}

// next consumes and returns one byte, 0 at the end or once bad.
func (s *scanner) next() byte {
	c := s.peek()
	if !s.bad {
		s.i++
	}
	return c
}

// str skips the string at the cursor and returns it with its quotes.
func (s *scanner) str() []byte {
	if s.peek() != '"' {
		s.bad = true
		return nil
	}
	start := s.i
	for i := start + 1; ; i++ {
		j := bytes.IndexByte(s.d[i:], '"')
		if j < 0 {
			s.bad = true
			return nil
		}
		i += j
		k := i
		for s.d[k-1] == '\\' {
			k--
		}
		if (i-k)%2 == 0 { // an even run of backslashes: not escaped
			s.i = i + 1
			return s.d[start:s.i]
		}
	}
}

// value skips the value at the cursor and returns it.
func (s *scanner) value() []byte {
	start := s.i
	switch s.peek() {
	case '"':
		return s.str()
	case '{', '[':
		for depth := 0; ; {
			switch s.peek() {
			case '"':
				s.str()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			if s.bad {
				return nil
			}
			if s.i++; depth == 0 {
				return s.d[start:s.i]
			}
		}
	}
	for s.i < len(s.d) && !isDelim(s.d[s.i]) { // number, true, false, null
		s.i++
	}
	if s.i == start {
		s.bad = true
		return nil
	}
	return s.d[start:s.i]
}

func isDelim(c byte) bool {
	switch c {
	case ',', ':', '{', '}', '[', ']', '"', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}

// key reads an object key and its colon; it returns the key decoded and
// the bytes from the key through the colon and following whitespace.
func (s *scanner) key() (name string, head []byte) {
	start := s.i
	q := s.str()
	s.ws()
	if s.next() != ':' {
		s.bad = true
	}
	if s.bad {
		return "", nil
	}
	s.ws()
	name, _ = unquote(q)
	return name, s.d[start:s.i]
}

// unquote returns the text of a JSON string; ok is false when it is not a
// valid one.
func unquote(q []byte) (text string, ok bool) {
	b, ok := stringBytes(q)
	return string(b), ok
}

// stringBytes returns the text of a JSON string, without copying when it
// has no escapes; ok is false when it is not a valid JSON string. Without
// escapes it only looks for raw line breaks: the callers that cut a string
// out of the checked text decode it as base64, which rejects every other
// byte a JSON string may not hold.
func stringBytes(q []byte) (text []byte, ok bool) {
	if len(q) < 2 {
		return nil, false
	}
	if bytes.IndexByte(q, '\\') < 0 {
		body := q[1 : len(q)-1]
		return body, bytes.IndexByte(body, '\n') < 0 && bytes.IndexByte(body, '\r') < 0
	}
	var v string
	if err := json.Unmarshal(q, &v); err != nil {
		return nil, false
	}
	return []byte(v), true
}
