package editbody

import (
	"bytes"
	"encoding/base64"
	"errors"
)

// base64Encodings are tried in turn: padded and unpadded, standard and
// URL alphabet. All of them skip line breaks, which `base64` wraps in.
var base64Encodings = [...]*base64.Encoding{
	base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding,
}

// decodeBase64 decodes s in the first encoding that accepts it and
// reports the standard encoding's error when none does.
func decodeBase64(s []byte) ([]byte, error) {
	dst := make([]byte, base64.RawStdEncoding.DecodedLen(len(s)))
	var first error
	for _, enc := range base64Encodings {
		n, err := enc.Decode(dst, s)
		if err == nil {
			return dst[:n], nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, first
}

// isDataURL reports whether s starts with "data:" (in any case).
func isDataURL(s []byte) bool {
	return len(s) >= 5 && bytes.EqualFold(s[:5], []byte("data:"))
}

// isWebURL reports whether s is an http or https URL, which the relay form
// may carry instead of base64 and which is left as it is.
func isWebURL(s []byte) bool {
	return hasPrefixFold(s, "http://") || hasPrefixFold(s, "https://")
}

func hasPrefixFold(s []byte, prefix string) bool {
	return len(s) >= len(prefix) && bytes.EqualFold(s[:len(prefix)], []byte(prefix))
}

var errNotBase64URL = errors.New("data URL is not base64")

// splitDataURL splits "data:<media type>;base64,<payload>". The media
// type may be empty and may carry parameters; it must be fit to be
// written back into a JSON string unescaped (see validMediaType).
func splitDataURL(s []byte) (mediaType string, payload []byte, err error) {
	head, payload, ok := bytes.Cut(s[5:], []byte(","))
	if !ok {
		return "", nil, errors.New("data URL without a comma")
	}
	const tag = ";base64"
	if len(head) < len(tag) || !bytes.EqualFold(head[len(head)-len(tag):], []byte(tag)) {
		return "", nil, errNotBase64URL
	}
	mediaType = string(head[:len(head)-len(tag)])
	if !validMediaType(mediaType) {
		return "", nil, errors.New("data URL media type has characters other than printable ASCII")
	}
	return mediaType, payload, nil
}

// validMediaType reports whether a data URL media type is printable ASCII
// without '"', '\' and ',', so that it needs no JSON escaping and ends
// before the payload.
func validMediaType(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == ',' {
			return false
		}
	}
	return true
}

// appendImageString appends p as a JSON string: a base64 data URL with
// p's ContentType, or plain base64.
func appendImageString(dst []byte, p *Part, plain bool) []byte {
	dst = append(dst, '"')
	if !plain {
		dst = append(dst, "data:"...)
		dst = append(dst, p.ContentType...)
		dst = append(dst, ";base64,"...)
	}
	dst = base64.StdEncoding.AppendEncode(dst, p.Data)
	return append(dst, '"')
}
