package imgprep

import (
	"fmt"
	"image"
	"math"
	"slices"

	"github.com/imgprep/imgprep/internal/errdetail"
	"github.com/imgprep/imgprep/mask"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
)

// MaskSpec describes an edit area: a mask file and/or shapes (their union
// is edited), then inverted, grown and feathered, all in the upright
// coordinates of the image it goes with (after EXIF orientation). The mask
// is then taken through the image's plan, so it matches the prepared
// image. The zero value keeps everything (it edits nothing).
type MaskSpec struct {
	// Name names the mask in errors and reports, e.g. its file name.
	Name string
	// Data is a mask file (any format the codecs decode, its own EXIF
	// orientation applied), read as mask.FromAny reads it: an image with
	// transparency is an OpenAI mask (alpha 0 = edit), an opaque one a
	// painting (white = edit). Nil means no file. A file whose aspect is
	// within 1% of the image's is scaled to it.
	Data []byte
	// Shapes are areas to edit (mask.Rect, mask.Ellipse, mask.Polygon),
	// united with the file's mask.
	Shapes []mask.Shape
	// Invert swaps the edit and keep areas of the union.
	Invert bool
	// Options grow (Grow) and feather (Feather) the edit area after
	// Invert, in upright pixels.
	mask.Options
	// EditablePadding makes the padding the plan adds editable
	// (outpainting); alone it edits only the padding.
	EditablePadding bool
}

// MaskError is a mask that cannot be read, built or prepared for the
// image: its file does not decode, its aspect does not match, the model
// takes no mask, the prepared mask does not validate. Err is the mask or
// pipeline package's error, which errors.Is and errors.As reach.
type MaskError struct {
	// Name is MaskSpec.Name.
	Name string
	Err  error
}

// Error returns "imgprep: " + Detail.
func (e *MaskError) Error() string { return "imgprep: " + e.Detail() }

// Detail returns "mask NAME: reason" ("mask: reason" without a name).
func (e *MaskError) Detail() string { return maskLabel(e.Name) + ": " + errdetail.Of(e.Err) }

// Unwrap returns the cause.
func (e *MaskError) Unwrap() error { return e.Err }

func maskLabel(name string) string {
	if name == "" {
		return "mask"
	}
	return "mask " + name
}

func (s *MaskSpec) err(err error) error { return &MaskError{Name: s.Name, Err: err} }

// MaskBuilder is a MaskSpec with its file decoded, ready to build the mask
// for any image: decode once, build for many.
type MaskBuilder struct {
	spec   MaskSpec
	file   *image.Alpha // nil without Data
	source mask.Source
}

// Compile checks s and decodes its file. Errors are *MaskError.
func (s *MaskSpec) Compile() (*MaskBuilder, error) {
	if s.Feather < 0 || math.IsNaN(s.Feather) {
		return nil, s.err(fmt.Errorf("feather %g: want 0 or more pixels", s.Feather))
	}
	b := &MaskBuilder{spec: *s}
	b.spec.Shapes = slices.Clone(s.Shapes)
	if s.Data != nil {
		img, err := mask.Decode(s.Data)
		if err != nil {
			return nil, s.err(err)
		}
		b.file, b.source = mask.FromAny(img, mask.ImageOptions{})
	}
	return b, nil
}

// Source says how the mask file was read: mask.SourceAlpha or
// mask.SourceLuminance ("" without a file).
func (b *MaskBuilder) Source() mask.Source { return b.source }

// FileSize is the mask file's size (0, 0 without a file).
func (b *MaskBuilder) FileSize() (w, h int) {
	if b.file == nil {
		return 0, 0
	}
	return b.file.Rect.Dx(), b.file.Rect.Dy()
}

// Build makes the mask for an upright w x h image (alpha 0 = edit): the
// file's mask and the shapes' union, then Invert, Grow and Feather. The
// file's mask keeps its own size when nothing needs the upright pixel grid
// (no shapes, Grow or Feather): a mask within 1% of the image's aspect is
// then scaled with the plan, in one resampling; use mask.Fit for exactly w
// x h. Errors are *MaskError (a file of another aspect: mask.ErrSize).
func (b *MaskBuilder) Build(w, h int) (*image.Alpha, error) {
	m, err := b.build(w, h)
	if err != nil {
		return nil, b.spec.err(err)
	}
	return m, nil
}

func (b *MaskBuilder) build(w, h int) (*image.Alpha, error) {
	s := &b.spec
	m := b.file
	if m == nil {
		m = mask.New(w, h)
	} else if len(s.Shapes) > 0 || s.Grow != 0 || s.Feather > 0 {
		var err error
		if m, err = mask.Fit(m, w, h); err != nil {
			return nil, err
		}
	}
	if len(s.Shapes) > 0 {
		m = mask.Union(m, mask.FromShapes(w, h, s.Shapes, mask.Options{}))
	}
	if s.Invert {
		m = mask.Invert(m)
	}
	return mask.Refine(m, s.Options), nil
}

// SentMask is a mask made ready for the first image: the PNG sent, the
// mask at the prepared size and its validation.
type SentMask struct {
	pipeline.PreparedMask
	// Name is MaskSpec.Name.
	Name string
	// Source says how the mask file was read ("" without a file).
	Source mask.Source
}

func (m *SentMask) label() string { return maskLabel(m.Name) }

// Prepare builds the mask for the image prepared as res for profile p and
// takes it through res's plan (pipeline.PrepareMask): the PNG to upload
// with that image, validated against it. Errors are *MaskError (a model
// that takes no mask: pipeline.ErrMaskUnsupported).
func (b *MaskBuilder) Prepare(res *pipeline.Prepared, p *model.Profile) (*SentMask, error) {
	if err := pipeline.CheckMask(p); err != nil {
		return nil, b.spec.err(err)
	}
	pl := res.Plan
	m, err := b.build(pl.Upright.W, pl.Upright.H)
	if err != nil {
		return nil, b.spec.err(err)
	}
	pm, err := pipeline.PrepareMask(pl, p, m, pipeline.MaskOptions{EditablePadding: b.spec.EditablePadding})
	if err != nil {
		return nil, b.spec.err(err)
	}
	return &SentMask{PreparedMask: *pm, Name: b.spec.Name, Source: b.source}, nil
}
