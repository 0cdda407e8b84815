package model

import "github.com/imgprep/imgprep/codecs"

// Sources (see ../shared/MODELS.md for the full table):
//   - spec: the official OpenAPI spec, openai-openapi/openapi.yaml,
//     CreateImageEditRequest (multipart) and EditImageBodyJsonParam (JSON).
//   - guide: OpenAI's image generation guide and API reference pages.
//   - relays: BFL's FLUX.1 Kontext reference and the relays that resell it.
const (
	mb4  = 4_000_000  // spec: dall-e-2 "less than 4MB"; mask "less than 4MB"
	mb20 = 20_000_000 // relays: FLUX.1 Kontext "at most 20 MB"
	mb50 = 50_000_000 // spec: GPT image models "less than 50MB"
)

// gptImage is the profile shared by the GPT image models (spec:
// CreateImageEditRequest.image "png, webp, or jpg file less than 50MB ... up
// to 16 images"; prompt "32000 characters for the GPT image models"; n
// 1..10; size, quality, background, output_format, output_compression,
// stream, partial_images enums; moderation only in EditImageBodyJsonParam).
// fidelity: spec InputFidelity "only supported for gpt-image-1 and
// gpt-image-1.5 and later models, unsupported for gpt-image-1-mini"
// (MODELS.md: gpt-image-2 takes none).
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
		Name: name, Aliases: aliases, Family: GPTImage,
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

// gptImage2 is gpt-image-2 and its snapshots (spec: size "For gpt-image-2
// and gpt-image-2-2026-04-21, arbitrary resolutions ... divisible by 16 ...
// aspect ratio between 1:3 and 3:1 ... maximum supported resolution is
// 3840x2160").
func gptImage2(name string) *Profile {
	p := gptImage(name, false)
	p.Sizes = nil
	p.Params["size"] = nil
	p.SizeRule = &SizeRule{Multiple: 16, MaxAspect: 3, MaxLong: 3840, MaxShort: 2160}
	return p
}

// fluxKontext is FLUX.1 Kontext as relays expose it on /v1/images/edits
// (relays: jpeg/png/webp, at most 20 MB and 20 megapixels, one image, no
// mask, aspect_ratio instead of size, output about 1 MP).
func fluxKontext(name string) *Profile {
	return &Profile{
		Name: name, Family: FluxKontext,
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

// fluxAspects are the aspect_ratio values inside the narrower documented
// range 3:7 .. 7:3 (21:9 and 9:21, which relays document, are the same
// ratios as 7:3 and 3:7).
var fluxAspects = []string{"21:9", "7:3", "16:9", "3:2", "4:3", "5:4", "1:1", "4:5", "3:4", "2:3", "9:16", "3:7", "9:21"}

// builtins are the built-in profiles in the order `imgprep models` lists
// them.
func builtins() []*Profile {
	// spec: dall-e-2 "only provide one image, and it should be a square
	// png file less than 4MB"; prompt "1000 characters for dall-e-2";
	// size 256x256, 512x512, 1024x1024; response_format url or b64_json;
	// quality: CreateImageRequest "standard is the only option for
	// dall-e-2" (the edit enum lists standard). The alpha requirement is the
	// API's own error ("format must be in ['RGBA', 'LA', 'L']", MODELS.md).
	dalle2 := &Profile{
		Name: "dall-e-2", Family: DallE,
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
			"quality":         {"standard"},
			"user":            nil,
		},
		OutputPixels: 1024 * 1024,
		Notes:        "square RGBA PNG < 4 MB, 256/512/1024",
	}
	// spec: chatgpt-image-latest "follows the same input constraints as
	// GPT image models"; listed in the edit and JSON edit model enums.
	latest := gptImage("chatgpt-image-latest", true)
	latest.Notes = "GPT image model constraints (spec); the model behind the name moves"
	// spec: gpt-image-2-2026-04-21 is gpt-image-2's dated snapshot.
	snap := gptImage2("gpt-image-2-2026-04-21")
	snap.Notes = "snapshot of gpt-image-2; any WxH /16, 1:3..3:1, <= 3840x2160"
	g2 := gptImage2("gpt-image-2")
	g2.Notes = "png/jpeg/webp < 50 MB, up to 16 images; any WxH /16, 1:3..3:1, <= 3840x2160"
	return []*Profile{
		dalle2,
		gptImage("gpt-image-1", true, "gpt-image-1-all"),
		gptImage("gpt-image-1-mini", false),
		gptImage("gpt-image-1.5", true, "gpt-image-1.5-all"),
		g2, snap, latest,
		fluxKontext("flux-kontext-pro"),
		fluxKontext("flux-kontext-max"),
	}
}

// DefaultModel is the model the edit endpoint uses when a request names
// none (spec: CreateImageEditRequest.model "Defaults to gpt-image-1.5").
const DefaultModel = "gpt-image-1.5"
