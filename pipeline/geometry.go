package pipeline

import (
	"fmt"
	"math"
	"slices"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/model"
)

// NewPlan decides, from the probe alone, what Prepare will do with an input
// of inputBytes bytes for profile p. No pixel is touched. It returns an
// error when the input cannot be prepared (unsupported format, too many
// pixels, animated with RejectAnimated, fit none with a wrong aspect).
func NewPlan(info codecs.Info, inputBytes int, p *model.Profile, o Options) (*Plan, error) {
	return newPlan(info, inputBytes, p, o, 0)
}

// newPlan is NewPlan with step extra size reductions (used when the output
// does not fit the byte budget at full size).
func newPlan(info codecs.Info, inputBytes int, p *model.Profile, o Options, step int) (*Plan, error) {
	if err := o.validate(p); err != nil {
		return nil, err
	}
	if err := admit(info, o); err != nil {
		return nil, err
	}
	uw, uh := info.UprightSize()
	pl := &Plan{
		Model: p.Name, Source: info, InputBytes: inputBytes,
		Orientation: max(info.Orientation, 1),
		Upright:     Size{uw, uh},
		Budget:      o.budget(p),
	}
	pl.Reasons = nonCompliance(info, inputBytes, p, o)
	if len(pl.Reasons) == 0 && !o.Reencode && step == 0 {
		pl.Passthrough = true
		pl.Crop = Rect{0, 0, uw, uh}
		pl.Resize = pl.Upright
		pl.Canvas = pl.Upright
		pl.Content = pl.Crop
		pl.Format = info.Format
		pl.Alpha = info.HasAlpha
		return pl, nil
	}
	if len(pl.Reasons) == 0 {
		pl.Reasons = []string{"re-encode requested"}
	}
	var err error
	if p.Square {
		err = pl.squareGeometry(p, o, step)
	} else {
		err = pl.freeGeometry(p, o, step)
	}
	if err != nil {
		return nil, err
	}
	pl.chooseEncoding(p, o)
	return pl, nil
}

// admit rejects inputs that no plan can serve.
func admit(info codecs.Info, o Options) error {
	if !info.Format.Decodable() {
		return &codecs.FormatError{Format: info.Format, Kind: codecs.ErrUnsupported,
			Reason: info.Format.String() + " is recognised but not supported; convert to PNG or JPEG first"}
	}
	if mp := o.maxPixels(); mp > 0 && info.Pixels() > mp {
		return &codecs.FormatError{Format: info.Format, Kind: codecs.ErrTooLarge,
			Reason: fmt.Sprintf("%dx%d is %.1f MP, over the %.0f MP limit", info.Width, info.Height, float64(info.Pixels())/1e6, float64(mp)/1e6)}
	}
	if info.Animated && o.RejectAnimated {
		return &codecs.FormatError{Format: info.Format, Kind: codecs.ErrAnimated,
			Reason: fmt.Sprintf("%d frames; send a still image", info.Frames)}
	}
	return nil
}

// squareGeometry fills crop/resize/canvas/content for square-only models.
func (pl *Plan) squareGeometry(p *model.Profile, o Options, step int) error {
	uw, uh := pl.Upright.W, pl.Upright.H
	fit := o.fit()
	if fit == FitNone && uw != uh {
		return &AspectError{Upright: pl.Upright, Model: p.Name}
	}
	base := max(uw, uh)
	if fit == FitCrop {
		base = min(uw, uh)
	}
	side, err := squareSide(p, o, base, step)
	if err != nil {
		return err
	}
	pl.Canvas = Size{side, side}
	if fit == FitCrop {
		s := min(uw, uh)
		pl.Crop = Rect{(uw - s) / 2, (uh - s) / 2, s, s}
		pl.Resize = Size{side, side}
		pl.Content = Rect{0, 0, side, side}
		return nil
	}
	pl.Crop = Rect{0, 0, uw, uh}
	scale := float64(side) / float64(base)
	rw, rh := scaled(uw, scale), scaled(uh, scale)
	pl.Resize = Size{rw, rh}
	pl.Content = Rect{(side - rw) / 2, (side - rh) / 2, rw, rh}
	pl.setFill(o)
	return nil
}

// squareSide picks the canvas side: the requested one, else the smallest
// allowed side that holds base without downscaling (capped by MaxSide and
// the largest side), then step sides smaller.
func squareSide(p *model.Profile, o Options, base, step int) (int, error) {
	sides := slices.Clone(p.SquareSides)
	slices.Sort(sides)
	if len(sides) == 0 {
		s := base
		if o.MaxSide > 0 {
			s = min(s, o.MaxSide)
		}
		if o.Width > 0 {
			s = o.Width
		}
		return max(1, int(float64(s)*math.Pow(0.75, float64(step)))), nil
	}
	i := len(sides) - 1
	if o.Width > 0 {
		i = slices.Index(sides, o.Width)
	} else {
		if j := slices.IndexFunc(sides, func(s int) bool { return s >= base }); j >= 0 {
			i = j
		}
		for i > 0 && o.MaxSide > 0 && sides[i] > o.MaxSide {
			i--
		}
	}
	i -= step
	if i < 0 {
		return 0, errNoSmallerSize
	}
	return sides[i], nil
}

