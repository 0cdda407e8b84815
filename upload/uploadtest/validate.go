package uploadtest

import (
	"fmt"
	"image"
	"mime"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/model"
)

// defaultModel is the API's default when no model is sent (per the
// official spec).
const defaultModel = "gpt-image-1.5"

// fakeMaxPixels caps decoding in the fake itself, for any model.
const fakeMaxPixels = 50_000_000

// job is a validated edit request, ready to run.
type job struct {
	prof   *model.Profile
	prompt string
	images []*inputFile
	first  image.Image // decoded first image
	mask   image.Image // decoded mask, nil without one

	n              int
	size           string // "" when not sent
	quality        string
	background     string
	outputFormat   string
	compression    int
	stream         bool
	partials       int
	responseFormat string
	aspect         string
	fidelity       string
	strictSides    bool // Options.StrictSquareSides
}

// validate checks a parsed request against the model's profile, in the
// order: model, body encoding, prompt, parameters, images, mask.
func (h *Handler) validate(req *editRequest) (*job, *apiError) {
	if req.JSON {
		for _, k := range req.order {
			if isAPIParam(k) {
				if err := checkJSONType(req, k); err != nil {
					return nil, err
				}
			}
		}
	}
	name, ok := req.get("model")
	if !ok {
		name = defaultModel
	}
	prof, err := model.Lookup(name)
	if err != nil {
		var names []string
		for _, p := range model.Profiles() {
			names = append(names, p.Name)
		}
		return nil, errInvalidValue("model", name, names)
	}
	if req.JSON && !prof.GPTImage() {
		return nil, badRequest("invalid_value", "model",
			"JSON request bodies are supported for GPT image models only; send multipart/form-data for model '%s'.", name)
	}
	j := &job{prof: prof, n: 1, quality: "auto", background: "auto", outputFormat: "png", compression: 100,
		strictSides: h.opts.StrictSquareSides}
	if err := j.checkPrompt(req); err != nil {
		return nil, err
	}
	if err := j.checkParams(req); err != nil {
		return nil, err
	}
	if err := h.checkImages(j, req); err != nil {
		return nil, err
	}
	if req.Mask != nil {
		if err := j.checkMask(req.Mask); err != nil {
			return nil, err
		}
	}
	return j, nil
}

func (j *job) checkPrompt(req *editRequest) *apiError {
	p, _ := req.get("prompt")
	if strings.TrimSpace(p) == "" {
		return errMissing("prompt")
	}
	if n := utf8.RuneCountInString(p); n > j.prof.PromptMax {
		return badRequest("string_above_max_length", "prompt",
			"Invalid 'prompt': string too long. Expected a string with maximum length %d, but got a string with length %d instead.", j.prof.PromptMax, n)
	}
	j.prompt = p
	return nil
}

// checkParams checks every API parameter and fills the job's settings.
func (j *job) checkParams(req *editRequest) *apiError {
	prof := j.prof
	for _, name := range req.order {
		if name == "model" || name == "prompt" || !isAPIParam(name) {
			continue
		}
		if !req.JSON && slices.Contains(prof.JSONOnlyParams, name) {
			return errUnknownParam(name)
		}
		if !prof.TakesParam(name) {
			return errUnknownParam(name)
		}
		v, _ := req.get(name)
		if err := checkParam(prof, name, v); err != nil {
			return err
		}
		switch name {
		case "n":
			j.n, _ = strconv.Atoi(v)
		case "size":
			j.size = v
		case "quality":
			j.quality = v
		case "background":
			j.background = v
		case "output_format":
			j.outputFormat = v
		case "output_compression":
			j.compression, _ = strconv.Atoi(v)
		case "stream":
			j.stream = v == "true"
		case "partial_images":
			j.partials, _ = strconv.Atoi(v)
		case "response_format":
			j.responseFormat = v
		case "aspect_ratio":
			j.aspect = v
		case "input_fidelity":
			j.fidelity = v
		}
	}
	if j.background == "transparent" && j.outputFormat == "jpeg" {
		return badRequest("invalid_value", "background",
			"Transparent background requires output_format 'png' or 'webp', got 'jpeg'.")
	}
	if j.responseFormat == "" && prof.Name == "dall-e-2" {
		j.responseFormat = "url" // the API's default for dall-e-2
	}
	return nil
}

// checkImages validates the image files and decodes them.
func (h *Handler) checkImages(j *job, req *editRequest) *apiError {
	if len(req.Stray) > 0 {
		return errUnknownParam(req.Stray[0].Field)
	}
	if want := h.opts.MultipartFieldImage; want != "" && !req.JSON {
		for _, f := range req.Images {
			if f.Field != want {
				return badRequest("unknown_parameter", f.Field,
					"Unknown parameter: '%s'. This server expects image files in field '%s'.", f.Field, want)
			}
		}
	}
	name := "image"
	if req.JSON && len(req.Images) > 0 && strings.HasPrefix(req.Images[0].Field, "images") {
		name = "images"
	}
	if len(req.Images) == 0 {
		return errMissing(name)
	}
	if len(req.Images) > j.prof.MaxImages {
		return badRequest("array_above_max_length", name,
			"Invalid '%s': array too long. Expected an array with maximum length %d, but got an array with length %d instead.",
			name, j.prof.MaxImages, len(req.Images))
	}
	for i, f := range req.Images {
		img, err := j.checkImage(f, i+1)
		if err != nil {
			return err
		}
		if i == 0 {
			j.first = img
		}
	}
	j.images = req.Images
	return nil
}

var supportedTypes = []string{"image/png", "image/jpeg", "image/webp"}

