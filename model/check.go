package model

import (
	"fmt"
	"strings"

	"github.com/imgprep/imgprep/codecs"
)

// FieldError is a profile that cannot be used: a missing or bad field, in
// Go or in a models file. It names the entry (1-based, 0 outside a file),
// the model and the field (its JSON name).
type FieldError struct {
	Entry  int
	Name   string
	Field  string
	Reason string
}

// Error returns e.g. `model: entry 2 ("my-relay"): field "max_bytes": must
// be > 0`.
func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString("model: ")
	b.WriteString(e.Where())
	b.WriteString(e.Reason)
	return b.String()
}

// Where returns the entry, model and field the error is about, each
// followed by ": " (empty when none is known).
func (e *FieldError) Where() string {
	var b strings.Builder
	if e.Entry > 0 {
		fmt.Fprintf(&b, "entry %d", e.Entry)
		if e.Name != "" {
			fmt.Fprintf(&b, " (%q)", e.Name)
		}
		b.WriteString(": ")
	} else if e.Name != "" {
		fmt.Fprintf(&b, "model %s: ", e.Name)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "field %q: ", e.Field)
	}
	return b.String()
}

// check reports the first field that makes p unusable.
func (p *Profile) check() error {
	bad := func(field, reason string, args ...any) error {
		return &FieldError{Name: p.Name, Field: field, Reason: fmt.Sprintf(reason, args...)}
	}
	switch {
	case strings.TrimSpace(p.Name) == "":
		return bad("name", "is required")
	case len(p.Formats) == 0:
		return bad("formats", "lists no format")
	case p.MaxBytes <= 0:
		return bad("max_bytes", "must be > 0")
	case p.MaxImages <= 0:
		return bad("max_images", "must be > 0")
	case p.MaxPixels < 0:
		return bad("max_pixels", "must be >= 0")
	case p.MaskMaxBytes < 0:
		return bad("mask_max_bytes", "must be >= 0")
	case p.PromptMax < 0:
		return bad("prompt_max", "must be >= 0")
	case p.MaxN < 0:
		return bad("max_n", "must be >= 0")
	}
	for _, f := range p.Formats {
		if codecs.ParseFormat(string(f)) != f || !f.Encodable() {
			return bad("formats", "%q is not an upload format (png, jpeg, webp)", f)
		}
	}
	for _, s := range p.SquareSides {
		if s <= 0 {
			return bad("square_sides", "%d is not a side", s)
		}
	}
	switch p.Family {
	case "", GPTImage, DallE, FluxKontext:
	default:
		return bad("family", "%q is not one of gpt-image, dall-e, flux-kontext", p.Family)
	}
	if p.SizeRule != nil {
		if r := p.SizeRule.check(); r != "" {
			return bad("size_rule", "%s", r)
		}
	}
	for _, a := range p.Aliases {
		if strings.TrimSpace(a) == "" {
			return bad("aliases", "empty alias")
		}
	}
	return nil
}
