package finish

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/raster"
	"github.com/imgprep/imgprep/pipeline"
)

// Options say what to do with an edit result. The zero value converts
// nothing and returns the server's bytes as they are.
type Options struct {
	// Restore removes the padding and scales the result back to the
	// original's upright size (or RestoreSize). A crop is undone by pasting the
	// result into Original when it is given.
	Restore bool
	// RestoreSize, when set, is the restored size instead of the original's.
	RestoreSize pipeline.Size
	// Composite pastes the edited area onto Original through Mask, so that
	// every pixel outside the mask (grown by Feather) is the original's.
	// It implies Restore at the original's size.
	Composite bool
	// Original is the input file as the user gave it (any decodable format,
	// EXIF orientation applied here).
	Original []byte
	// Mask is the PNG mask the model got, in prepared coordinates (alpha 0
	// = edited). Needed by Composite.
	Mask []byte
	// Feather is the width in original pixels of the soft edge outside
	// the mask; 0 means one prepared pixel's width (the resampling blur).
	Feather int
	// SaveFormat is the format of the file written (the "save" side of the
	// vocabulary; the API's output_format is upload.Request.OutputFormat); codecs.Unknown keeps the original's
	// format when encodable (PNG without an original).
	SaveFormat codecs.Format
	// SaveCompression is output_compression as the API defines it (0-100,
	// lower = smaller files), applied locally for JPEG and WebP; nil means 100 - 10 (q90).
	SaveCompression *int
	// Fill is the colour alpha is flattened onto for JPEG (white).
	Fill *color.NRGBA
	// KeepMetadata copies the original JPEG's EXIF (with orientation reset
	// to 1) and ICC profile into a JPEG output.
	KeepMetadata bool
	// MaxPixels bounds decoded images (0 = codecs.DefaultMaxPixels).
	MaxPixels int64
}

// Result is a finished output.
type Result struct {
	Data     []byte
	Format   codecs.Format
	Width    int
	Height   int
	Warnings []string
}

// Finish post-processes one edit result according to plan and o.
func Finish(ctx context.Context, output []byte, plan *pipeline.Plan, o Options) (*Result, error) {
	if plan == nil || plan.Canvas.W <= 0 || plan.Crop.W <= 0 || plan.Resize.W <= 0 {
		return nil, ErrNoPlan
	}
	if o.Composite && len(o.Original) == 0 {
		return nil, ErrNeedOriginal
	}
	if o.Composite && len(o.Mask) == 0 {
		return nil, ErrNeedMask
	}
	f := &job{plan: plan, o: o}
	img, outInfo, err := f.decode(output, PartOutput)
	if err != nil {
		return nil, err
	}
	format, outFormat := f.outputFormat(), outInfo.Format
	if !o.Restore && !o.Composite && format == outFormat && o.SaveCompression == nil && !o.KeepMetadata {
		b := img.Bounds()
		return &Result{Data: output, Format: outFormat, Width: b.Dx(), Height: b.Dy()}, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := raster.ToNRGBA(img)
	if o.Restore || o.Composite {
		if res, err = f.restore(res); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if o.RestoreSize.W > 0 && o.RestoreSize.H > 0 && !o.Composite && (res.Rect.Dx() != o.RestoreSize.W || res.Rect.Dy() != o.RestoreSize.H) {
		res = raster.Resize(res, o.RestoreSize.W, o.RestoreSize.H)
	}
	data, err := f.encode(res, format)
	if err != nil {
		return nil, err
	}
	return &Result{Data: data, Format: format, Width: res.Rect.Dx(), Height: res.Rect.Dy(), Warnings: f.warnings}, nil
}

// job carries one Finish call's state.
type job struct {
	plan     *pipeline.Plan
	o        Options
	warnings []string
	original *image.NRGBA // upright, decoded lazily
}

func (f *job) warn(format string, a ...any) {
	f.warnings = append(f.warnings, fmt.Sprintf(format, a...))
}

// decode decodes one of the inputs, orientation not applied.
func (f *job) decode(b []byte, part Part) (image.Image, codecs.Info, error) {
	img, info, err := codecs.Decode(b, codecs.DecodeOptions{MaxPixels: f.o.MaxPixels})
	if err != nil {
		return nil, info, &DecodeError{Part: part, Err: err}
	}
	return img, info, nil
}

// uprightOriginal decodes the original once and applies its orientation.
func (f *job) uprightOriginal() (*image.NRGBA, error) {
	if f.original != nil {
		return f.original, nil
	}
	if len(f.o.Original) == 0 {
		return nil, ErrNeedOriginal
	}
	img, info, err := f.decode(f.o.Original, PartOriginal)
	if err != nil {
		return nil, err
	}
	up := raster.Orient(raster.ToNRGBA(img), info.Orientation)
	if got := (pipeline.Size{W: up.Rect.Dx(), H: up.Rect.Dy()}); got != f.plan.Upright {
		return nil, &MismatchError{Part: PartOriginal, Got: got, Want: f.plan.Upright}
	}
	f.original = up
	return up, nil
}

// contentIn returns the plan's content rectangle in an output of size
// ow x oh, warning when the output's aspect differs from the canvas.
func (f *job) contentIn(ow, oh int) image.Rectangle {
	cw, ch := f.plan.Canvas.W, f.plan.Canvas.H
	sx, sy := float64(ow)/float64(cw), float64(oh)/float64(ch)
	if math.Abs(sx/sy-1) > 0.01 {
		f.warn("the server returned %dx%d for a %dx%d canvas; mapped by the content rectangle (aspect differs, the result is stretched)", ow, oh, cw, ch)
	}
	c := f.plan.Content
	r := image.Rect(int(math.Round(float64(c.X)*sx)), int(math.Round(float64(c.Y)*sy)),
		int(math.Round(float64(c.X+c.W)*sx)), int(math.Round(float64(c.Y+c.H)*sy)))
	return r.Intersect(image.Rect(0, 0, ow, oh))
}

// restore un-pads the output, scales it to the crop's original size, and
// (undoing a crop, or compositing) puts it back into the original.
func (f *job) restore(out *image.NRGBA) (*image.NRGBA, error) {
	r := f.contentIn(out.Rect.Dx(), out.Rect.Dy())
	if r.Empty() {
		return nil, &MismatchError{Part: PartOutput, Got: pipeline.Size{W: out.Rect.Dx(), H: out.Rect.Dy()}, Want: f.plan.Canvas}
	}
	crop := f.plan.Crop
	edited := raster.Resize(out.SubImage(r), crop.W, crop.H)
	if f.o.Composite {
		return f.composite(edited)
	}
	if !f.plan.Cropped() {
		return edited, nil
	}
	if len(f.o.Original) == 0 {
		f.warn("the plan cropped the original to %dx%d at (%d,%d); without the original only that area is returned", crop.W, crop.H, crop.X, crop.Y)
		return edited, nil
	}
	up, err := f.uprightOriginal()
	if err != nil {
		return nil, err
	}
	full := raster.Place(up, up.Rect.Dx(), up.Rect.Dy(), image.Point{}, color.NRGBA{})
	pasteAt(full, edited, image.Pt(crop.X, crop.Y))
	return full, nil
}

// pasteAt copies src into dst with its origin at p.
func pasteAt(dst, src *image.NRGBA, p image.Point) {
	r := src.Rect.Sub(src.Rect.Min).Add(p).Intersect(dst.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		so := (y-p.Y)*src.Stride + 4*(r.Min.X-p.X)
		copy(dst.Pix[y*dst.Stride+4*r.Min.X:y*dst.Stride+4*r.Max.X], src.Pix[so:])
	}
}
