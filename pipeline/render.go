package pipeline

import (
	"context"
	"fmt"
	"image"
	"image/color"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/codecstream"
	"github.com/imgprep/imgprep/internal/raster"
	"github.com/imgprep/imgprep/model"
)

// job carries one input through decode, render and encode-to-fit.
type job struct {
	ctx      context.Context
	in       Input
	p        *model.Profile
	o        Options
	info     codecs.Info
	plan     *Plan
	decoded  image.Image
	warnings []string
}

func (j *job) warn(format string, a ...any) {
	j.warnings = append(j.warnings, fmt.Sprintf(format, a...))
}

// run decodes once, then renders and encodes the plan, stepping the size
// down while the output does not fit the byte budget.
func (j *job) run() (*Prepared, error) {
	opts := codecs.DecodeOptions{
		MaxPixels:      j.o.maxPixels(),
		RejectAnimated: j.o.RejectAnimated,
		ScaleDenom:     decodeDenom(j.plan),
	}
	var canvas image.Image             // the first plan's, when rendered while decoding
	var early *codecstream.JPEGEncoder // canvas's encoding, when it ran alongside
	if j.streamable() {
		img, c, js, err := j.decodeRendering(opts)
		if err != nil {
			return nil, err
		}
		j.decoded, canvas, early = img, c, js
	} else {
		img, _, err := codecs.Decode(j.in.Data, opts)
		if err != nil {
			return nil, err
		}
		j.decoded = img
	}
	if j.info.Animated {
		j.warn("animated (%d frames): the first frame is used", j.info.Frames)
	}
	if j.info.Color == codecs.ColorCMYK || j.info.Color == codecs.ColorYCCK {
		j.warn("%s converted to RGB without a colour profile; colours are approximate", j.info.Color)
	}
	first := j.plan
	for step := 0; ; step++ {
		if step > 0 {
			pl, err := newPlan(j.info, len(j.in.Data), j.p, j.o, step)
			if err == errNoSmallerSize {
				return nil, fmt.Errorf("pipeline: %s output does not fit %d bytes even at %dx%d: %w",
					j.plan.Format, j.plan.Budget, j.plan.Canvas.W, j.plan.Canvas.H, ErrOverBudget)
			}
			if err != nil {
				return nil, err
			}
			j.plan = pl
		}
		if err := j.ctx.Err(); err != nil {
			return nil, err
		}
		if canvas == nil || step > 0 {
			canvas = render(j.decoded, j.info, j.plan, j.o)
		}
		data, ok, err := j.finishEarly(early)
		if err == nil && !ok {
			data, ok, err = j.encodeToFit(canvas)
		}
		early = nil
		if err != nil {
			return nil, err
		}
		if ok {
			if step > 0 {
				j.warn("did not fit %d bytes at %dx%d; stepped down to %dx%d",
					j.plan.Budget, first.Canvas.W, first.Canvas.H, j.plan.Canvas.W, j.plan.Canvas.H)
			}
			return &Prepared{Name: j.in.Name, Data: data, Format: j.plan.Format,
				Width: j.plan.Canvas.W, Height: j.plan.Canvas.H, Plan: j.plan, Warnings: j.warnings}, nil
		}
	}
}

// decodeDenom picks the largest JPEG DCT scale (1/2, 1/4, 1/8) that still
// leaves at least the target resolution in the cropped area. DCT scaling
// is a box filter that leaves 4:2:0 chroma at half the output resolution;
// at 1/8 that shows (33.5 dB from the full-decode Lanczos result on a
// 4:2:0 photo when nothing is left to resize), so 1/8 must leave the
// resize a reduction of at least eighthMargin (then >= 43 dB).
func decodeDenom(pl *Plan) int {
	if pl.Source.Format != codecs.JPEG {
		return 1
	}
	for _, d := range []int{8, 4, 2} {
		m := 1.0
		if d == 8 {
			m = eighthMargin
		}
		if float64(pl.Crop.W/d) >= m*float64(pl.Resize.W) && float64(pl.Crop.H/d) >= m*float64(pl.Resize.H) {
			return d
		}
	}
	return 1
}

// eighthMargin is the smallest reduction left to the resize after a 1/8
// DCT-scaled decode (libvips leaves 2x after every scale).
const eighthMargin = 1.5

// render executes the plan's geometry on a decoded image: crop (in stored
// orientation), resize, orient, place on the canvas, flatten for JPEG. The
// canvas is an *image.NRGBA, or for a JPEG resized to a JPEG as it is (see
// planar) a 4:2:0 *image.YCbCr.
func render(src image.Image, info codecs.Info, pl *Plan, o Options) image.Image {
	img, _ := renderWith(src, info, pl, o, nil, nil)
	return img
}

