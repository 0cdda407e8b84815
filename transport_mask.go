package imgprep

import (
	"fmt"
	"image"
	"image/draw"

	"github.com/imgprep/imgprep/internal/editbody"
	"github.com/imgprep/imgprep/internal/raster"
	"github.com/imgprep/imgprep/mask"
	"github.com/imgprep/imgprep/pipeline"
)

// prepareMask sends the body's mask through the first image's plan, so it
// matches the prepared image, as an RGBA PNG. A model that takes no mask
// gets the parameter policy.
func (t *transport) prepareMask(ed *edit, body *editbody.Body) *RequestError {
	part := body.Mask
	if part == nil || len(ed.prepared) == 0 {
		return nil
	}
	p := ed.profile
	if !p.Mask {
		switch t.opts.Params {
		case ParamsRefuse:
			return &RequestError{Param: "mask", Code: "unknown_parameter", Message: fmt.Sprintf("model %s takes no mask", p.Name), Err: pipeline.ErrMaskUnsupported}
		case ParamsDrop:
			body.Mask = nil
			ed.change("mask dropped (%s takes none)", p.Name)
		}
		return nil
	}
	pl := ed.prepared[0].Plan
	img, err := mask.Decode(part.Data)
	if err != nil {
		return maskError(err)
	}
	b := img.Bounds()
	var m *image.Alpha
	var how []string
	if t.opts.NoMaskInference {
		m = mask.FromAlpha(img)
	} else {
		if stored(b, pl) {
			img = raster.Orient(toNRGBA(img), pl.Orientation)
			how = append(how, "rotated like the image")
		}
		var src mask.Source
		m, src = mask.FromAny(img, mask.ImageOptions{})
		if src != mask.SourceAlpha {
			how = append(how, "read as a painting, white = edit")
		}
	}
	pm, err := pipeline.PrepareMask(pl, p, m, pipeline.MaskOptions{})
	if err != nil {
		return maskError(err)
	}
	msg := fmt.Sprintf("mask %dx%d -> %dx%d png", b.Dx(), b.Dy(), pm.Report.Width, pm.Report.Height)
	for _, h := range how {
		msg += "; " + h
	}
	ed.change("%s", msg)
	part.Data, part.ContentType = pm.Data, "image/png"
	if body.Kind() == editbody.Multipart {
		part.Filename = stemOr(part.Filename, "mask") + ".png"
	}
	return nil
}

// stored reports a mask given in the image's stored orientation: its size
// is the source's before an EXIF rotation that swaps the sides, and not
// the upright image's aspect.
func stored(b image.Rectangle, pl *pipeline.Plan) bool {
	if pl.Orientation < 5 || pl.Source.Width == pl.Source.Height {
		return false
	}
	m := &image.Alpha{Rect: image.Rect(0, 0, b.Dx(), b.Dy())} // CheckAspect reads only the size
	return mask.CheckAspect(m, pl.Upright.W, pl.Upright.H) != nil && mask.CheckAspect(m, pl.Source.Width, pl.Source.Height) == nil
}

func toNRGBA(img image.Image) *image.NRGBA {
	if n, ok := img.(*image.NRGBA); ok && n.Rect.Min == (image.Point{}) {
		return n
	}
	b := img.Bounds()
	n := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(n, n.Rect, img, b.Min, draw.Src)
	return n
}

// maskError is the API error for a mask that cannot be used.
func maskError(err error) *RequestError {
	return &RequestError{Param: "mask", Code: "invalid_mask_image_format", Err: err,
		Message: fmt.Sprintf("mask cannot be used: %v", reasonOf(err))}
}
