package imgprep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/editbody"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
	"github.com/imgprep/imgprep/upload"
)

// edit is the transport's work on one edit request.
type edit struct {
	model    string
	profile  *model.Profile // nil for a model imgprep does not know
	prepared []*pipeline.Prepared
	changes  []string
	warnings []string
	changed  bool // the body must be re-encoded
	refused  error
}

func (ed *edit) report() EditReport {
	return EditReport{Model: ed.model, Changes: ed.changes, Warnings: ed.warnings, Refused: ed.refused}
}

func (ed *edit) change(format string, args ...any) {
	ed.changes = append(ed.changes, fmt.Sprintf(format, args...))
	ed.changed = true
}

// reserved are the fields every edit request has beside its parameters.
var reserved = []string{"model", "prompt", "image", "image[]", "images", "mask"}

// prepare prepares every image of body for its model, sends the mask
// through the first image's plan and applies the parameter policy. A
// *RequestError means the request is answered without being sent; any
// other error is the request's context ending.
func (t *transport) prepare(ctx context.Context, body *editbody.Body) (*edit, error) {
	ed := &edit{model: body.Model()}
	if ed.model == "" {
		ed.model = t.opts.DefaultModel
		if ed.model == "" {
			ed.model = model.DefaultModel
		}
	}
	p, err := model.Lookup(ed.model)
	if err != nil {
		ed.warnings = append(ed.warnings, fmt.Sprintf("model %s is not known to imgprep: images relabelled only, not prepared", ed.model))
		relabel(ed, body)
		return ed, nil
	}
	ed.profile = p
	if err := t.checkParams(ed, body); err != nil {
		return ed, ed.refuse(err)
	}
	if n := len(body.Images); n > p.MaxImages {
		return ed, ed.refuse(&RequestError{Param: "image", Code: "array_above_max_length",
			Message: fmt.Sprintf("%d images; %s takes at most %d", n, p.Name, p.MaxImages), Err: pipeline.ErrTooManyImages})
	}
	for i, part := range body.Images {
		res, err := t.prepareImage(ctx, i, part, p)
		if err != nil {
			if ctx.Err() != nil {
				return ed, ctx.Err()
			}
			return ed, ed.refuse(imageError(i, part, p, err))
		}
		ed.prepared = append(ed.prepared, res)
		ed.warnings = append(ed.warnings, res.Warnings...)
		if !res.Passthrough {
			src := res.Plan.Source
			ed.change("image%s %dx%d %s -> %dx%d %s", ordinal(i, len(body.Images)), src.Width, src.Height, src.Format, res.Width, res.Height, res.Format)
		}
		label(ed, body, i, part, res.Data)
	}
	if err := t.prepareMask(ed, body); err != nil {
		return ed, ed.refuse(err)
	}
	if body.Mask == nil && len(ed.prepared) > 0 {
		ed.warnings = append(ed.warnings, pipeline.ImplicitMaskWarnings(ed.prepared[0], p)...)
	}
	return ed, nil
}

func (ed *edit) refuse(err *RequestError) error {
	ed.refused = err
	return err
}

// prepareImage prepares one image under a preparation slot.
func (t *transport) prepareImage(ctx context.Context, i int, part *editbody.Part, p *model.Profile) (*pipeline.Prepared, error) {
	if err := t.acquire(ctx); err != nil {
		return nil, err
	}
	defer t.release()
	return t.prepareOne(ctx, pipeline.Input{Name: partName(i, part), Data: part.Data}, p, t.opts.Prepare)
}

// label gives part data with the Content-Type and file name extension of
// data's format (a JSON plain-base64 part stays plain), noting a change.
func label(ed *edit, body *editbody.Body, i int, part *editbody.Part, data []byte) {
	f := upload.File{Name: part.Filename, Data: data}.Normalized(defaultName(i, len(body.Images)))
	name, ct := part.Filename, f.ContentType
	if body.Kind() == editbody.Multipart {
		name = f.Name
	}
	if body.Kind() == editbody.JSON && part.ContentType == "" {
		ct = "" // plain base64 carries no media type
	}
	same := bytes.Equal(part.Data, data)
	if name == part.Filename && ct == part.ContentType && same {
		return
	}
	if same {
		ed.change("%s labelled %s %s (was %s %q)", part.Field, ct, name, dash(part.ContentType), part.Filename)
	}
	ed.changed = true
	part.Data, part.ContentType, part.Filename = data, ct, name
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// relabel fixes only the labels of every image (for a model imgprep does
// not know).
func relabel(ed *edit, body *editbody.Body) {
	for i, part := range body.Images {
		if codecs.Sniff(part.Data) != codecs.Unknown {
			label(ed, body, i, part, part.Data)
		}
	}
}

// checkParams applies the parameter policy to the fields the model does
// not take.
func (t *transport) checkParams(ed *edit, body *editbody.Body) *RequestError {
	if t.opts.Params == ParamsForward {
		return nil
	}
	for _, name := range body.FieldNames() {
		if slices.Contains(reserved, name) || ed.profile.TakesParam(name) {
			continue
		}
		if t.opts.Params == ParamsRefuse {
			return &RequestError{Param: name, Code: "unknown_parameter",
				Message: fmt.Sprintf("model %s does not take parameter %q", ed.profile.Name, name)}
		}
		body.DeleteField(name)
		ed.change("parameter %s dropped (%s does not take it)", name, ed.profile.Name)
	}
	return nil
}

// imageError is the API error for image i that cannot be prepared.
func imageError(i int, part *editbody.Part, p *model.Profile, err error) *RequestError {
	code := "invalid_image_format"
	var ie *pipeline.InputError
	cause := err
	if errors.As(err, &ie) {
		cause = ie.Err
	}
	switch {
	case errors.Is(err, codecs.ErrTooLarge), errors.Is(err, pipeline.ErrInputTooLarge), errors.Is(err, pipeline.ErrOverBudget):
		code = "image_too_large"
	}
	return &RequestError{Param: "image", Code: code, Err: err,
		Message: fmt.Sprintf("image %d (%s) cannot be prepared for %s: %v", i+1, partName(i, part), p.Name, reasonOf(cause))}
}

// partName names a part in messages: its file name, else its field.
func partName(i int, part *editbody.Part) string {
	if part.Filename != "" {
		return part.Filename
	}
	if part.Field != "" {
		return part.Field
	}
	return fmt.Sprintf("image %d", i+1)
}

func defaultName(i, n int) string {
	if n == 1 {
		return "image"
	}
	return fmt.Sprintf("image-%d", i+1)
}

// ordinal is " 2" for the second of several images, "" for a lone one.
func ordinal(i, n int) string {
	if n == 1 {
		return ""
	}
	return fmt.Sprintf(" %d", i+1)
}
