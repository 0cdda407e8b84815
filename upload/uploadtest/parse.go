package uploadtest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
)

// inputFile is one image or mask as received.
type inputFile struct {
	Field       string // wire name: "image", "image[]", "images[0]", "mask"
	Param       string // error param: "image", "images[0]", "mask"
	Filename    string
	ContentType string // declared media type, "" when none was given
	Multipart   bool   // came as a multipart file part
	Data        []byte
	info        imageInfo // filled by inspect
}

// editRequest is a parsed edit body, multipart or JSON.
type editRequest struct {
	JSON   bool
	Fields map[string][]string
	// Kinds holds the JSON kind of each field ("string", "number",
	// "boolean", "object", "array") for type checks; nil for multipart.
	Kinds  map[string]string
	Images []*inputFile
	Mask   *inputFile
	// Stray are file parts under other names (rejected by validation).
	Stray []*inputFile
	// order is the field names in arrival order (first occurrence).
	order []string
}

func (e *editRequest) add(name, value, kind string) {
	if _, seen := e.Fields[name]; !seen {
		e.order = append(e.order, name)
	}
	e.Fields[name] = append(e.Fields[name], value)
	if e.Kinds != nil {
		e.Kinds[name] = kind
	}
}

// get returns the first value of a field and whether it was sent.
func (e *editRequest) get(name string) (string, bool) {
	v, ok := e.Fields[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

const maxTextField = 1 << 20

// errBodyTooLarge maps http.MaxBytesReader failures.
func errBodyTooLarge(limit int64) *apiError {
	return &apiError{Status: http.StatusRequestEntityTooLarge, Type: "invalid_request_error",
		Code: "request_too_large", Message: fmt.Sprintf("Request body exceeds the fake server's %d byte limit.", limit)}
}

// parseBody reads an edit request body. It returns what it could parse
// even when it also returns an error, so the request can be recorded.
func (h *Handler) parseBody(w http.ResponseWriter, r *http.Request) (*editRequest, *apiError) {
	req := &editRequest{Fields: map[string][]string{}}
	r.Body = http.MaxBytesReader(w, r.Body, h.opts.MaxBodyBytes)
	ct := r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	switch {
	case err == nil && mt == "multipart/form-data":
		return req, h.parseMultipart(req, r.Body, params["boundary"])
	case err == nil && mt == "application/json":
		req.JSON = true
		req.Kinds = map[string]string{}
		return req, parseJSON(req, r.Body, h.opts.MaxBodyBytes)
	}
	return req, badRequest("invalid_content_type", "",
		"Invalid Content-Type header (%s), expected multipart/form-data or application/json.", ct)
}

func readErr(err error, limit int64) *apiError {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errBodyTooLarge(limit)
	}
	return badRequest("", "", "Could not parse the request body: %v.", err)
}

// parseMultipart reads every part; file parts are image, image[] and mask.
func (h *Handler) parseMultipart(req *editRequest, body io.Reader, boundary string) *apiError {
	if boundary == "" {
		return badRequest("", "", "Could not parse multipart form: no boundary.")
	}
	mr := multipart.NewReader(body, boundary)
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return readErr(err, h.opts.MaxBodyBytes)
		}
		name, filename := p.FormName(), p.FileName()
		if filename == "" {
			b, err := io.ReadAll(io.LimitReader(p, maxTextField+1))
			if err != nil {
				return readErr(err, h.opts.MaxBodyBytes)
			}
			if len(b) > maxTextField {
				return badRequest("", name, "Field '%s' is longer than %d bytes.", name, maxTextField)
			}
			req.add(name, string(b), "string")
			continue
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return readErr(err, h.opts.MaxBodyBytes)
		}
		f := &inputFile{Field: name, Param: name, Filename: filename,
			ContentType: p.Header.Get("Content-Type"), Multipart: true, Data: data}
		switch {
		case name == "mask":
			if req.Mask != nil {
				return badRequest("invalid_value", "mask", "Only one 'mask' file may be given.")
			}
			req.Mask = f
		case name == "image" || name == "image[]":
			f.Param = "image"
			req.Images = append(req.Images, f)
		default:
			req.Stray = append(req.Stray, f) // rejected during validation
		}
	}
}

// parseJSON reads the official {"images":[{"image_url"}]} shape and the
// relay {"image":"<base64>"} shape.
func parseJSON(req *editRequest, body io.Reader, limit int64) *apiError {
	raw, err := io.ReadAll(body)
	if err != nil {
		return readErr(err, limit)
	}
	var m map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return badRequest("", "", "We could not parse the JSON body of your request. The API expects a JSON object.")
	}
	keys := jsonKeyOrder(raw)
	for _, k := range keys {
		v := m[k]
		if jsonKind(v) == "null" {
			continue // null means "not given"
		}
		var aerr *apiError
		switch k {
		case "images":
			aerr = parseJSONImages(req, v)
		case "image":
			aerr = parseJSONRelayImage(req, v)
		case "mask":
			req.Mask, aerr = parseJSONRef(v, "mask", "mask")
		default:
			aerr = addJSONField(req, k, v)
		}
		if aerr != nil {
			return aerr
		}
	}
	if _, hasImages := m["images"]; hasImages {
		if _, hasImage := m["image"]; hasImage {
			return badRequest("invalid_value", "image", "Provide either 'images' or 'image', not both.")
		}
	}
	return nil
}

// jsonKeyOrder returns the top-level keys of a JSON object in order.
func jsonKeyOrder(raw []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return keys
		}
		k, _ := t.(string)
		keys = append(keys, k)
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return keys
		}
	}
	return keys
}

