package upload

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/model"
)

// MaxDataURLBytes is the longest image_url a JSON edit body takes (20 MiB).
const MaxDataURLBytes = 20 << 20

// ParamError is a parameter the model does not accept, or a value it does
// not accept. It matches ErrInvalidRequest (and so ErrBadRequest).
type ParamError struct {
	// Model is the model name as requested.
	Model string
	// Param is the parameter's wire name, e.g. "response_format".
	Param string
	// Value is the rejected value ("" when the parameter itself is the
	// problem).
	Value string
	// Allowed lists the accepted values, when the profile lists them.
	Allowed []string
	// Reason explains a rule beyond the value list, e.g. "only accepted in
	// a JSON body".
	Reason string
}

// Error returns e.g. `upload: model gpt-image-1 does not accept parameter
// "response_format"`.
func (e *ParamError) Error() string { return prefix + e.Detail() }

// Detail returns the message without the "upload: " prefix.
func (e *ParamError) Detail() string {
	var b strings.Builder
	if e.Value == "" {
		fmt.Fprintf(&b, "model %s does not accept parameter %q", e.Model, e.Param)
	} else {
		fmt.Fprintf(&b, "model %s does not accept %s=%q", e.Model, e.Param, e.Value)
	}
	if e.Reason != "" {
		b.WriteString(": " + e.Reason)
	}
	if len(e.Allowed) > 0 {
		fmt.Fprintf(&b, " (allowed: %s)", strings.Join(e.Allowed, ", "))
	}
	return b.String()
}

// Unwrap returns ErrInvalidRequest.
func (e *ParamError) Unwrap() error { return ErrInvalidRequest }

// invalid returns an ErrInvalidRequest error with its own message.
func invalid(format string, args ...any) error {
	return &kindError{kind: ErrInvalidRequest, msg: fmt.Sprintf(format, args...)}
}

// reserved are body fields the request builds itself; Extra may not set them.
var reserved = []string{"model", "prompt", "image", "image[]", "images", "mask"}

// Validate checks r against the model profile p (looked up from r.Model
// when nil) for the given encoding, before any byte is sent: the model is
// known, the prompt is non-empty and at most PromptMax characters, there
// are 1..MaxImages images of accepted formats and sizes, a mask only where
// the model takes one, n in 1..MaxN, and every set parameter is accepted by
// the model with an accepted value (else a *ParamError naming both).
// A model with a size rule instead of a list (gpt-image-2) gets the rule
// checked; a JSON body takes only the sizes its schema lists (auto,
// 1024x1024, 1536x1024, 1024x1536), so custom sizes need multipart.
// Cross-field rules: moderation only in JSON bodies, output_compression
// 0..100 and only with jpeg/webp output, background=transparent only with
// png/webp output, partial_images only with stream, no response_format for
// GPT image models. Every error matches ErrInvalidRequest.
func (r *Request) Validate(p *model.Profile, enc Encoding) error {
	if r == nil {
		return invalid("nil request")
	}
	if strings.TrimSpace(r.Model) == "" {
		return invalid("model is required")
	}
	if p == nil {
		var err error
		if p, err = model.Lookup(r.Model); err != nil {
			return &kindError{kind: ErrInvalidRequest, msg: Redact(err.Error()), cause: err}
		}
	}
	if enc < Multipart || enc > RelayJSON {
		return invalid("unknown encoding %s", enc)
	}
	gpt := p.GPTImage()
	if enc == JSON && !gpt {
		return invalid("model %s does not take a JSON edit body (GPT image models only); use multipart", r.Model)
	}
	if err := r.validatePrompt(p); err != nil {
		return err
	}
	if err := r.validateFiles(p, enc); err != nil {
		return err
	}
	if r.N < 0 || r.N > p.MaxN {
		return &ParamError{Model: r.Model, Param: "n", Value: itoa(r.N), Reason: fmt.Sprintf("n must be 1..%d", p.MaxN)}
	}
	for _, pr := range r.params() {
		if err := r.checkParam(p, enc, gpt, pr); err != nil {
			return err
		}
	}
	return r.validateExtra()
}

func (r *Request) validatePrompt(p *model.Profile) error {
	if strings.TrimSpace(r.Prompt) == "" {
		return invalid("prompt is empty")
	}
	if n := utf8.RuneCountInString(r.Prompt); p.PromptMax > 0 && n > p.PromptMax {
		return invalid("prompt has %d characters; %s takes at most %d", n, r.Model, p.PromptMax)
	}
	return nil
}

