package finish

import (
	"fmt"

	"github.com/imgprep/imgprep/internal/errdetail"
	"github.com/imgprep/imgprep/pipeline"
)

// Error categories of Finish; match them with errors.Is. Every error of
// this package prints as "finish: " + its Detail, the message without the
// prefix, for callers that state the context themselves (and name the
// flag or field that supplies a missing input).
var (
	// ErrNoPlan: the plan is missing or empty.
	ErrNoPlan error = sentinel("the plan is missing or empty")
	// ErrNeedOriginal: Composite without Options.Original.
	ErrNeedOriginal error = sentinel("the original image is needed")
	// ErrNeedMask: Composite without Options.Mask, the mask the model got.
	ErrNeedMask error = sentinel("composite needs the mask the model got")
	// ErrPlanMismatch: the original, the mask or the output does not
	// match the plan (see *MismatchError).
	ErrPlanMismatch error = sentinel(mismatch)
)

// prefix starts every message of this package.
const prefix = "finish: "

const mismatch = "input does not match the plan"

// sentinel is an error category of this package.
type sentinel string

// Error returns "finish: " + Detail.
func (s sentinel) Error() string { return prefix + string(s) }

// Detail returns the message without the "finish: " prefix.
func (s sentinel) Detail() string { return string(s) }

// Part names one of Finish's inputs.
type Part string

// The inputs of Finish.
const (
	PartOutput   Part = "output"   // the edit result the server sent
	PartOriginal Part = "original" // Options.Original
	PartMask     Part = "mask"     // Options.Mask
)

// DecodeError is an input that does not decode. Err is the codecs error,
// so errors.Is(err, codecs.ErrCorrupt) and the like work.
type DecodeError struct {
	Part Part
	Err  error
}

// Error returns "finish: " + Detail.
func (e *DecodeError) Error() string { return prefix + e.Detail() }

// Detail returns "<part>: <the codecs error's detail>".
func (e *DecodeError) Detail() string { return string(e.Part) + ": " + errdetail.Of(e.Err) }

// Unwrap returns the codecs error.
func (e *DecodeError) Unwrap() error { return e.Err }

// MismatchError is an input whose size does not fit the plan. It matches
// ErrPlanMismatch.
type MismatchError struct {
	Part Part
	// Got is the input's size: the original's upright size, the mask's or
	// the output's size.
	Got pipeline.Size
	// Want is what the plan expects: Plan.Upright for the original,
	// Plan.Canvas for the mask and the output.
	Want pipeline.Size
}

// Error returns "finish: " + Detail.
func (e *MismatchError) Error() string { return prefix + e.Detail() }

// Detail returns the message without the "finish: " prefix.
func (e *MismatchError) Detail() string {
	g, w := e.Got, e.Want
	var what string
	switch e.Part {
	case PartOriginal:
		what = fmt.Sprintf("the original is %dx%d upright, the plan was made for %dx%d", g.W, g.H, w.W, w.H)
	case PartMask:
		what = fmt.Sprintf("the mask is %dx%d, the prepared image was %dx%d; give the mask the model got", g.W, g.H, w.W, w.H)
	default:
		what = fmt.Sprintf("the content rectangle is empty in a %dx%d output", g.W, g.H)
	}
	return mismatch + ": " + what
}

// Unwrap returns ErrPlanMismatch.
func (e *MismatchError) Unwrap() error { return ErrPlanMismatch }
