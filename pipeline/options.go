package pipeline

import (
	"fmt"
	"image/color"
	"strings"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/model"
)

// Fit says how a non-conforming aspect ratio is made to fit the canvas.
type Fit string

// Fit modes. The zero value is FitPad.
const (
	// FitPad scales the whole image into the canvas and pads the rest with
	// Options.Fill (transparent when nil).
	FitPad Fit = "pad"
	// FitCrop fills the canvas and crops the overflow, centred.
	FitCrop Fit = "crop"
	// FitNone rejects inputs whose aspect ratio does not fit.
	FitNone Fit = "none"
)

// ParseFit parses "pad", "crop" or "none" ("" = pad).
func ParseFit(s string) (Fit, error) {
	switch f := Fit(strings.ToLower(s)); f {
	case "", FitPad:
		return FitPad, nil
	case FitCrop, FitNone:
		return f, nil
	}
	return "", &OptionError{Option: "Fit", Reason: fmt.Sprintf("unknown fit %q (want pad, crop or none)", s)}
}

// Verify is how thoroughly a pass-through candidate is checked.
type Verify int

const (
	// VerifyDecode (the default) decodes a compliant input once (JPEG at
	// 1/8 scale: every entropy-coded bit is still read) and rejects it if
	// the data is damaged, so that no broken file is uploaded as is.
	VerifyDecode Verify = iota
	// VerifyHeaders trusts the headers: the fastest pass-through, for
	// inputs already known to be sound.
	VerifyHeaders
)

// Limits defaults.
const (
	// DefaultMaxInputBytes bounds the size of one input file.
	DefaultMaxInputBytes int64 = 256 << 20
	// DefaultQuality is the JPEG/WebP quality used when Options.UploadQuality is 0.
	DefaultQuality = 90
	// MinQuality is the floor of the compress-to-fit loop.
	MinQuality = 40
)

// Options tune Prepare. The zero value is valid: automatic format, pad with
// transparency, the model's own limits.
type Options struct {
	// UploadFormat is the format of the prepared file sent to the API;
	// codecs.Unknown means automatic (keep the input's format when the
	// model accepts it, else PNG with alpha or JPEG).
	UploadFormat codecs.Format
	// Fit is the aspect policy for square models and for Width/Height.
	Fit Fit
	// Fill is the pad colour (nil = transparent; the Plan's Fill) and the
	// colour alpha is flattened onto for JPEG output (nil = white); not the
	// API's background parameter.
	Fill *color.NRGBA
	// MaxSide caps the longer side of the prepared image (0 = model limit).
	MaxSide int
	// Width and Height, when both set, are the exact canvas size. For square
	// models they must be one of the model's sides.
	Width, Height int
	// UploadQuality is the prepared file's JPEG/WebP encoder quality
	// 1..100 (0 = 90); not the API's quality parameter.
	UploadQuality int
	// MaxBytes is a byte budget below the model's limit (0 = the limit).
	MaxBytes int64
	// MaxPixels bounds the declared pixel count of an input before decoding
	// (0 = codecs.DefaultMaxPixels, 100 MP).
	MaxPixels int64
	// MaxInputBytes bounds the size of one input (0 = DefaultMaxInputBytes).
	MaxInputBytes int64
	// Reencode re-encodes even inputs that already comply.
	Reencode bool
	// RejectAnimated rejects animated inputs; by default the first frame is
	// used and a warning is given.
	RejectAnimated bool
	// Verify says how far a compliant input is checked before it is passed
	// through untouched (the zero value decodes it).
	Verify Verify
	// Lossless asks for lossless WebP output.
	Lossless bool
	// Concurrency bounds the images prepared at once (0 = GOMAXPROCS).
	Concurrency int

	// test holds switches and counters that only this package's tests
	// set (see testhooks.go); nil otherwise.
	test *testHooks
}

func (o Options) quality() int {
	if o.UploadQuality <= 0 || o.UploadQuality > 100 {
		return DefaultQuality
	}
	return o.UploadQuality
}

func (o Options) fit() Fit {
	if o.Fit == "" {
		return FitPad
	}
	return o.Fit
}

func (o Options) maxPixels() int64 {
	if o.MaxPixels == 0 {
		return codecs.DefaultMaxPixels
	}
	return o.MaxPixels
}

func (o Options) maxInputBytes() int64 {
	if o.MaxInputBytes <= 0 {
		return DefaultMaxInputBytes
	}
	return o.MaxInputBytes
}

// budget returns the byte budget: the model's exclusive limit, lowered to
// MaxBytes when that is smaller. The result is an inclusive maximum.
func (o Options) budget(p *model.Profile) int64 {
	b := p.MaxBytes - 1
	if o.MaxBytes > 0 && o.MaxBytes < b {
		b = o.MaxBytes
	}
	return b
}

// validate checks the options against a profile.
func (o Options) validate(p *model.Profile) error {
	if _, err := ParseFit(string(o.Fit)); err != nil {
		return err
	}
	if o.UploadFormat != codecs.Unknown && !p.Accepts(o.UploadFormat) {
		return &OptionError{Option: "Format", Reason: fmt.Sprintf("%s does not accept %s input (accepts %s)", p.Name, o.UploadFormat, model.FormatList(p.Formats))}
	}
	if (o.Width > 0) != (o.Height > 0) || o.Width < 0 || o.Height < 0 {
		return &OptionError{Option: "Width", Reason: "give both width and height, or neither"}
	}
	if o.MaxSide < 0 {
		return &OptionError{Option: "MaxSide", Reason: fmt.Sprintf("max side %d is negative", o.MaxSide)}
	}
	if p.Square && o.Width > 0 {
		if o.Width != o.Height || !sideAllowed(p, o.Width) {
			return &OptionError{Option: "Width", Reason: fmt.Sprintf("%s needs a square size in %v, not %dx%d", p.Name, p.SquareSides, o.Width, o.Height)}
		}
	}
	return nil
}

func sideAllowed(p *model.Profile, s int) bool {
	if len(p.SquareSides) == 0 {
		return s > 0
	}
	for _, v := range p.SquareSides {
		if v == s {
			return true
		}
	}
	return false
}
