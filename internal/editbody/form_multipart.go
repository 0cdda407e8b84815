package editbody

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/textproto"
	"strings"
)

func (f *mpForm) field(name string) (string, bool) {
	for i := len(f.parts) - 1; i >= 0; i-- {
		if p := f.parts[i]; p.text && p.name == name {
			return string(p.data), true
		}
	}
	return "", false
}

func (f *mpForm) names() []string {
	var out []string
	for _, p := range f.parts {
		if p.text {
			out = append(out, p.name)
		}
	}
	return out
}

func (f *mpForm) setField(name, value string) {
	done := false
	out := f.parts[:0]
	for _, p := range f.parts {
		if p.text && p.name == name {
			if done {
				continue // a later duplicate
			}
			p.data, done = []byte(value), true
		}
		out = append(out, p)
	}
	f.parts = out
	if !done {
		f.parts = append(f.parts, &mpPart{name: name, text: true, slot: noSlot, data: []byte(value)})
	}
}

func (f *mpForm) deleteField(name string) {
	out := f.parts[:0]
	for _, p := range f.parts {
		if !p.text || p.name != name {
			out = append(out, p)
		}
	}
	clear(f.parts[len(out):])
	f.parts = out
}

func (f *mpForm) encode(b *Body) (string, []byte, error) {
	size := 1024
	for _, p := range f.parts {
		size += len(p.data) + 256
	}
	for _, p := range b.Images {
		size += len(p.Data)
	}
	if b.Mask != nil {
		size += len(b.Mask.Data)
	}
	var buf bytes.Buffer
	buf.Grow(size)
	w := multipart.NewWriter(&buf)
	for _, p := range f.parts {
		if err := writePart(w, p, b); err != nil {
			return "", nil, err
		}
	}
	if err := w.Close(); err != nil {
		return "", nil, err
	}
	return w.FormDataContentType(), buf.Bytes(), nil
}

// writePart writes one part: received headers and bytes, a new text
// field, or an image or mask slot filled from b.
func writePart(w *multipart.Writer, p *mpPart, b *Body) error {
	var (
		pw   io.Writer
		data = p.data
		err  error
	)
	switch {
	case p.slot != noSlot:
		part := b.slotPart(p.slot)
		if part == nil {
			return nil // the mask was dropped
		}
		field := p.field
		if p.slot >= 0 && part.Field != "" {
			field = part.Field
		}
		pw, err = createFile(w, field, p.field, part)
		data = part.Data
	case p.header == nil:
		pw, err = w.CreateFormField(p.name)
	default:
		pw, err = w.CreatePart(p.header)
	}
	if err != nil {
		return err
	}
	_, err = pw.Write(data)
	return err
}

// createFile starts a file part with a Content-Disposition naming field
// and the part's filename, and the part's Content-Type when it has one.
// received names the part in errors.
func createFile(w *multipart.Writer, field, received string, p *Part) (io.Writer, error) {
	if received != "mask" && !isImageField(field) {
		return nil, newError(received, CodeInvalidPart, nil, "field %q is not an image field (image, image[], image[N])", field)
	}
	if strings.ContainsAny(p.ContentType, "\r\n") {
		return nil, newError(received, CodeInvalidPart, nil, "content type %q has a line break", p.ContentType)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", multipart.FileContentDisposition(field, p.Filename))
	if p.ContentType != "" {
		h.Set("Content-Type", p.ContentType)
	}
	return w.CreatePart(h)
}

func (f *mpForm) carries(name string) bool {
	for _, p := range f.parts {
		if p.slot != noSlot && p.field == name {
			return true
		}
	}
	return false
}