// checkDeclared checks the part's Content-Type (or data URL media type).
// Raw base64 (no declared type) passes.
func checkDeclared(f *inputFile) (string, *apiError) {
	if !f.Multipart && f.ContentType == "" {
		return "", nil
	}
	mt, _, err := mime.ParseMediaType(f.ContentType)
	if err != nil || !slices.Contains(supportedTypes, mt) {
		shown := f.ContentType
		if shown == "" {
			shown = "application/octet-stream"
		}
		return "", badRequest("unsupported_file_mimetype", f.Param,
			"Invalid file '%s': unsupported mimetype ('%s'). Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'.", f.Param, shown)
	}
	return mt, nil
}

// extOK reports whether a multipart file name's extension fits format f.
func extOK(filename string, f codecs.Format) bool {
	ext := strings.ToLower(path.Ext(filename))
	switch f {
	case codecs.JPEG:
		return ext == ".jpg" || ext == ".jpeg"
	case codecs.PNG, codecs.WebP:
		return ext == "."+string(f)
	}
	return false
}

// checkCommon runs the checks shared by images and masks: declared type,
// byte limit, sniffed format against the declared one and the file name.
// badFormat is the error code for content problems.
func checkCommon(f *inputFile, maxBytes int64, badFormat string, idx int) *apiError {
	declared, aerr := checkDeclared(f)
	if aerr != nil {
		return aerr
	}
	if n := int64(len(f.Data)); n >= maxBytes {
		return badRequest("image_too_large", f.Param,
			"Invalid file '%s': image must be less than %d bytes, got %d bytes.", f.Param, maxBytes, n)
	}
	info, err := inspect(f.Data)
	f.info = info
	if info.Format == codecs.Unknown || !info.Format.Encodable() {
		return badRequest(badFormat, f.Param, "Invalid image file or mode for image %d, please check your image file.", idx)
	}
	if declared != "" && declared != info.Format.MIMEType() {
		return badRequest(badFormat, f.Param,
			"Invalid file '%s': the declared mimetype '%s' does not match the file content (%s).", f.Param, declared, info.Format)
	}
	if f.Multipart && !extOK(f.Filename, info.Format) {
		return badRequest(badFormat, f.Param,
			"Invalid file '%s': file name '%s' does not have an extension for %s.", f.Param, f.Filename, info.Format.MIMEType())
	}
	if err != nil {
		return badRequest(badFormat, f.Param, "Invalid image file or mode for image %d, please check your image file.", idx)
	}
	return nil
}

// checkImage validates one input image against the profile and decodes it.
func (j *job) checkImage(f *inputFile, idx int) (image.Image, *apiError) {
	prof := j.prof
	if err := checkCommon(f, prof.MaxBytes, "invalid_image_format", idx); err != nil {
		return nil, err
	}
	info := f.info
	if !prof.Accepts(info.Format) {
		return nil, badRequest("invalid_image_format", f.Param,
			"Invalid input image - model '%s' accepts %s, got %s.", prof.Name, model.FormatList(prof.Formats), info.Format)
	}
	px := int64(info.Width) * int64(info.Height)
	limit, whose := int64(fakeMaxPixels), "this fake server's limit of"
	if prof.MaxPixels > 0 && prof.MaxPixels < limit {
		limit, whose = prof.MaxPixels, "the model's limit of"
	}
	if px > limit {
		return nil, badRequest("invalid_image_size", f.Param,
			"Invalid input image - %dx%d is %d pixels, more than %s %d.", info.Width, info.Height, px, whose, limit)
	}
	if prof.RequireAlpha && info.Mode != "RGBA" && info.Mode != "LA" && info.Mode != "L" {
		return nil, badRequest("invalid_image_format", f.Param,
			"Invalid input image - format must be in ['RGBA', 'LA', 'L'], got %s", info.Mode)
	}
	if prof.Square && info.Width != info.Height {
		return nil, badRequest("invalid_image_size", f.Param,
			"Invalid input image - image must be square, got %dx%d.", info.Width, info.Height)
	}
	if j.strictSides && len(prof.SquareSides) > 0 && !slices.Contains(prof.SquareSides, info.Width) {
		return nil, badRequest("invalid_image_size", f.Param,
			"Invalid input image - square side must be one of %v, got %d.", prof.SquareSides, info.Width)
	}
	img, err := decode(f.Data, info.Format)
	if err != nil {
		return nil, badRequest("invalid_image_format", f.Param,
			"Invalid image file or mode for image %d, please check your image file.", idx)
	}
	return img, nil
}

// checkMask validates the mask: supported by the model, PNG, < MaskMaxBytes,
// with alpha, same size as the first image.
func (j *job) checkMask(f *inputFile) *apiError {
	prof := j.prof
	if !prof.Mask {
		return errUnknownParam("mask")
	}
	limit := prof.MaskMaxBytes
	if limit <= 0 {
		limit = prof.MaxBytes
	}
	if err := checkCommon(f, limit, "invalid_mask_image_format", 1); err != nil {
		return err
	}
	info := f.info
	if info.Format != codecs.PNG {
		return badRequest("invalid_mask_image_format", "mask",
			"Invalid mask image format - mask must be a PNG, got %s.", info.Format)
	}
	if info.Mode != "RGBA" && info.Mode != "LA" {
		return badRequest("invalid_mask_image_format", "mask", "Invalid mask image format - mask image missing alpha channel")
	}
	b := j.first.Bounds()
	if info.Width != b.Dx() || info.Height != b.Dy() {
		return badRequest("invalid_mask_image_format", "mask", "Invalid mask image format - mask size does not match image size")
	}
	m, err := decode(f.Data, info.Format)
	if err != nil {
		return badRequest("invalid_mask_image_format", "mask", "Invalid mask image format - %s", strings.TrimPrefix(fmt.Sprint(err), "png: "))
	}
	j.mask = m
	return nil
}
