package upload

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"
)

// sensitiveQuery are query parameters whose values are redacted in dumps.
var sensitiveQuery = map[string]bool{"key": true, "api_key": true, "api-key": true, "apikey": true, "token": true, "access_token": true, "sig": true, "signature": true}

// DumpRequest renders req and its body for --verbose and --dry-run:
// method, URL, sorted headers with Authorization shown as
// "Bearer [REDACTED]" (and other secret headers redacted), then a summary
// of the body: multipart parts by name (file parts with filename,
// Content-Type and size; text fields with their value), or the JSON with
// base64 payloads elided. The bearer token never appears anywhere in the
// output.
func DumpRequest(req *http.Request, body []byte) string {
	var b strings.Builder
	token := ""
	if a := req.Header.Get("Authorization"); len(a) > 7 && strings.EqualFold(a[:7], "bearer ") {
		token = strings.TrimSpace(a[7:])
	}
	fmt.Fprintf(&b, "%s %s\n", req.Method, dumpURL(req.URL))
	keys := make([]string, 0, len(req.Header))
	for k := range req.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range req.Header[k] {
			if secretHeaders[http.CanonicalHeaderKey(k)] {
				if strings.HasPrefix(strings.ToLower(v), "bearer ") {
					v = "Bearer " + redacted
				} else {
					v = redacted
				}
			}
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	b.WriteString("\n")
	mt, params, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
	switch {
	case len(body) == 0:
		b.WriteString("(no body)\n")
	case strings.HasPrefix(mt, "multipart/"):
		dumpMultipart(&b, body, params["boundary"])
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		dumpJSON(&b, body)
	default:
		fmt.Fprintf(&b, "(%d bytes of %s)\n", len(body), mt)
	}
	out := b.String()
	if token != "" {
		out = strings.ReplaceAll(out, token, redacted)
	}
	return Redact(out)
}

func dumpURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	q := c.Query()
	changed := false
	for k := range q {
		if sensitiveQuery[strings.ToLower(k)] {
			q[k] = []string{redacted}
			changed = true
		}
	}
	if changed {
		c.RawQuery = q.Encode()
	}
	return c.String()
}

func dumpMultipart(b *strings.Builder, body []byte, boundary string) {
	fmt.Fprintf(b, "multipart body, %d bytes:\n", len(body))
	r := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		p, err := r.NextRawPart()
		if err == io.EOF {
			return
		}
		if err != nil {
			fmt.Fprintf(b, "  (unreadable: %v)\n", err)
			return
		}
		data, _ := io.ReadAll(p)
		if p.FileName() != "" {
			fmt.Fprintf(b, "  file  %s filename=%q content-type=%s size=%d\n", p.FormName(), p.FileName(), p.Header.Get("Content-Type"), len(data))
		} else {
			fmt.Fprintf(b, "  field %s = %q\n", p.FormName(), shorten(string(data), 300))
		}
	}
}

func dumpJSON(b *strings.Builder, body []byte) {
	fmt.Fprintf(b, "JSON body, %d bytes:\n", len(body))
	el := elideJSON(body)
	var ind bytes.Buffer
	if json.Indent(&ind, el, "", "  ") == nil {
		b.Write(ind.Bytes())
	} else {
		b.Write(el)
	}
	b.WriteString("\n")
}

// elideJSON replaces long base64 strings and data URLs in JSON text with a
// short description, in one pass.
func elideJSON(in []byte) []byte {
	out := make([]byte, 0, min(len(in), 1<<16))
	for i := 0; i < len(in); {
		if in[i] != '"' {
			out = append(out, in[i])
			i++
			continue
		}
		j := i + 1
		for j < len(in) && in[j] != '"' {
			if in[j] == '\\' {
				j++
			}
			j++
		}
		end := min(j+1, len(in))
		s := in[i+1 : min(j, len(in))]
		if len(s) > 200 && isB64Payload(s) {
			prefix := ""
			if k := bytes.IndexByte(s, ','); bytes.HasPrefix(s, []byte("data:")) && k > 0 {
				prefix, s = string(s[:k+1]), s[k+1:]
			}
			out = fmt.Appendf(out, `"%s<%d base64 chars elided>"`, prefix, len(s))
		} else {
			out = append(out, in[i:end]...)
		}
		i = end
	}
	return out
}

// isB64Payload reports whether s (a JSON string's content) is a data URL or
// looks like base64.
func isB64Payload(s []byte) bool {
	if bytes.HasPrefix(s, []byte("data:")) {
		return true
	}
	for _, c := range s[:min(len(s), 200)] {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// shorten cuts s to n runes, noting the full length.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return fmt.Sprintf("%s… (%d characters)", string(r[:n]), len(r))
}