// jsonKind names the JSON type of v the way OpenAI's messages do.
func jsonKind(v json.RawMessage) string {
	s := bytes.TrimSpace(v)
	if len(s) == 0 {
		return "nothing"
	}
	switch s[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

func addJSONField(req *editRequest, k string, v json.RawMessage) *apiError {
	switch kind := jsonKind(v); kind {
	case "string":
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return badRequest("", k, "Invalid string for '%s'.", k)
		}
		req.add(k, s, kind)
	default:
		req.add(k, string(bytes.TrimSpace(v)), kind)
	}
	return nil
}

func parseJSONImages(req *editRequest, v json.RawMessage) *apiError {
	if k := jsonKind(v); k != "array" {
		return errInvalidType("images", "an array", articled(k))
	}
	var items []json.RawMessage
	if err := json.Unmarshal(v, &items); err != nil {
		return badRequest("", "images", "Invalid 'images' array.")
	}
	for i, it := range items {
		name := "images[" + strconv.Itoa(i) + "]"
		if k := jsonKind(it); k != "object" {
			return errInvalidType(name, "an object", articled(k))
		}
		f, aerr := parseJSONRef(it, name, name)
		if aerr != nil {
			return aerr
		}
		req.Images = append(req.Images, f)
	}
	return nil
}

// parseJSONRelayImage takes "image": "<base64 or data URL>" or an array of them.
func parseJSONRelayImage(req *editRequest, v json.RawMessage) *apiError {
	switch jsonKind(v) {
	case "string":
		f, aerr := parseJSONRef(v, "image", "image")
		if aerr != nil {
			return aerr
		}
		req.Images = append(req.Images, f)
		return nil
	case "array":
		var items []json.RawMessage
		if err := json.Unmarshal(v, &items); err != nil {
			return badRequest("", "image", "Invalid 'image' array.")
		}
		for i, it := range items {
			name := "image[" + strconv.Itoa(i) + "]"
			if jsonKind(it) != "string" {
				return errInvalidType(name, "a string", articled(jsonKind(it)))
			}
			f, aerr := parseJSONRef(it, "image", name)
			if aerr != nil {
				return aerr
			}
			req.Images = append(req.Images, f)
		}
		return nil
	}
	return errInvalidType("image", "a string", articled(jsonKind(v)))
}

func articled(kind string) string {
	switch kind {
	case "array", "object":
		return "an " + kind
	case "null", "nothing":
		return kind
	}
	return "a " + kind
}

// maxImageURL is the image_url length limit of the official JSON schema.
const maxImageURL = 20 << 20

// parseJSONRef decodes {"image_url": ...} / {"file_id": ...} or a bare
// string (relay: base64 or data URL).
func parseJSONRef(v json.RawMessage, field, param string) (*inputFile, *apiError) {
	var ref string
	switch jsonKind(v) {
	case "string":
		_ = json.Unmarshal(v, &ref)
		if !strings.HasPrefix(ref, "data:") {
			data, err := decodeBase64(ref)
			if err != nil {
				return nil, badRequest("invalid_image_format", param, "Invalid base64 image data for '%s'.", param)
			}
			return &inputFile{Field: field, Param: param, Data: data}, nil
		}
	case "object":
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(v, &obj); err != nil {
			return nil, badRequest("", param, "Invalid object for '%s'.", param)
		}
		for k := range obj {
			if k != "image_url" && k != "file_id" {
				return nil, errUnknownParam(param + "." + k)
			}
		}
		if _, ok := obj["file_id"]; ok {
			if _, both := obj["image_url"]; both {
				return nil, badRequest("invalid_value", param, "Provide exactly one of 'image_url' or 'file_id' for '%s'.", param)
			}
			return nil, badRequest("invalid_value", param+".file_id",
				"Invalid '%s.file_id': this fake server does not support file references; send a data: URL.", param)
		}
		u, ok := obj["image_url"]
		if !ok || json.Unmarshal(u, &ref) != nil {
			return nil, errMissing(param + ".image_url")
		}
	default:
		return nil, errInvalidType(param, "an object", articled(jsonKind(v)))
	}
	if len(ref) > maxImageURL {
		return nil, badRequest("image_too_large", param+".image_url",
			"Invalid '%s.image_url': string too long. Expected a string with maximum length %d, but got a string with length %d instead.", param, maxImageURL, len(ref))
	}
	if !strings.HasPrefix(ref, "data:") {
		return nil, badRequest("invalid_value", param+".image_url",
			"Invalid '%s.image_url': this fake server accepts only data: URLs, not remote URLs.", param)
	}
	mt, data, err := parseDataURL(ref)
	if err != nil {
		return nil, badRequest("invalid_image_format", param+".image_url", "Invalid '%s.image_url': %v.", param, err)
	}
	return &inputFile{Field: field, Param: param, ContentType: mt, Data: data}, nil
}

// parseDataURL splits data:<type>;base64,<payload>.
func parseDataURL(s string) (mediaType string, data []byte, err error) {
	head, payload, ok := strings.Cut(strings.TrimPrefix(s, "data:"), ",")
	if !ok {
		return "", nil, errors.New("malformed data URL")
	}
	mt, isB64 := strings.CutSuffix(head, ";base64")
	if !isB64 {
		return "", nil, errors.New("data URL must be base64-encoded")
	}
	data, err = decodeBase64(payload)
	if err != nil {
		return "", nil, errors.New("invalid base64 in data URL")
	}
	return mt, data, nil
}

// decodeBase64 accepts standard base64 with or without padding.
func decodeBase64(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
}
