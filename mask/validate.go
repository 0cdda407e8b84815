package mask

import (
	"errors"
	"image"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/errdetail"
)

// Report describes a mask file that passed Validate.
type Report struct {
	Width  int `json:"width"`
	Height int `json:"height"`
	Bytes  int `json:"bytes"`
	// Coverage: shares of fully (alpha 0) and partly editable pixels.
	Coverage
	// Warnings flag masks that are valid but probably not what was meant.
	Warnings []string `json:"warnings,omitempty"`
}

// Warnings Validate may give.
const (
	WarnEditsNothing    = "edits nothing: no fully transparent (alpha 0) pixel"
	WarnEditsEverything = "edits everything: every pixel is transparent"
)

// Validate checks a mask file against the image it goes with, as the edit
// API does: a PNG, with an alpha channel (colour type 4 or 6, or tRNS),
// exactly imgW x imgH pixels, and smaller than maxBytes (0 = no limit). It
// then measures the editable share and warns when the mask edits nothing
// or everything.
//
// Errors are *Error matching ErrFormat, ErrNoAlpha or ErrTooLarge, or
// *SizeError matching ErrSize; each says what to do.
func Validate(maskPNG []byte, imgW, imgH int, maxBytes int64) (Report, error) {
	r := Report{Bytes: len(maskPNG)}
	if f := codecs.Sniff(maskPNG); f != codecs.PNG {
		what := "empty"
		if len(maskPNG) > 0 {
			what = f.String()
			if f == codecs.Unknown {
				what = "not an image"
			}
		}
		return r, newErr(ErrFormat, "mask is %s, not PNG: the edit API takes a PNG with an alpha channel; "+
			"convert it (transparent = edit) or rebuild it as PNG", what)
	}
	info, err := codecs.Probe(maskPNG)
	if err != nil {
		return r, &Error{Kind: ErrFormat, Err: err,
			Reason: "mask PNG is damaged: " + errdetail.Of(err) + "; rebuild it"}
	}
	r.Width, r.Height = info.Width, info.Height
	if info.Width != imgW || info.Height != imgH {
		return r, &SizeError{Mask: image.Pt(info.Width, info.Height), Image: image.Pt(imgW, imgH)}
	}
	if !info.HasAlpha {
		return r, newErr(ErrNoAlpha, "mask PNG is %s without an alpha channel: the edit API reads only alpha "+
			"(0 = edit); save it as RGBA with the area to edit transparent", info.Color)
	}
	if maxBytes > 0 && int64(len(maskPNG)) >= maxBytes {
		return r, newErr(ErrTooLarge, "mask is %d bytes, the limit is under %d: save it with more PNG "+
			"compression or with fewer soft (feathered) edges", len(maskPNG), maxBytes)
	}
	img, _, err := codecs.Decode(maskPNG, codecs.DecodeOptions{})
	if err != nil {
		kind := ErrFormat
		if errors.Is(err, codecs.ErrTooLarge) {
			kind = ErrTooLarge
		}
		return r, &Error{Kind: kind, Err: err, Reason: "mask PNG does not decode: " + errdetail.Of(err) + "; rebuild it"}
	}
	r.Coverage = Stats(FromAlpha(img))
	r.Warnings = warnings(r.Coverage)
	return r, nil
}

// warnings flags masks that edit nothing or everything.
func warnings(c Coverage) []string {
	switch {
	case c.Editable == 0:
		return []string{WarnEditsNothing}
	case c.Editable == 1:
		return []string{WarnEditsEverything}
	}
	return nil
}
