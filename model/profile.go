package model

import (
	"maps"
	"slices"
	"strings"

	"github.com/imgprep/imgprep/codecs"
)

// Family groups models that share request behaviour.
type Family string

// The model families the API knows.
const (
	// GPTImage models (gpt-image-*, chatgpt-image-*) take JSON edit
	// bodies, always return b64_json (no response_format), report token
	// usage and can stream.
	GPTImage Family = "gpt-image"
	// DallE is dall-e-2: multipart only, url or b64_json results.
	DallE Family = "dall-e"
	// FluxKontext models are FLUX.1 Kontext as relays expose them.
	FluxKontext Family = "flux-kontext"
)

// Profile is one model's input limits and accepted edit parameters, as data.
// Byte limits are decimal (4 MB = 4,000,000 bytes) so that no server-side
// reading of "MB" rejects an upload.
type Profile struct {
	// Name is the model name sent to the API.
	Name string `json:"name"`
	// Aliases are other names (relay aliases) that resolve to this profile.
	Aliases []string `json:"aliases,omitempty"`
	// Family is the request behaviour the model shares with others.
	Family Family `json:"family,omitempty"`
	// Formats are the accepted input formats, preferred first.
	Formats []codecs.Format `json:"formats"`
	// MaxBytes is the exclusive upper bound on one input image's size.
	MaxBytes int64 `json:"max_bytes"`
	// MaxImages is how many input images one request takes.
	MaxImages int `json:"max_images"`
	// MaxPixels bounds width*height of an input (0 = no limit).
	MaxPixels int64 `json:"max_pixels,omitempty"`
	// Square requires square inputs; SquareSides lists the allowed sides
	// (empty = any side).
	Square      bool  `json:"square,omitempty"`
	SquareSides []int `json:"square_sides,omitempty"`
	// RequireAlpha requires an alpha channel in the input (dall-e-2).
	RequireAlpha bool `json:"require_alpha,omitempty"`
	// Mask support and the mask's byte limit.
	Mask         bool  `json:"mask"`
	MaskMaxBytes int64 `json:"mask_max_bytes,omitempty"`
	// PromptMax is the prompt's maximum length in characters.
	PromptMax int `json:"prompt_max"`
	// MaxN is the largest n.
	MaxN int `json:"max_n"`
	// Sizes are the accepted values of the size parameter ("auto" included
	// where accepted). Empty when the model takes no size list (no size
	// parameter, or a SizeRule instead).
	Sizes []string `json:"sizes,omitempty"`
	// SizeRule is a computed size rule instead of a list (gpt-image-2).
	SizeRule *SizeRule `json:"size_rule,omitempty"`
	// Params maps each accepted optional request parameter (beyond image,
	// mask, prompt, model) to its allowed values; an empty list means any
	// value of the right type.
	Params map[string][]string `json:"params"`
	// JSONOnlyParams are parameters accepted only in a JSON request body
	// (e.g. moderation), rejected by the multipart endpoint.
	JSONOnlyParams []string `json:"json_only_params,omitempty"`
	// OutputPixels is the approximate pixel count of a returned image.
	OutputPixels int64 `json:"output_pixels,omitempty"`
	// Notes is a one-line human summary.
	Notes string `json:"notes,omitempty"`
}

// Clone returns a deep copy of p (nil for nil).
func (p *Profile) Clone() *Profile {
	if p == nil {
		return nil
	}
	c := *p
	c.Aliases = slices.Clone(p.Aliases)
	c.Formats = slices.Clone(p.Formats)
	c.SquareSides = slices.Clone(p.SquareSides)
	c.Sizes = slices.Clone(p.Sizes)
	c.JSONOnlyParams = slices.Clone(p.JSONOnlyParams)
	if p.SizeRule != nil {
		r := *p.SizeRule
		c.SizeRule = &r
	}
	if p.Params != nil {
		c.Params = make(map[string][]string, len(p.Params))
		for k, v := range p.Params {
			c.Params[k] = slices.Clone(v)
		}
	}
	return &c
}

// Accepts reports whether the profile takes input format f.
func (p *Profile) Accepts(f codecs.Format) bool { return slices.Contains(p.Formats, f) }

// TakesParam reports whether the model accepts optional parameter name.
func (p *Profile) TakesParam(name string) bool { _, ok := p.Params[name]; return ok }

// ParamAllowed reports whether value is an accepted value of parameter name.
func (p *Profile) ParamAllowed(name, value string) bool {
	vals, ok := p.Params[name]
	if !ok {
		return false
	}
	return len(vals) == 0 || slices.Contains(vals, value)
}

// ParamNames returns the accepted optional parameters, sorted.
func (p *Profile) ParamNames() []string { return slices.Sorted(maps.Keys(p.Params)) }

// JSONOnly reports whether parameter name is accepted only in a JSON body.
func (p *Profile) JSONOnly(name string) bool { return slices.Contains(p.JSONOnlyParams, name) }

// MaxSquareSide returns the largest square side for square models, else 0.
func (p *Profile) MaxSquareSide() int {
	if len(p.SquareSides) == 0 {
		return 0
	}
	return slices.Max(p.SquareSides)
}

// GPTImage reports whether the model is in the GPT image family: it takes
// JSON edit bodies (EditImageBodyJsonParam), always returns b64_json and
// takes no response_format.
func (p *Profile) GPTImage() bool { return p.Family == GPTImage }

// JSONBodySizes are the size values of the official JSON edit body's
// schema (EditImageBodyJsonParam.size in openai-openapi/openapi.yaml),
// narrower than the multipart field, which also takes gpt-image-2's custom
// WxH sizes.
var JSONBodySizes = []string{"auto", "1024x1024", "1536x1024", "1024x1536"}

// FormatList returns the formats as "png, jpeg, webp".
func FormatList(fs []codecs.Format) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = f.String()
	}
	return strings.Join(s, ", ")
}
