package uploadtest

import (
	"slices"
	"strconv"
	"strings"

	"github.com/imgprep/imgprep/pipeline"
)

// openAIParams are the optional edit parameters of the official API, plus
// aspect_ratio (FLUX relays). Every profile's Params keys are added at
// lookup time, so custom registered profiles work too.
var openAIParams = []string{
	"n", "size", "quality", "background", "output_format", "output_compression",
	"input_fidelity", "stream", "partial_images", "response_format", "user",
	"moderation", "aspect_ratio",
}

// isAPIParam reports whether name is a parameter of the API for some model.
// Other names are relay extras: accepted and recorded.
func isAPIParam(name string) bool {
	if name == "model" || name == "prompt" || slices.Contains(openAIParams, name) {
		return true
	}
	for _, p := range pipeline.Profiles() {
		if p.TakesParam(name) || slices.Contains(p.JSONOnlyParams, name) {
			return true
		}
	}
	return false
}

// extraFields lists the relay extras of a request in arrival order.
func extraFields(req *editRequest) []string {
	var out []string
	for _, k := range req.order {
		if !isAPIParam(k) {
			out = append(out, k)
		}
	}
	return out
}

// intParams and boolParams are typed in JSON bodies; others are strings.
var (
	intParams  = []string{"n", "output_compression", "partial_images"}
	boolParams = []string{"stream"}
)

// checkJSONType enforces the JSON type of an API parameter.
func checkJSONType(req *editRequest, name string) *apiError {
	kind := req.Kinds[name]
	switch {
	case slices.Contains(intParams, name):
		if kind != "number" || !isInt(req.Fields[name][0]) {
			if kind == "number" {
				kind = "decimal"
			}
			return errInvalidType(name, "an integer", articled(kind))
		}
	case slices.Contains(boolParams, name):
		if kind != "boolean" {
			return errInvalidType(name, "a boolean", articled(kind))
		}
	default:
		if kind != "string" {
			return errInvalidType(name, "a string", articled(kind))
		}
	}
	return nil
}

func isInt(s string) bool { _, err := strconv.Atoi(s); return err == nil }

// checkParam validates one parameter value against the model's profile.
func checkParam(prof *pipeline.Profile, name, v string) *apiError {
	if slices.Contains(intParams, name) {
		n, err := strconv.Atoi(v)
		if err != nil {
			return errInvalidType(name, "an integer", "a string")
		}
		lo, hi := 0, 100
		switch name {
		case "n":
			lo, hi = 1, prof.MaxN
		case "partial_images":
			hi = 3
		}
		if n < lo {
			return badRequest("integer_below_min_value", name,
				"Invalid '%s': integer below minimum value. Expected a value >= %d, but got %d instead.", name, lo, n)
		}
		if n > hi {
			return badRequest("integer_above_max_value", name,
				"Invalid '%s': integer above maximum value. Expected a value <= %d, but got %d instead.", name, hi, n)
		}
	}
	if name == "size" && len(prof.Params["size"]) == 0 && prof.SizeRule != "" {
		return checkSizeRule(v)
	}
	if !prof.ParamAllowed(name, v) {
		return errInvalidValue(name, v, prof.Params[name])
	}
	return nil
}

// checkSizeRule is gpt-image-2's rule: "auto" or WxH with both sides
// multiples of 16, aspect between 1:3 and 3:1, long side <= 3840 and short
// side <= 2160.
func checkSizeRule(v string) *apiError {
	if v == "auto" {
		return nil
	}
	w, h, ok := parseSize(v)
	if !ok || w%16 != 0 || h%16 != 0 || max(w, h) > 3840 || min(w, h) > 2160 || max(w, h) > 3*min(w, h) {
		return badRequest("invalid_value", "size",
			"Invalid value: '%s'. Size must be 'auto' or WIDTHxHEIGHT with both sides divisible by 16, aspect ratio between 1:3 and 3:1, at most 3840x2160.", v)
	}
	return nil
}

// parseSize parses "WxH".
func parseSize(s string) (w, h int, ok bool) {
	a, b, found := strings.Cut(s, "x")
	if !found {
		return 0, 0, false
	}
	w, err1 := strconv.Atoi(a)
	h, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || w <= 0 || h <= 0 {
		return 0, 0, false
	}
	return w, h, true
}
