package pipeline

import (
	"fmt"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/model"
)

// nonCompliance lists why an input cannot be sent as is; empty means it
// complies with the model and with what the options ask.
func nonCompliance(info codecs.Info, n int, p *model.Profile, o Options) []string {
	var r []string
	add := func(format string, a ...any) { r = append(r, fmt.Sprintf(format, a...)) }
	if !p.Accepts(info.Format) {
		add("%s input not accepted by %s (accepts %s)", info.Format, p.Name, model.FormatList(p.Formats))
	}
	if o.UploadFormat != codecs.Unknown && o.UploadFormat != info.Format {
		add("%s output requested", o.UploadFormat)
	}
	if b := o.budget(p); int64(n) > b {
		add("%d bytes, over the %d-byte budget", n, b)
	}
	if info.Orientation > 1 {
		if info.Transform != "" {
			add("%s (EXIF orientation %d) must be applied to the pixels", info.Transform, info.Orientation)
		} else {
			add("EXIF orientation %d must be applied to the pixels", info.Orientation)
		}
	}
	if info.Animated {
		add("animated (%d frames); only the first frame is sent", info.Frames)
	}
	if info.BitDepth > 8 {
		add("%d-bit samples; models take 8-bit", info.BitDepth)
	}
	switch info.Color {
	case codecs.ColorCMYK, codecs.ColorYCCK:
		add("%s colour; converted to RGB", info.Color)
	}
	w, h := info.Width, info.Height
	if p.Square {
		if w != h {
			add("%dx%d is not square", w, h)
		} else if !sideAllowed(p, w) {
			add("side %d not one of %v", w, p.SquareSides)
		}
	}
	if p.RequireAlpha && info.Color != codecs.ColorRGBA && info.Color != codecs.ColorGrayAlpha {
		add("%s has no alpha channel; %s needs RGBA", info.Color, p.Name)
	}
	if p.MaxPixels > 0 && info.Pixels() > p.MaxPixels {
		add("%.1f MP, over the %.0f MP limit", float64(info.Pixels())/1e6, float64(p.MaxPixels)/1e6)
	}
	if o.MaxSide > 0 && max(w, h) > o.MaxSide {
		add("longer side %d over the requested %d", max(w, h), o.MaxSide)
	}
	if o.Width > 0 && (w != o.Width || h != o.Height) {
		add("%dx%d, not the requested %dx%d", w, h, o.Width, o.Height)
	}
	return r
}