// renderWith is render; with ready (see raster.ResizeRows), src is an
// image still being decoded, whose rows ready waits for. Its error stops
// the render and is returned. When the resized image is the canvas as is
// (see resizedIsCanvas), rows is told each time more of its rows are
// final (raster.ResizeRowsInto's done).
func renderWith(src image.Image, info codecs.Info, pl *Plan, o Options, ready func(y int) error,
	rows func(canvas image.Image, n int)) (image.Image, error) {
	o8 := pl.Orientation
	crop := raster.UnorientRect(pl.Crop.Image(), info.Width, info.Height, o8)
	// The decoder may have scaled the image down (JPEG DCT scaling).
	b := src.Bounds()
	if b.Dx() != info.Width || b.Dy() != info.Height {
		crop = scaleRect(crop, float64(b.Dx())/float64(info.Width), float64(b.Dy())/float64(info.Height))
	}
	crop = crop.Add(b.Min).Intersect(b)
	var sub image.Image = src
	if crop != b {
		sub = src.(interface {
			SubImage(image.Rectangle) image.Image
		}).SubImage(crop)
	}
	tw, th := pl.Resize.W, pl.Resize.H
	if o8 >= 5 {
		tw, th = th, tw
	}
	if ycc, ok := planar(sub, pl, tw, th); ok {
		if o8 >= 2 && o8 <= 8 {
			return raster.ResizeYCbCrOriented(ycc, pl.Resize.W, pl.Resize.H, o8, ready)
		}
		canvas := image.NewYCbCr(image.Rect(0, 0, tw, th), image.YCbCrSubsampleRatio420)
		var done func(int)
		if rows != nil {
			done = func(n int) { rows(canvas, n) }
		}
		if err := raster.ResizeYCbCrInto(canvas, ycc, ready, done); err != nil {
			return nil, err
		}
		return canvas, nil
	}
	var img *image.NRGBA
	if crop.Dx() == tw && crop.Dy() == th {
		if ready != nil {
			if err := ready(crop.Max.Y); err != nil {
				return nil, err
			}
		}
		img = raster.ToNRGBA(sub)
	} else if ready != nil {
		img = image.NewNRGBA(image.Rect(0, 0, tw, th))
		var done func(int)
		if rows != nil && resizedIsCanvas(sub, pl) {
			done = func(n int) { rows(img, n) }
		}
		if err := resizeRowsInto(img, sub, info, ready, done); err != nil {
			return nil, err
		}
	} else {
		img = raster.Resize(sub, tw, th)
	}
	img = raster.Orient(img, o8)
	if pl.Padded() {
		img = raster.Place(img, pl.Canvas.W, pl.Canvas.H, pl.Content.Image().Min, fillColor(pl.Fill, o))
	}
	if pl.Format == codecs.JPEG && !raster.Opaque(img) {
		img = raster.Flatten(img, flattenColor(o))
	}
	return img, nil
}

// planar returns src when the plan resizes a YCbCr image to a JPEG
// without padding (tw x th: the size in stored orientation): then its
// planes are resampled straight to the encoder's 4:2:0 ones
// (raster.ResizeYCbCrInto, or ResizeYCbCrOriented for a photo stored
// sideways), without a round trip through RGB, at about half the work.
func planar(src image.Image, pl *Plan, tw, th int) (*image.YCbCr, bool) {
	ycc, ok := src.(*image.YCbCr)
	if !ok || pl.Format != codecs.JPEG || pl.Padded() || !raster.PlanarYCbCr(ycc) {
		return nil, false
	}
	b := ycc.Bounds()
	return ycc, b.Dx() != tw || b.Dy() != th
}

// resizeRowsInto resamples src, still being decoded, onto img. A PNG
// decoded to *image.RGBA is an RGB one without tRNS, opaque by
// construction: raster then resamples its rows as they arrive, as it
// does a JPEG's, where it would wait for all of them to look at the
// alpha.
func resizeRowsInto(img *image.NRGBA, src image.Image, info codecs.Info, ready func(y int) error, done func(int)) error {
	if m, ok := src.(*image.RGBA); ok && info.Format == codecs.PNG {
		return raster.ResizeOpaqueRowsInto(img, m, ready, done)
	}
	return raster.ResizeRowsInto(img, src, ready, done)
}

// resizedIsCanvas reports whether the resized image is the plan's output
// as is: no orientation, no padding, and for JPEG nothing to flatten (the
// source has no alpha).
func resizedIsCanvas(src image.Image, pl *Plan) bool {
	switch src.(type) {
	case *image.YCbCr, *image.Gray:
		return (pl.Orientation < 2 || pl.Orientation > 8) && !pl.Padded()
	}
	return false
}

func scaleRect(r image.Rectangle, sx, sy float64) image.Rectangle {
	return image.Rect(int(float64(r.Min.X)*sx), int(float64(r.Min.Y)*sy),
		int(float64(r.Max.X)*sx+0.999), int(float64(r.Max.Y)*sy+0.999))
}

func fillColor(fill string, o Options) color.NRGBA {
	if fill != "transparent" && o.Fill != nil {
		return *o.Fill
	}
	return color.NRGBA{}
}

func flattenColor(o Options) color.NRGBA {
	if o.Fill != nil {
		c := *o.Fill
		c.A = 255
		return c
	}
	return color.NRGBA{255, 255, 255, 255}
}
