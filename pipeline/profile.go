package pipeline

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/imgprep/imgprep/codecs"
)

// Profile is one model's input limits and accepted edit parameters, as data.
// Byte limits are decimal (4 MB = 4,000,000 bytes) so that no server-side
// reading of "MB" rejects an upload.
type Profile struct {
	// Name is the model name sent to the API.
	Name string `json:"name"`
	// Aliases are other names (relay aliases) that resolve to this profile.
	Aliases []string `json:"aliases,omitempty"`
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
	// where accepted). Empty when the model takes no size parameter.
	Sizes []string `json:"sizes,omitempty"`
	// SizeRule describes a computed size rule instead of a list, e.g.
	// "multiple-of-16,aspect<=3,max=3840x2160" for gpt-image-2.
	SizeRule string `json:"size_rule,omitempty"`
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

// MaxSide returns the largest square side for square models, else 0.
func (p *Profile) MaxSquareSide() int {
	if len(p.SquareSides) == 0 {
		return 0
	}
	return slices.Max(p.SquareSides)
}

const (
	mb4  = 4_000_000
	mb20 = 20_000_000
	mb50 = 50_000_000
)

func gptImage(name string, fidelity bool, aliases ...string) *Profile {
	params := map[string][]string{
		"n":                  nil,
		"size":               {"1024x1024", "1536x1024", "1024x1536", "auto"},
		"quality":            {"low", "medium", "high", "auto"},
		"background":         {"transparent", "opaque", "auto"},
		"output_format":      {"png", "jpeg", "webp"},
		"output_compression": nil,
		"stream":             {"true", "false"},
		"partial_images":     {"0", "1", "2", "3"},
		"moderation":         {"low", "auto"},
		"user":               nil,
	}
	if fidelity {
		params["input_fidelity"] = []string{"low", "high"}
	}
	return &Profile{
		Name: name, Aliases: aliases,
		Formats:  []codecs.Format{codecs.PNG, codecs.JPEG, codecs.WebP},
		MaxBytes: mb50, MaxImages: 16,
		Mask: true, MaskMaxBytes: mb4,
		PromptMax: 32000, MaxN: 10,
		Sizes:          params["size"],
		Params:         params,
		JSONOnlyParams: []string{"moderation"},
		OutputPixels:   1024 * 1024,
		Notes:          "png/jpeg/webp < 50 MB, up to 16 images; mask is guidance",
	}
}

func builtins() []*Profile {
	dalle2 := &Profile{
		Name:     "dall-e-2",
		Formats:  []codecs.Format{codecs.PNG},
		MaxBytes: mb4, MaxImages: 1,
		Square: true, SquareSides: []int{256, 512, 1024},
		RequireAlpha: true,
		Mask:         true, MaskMaxBytes: mb4,
		PromptMax: 1000, MaxN: 10,
		Sizes: []string{"256x256", "512x512", "1024x1024"},
		Params: map[string][]string{
			"n":               nil,
			"size":            {"256x256", "512x512", "1024x1024"},
			"response_format": {"url", "b64_json"},
			"user":            nil,
		},
		OutputPixels: 1024 * 1024,
		Notes:        "square RGBA PNG < 4 MB, 256/512/1024",
	}
	g1 := gptImage("gpt-image-1", true, "gpt-image-1-all")
	mini := gptImage("gpt-image-1-mini", false)
	g15 := gptImage("gpt-image-1.5", true, "gpt-image-1.5-all")
	g2 := gptImage("gpt-image-2", false)
	g2.Sizes = []string{"auto"}
	g2.Params["size"] = nil
	g2.SizeRule = "WxH, both multiples of 16, aspect 1:3..3:1, at most 3840x2160, or auto"
	flux := func(name string) *Profile {
		return &Profile{
			Name:     name,
			Formats:  []codecs.Format{codecs.JPEG, codecs.PNG, codecs.WebP},
			MaxBytes: mb20, MaxImages: 1, MaxPixels: 20_000_000,
			PromptMax: 32000, MaxN: 1,
			Params: map[string][]string{
				"n":               {"1"},
				"aspect_ratio":    fluxAspects,
				"response_format": {"url", "b64_json"},
				"output_format":   {"png", "jpeg"},
				"quality":         nil,
			},
			OutputPixels: 1024 * 1024,
			Notes:        "jpeg/png/webp <= 20 MB and 20 MP, no mask; output ~1 MP",
		}
	}
	return []*Profile{dalle2, g1, mini, g15, g2, flux("flux-kontext-pro"), flux("flux-kontext-max")}
}

// fluxAspects are the aspect_ratio values inside the narrower documented
// range 3:7 .. 7:3 (21:9 and 9:21, which relays document, are the same
// ratios as 7:3 and 3:7).
var fluxAspects = []string{"21:9", "7:3", "16:9", "3:2", "4:3", "5:4", "1:1", "4:5", "3:4", "2:3", "9:16", "3:7", "9:21"}

var registry = struct {
	sync.RWMutex
	byName map[string]*Profile
	names  []string
}{byName: map[string]*Profile{}}

func init() {
	for _, p := range builtins() {
		Register(p)
	}
}

// Register adds a profile under its name and aliases. It panics when p is
// nil, has no name, lists no formats, or a name is already taken, like
// database/sql.Register.
func Register(p *Profile) {
	if p == nil || p.Name == "" {
		panic("pipeline: Register of nil or unnamed profile")
	}
	if len(p.Formats) == 0 || p.MaxBytes <= 0 || p.MaxImages <= 0 {
		panic("pipeline: Register " + p.Name + ": profile needs Formats, MaxBytes and MaxImages")
	}
	registry.Lock()
	defer registry.Unlock()
	for _, n := range append([]string{p.Name}, p.Aliases...) {
		k := strings.ToLower(n)
		if _, dup := registry.byName[k]; dup {
			panic("pipeline: Register called twice for model " + n)
		}
		registry.byName[k] = p
	}
	registry.names = append(registry.names, p.Name)
}

// Lookup returns the profile for a model name or alias (case-insensitive).
func Lookup(name string) (*Profile, error) {
	registry.RLock()
	defer registry.RUnlock()
	if p, ok := registry.byName[strings.ToLower(strings.TrimSpace(name))]; ok {
		return p, nil
	}
	known := slices.Clone(registry.names)
	sort.Strings(known)
	return nil, fmt.Errorf("pipeline: unknown model %q (known: %s; register custom ones with pipeline.Register)", name, strings.Join(known, ", "))
}

// Profiles returns the registered profiles in registration order.
func Profiles() []*Profile {
	registry.RLock()
	defer registry.RUnlock()
	out := make([]*Profile, 0, len(registry.names))
	for _, n := range registry.names {
		out = append(out, registry.byName[strings.ToLower(n)])
	}
	return out
}
