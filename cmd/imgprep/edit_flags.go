package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/imgprep/imgprep"
	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/async" // registers "async-task"
)

// editFlags are the flags of 'imgprep edit': the API parameters sent to
// the server, the preparation flags of prep, the mask flags of prep and
// the post-processing flags of finish.
type editFlags struct {
	prep   prepFlags
	mask   prepMask
	finish finishFlags

	prompt                                  string
	n                                       int
	size, quality, background, outputFormat string
	outputCompression                       int // -1: not sent
	inputFidelity, moderation, responseFmt  string
	user, aspectRatio                       string
	stream, async                           bool
	partialImages                           int // -1: not sent
	fields                                  listFlag
	imageField, uploader                    string

	outDir                                   string
	asJSON, verbose, dryRun, force, partials bool
}

func (f *editFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.prompt, "prompt", "", "what to change (required)")
	fs.IntVar(&f.n, "n", 0, "number of images to return (0 = the server's default, 1)")
	fs.StringVar(&f.size, "size", "", "API size, e.g. 1024x1024, 1536x1024 or auto (sent to the server)")
	fs.StringVar(&f.quality, "quality", "", "API quality: low, medium, high or auto (sent to the server)")
	fs.StringVar(&f.background, "background", "", "API background: transparent, opaque or auto (sent to the server)")
	fs.StringVar(&f.outputFormat, "output-format", "", "API output_format png, jpeg or webp (the server encodes; see --save-format)")
	fs.IntVar(&f.outputCompression, "output-compression", -1, "API output_compression 0-100 for jpeg/webp (the server applies it; see --save-compression)")
	fs.StringVar(&f.inputFidelity, "input-fidelity", "", "API input_fidelity: low or high")
	fs.StringVar(&f.moderation, "moderation", "", "API moderation: low or auto (JSON uploaders only)")
	fs.StringVar(&f.responseFmt, "response-format", "", "API response_format: url or b64_json (dall-e-2, flux)")
	fs.StringVar(&f.user, "user", "", "API user: an end-user id for abuse monitoring")
	fs.StringVar(&f.aspectRatio, "aspect-ratio", "", "API aspect_ratio for flux-kontext-*, e.g. 16:9")
	fs.BoolVar(&f.stream, "stream", false, "stream the answer (SSE); selects the openai-stream uploader unless --uploader")
	fs.IntVar(&f.partialImages, "partial-images", -1, "API partial_images 0-3 (with --stream)")
	fs.BoolVar(&f.async, "async", false, "submit an async task and poll it; selects the async-task uploader")
	fs.Var(&f.fields, "field", "extra field KEY=VALUE sent verbatim, for relays (repeatable)")
	fs.StringVar(&f.imageField, "image-field", "", "multipart field of the images: image or image[] (default: image for one, image[] for several)")
	fs.StringVar(&f.uploader, "uploader", "", "uploader: "+strings.Join(upload.Drivers(), ", ")+" (default $IMGPREP_UPLOADER or "+upload.DefaultDriver+")")
	fs.StringVar(&f.outDir, "o", "edited", "output directory (created if missing)")
	fs.BoolVar(&f.asJSON, "json", false, "print a JSON report on stdout")
	fs.BoolVar(&f.verbose, "verbose", false, "dump the request (key redacted) and the response (base64 elided) to stderr")
	fs.BoolVar(&f.dryRun, "dry-run", false, "print the request that would be sent and send nothing (no key needed)")
	fs.BoolVar(&f.force, "force", false, "overwrite existing outputs")
	fs.BoolVar(&f.partials, "save-partials", false, "also write streamed partial images as DIR/<name>-partial-<k>.<ext>")
	f.prep.register(fs) // the upload-* preparation flags: no clash with the API's names
	f.mask.register(fs)
	f.finish.register(fs)
}

// check validates flag combinations that need no file or network.
func (f *editFlags) check() error {
	switch {
	case strings.TrimSpace(f.prompt) == "":
		return errors.New("--prompt is required")
	case f.async && f.stream:
		return errors.New("--async and --stream exclude each other")
	case f.async && f.uploader != "" && f.uploader != async.Name:
		return fmt.Errorf("--async needs the %s uploader, not %q", async.Name, f.uploader)
	case f.imageField != "" && f.imageField != "image" && f.imageField != "image[]":
		return fmt.Errorf("--image-field %q: want image or image[]", f.imageField)
	case f.n < 0:
		return fmt.Errorf("-n %d: want 1 or more", f.n)
	}
	spec := &f.mask.spec
	if err := spec.check(); err != nil {
		return err
	}
	if !f.mask.wanted() && spec.refines() {
		return errors.New("--mask-invert, --mask-feather and --mask-grow need --mask, --mask-rect, --mask-ellipse, --mask-polygon or --editable-padding")
	}
	_, err := f.extra()
	return err
}

// extra parses the --field values.
func (f *editFlags) extra() (map[string]string, error) {
	if len(f.fields) == 0 {
		return nil, nil
	}
	m := map[string]string{}
	for _, kv := range f.fields {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("--field %q: want KEY=VALUE", kv)
		}
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("--field %s given twice", k)
		}
		m[k] = v
	}
	return m, nil
}

// uploaderName picks the driver: --uploader, else async-task for --async
// and openai-stream for --stream, else $IMGPREP_UPLOADER, else the default.
func (f *editFlags) uploaderName(fromEnv string) string {
	switch {
	case f.uploader != "":
		return f.uploader
	case f.async:
		return async.Name
	case f.stream:
		return upload.StreamDriver
	case fromEnv != "":
		return fromEnv
	}
	return upload.DefaultDriver
}

// params builds the API parameters from the flags.
func (f *editFlags) params(uploader string) (imgprep.Params, error) {
	extra, err := f.extra()
	if err != nil {
		return imgprep.Params{}, err
	}
	pa := imgprep.Params{
		N: f.n, Size: f.size, Quality: f.quality, Background: f.background, OutputFormat: f.outputFormat,
		InputFidelity: f.inputFidelity, Moderation: f.moderation, ResponseFormat: f.responseFmt,
		User: f.user, AspectRatio: f.aspectRatio, Extra: extra,
		Stream: f.stream || uploader == upload.StreamDriver,
	}
	if f.outputCompression >= 0 {
		c := f.outputCompression
		pa.OutputCompression = &c
	}
	if f.partialImages >= 0 {
		p := f.partialImages
		pa.PartialImages = &p
	}
	return pa, nil
}
