package main

import (
	"flag"
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
)

// prepFlags are the preparation flags shared by inspect, prep and edit.
type prepFlags struct {
	model      modelFlags
	fit        string
	format     string
	maxSide    int
	size       string
	quality    int
	maxBytes   int64
	maxPixels  int64
	background string
	reencode   bool
	rejectAnim bool
	lossless   bool
	verify     string
}

func (f *prepFlags) register(fs *flag.FlagSet) {
	f.model.register(fs)
	f.registerOptions(fs)
}

// registerOptions registers the preparation flags without the model
// flags (for 'imgprep proxy', where each request names its model).
func (f *prepFlags) registerOptions(fs *flag.FlagSet) {
	fs.StringVar(&f.fit, "fit", "pad", "aspect policy for square models or --size: pad, crop or none (reject)")
	fs.StringVar(&f.format, "upload-format", "auto", "format of the prepared file: auto, png, jpeg or webp")
	fs.IntVar(&f.maxSide, "max-side", 0, "cap the longer side in pixels (0 = model limit)")
	fs.StringVar(&f.size, "upload-size", "", "exact prepared size WxH (square models: one of the model's sides)")
	fs.IntVar(&f.quality, "upload-quality", 0, "JPEG/WebP encoder quality 1-100 of the prepared file (0 = 90)")
	fs.Int64Var(&f.maxBytes, "max-bytes", 0, "byte budget below the model's limit (0 = the limit)")
	fs.Int64Var(&f.maxPixels, "max-pixels", 0, "reject inputs declaring more pixels (0 = 100 MP)")
	fs.StringVar(&f.background, "fill", "", "pad colour #rrggbb (default transparent) and JPEG flatten colour (default white) of the prepared file")
	fs.BoolVar(&f.reencode, "reencode", false, "re-encode even inputs that already comply")
	fs.BoolVar(&f.rejectAnim, "reject-animated", false, "reject animated inputs instead of using the first frame")
	fs.BoolVar(&f.lossless, "lossless", false, "lossless WebP output")
	fs.StringVar(&f.verify, "verify", "decode", "how a compliant input is checked before it is sent as is: decode (the whole stream) or headers (fastest, for trusted inputs)")
}

// resolve turns the flags into a profile and options.
func (f *prepFlags) resolve(env *cliEnv) (*model.Profile, pipeline.Options, error) {
	p, err := f.model.profile(env)
	if err != nil {
		return nil, pipeline.Options{}, err
	}
	o, err := f.options()
	if err != nil {
		return nil, o, err
	}
	return p, o, nil
}

// options turns the preparation flags (all but the model flags) into
// pipeline options.
func (f *prepFlags) options() (pipeline.Options, error) {
	var o pipeline.Options
	var err error
	if o.Fit, err = pipeline.ParseFit(f.fit); err != nil {
		return o, err
	}
	if f.format != "" && f.format != "auto" {
		if o.UploadFormat = codecs.ParseFormat(f.format); !o.UploadFormat.Encodable() {
			return o, fmt.Errorf("--upload-format %q: want auto, png, jpeg or webp", f.format)
		}
	}
	if f.size != "" {
		if o.Width, o.Height, err = parseSize("--upload-size", f.size); err != nil {
			return o, err
		}
	}
	if f.background != "" {
		c, err := parseColor(f.background)
		if err != nil {
			return o, err
		}
		o.Fill = &c
	}
	if f.quality < 0 || f.quality > 100 {
		return o, fmt.Errorf("--upload-quality %d: want 1-100", f.quality)
	}
	o.MaxSide, o.UploadQuality, o.MaxBytes, o.MaxPixels = f.maxSide, f.quality, f.maxBytes, f.maxPixels
	o.Reencode, o.RejectAnimated, o.Lossless = f.reencode, f.rejectAnim, f.lossless
	switch f.verify {
	case "", "decode":
		o.Verify = pipeline.VerifyDecode
	case "headers":
		o.Verify = pipeline.VerifyHeaders
	default:
		return o, fmt.Errorf("--verify %q: want decode or headers", f.verify)
	}
	return o, nil
}

func parseSize(flag, s string) (w, h int, err error) {
	a, b, ok := strings.Cut(strings.ToLower(s), "x")
	if ok {
		w, err = strconv.Atoi(a)
		if err == nil {
			h, err = strconv.Atoi(b)
		}
	}
	if !ok || err != nil || w <= 0 || h <= 0 {
		return 0, 0, fmt.Errorf("%s %q: want WxH, e.g. 1024x1024", flag, s)
	}
	return w, h, nil
}

func parseColor(s string) (color.NRGBA, error) {
	h := strings.TrimPrefix(s, "#")
	if len(h) == 6 {
		if v, err := strconv.ParseUint(h, 16, 32); err == nil {
			return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}, nil
		}
	}
	switch strings.ToLower(s) {
	case "white":
		return color.NRGBA{255, 255, 255, 255}, nil
	case "black":
		return color.NRGBA{0, 0, 0, 255}, nil
	}
	return color.NRGBA{}, fmt.Errorf("--fill %q: want #rrggbb, white or black", s)
}
