package editbody

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// jsonDoc is the JSON rest of a body: the top-level members in order,
// each a template of the bytes received with the image strings cut out.
type jsonDoc struct {
	contentType string
	pre, post   []byte // whitespace before and after the object
	members     []*member
}

// member is one top-level member of a JSON body.
type member struct {
	lead  []byte // whitespace between '{' or ',' and the key
	head  []byte // the key through the colon and the whitespace after it
	name  string // the key, decoded
	value []segment
	trail []byte // whitespace between the value and ',' or '}'
}

// segment is verbatim bytes followed by an image string, or by nothing
// in the last segment of a value.
type segment struct {
	lit   []byte
	slot  int    // index in Images, maskSlot or noSlot
	plain bool   // plain base64 rather than a data URL
	field string // the slot's Part.Field, for errors
}

// carrier reports whether the member's value holds an image or the mask.
func (m *member) carrier() bool { return len(m.value) > 1 }

// jsonParser walks a JSON body and cuts image strings out of it.
type jsonParser struct {
	scanner
	b     *Body
	lim   Limits
	parts int       // members and image array entries seen
	segs  []segment // the current member's segments
	from  int       // where the current member's next segment starts
	cuts  [][2]int  // where the image strings are in the body
}

func parseJSON(contentType string, body io.Reader, lim Limits) (*Body, error) {
	lr := newLimitReader(body, lim.MaxBytes)
	data, err := io.ReadAll(lr)
	if err != nil {
		return nil, lr.wrap("", err, "reading the body")
	}
	doc := &jsonDoc{contentType: contentType}
	p := &jsonParser{scanner: scanner{d: data}, b: &Body{kind: JSON, form: doc}, lim: lim}
	if err := p.object(doc); err != nil {
		return nil, err
	}
	if p.bad || !json.Valid(p.skeleton()) {
		return nil, malformed(data)
	}
	return p.b, nil
}

// malformed says why data is not a JSON object.
func malformed(data []byte) *Error {
	if err := json.Unmarshal(data, new(json.RawMessage)); err != nil {
		return newError("", CodeInvalidBody, err, "malformed JSON: %v", err)
	}
	return newError("", CodeInvalidBody, nil, "the JSON body is not an object")
}

// object reads the top-level object into doc.
func (p *jsonParser) object(doc *jsonDoc) error {
	p.ws()
	doc.pre = bytes.Clone(p.d[:p.i])
	if p.next() != '{' {
		p.bad = true
	}
	for !p.bad {
		lead := p.i
		p.ws()
		if p.peek() == '}' { // an empty object
			p.i++
			break
		}
		if err := p.count(""); err != nil {
			return err
		}
		m := &member{lead: bytes.Clone(p.d[lead:p.i])}
		name, head := p.key()
		m.name, m.head = name, bytes.Clone(head)
		if err := p.memberValue(m); err != nil {
			return err
		}
		trail := p.i
		p.ws()
		m.trail = bytes.Clone(p.d[trail:p.i])
		doc.members = append(doc.members, m)
		if p.endOf('}') {
			break
		}
	}
	doc.post = bytes.Clone(p.d[p.i:])
	return nil
}

// endOf consumes the ',' or the closing delimiter after a value and
// reports whether it was the closing one.
func (p *jsonParser) endOf(closing byte) bool {
	switch p.next() {
	case closing:
		return true
	case ',':
		return false
	}
	p.bad = true
	return true
}

// skeleton returns the body with every image string replaced by "", for
// json.Valid.
func (p *jsonParser) skeleton() []byte {
	if len(p.cuts) == 0 {
		return p.d
	}
	out := make([]byte, 0, 1024)
	from := 0
	for _, c := range p.cuts {
		out = append(append(out, p.d[from:c[0]]...), `""`...)
		from = c[1]
	}
	return append(out, p.d[from:]...)
}

func (p *jsonParser) count(part string) error {
	p.parts++
	if p.parts > p.lim.MaxParts {
		return newError(part, CodeTooManyParts, nil, "more than %d members and image entries", p.lim.MaxParts)
	}
	return nil
}

