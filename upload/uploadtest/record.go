package uploadtest

import (
	"maps"
	"net/http"
	"slices"
	"strings"
)

// RecordedRequest is what arrived at the server, as seen before validation.
// It never holds the API key: Authorization (and Api-Key) headers are
// removed and only their presence is kept.
type RecordedRequest struct {
	Method string
	Path   string
	// Query is the raw query string ("async=true").
	Query string
	// ContentType is the request's Content-Type header as sent.
	ContentType string
	// Header is a copy of the request headers without credentials.
	Header http.Header
	// Authorization reports whether an Authorization header was present.
	Authorization bool
	// JSON is true for an application/json edit body.
	JSON bool
	// Fields holds the text fields of an edit request by name, in arrival
	// order per name. JSON values that are not strings are kept in their
	// JSON spelling (n=2 -> "2", stream=true -> "true").
	Fields map[string][]string
	// Files are the image and mask files in arrival order.
	Files []RecordedFile
	// Extra lists field names that are not API parameters of any known
	// model (relay additions): accepted and recorded, otherwise ignored.
	Extra []string
	// Status is the status of an edit's answer (200 for a served edit,
	// 429, 503, ...), set as its headers go out; 0 before, and for an
	// answer that was reset, cut or abandoned.
	Status int
}

// RecordedFile describes one uploaded image or mask.
type RecordedFile struct {
	// Field is the multipart field name ("image", "image[]", "mask") or
	// the JSON location ("images[0]", "image", "mask").
	Field string
	// Filename is the multipart file name ("" for JSON).
	Filename string
	// ContentType is the declared type: the part's Content-Type header or
	// the data URL's media type ("" for raw base64).
	ContentType string
	// Format is the format sniffed from the bytes ("png", "jpeg", "webp",
	// "" when unknown).
	Format string
	Size   int64
	// Width, Height and HasAlpha come from the image header; zero when the
	// bytes are not a decodable header.
	Width, Height int
	HasAlpha      bool
}

// IsEdit reports whether r is a POST to the edit endpoint.
func (r RecordedRequest) IsEdit() bool {
	return r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/images/edits")
}

// Field returns the first value of a text field, or "".
func (r RecordedRequest) Field(name string) string {
	if v := r.Fields[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (r RecordedRequest) clone() RecordedRequest {
	c := r
	c.Header = r.Header.Clone()
	c.Fields = make(map[string][]string, len(r.Fields))
	for k, v := range r.Fields {
		c.Fields[k] = slices.Clone(v)
	}
	c.Files = slices.Clone(r.Files)
	c.Extra = slices.Clone(r.Extra)
	return c
}

// newRecord captures the request line and headers, without credentials.
func newRecord(r *http.Request, key string) RecordedRequest {
	h := r.Header.Clone()
	auth := h.Get("Authorization") != ""
	h.Del("Authorization")
	h.Del("Api-Key")
	h.Del("X-Api-Key")
	if key != "" {
		for k, vals := range maps.Clone(h) {
			for _, v := range vals {
				if strings.Contains(v, key) {
					h.Del(k)
					break
				}
			}
		}
	}
	return RecordedRequest{
		Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		ContentType: r.Header.Get("Content-Type"), Header: h, Authorization: auth,
		Fields: map[string][]string{},
	}
}

// redactFields copies fields, replacing any value that contains key.
func redactFields(fields map[string][]string, key string) map[string][]string {
	out := make(map[string][]string, len(fields))
	for k, vals := range fields {
		out[k] = slices.Clone(vals)
		for i, v := range vals {
			if key != "" && strings.Contains(v, key) {
				out[k][i] = "[redacted]"
			}
		}
	}
	return out
}

// record appends rec to the request log and returns its index.
func (h *Handler) record(rec RecordedRequest) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.reqs = append(h.reqs, rec)
	return len(h.reqs) - 1
}

// Requests returns a copy of every request received so far, in arrival
// order: edits, task polls and file downloads alike.
func (h *Handler) Requests() []RecordedRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]RecordedRequest, len(h.reqs))
	for i, r := range h.reqs {
		out[i] = r.clone()
	}
	return out
}

// Edits returns the recorded POSTs to the edit endpoint only (faulted ones
// included), which is what retry tests count.
func (h *Handler) Edits() []RecordedRequest {
	var out []RecordedRequest
	for _, r := range h.Requests() {
		if r.IsEdit() {
			out = append(out, r)
		}
	}
	return out
}
