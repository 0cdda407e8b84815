package uploadtest

import (
	"slices"
	"strconv"

	"github.com/imgprep/imgprep/model"
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
	for _, p := range model.Profiles() {
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
func checkParam(prof *model.Profile, name, v string) *apiError {
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
	if name == "size" && len(prof.Params["size"]) == 0 && prof.SizeRule != nil {
		return checkSizeRule(prof.SizeRule, v)
	}
	if !prof.ParamAllowed(name, v) {
		return errInvalidValue(name, v, prof.Params[name])
	}
	return nil
}

// checkSizeRule applies a computed size rule (gpt-image-2's: "auto" or WxH
// with both sides multiples of 16, aspect between 1:3 and 3:1, at most
// 3840x2160), answering as the API does.
func checkSizeRule(r *model.SizeRule, v string) *apiError {
	if !r.Allows(v) {
		return badRequest("invalid_value", "size",
			"Invalid value: '%s'. Size must be 'auto' or WIDTHxHEIGHT with both sides divisible by %d, aspect ratio between 1:%d and %d:1, at most %dx%d.",
			v, r.Multiple, r.MaxAspect, r.MaxAspect, r.MaxLong, r.MaxShort)
	}
	return nil
}