// memberValue reads a member's value into segments, cutting out the
// images of the recognised forms; other values stay one verbatim segment.
func (p *jsonParser) memberValue(m *member) error {
	p.segs, p.from = nil, p.i
	var err error
	switch c := p.peek(); {
	case m.name == "images" && c == '[': // official: [{"image_url": ...}, ...]
		err = p.array("images", '{', func(field string) error { return p.entry(field, false) })
	case m.name == "mask" && c == '{': // official: {"image_url": ...}
		err = p.entry("mask", true)
	case m.name == "mask" && c == '"': // relay: "<base64>"
		err = p.relay("mask", true)
	case m.name == "image" && c == '"': // relay: "<base64>"
		err = p.relay("image", false)
	case m.name == "image" && c == '[': // relay: ["<base64>", ...]
		err = p.array("image", '"', func(field string) error { return p.relay(field, false) })
	default:
		p.value()
	}
	if !p.bad {
		m.value = append(p.segs, segment{lit: bytes.Clone(p.d[p.from:p.i]), slot: noSlot})
	}
	return err
}

// array reads an array whose entries starting with first go to read (as
// field "name[i]"); other entries are skipped.
func (p *jsonParser) array(name string, first byte, read func(field string) error) error {
	p.i++ // '['
	for i := 0; !p.bad; i++ {
		p.ws()
		if p.peek() == ']' { // an empty array
			p.i++
			return nil
		}
		field := fmt.Sprintf("%s[%d]", name, i)
		if err := p.count(field); err != nil {
			return err
		}
		if p.peek() == first {
			if err := read(field); err != nil {
				return err
			}
		} else {
			p.value()
		}
		p.ws()
		if p.endOf(']') {
			return nil
		}
	}
	return nil
}

// entry reads an official {"image_url": ...} object: a data URL is an
// image, anything else (a file_id, an https URL) stays verbatim.
func (p *jsonParser) entry(field string, mask bool) error {
	p.i++ // '{'
	for !p.bad {
		p.ws()
		if p.peek() == '}' { // an empty object
			p.i++
			return nil
		}
		name, _ := p.key()
		start := p.i
		if v := p.value(); name == "image_url" && len(v) > 0 && v[0] == '"' {
			if s, ok := stringBytes(v); ok && isDataURL(s) {
				if err := p.slot(field, start, s, mask, false); err != nil {
					return err
				}
			}
		}
		p.ws()
		if p.endOf('}') {
			return nil
		}
	}
	return nil
}

// relay reads a relay-form string: plain base64 or a data URL is an
// image, an http(s) URL stays verbatim.
func (p *jsonParser) relay(field string, mask bool) error {
	start := p.i
	s, ok := stringBytes(p.str())
	if !ok || isWebURL(s) {
		return nil // a string that is not valid is left to json.Valid
	}
	return p.slot(field, start, s, mask, !isDataURL(s))
}

// slot decodes the image string s, which spans p.d[start:p.i], and cuts
// it out of the current member.
func (p *jsonParser) slot(field string, start int, s []byte, mask, plain bool) error {
	part := &Part{Field: field}
	payload := s
	if !plain {
		mt, rest, err := splitDataURL(s)
		if err != nil {
			return newError(field, CodeInvalidDataURL, err, "%v", err)
		}
		part.ContentType, payload = mt, rest
	}
	data, err := decodeBase64(payload)
	if err != nil {
		return newError(field, CodeInvalidBase64, err, "invalid base64: %v", err)
	}
	part.Data = data
	slot, err := p.b.addSlot(part, mask)
	if err != nil {
		return err
	}
	p.segs = append(p.segs, segment{lit: bytes.Clone(p.d[p.from:start]), slot: slot, plain: plain, field: field})
	p.from = p.i
	p.cuts = append(p.cuts, [2]int{start, p.i})
	return nil
}

// addSlot adds part as the mask or as the next image and returns its slot.
func (b *Body) addSlot(part *Part, mask bool) (int, error) {
	if !mask {
		b.Images = append(b.Images, part)
		b.nImages++
		return len(b.Images) - 1, nil
	}
	if b.hasMask {
		return 0, newError("mask", CodeInvalidBody, nil, "more than one mask")
	}
	b.Mask, b.hasMask = part, true
	return maskSlot, nil
}