// freeGeometry handles models that take any aspect: an exact canvas when
// Width/Height are set, else a downscale to the model's and user's limits.
func (pl *Plan) freeGeometry(p *model.Profile, o Options, step int) error {
	uw, uh := pl.Upright.W, pl.Upright.H
	shrink := math.Pow(0.75, float64(step))
	if o.Width > 0 {
		cw, ch := scaled(o.Width, shrink), scaled(o.Height, shrink)
		return pl.canvasGeometry(o, cw, ch)
	}
	scale := 1.0
	if o.MaxSide > 0 && max(uw, uh) > o.MaxSide {
		scale = float64(o.MaxSide) / float64(max(uw, uh))
	}
	if p.MaxPixels > 0 && float64(uw)*float64(uh)*scale*scale > float64(p.MaxPixels) {
		scale = math.Sqrt(float64(p.MaxPixels) / (float64(uw) * float64(uh)))
	}
	scale *= shrink
	if step > 0 && max(scaled(uw, scale), scaled(uh, scale)) < 16 {
		return errNoSmallerSize
	}
	rw, rh := scaled(uw, scale), scaled(uh, scale)
	// Rounding must never push past a pixel limit.
	for p.MaxPixels > 0 && int64(rw)*int64(rh) > p.MaxPixels {
		rw, rh = max(1, rw-1), max(1, rh-1)
	}
	pl.Crop = Rect{0, 0, uw, uh}
	pl.Resize = Size{rw, rh}
	pl.Canvas = pl.Resize
	pl.Content = Rect{0, 0, rw, rh}
	return nil
}

// canvasGeometry fits the upright image into an exact cw x ch canvas.
func (pl *Plan) canvasGeometry(o Options, cw, ch int) error {
	uw, uh := pl.Upright.W, pl.Upright.H
	pl.Canvas = Size{cw, ch}
	ar, cr := float64(uw)/float64(uh), float64(cw)/float64(ch)
	switch fit := o.fit(); {
	case math.Abs(ar/cr-1) <= 0.01:
		pl.Crop = Rect{0, 0, uw, uh}
		pl.Resize = Size{cw, ch}
		pl.Content = Rect{0, 0, cw, ch}
	case fit == FitNone:
		return &AspectError{Upright: pl.Upright, Canvas: pl.Canvas}
	case fit == FitCrop:
		scale := math.Max(float64(cw)/float64(uw), float64(ch)/float64(uh))
		w := min(uw, int(math.Round(float64(cw)/scale)))
		h := min(uh, int(math.Round(float64(ch)/scale)))
		pl.Crop = Rect{(uw - w) / 2, (uh - h) / 2, w, h}
		pl.Resize = Size{cw, ch}
		pl.Content = Rect{0, 0, cw, ch}
	default:
		scale := math.Min(float64(cw)/float64(uw), float64(ch)/float64(uh))
		rw, rh := scaled(uw, scale), scaled(uh, scale)
		pl.Crop = Rect{0, 0, uw, uh}
		pl.Resize = Size{rw, rh}
		pl.Content = Rect{(cw - rw) / 2, (ch - rh) / 2, rw, rh}
		pl.setFill(o)
	}
	return nil
}

func (pl *Plan) setFill(o Options) {
	if !pl.Padded() {
		return
	}
	pl.Fill = "transparent"
	if o.Fill != nil && o.Fill.A == 255 {
		c := o.Fill
		pl.Fill = fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
	}
}

// chooseEncoding picks the output format, quality and alpha.
func (pl *Plan) chooseEncoding(p *model.Profile, o Options) {
	info := pl.Source
	alphaWanted := info.HasAlpha || pl.Fill == "transparent" || p.RequireAlpha
	f := o.UploadFormat
	if f == codecs.Unknown {
		f = autoFormat(info.Format, alphaWanted, p)
	}
	pl.Format = f
	switch f {
	case codecs.JPEG:
		pl.Quality = o.quality()
	case codecs.WebP:
		pl.Lossless = o.Lossless || !codecs.LossyWebPAvailable()
		if !pl.Lossless {
			pl.Quality = o.quality()
		}
		pl.Alpha = alphaWanted
	case codecs.PNG:
		pl.Alpha = alphaWanted
	}
}

// autoFormat keeps the input's format where the model takes it (lossy WebP
// only when this build can write it; not JPEG when alpha must be kept),
// else PNG for images with alpha and graphics formats, JPEG for opaque photos.
func autoFormat(src codecs.Format, alpha bool, p *model.Profile) codecs.Format {
	keep := p.Accepts(src) && !(alpha && src == codecs.JPEG)
	if keep && (src != codecs.WebP || codecs.LossyWebPAvailable()) {
		return src
	}
	photo := src == codecs.JPEG || src == codecs.WebP || src == codecs.TIFF || src == codecs.BMP ||
		src == codecs.HEIC || src == codecs.AVIF
	if photo && !alpha && p.Accepts(codecs.JPEG) {
		return codecs.JPEG
	}
	if p.Accepts(codecs.PNG) {
		return codecs.PNG
	}
	return p.Formats[0]
}

// scaled rounds n*s to at least 1.
func scaled(n int, s float64) int { return max(1, int(math.Round(float64(n)*s))) }
