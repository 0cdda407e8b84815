package editbody

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strings"
)

// Slot markers: a part or segment is an image (its index in Images), the
// mask, or neither.
const (
	noSlot   = -1
	maskSlot = -2
)

// mpForm is the multipart rest of a body: every part in wire order.
type mpForm struct {
	parts []*mpPart
}

// mpPart is one multipart part. Image and mask parts hold only their
// slot; the Part in Body holds their contents.
type mpPart struct {
	header textproto.MIMEHeader // as received; nil for a field SetField added
	data   []byte
	name   string // form field name ("" when the part has none)
	text   bool   // a text field: form-data with a name and no filename
	slot   int    // index in Images, maskSlot or noSlot
	field  string // image slots: the field name as received
}

func parseMultipart(boundary string, body io.Reader, lim Limits) (*Body, error) {
	if boundary == "" {
		return nil, newError("", CodeInvalidBody, nil, "multipart/form-data content type without a boundary")
	}
	lr := newLimitReader(body, lim.MaxBytes)
	cw := newCloseWatch(lr, boundary)
	mr := multipart.NewReader(cw, boundary)
	f := &mpForm{}
	b := &Body{kind: Multipart, form: f}
	for n := 1; ; n++ {
		p, err := mr.NextRawPart()
		if err == io.EOF && !cw.closed {
			return nil, newError("", CodeInvalidBody, io.ErrUnexpectedEOF, "malformed multipart body: it ends before its closing boundary")
		}
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, lr.wrap("", err, "malformed multipart body")
		}
		if n > lim.MaxParts {
			return nil, newError("", CodeTooManyParts, nil, "more than %d parts", lim.MaxParts)
		}
		mp, filename, image := classify(p.Header)
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, lr.wrap(mp.name, err, "malformed multipart body")
		}
		if image {
			if err := b.addFilePart(mp, filename, p.Header, data); err != nil {
				return nil, err
			}
		} else {
			mp.data = data
		}
		f.parts = append(f.parts, mp)
	}
}

// closeWatch notes whether the stream read through it held the closing
// delimiter "--boundary--" at the start of a line. multipart.Reader
// returns io.EOF both after that delimiter and for a body that ends
// inside a part's headers; this tells the two apart. (Part data cannot
// hold the delimiter after a CRLF, so a match is the real one.)
type closeWatch struct {
	r      io.Reader
	delim  []byte // "\n--boundary--"
	tail   []byte // the last len(delim)-1 bytes read, for a match across reads
	closed bool
}

func newCloseWatch(r io.Reader, boundary string) *closeWatch {
	// tail starts with a line break: the delimiter may open the stream.
	return &closeWatch{r: r, delim: []byte("\n--" + boundary + "--"), tail: []byte("\n")}
}

func (c *closeWatch) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if !c.closed && n > 0 {
		c.tail = append(c.tail, p[:n]...)
		c.closed = bytes.Contains(c.tail, c.delim)
		if keep := len(c.delim) - 1; len(c.tail) > keep {
			c.tail = append(c.tail[:0], c.tail[len(c.tail)-keep:]...)
		}
	}
	return n, err
}

// classify reads a part's Content-Disposition (as multipart.Part.FormName
// does, but keeping the filename as sent): its name, whether it is a text
// field, and whether it is an image or mask file part.
func classify(h textproto.MIMEHeader) (p *mpPart, filename string, image bool) {
	p = &mpPart{header: h, slot: noSlot}
	disp, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
	if err != nil || disp != "form-data" {
		return p, "", false
	}
	p.name = params["name"]
	filename, file := params["filename"]
	p.text = p.name != "" && !file
	return p, filename, file && (isImageField(p.name) || p.name == "mask")
}

// addFilePart records an image or mask file part in its slot.
func (b *Body) addFilePart(mp *mpPart, filename string, h textproto.MIMEHeader, data []byte) error {
	data, err := decodeTransfer(h.Get("Content-Transfer-Encoding"), data)
	if err != nil {
		return newError(mp.name, CodeInvalidBody, err, "bad content-transfer-encoding: %v", err)
	}
	part := &Part{Field: mp.name, Filename: filename, ContentType: h.Get("Content-Type"), Data: data}
	slot, err := b.addSlot(part, mp.name == "mask")
	mp.header, mp.field, mp.slot = nil, mp.name, slot
	return err
}

// decodeTransfer undoes a part's Content-Transfer-Encoding, which RFC
// 7578 deprecates but a hand-made body may still use.
func decodeTransfer(cte string, data []byte) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "", "binary", "7bit", "8bit":
		return data, nil
	case "base64":
		return decodeBase64(data)
	case "quoted-printable":
		return io.ReadAll(quotedprintable.NewReader(bytes.NewReader(data)))
	}
	return nil, fmt.Errorf("unsupported encoding %q", cte)
}

// isImageField reports whether a multipart field name is "image",
// "image[]" or "image[N]".
func isImageField(name string) bool {
	idx, ok := strings.CutPrefix(name, "image")
	if !ok || idx == "" {
		return ok
	}
	idx, ok = strings.CutPrefix(idx, "[")
	idx, ok2 := strings.CutSuffix(idx, "]")
	if !ok || !ok2 {
		return false
	}
	return strings.Trim(idx, "0123456789") == ""
}
