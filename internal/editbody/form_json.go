package editbody

import (
	"encoding/base64"
	"encoding/json"
)

func (d *jsonDoc) field(name string) (string, bool) {
	for i := len(d.members) - 1; i >= 0; i-- {
		m := d.members[i]
		if m.name != name || m.carrier() {
			continue
		}
		switch raw := m.value[0].lit; raw[0] {
		case '"':
			return unquote(raw)
		case 'n', '{', '[':
			return "", false
		default: // a number, true or false
			return string(raw), true
		}
	}
	return "", false
}

func (d *jsonDoc) names() []string {
	var out []string
	for _, m := range d.members {
		if !m.carrier() {
			out = append(out, m.name)
		}
	}
	return out
}

func (d *jsonDoc) setField(name, value string) {
	done := false
	d.filter(func(m *member) bool {
		if m.name != name {
			return true
		}
		if done {
			return false // a later duplicate
		}
		m.value, done = []segment{{lit: fieldValue(m.value[0].lit, value), slot: noSlot}}, true
		return true
	})
	if done {
		return
	}
	key, _ := json.Marshal(name)
	m := &member{head: append(key, ':'), name: name, value: []segment{{lit: fieldValue(nil, value), slot: noSlot}}}
	if n := len(d.members); n > 0 { // indent like the last member; move the closing whitespace
		last := d.members[n-1]
		m.lead, m.trail, last.trail = last.lead, last.trail, nil
	}
	d.members = append(d.members, m)
}

// fieldValue encodes value as a JSON string, or keeps old's kind when old
// is a number or a boolean and value is one too.
func fieldValue(old []byte, value string) []byte {
	if len(old) > 0 {
		v := []byte(value)
		switch {
		case isNumber(old) && isNumber(v):
			return v
		case (old[0] == 't' || old[0] == 'f') && (value == "true" || value == "false"):
			return v
		}
	}
	q, _ := json.Marshal(value)
	return q
}

func isNumber(b []byte) bool {
	return len(b) > 0 && (b[0] == '-' || '0' <= b[0] && b[0] <= '9') && json.Valid(b)
}

func (d *jsonDoc) deleteField(name string) {
	d.filter(func(m *member) bool { return m.name != name })
}

// filter keeps the members keep reports true for. When the last member
// goes, the new last one takes over its closing whitespace.
func (d *jsonDoc) filter(keep func(*member) bool) {
	if len(d.members) == 0 {
		return
	}
	last := d.members[len(d.members)-1]
	out := d.members[:0]
	for _, m := range d.members {
		if keep(m) {
			out = append(out, m)
		}
	}
	clear(d.members[len(out):])
	d.members = out
	if n := len(out); n > 0 && out[n-1] != last {
		out[n-1].trail = last.trail
	}
}

func (d *jsonDoc) encode(b *Body) (string, []byte, error) {
	size := len(d.pre) + len(d.post) + 2
	for _, m := range d.members {
		size += len(m.lead) + len(m.head) + len(m.trail) + 1
		for _, s := range m.value {
			size += len(s.lit)
			if p := b.slotPart(s.slot); p != nil {
				size += base64.StdEncoding.EncodedLen(len(p.Data)) + len(p.ContentType) + 16
			}
		}
	}
	out := make([]byte, 0, size)
	out = append(out, d.pre...)
	out = append(out, '{')
	n := 0
	for i, m := range d.members {
		if b.Mask == nil && m.holdsMask() { // the mask was dropped
			if i == len(d.members)-1 {
				out = append(out, m.trail...)
			}
			continue
		}
		if n++; n > 1 {
			out = append(out, ',')
		}
		out = append(out, m.lead...)
		out = append(out, m.head...)
		for _, s := range m.value {
			out = append(out, s.lit...)
			p := b.slotPart(s.slot)
			if p == nil {
				continue
			}
			if !s.plain && !validMediaType(p.ContentType) {
				return "", nil, newError(s.field, CodeInvalidPart, nil, "content type %q cannot be written into a data URL", p.ContentType)
			}
			out = appendImageString(out, p, s.plain)
		}
		out = append(out, m.trail...)
	}
	out = append(out, '}')
	out = append(out, d.post...)
	return d.contentType, out, nil
}

func (m *member) holdsMask() bool {
	for _, s := range m.value {
		if s.slot == maskSlot {
			return true
		}
	}
	return false
}

// slotPart returns the part that fills a slot, nil for noSlot (and for
// the mask slot when the mask was dropped).
func (b *Body) slotPart(slot int) *Part {
	switch {
	case slot == maskSlot:
		return b.Mask
	case slot >= 0:
		return b.Images[slot]
	}
	return nil
}

func (d *jsonDoc) carries(name string) bool {
	for _, m := range d.members {
		if m.name == name && m.carrier() {
			return true
		}
	}
	return false
}
