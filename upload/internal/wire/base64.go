package wire

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// DecodeBase64 decodes standard or URL-safe base64, padded or not, with
// white space and an optional "data:<type>;base64," prefix.
func DecodeBase64(s string) ([]byte, error) {
	if strings.HasPrefix(s, "data:") {
		i := strings.Index(s, ",")
		if i < 0 || !strings.HasSuffix(s[:i], ";base64") {
			return nil, fmt.Errorf("data URL without ;base64,")
		}
		s = s[i+1:]
	}
	if strings.ContainsAny(s, " \t\r\n") {
		s = strings.Join(strings.Fields(s), "")
	}
	if s == "" {
		return nil, fmt.Errorf("empty base64")
	}
	encs := []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding}
	var first error
	for _, enc := range encs {
		b, err := enc.DecodeString(s)
		if err == nil {
			return b, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, fmt.Errorf("invalid base64 (%d chars): %v", len(s), first)
}