func (r *Request) validateFiles(p *model.Profile, enc Encoding) error {
	if len(r.Images) == 0 {
		return invalid("no input image")
	}
	if len(r.Images) > p.MaxImages {
		return invalid("%d input images; %s takes at most %d", len(r.Images), r.Model, p.MaxImages)
	}
	for i, f := range r.Images {
		what := fmt.Sprintf("image %d", i+1)
		if f.Name != "" {
			what += " (" + f.Name + ")"
		}
		if err := checkFile(what, f, p.MaxBytes, enc); err != nil {
			return err
		}
		if ft := f.Format(); !p.Accepts(ft) {
			return invalid("%s: %s is not accepted by %s (accepts %s)", what, ft, r.Model, model.FormatList(p.Formats))
		}
	}
	if r.Mask == nil {
		return nil
	}
	if !p.Mask {
		return &ParamError{Model: r.Model, Param: "mask", Reason: "the model takes no mask"}
	}
	if err := checkFile("mask", *r.Mask, p.MaskMaxBytes, enc); err != nil {
		return err
	}
	if ft := r.Mask.Format(); ft != codecs.PNG {
		return invalid("mask: %s; the mask must be a PNG with an alpha channel", ft)
	}
	return nil
}

// checkFile checks one file's presence, format and byte limit (exclusive).
func checkFile(what string, f File, maxBytes int64, enc Encoding) error {
	if len(f.Data) == 0 {
		return invalid("%s is empty", what)
	}
	if f.Format() == codecs.Unknown {
		return invalid("%s is not a recognised image (png, jpeg, webp)", what)
	}
	if maxBytes > 0 && int64(len(f.Data)) >= maxBytes {
		return invalid("%s is %d bytes; the limit is under %d", what, len(f.Data), maxBytes)
	}
	if enc == JSON {
		n := len("data:;base64,") + len(f.Normalized("x").ContentType) + base64.StdEncoding.EncodedLen(len(f.Data))
		if n > MaxDataURLBytes {
			return invalid("%s makes a %d-byte data URL; JSON bodies take at most %d per image (use multipart)", what, n, MaxDataURLBytes)
		}
	}
	return nil
}

func (r *Request) checkParam(p *model.Profile, enc Encoding, gpt bool, pr param) error {
	perr := func(reason string, allowed ...string) error {
		return &ParamError{Model: r.Model, Param: pr.name, Value: pr.value, Reason: reason, Allowed: allowed}
	}
	if pr.name == "response_format" && gpt {
		return &ParamError{Model: r.Model, Param: pr.name, Reason: "GPT image models always return b64_json"}
	}
	if !p.TakesParam(pr.name) {
		return &ParamError{Model: r.Model, Param: pr.name}
	}
	if !p.ParamAllowed(pr.name, pr.value) {
		return perr("", p.Params[pr.name]...)
	}
	if p.JSONOnly(pr.name) && enc == Multipart {
		return perr("only accepted in a JSON body; use the openai-json uploader")
	}
	switch pr.name {
	case "size":
		if len(p.Params["size"]) == 0 && p.SizeRule != nil && !p.SizeRule.Allows(pr.value) {
			return perr(p.SizeRule.String())
		}
		if enc == JSON && !slices.Contains(model.JSONBodySizes, pr.value) {
			return perr("the JSON edit body (EditImageBodyJsonParam) takes only these sizes; send other sizes as multipart", model.JSONBodySizes...)
		}
	case "output_compression":
		if c := *r.OutputCompression; c < 0 || c > 100 {
			return perr("must be 0..100")
		}
		if f := r.OutputFormat; f != "jpeg" && f != "webp" {
			return perr("needs output_format jpeg or webp")
		}
	case "background":
		if pr.value == "transparent" && r.OutputFormat != "" && r.OutputFormat != "png" && r.OutputFormat != "webp" {
			return perr("transparent needs output_format png or webp")
		}
	case "partial_images":
		if !r.Stream {
			return perr("only with stream=true")
		}
	}
	return nil
}

func (r *Request) validateExtra() error {
	set := map[string]bool{}
	for _, pr := range r.params() {
		set[pr.name] = true
	}
	for k := range r.Extra {
		if k == "" {
			return invalid("extra field with an empty name")
		}
		for _, res := range reserved {
			if k == res {
				return invalid("extra field %q is set by the request itself", k)
			}
		}
		if set[k] {
			return invalid("extra field %q repeats a parameter the request sets", k)
		}
	}
	return nil
}
