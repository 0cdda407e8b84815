package pipeline

import (
	"errors"
	"fmt"
	"image"
	"strings"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/errdetail"
	"github.com/imgprep/imgprep/mask"
	"github.com/imgprep/imgprep/model"
)

// ErrMaskUnsupported: a mask was given for a model that takes none
// (flux-kontext-*).
var ErrMaskUnsupported = errors.New("model takes no mask")

// MaskOptions tune how a mask follows a Plan. The zero value protects the
// padding.
type MaskOptions struct {
	// EditablePadding makes the padding added to square or size the image
	// editable (alpha 0), for outpainting. By default it is kept (255).
	EditablePadding bool
}

// MaskUnsupportedError is a mask given for a model that takes none. It
// matches ErrMaskUnsupported.
type MaskUnsupportedError struct {
	Model string
	// Takers are the models that take a mask.
	Takers []string
}

// Error returns "pipeline: " + Detail.
func (e *MaskUnsupportedError) Error() string { return prefix + e.Detail() }

// Detail returns the message without the "pipeline: " prefix.
func (e *MaskUnsupportedError) Detail() string {
	return fmt.Sprintf("%s: %v; drop the mask, or use a model that takes one (%s)",
		e.Model, ErrMaskUnsupported, strings.Join(e.Takers, ", "))
}

// Unwrap returns ErrMaskUnsupported.
func (e *MaskUnsupportedError) Unwrap() error { return ErrMaskUnsupported }

// PreparedMaskError is a mask that does not validate once the plan was
// applied to it, e.g. over the model's byte limit. Err is the mask
// package's error (*mask.Error or *mask.SizeError), which errors.Is and
// errors.As reach.
type PreparedMaskError struct{ Err error }

// Error returns "pipeline: " + Detail.
func (e *PreparedMaskError) Error() string { return prefix + e.Detail() }

// Detail returns the message without the "pipeline: " prefix.
func (e *PreparedMaskError) Detail() string { return "prepared mask: " + errdetail.Of(e.Err) }

// Unwrap returns the mask package's error.
func (e *PreparedMaskError) Unwrap() error { return e.Err }

// CheckMask returns a *MaskUnsupportedError when p takes no mask, naming
// the models that do.
func CheckMask(p *model.Profile) error {
	if p.Mask {
		return nil
	}
	var with []string
	for _, q := range model.Profiles() {
		if q.Mask {
			with = append(with, q.Name)
		}
	}
	return &MaskUnsupportedError{Model: p.Name, Takers: with}
}

// FitMask returns m at the plan's upright size: as is when it already has
// that size, scaled when its aspect ratio is within 1% of the upright
// image's, else mask.Fit's *mask.SizeError (matching mask.ErrSize) stating
// both sizes.
func (p *Plan) FitMask(m *image.Alpha) (*image.Alpha, error) {
	return mask.Fit(m, p.Upright.W, p.Upright.H)
}

// ApplyMask takes a mask in the original's upright coordinates (after EXIF
// orientation; its size must equal p.Upright) through the same geometry as
// the image: cut p.Crop, resize to p.Resize by area averaging (an edge
// lands within one pixel of where RectToPrepared maps it), and place it at
// p.Content on a canvas of p.Canvas whose padding is kept (255) or, with
// o.EditablePadding, editable (0). The result always has the canvas size.
func (p *Plan) ApplyMask(m *image.Alpha, o MaskOptions) (*image.Alpha, error) {
	mw, mh := m.Rect.Dx(), m.Rect.Dy()
	if mw != p.Upright.W || mh != p.Upright.H {
		return nil, fmt.Errorf("pipeline: mask is %dx%d but the upright image is %dx%d; give the mask in the "+
			"upright image's coordinates or scale it with FitMask: %w", mw, mh, p.Upright.W, p.Upright.H, mask.ErrSize)
	}
	return p.applyMask(m, o), nil
}

// applyMask is ApplyMask for a mask of any size with the upright aspect
// ratio: the crop is mapped to the mask's own pixels, so that cropping and
// scaling is a single resampling.
func (p *Plan) applyMask(m *image.Alpha, o MaskOptions) *image.Alpha {
	resized := resampleRect(m, p.Upright, p.Crop, p.Resize)
	if !p.Padded() {
		return resized
	}
	pad := uint8(255)
	if o.EditablePadding {
		pad = 0
	}
	return mask.Place(resized, p.Canvas.W, p.Canvas.H, p.Content.Image().Min, pad)
}

// MaskToOriginal maps a mask in prepared coordinates (the one sent with
// the image, alpha 0 = edit) back to the upright original, the inverse of
// ApplyMask: the content area is resampled by area averaging, as ApplyMask
// resamples, to the crop's size and placed at p.Crop on a mask of
// p.Upright's size that keeps (255) whatever the plan cut away; the
// padding is dropped. An original pixel that covers only kept prepared
// pixels is exactly 255, one that covers only edited ones exactly 0. m
// should have the canvas size; a mask of another size is read
// proportionally.
func (p *Plan) MaskToOriginal(m *image.Alpha) *image.Alpha {
	crop := resampleRect(m, p.Canvas, p.Content, Size{p.Crop.W, p.Crop.H})
	return mask.Place(crop, p.Upright.W, p.Upright.H, p.Crop.Image().Min, 255)
}

