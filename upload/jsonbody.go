package upload

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
)

// buildJSON encodes req as an application/json edit body.
//
// JSON (official): {"model","prompt","images":[{"image_url":"data:image/png;base64,..."}],
// "mask":{"image_url":"data:..."}, parameters...}.
// RelayJSON: {"model","prompt","image":"<base64>","mask":"<base64>", parameters...},
// with "image" an array of strings for several images.
//
// n, output_compression and partial_images are numbers, stream a boolean,
// other parameters and Extra fields strings. It does not validate; Validate
// first.
func buildJSON(req *Request, enc Encoding) (contentType string, body []byte, err error) {
	images, mask := req.files()
	size := 1024
	for _, f := range images {
		size += base64.StdEncoding.EncodedLen(len(f.Data)) + 64
	}
	if mask != nil {
		size += base64.StdEncoding.EncodedLen(len(mask.Data)) + 64
	}
	o := &objWriter{}
	o.buf.Grow(size)
	o.buf.WriteByte('{')
	o.str("model", req.Model)
	o.str("prompt", req.Prompt)
	if enc == RelayJSON {
		o.key("image")
		if len(images) == 1 {
			writeB64(&o.buf, images[0], false)
		} else {
			o.buf.WriteByte('[')
			for i, f := range images {
				if i > 0 {
					o.buf.WriteByte(',')
				}
				writeB64(&o.buf, f, false)
			}
			o.buf.WriteByte(']')
		}
		if mask != nil {
			o.key("mask")
			writeB64(&o.buf, *mask, false)
		}
	} else {
		o.key("images")
		o.buf.WriteByte('[')
		for i, f := range images {
			if i > 0 {
				o.buf.WriteByte(',')
			}
			o.buf.WriteString(`{"image_url":`)
			writeB64(&o.buf, f, true)
			o.buf.WriteByte('}')
		}
		o.buf.WriteByte(']')
		if mask != nil {
			o.key("mask")
			o.buf.WriteString(`{"image_url":`)
			writeB64(&o.buf, *mask, true)
			o.buf.WriteByte('}')
		}
	}
	for _, p := range req.params() {
		switch p.kind {
		case 'i', 'b':
			o.key(p.name)
			o.buf.WriteString(p.value)
		default:
			o.str(p.name, p.value)
		}
	}
	for _, k := range sortedKeys(req.Extra) {
		o.str(k, req.Extra[k])
	}
	o.buf.WriteByte('}')
	if o.err != nil {
		return "", nil, o.err
	}
	return "application/json", o.buf.Bytes(), nil
}

// BuildJSON is buildJSON, for package upload/driver.
func (c *client) BuildJSON(req *Request, enc Encoding) (contentType string, body []byte, err error) {
	return buildJSON(req, enc)
}

// objWriter writes the members of one JSON object in order.
type objWriter struct {
	buf bytes.Buffer
	n   int
	err error
}

func (o *objWriter) key(k string) {
	if o.n > 0 {
		o.buf.WriteByte(',')
	}
	o.n++
	o.value(k)
	o.buf.WriteByte(':')
}

func (o *objWriter) str(k, v string) {
	o.key(k)
	o.value(v)
}

func (o *objWriter) value(v any) {
	b, err := json.Marshal(v)
	if err != nil && o.err == nil {
		o.err = err
	}
	o.buf.Write(b)
}

// writeB64 writes f as a JSON string of base64, as a data URL when dataURL.
func writeB64(buf *bytes.Buffer, f File, dataURL bool) {
	buf.WriteByte('"')
	if dataURL {
		buf.WriteString("data:" + f.ContentType + ";base64,")
	}
	buf.Grow(base64.StdEncoding.EncodedLen(len(f.Data)) + 1)
	buf.Write(base64.StdEncoding.AppendEncode(buf.AvailableBuffer(), f.Data))
	buf.WriteByte('"')
}
