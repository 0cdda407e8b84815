package model

import (
	"fmt"
	"strconv"
	"strings"
)

// SizeRule is a computed rule for the size parameter, for models that take
// any WxH within bounds (gpt-image-2) instead of a list. "auto" is always
// allowed.
type SizeRule struct {
	// Multiple: both sides must be multiples of it.
	Multiple int `json:"multiple"`
	// MaxAspect bounds long side / short side (3 means 1:3 .. 3:1).
	MaxAspect int `json:"max_aspect"`
	// MaxLong and MaxShort bound the long and the short side.
	MaxLong  int `json:"max_long"`
	MaxShort int `json:"max_short"`
}

// Allows reports whether v is "auto" or a WxH that satisfies the rule.
func (r *SizeRule) Allows(v string) bool {
	if v == "auto" {
		return true
	}
	w, h, ok := ParseSize(v)
	if !ok {
		return false
	}
	long, short := max(w, h), min(w, h)
	return w%r.Multiple == 0 && h%r.Multiple == 0 && long <= r.MaxLong && short <= r.MaxShort && long <= r.MaxAspect*short
}

// String describes the rule, e.g. "WxH, both multiples of 16, aspect
// 1:3..3:1, at most 3840x2160, or auto".
func (r *SizeRule) String() string {
	return fmt.Sprintf("WxH, both multiples of %d, aspect 1:%d..%d:1, at most %dx%d, or auto", r.Multiple, r.MaxAspect, r.MaxAspect, r.MaxLong, r.MaxShort)
}

func (r *SizeRule) check() string {
	switch {
	case r.Multiple <= 0:
		return "multiple must be > 0"
	case r.MaxAspect <= 0:
		return "max_aspect must be > 0"
	case r.MaxLong <= 0 || r.MaxShort <= 0:
		return "max_long and max_short must be > 0"
	}
	return ""
}

// ParseSize parses "WxH" with positive sides.
func ParseSize(v string) (w, h int, ok bool) {
	a, b, found := strings.Cut(v, "x")
	w, err1 := strconv.Atoi(a)
	h, err2 := strconv.Atoi(b)
	if !found || err1 != nil || err2 != nil || w <= 0 || h <= 0 {
		return 0, 0, false
	}
	return w, h, true
}
