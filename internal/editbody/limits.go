package editbody

import "io"

// Default limits, used where a Limits field is zero or negative.
const (
	DefaultMaxBytes = 256 << 20
	DefaultMaxParts = 64
)

// Limits bound what Parse accepts. The zero value means the defaults.
type Limits struct {
	// MaxBytes is the longest body accepted, in bytes; Parse stops reading
	// one byte past it (DefaultMaxBytes when <= 0).
	MaxBytes int64
	// MaxParts caps the multipart parts, or for JSON the top-level members
	// plus the entries of image arrays (DefaultMaxParts when <= 0).
	MaxParts int
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxParts <= 0 {
		l.MaxParts = DefaultMaxParts
	}
	return l
}

// limitReader reads at most max bytes and fails with ErrTooLarge when the
// source has more. over records that, whatever a reader above it makes of
// the error.
type limitReader struct {
	r    io.Reader
	max  int64
	left int64
	over bool
}

func newLimitReader(r io.Reader, max int64) *limitReader {
	return &limitReader{r: r, max: max, left: max}
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.over {
		return 0, ErrTooLarge
	}
	if room := l.left + 1; room > 0 && int64(len(p)) > room { // room <= 0: MaxBytes near MaxInt64
		p = p[:room]
	}
	n, err := l.r.Read(p)
	if int64(n) > l.left {
		n, l.left, l.over = int(l.left), 0, true
		return n, ErrTooLarge
	}
	l.left -= int64(n)
	return n, err
}

// wrap turns a read failure into an *Error: body_too_large when the
// limit was hit, else invalid_body saying what was being read.
func (l *limitReader) wrap(part string, err error, what string) *Error {
	if l.over {
		return newError(part, CodeBodyTooLarge, ErrTooLarge, "body exceeds the %d byte limit", l.max)
	}
	return newError(part, CodeInvalidBody, err, "%s: %v", what, err)
}