// resampleRect resamples the rectangle r of an image of size of, which m
// covers proportionally, to size to, in a single area-averaging pass.
func resampleRect(m *image.Alpha, of Size, r Rect, to Size) *image.Alpha {
	kx := float64(m.Rect.Dx()) / float64(of.W)
	ky := float64(m.Rect.Dy()) / float64(of.H)
	return mask.Resample(m, mask.Rect{X: float64(r.X) * kx, Y: float64(r.Y) * ky, W: float64(r.W) * kx, H: float64(r.H) * ky}, to.W, to.H)
}

// PreparedMask is a mask made ready for one prepared image.
type PreparedMask struct {
	// Data is the PNG to upload (RGBA, alpha 0 = edit).
	Data []byte
	// Image is the mask at the prepared image's size.
	Image *image.Alpha
	// Report is the validation of Data against the prepared image.
	Report mask.Report
}

// PrepareMask readies a mask for the image prepared with plan pl for
// profile p: it checks that p takes a mask, checks m (upright coordinates,
// any size within 1% of the upright aspect ratio, as FitMask accepts),
// applies the plan (scaling m to the upright size on the way, in the same
// resampling), encodes the PNG and validates it against the canvas size
// and p.MaskMaxBytes. Pass the plan of the Prepared result: it is the one the
// image followed.
func PrepareMask(pl *Plan, p *model.Profile, m *image.Alpha, o MaskOptions) (*PreparedMask, error) {
	if err := CheckMask(p); err != nil {
		return nil, err
	}
	if err := mask.CheckAspect(m, pl.Upright.W, pl.Upright.H); err != nil {
		return nil, err
	}
	prepared := pl.applyMask(m, o)
	data, err := mask.Encode(prepared)
	if err != nil {
		return nil, err
	}
	rep, err := mask.Validate(data, pl.Canvas.W, pl.Canvas.H, p.MaskMaxBytes)
	if err != nil {
		return nil, &PreparedMaskError{Err: err}
	}
	return &PreparedMask{Data: data, Image: prepared, Report: rep}, nil
}

// TransparencyMasks reports whether p, given no mask, edits the input's
// own transparent pixels: dall-e-2's rule (a model that requires alpha and
// takes a mask). ImplicitMask and ImplicitMaskWarnings apply it; callers
// that check options against a model (a preview or a composite needs an
// edit area) ask it too, so the rule lives here only.
func TransparencyMasks(p *model.Profile) bool { return p != nil && p.RequireAlpha && p.Mask }

// ImplicitMask returns the edit area a model applies to a prepared image
// sent without a mask: for a model whose input's own transparency is the
// mask (TransparencyMasks), the prepared image's alpha channel (alpha 0 =
// edit), at the prepared size; nil for other models. The error is the
// prepared image's decode error.
func ImplicitMask(res *Prepared, p *model.Profile) (*image.Alpha, error) {
	if res == nil || !TransparencyMasks(p) {
		return nil, nil
	}
	img, _, err := codecs.Decode(res.Data, codecs.DecodeOptions{})
	if err != nil {
		return nil, err
	}
	return mask.FromTransparency(img), nil
}

// ImplicitMaskWarnings applies to models whose input's own transparency
// is the edit area when no mask is sent (TransparencyMasks: dall-e-2): it
// warns when the prepared image has no fully transparent pixel (nothing
// would be edited), or when only the padding is transparent. For other
// models, and on a decode error, it returns nil.
func ImplicitMaskWarnings(res *Prepared, p *model.Profile) []string {
	if res == nil || !TransparencyMasks(p) {
		return nil
	}
	// An opaque source has transparent pixels only where the plan pads
	// with transparency: the plan decides, without decoding the output
	// again (a full PNG decode, ~15% of a dall-e-2 prep).
	editable := res.Plan.Padded() && res.Plan.Fill == "transparent"
	if res.Plan.Source.HasAlpha {
		m, err := ImplicitMask(res, p)
		if err != nil {
			return nil
		}
		editable = mask.Stats(m).Editable > 0
	}
	switch {
	case !editable:
		return []string{fmt.Sprintf("no mask given and the image has no transparent pixel: %s edits only "+
			"transparent pixels, so nothing will be edited; give a mask", p.Name)}
	case !res.Plan.Source.HasAlpha && res.Plan.Padded() && res.Plan.Fill == "transparent":
		return []string{fmt.Sprintf("no mask given: %s edits the transparent pixels, here only the padding "+
			"(outpainting); give a mask to edit the picture itself", p.Name)}
	}
	return nil
}
