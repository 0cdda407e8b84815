package pipeline

import (
	"errors"
	"fmt"
	"strings"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/errdetail"
)

// Error categories; the typed errors below match them with errors.Is.
// Every typed error prints as "pipeline: " + its Detail, the message
// without the prefix, for callers that state the context themselves.
var (
	// ErrTooManyImages: more inputs than the model takes in one request.
	ErrTooManyImages = errors.New("too many images")
	// ErrOverBudget: no size or quality fits the byte budget.
	ErrOverBudget = errors.New("cannot fit the byte budget")
	// ErrInputTooLarge: the input file exceeds Options.MaxInputBytes.
	ErrInputTooLarge = errors.New("input file too large")
	// ErrAspect: the image's aspect ratio does not fit and Options.Fit is
	// FitNone (see *AspectError).
	ErrAspect = errors.New("aspect ratio does not fit")
	// ErrOptions: Options that contradict themselves or the profile (see
	// *OptionError).
	ErrOptions = errors.New("invalid options")

	errNoSmallerSize = errors.New("no smaller size left")
)

// prefix starts every message of this package.
const prefix = "pipeline: "

// InputError is the failure of one input: its position, name and cause.
type InputError struct {
	Index int
	Name  string
	Err   error
}

// Error returns "pipeline: <name>: <the cause's detail>".
func (e *InputError) Error() string { return prefix + e.Detail() }

// Detail returns the message without the "pipeline: " prefix.
func (e *InputError) Detail() string { return e.Name + ": " + errdetail.Of(e.Err) }

// Unwrap returns the cause.
func (e *InputError) Unwrap() error { return e.Err }

// BatchError collects the failures of a multi-input Prepare.
type BatchError struct {
	Errs []*InputError
}

// Error joins the inputs' messages with "; ".
func (e *BatchError) Error() string {
	msgs := make([]string, len(e.Errs))
	for i, err := range e.Errs {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap returns each input's error, for errors.Is and errors.As.
func (e *BatchError) Unwrap() []error {
	out := make([]error, len(e.Errs))
	for i, err := range e.Errs {
		out[i] = err
	}
	return out
}

// CountError is a request with more images than the model takes. It
// matches ErrTooManyImages.
type CountError struct {
	Model      string
	Count, Max int
}

// Error returns "pipeline: " + Detail.
func (e *CountError) Error() string { return prefix + e.Detail() }

// Detail returns the message without the "pipeline: " prefix.
func (e *CountError) Detail() string {
	return fmt.Sprintf("%d images, %s takes at most %d: %v", e.Count, e.Model, e.Max, ErrTooManyImages)
}

// Unwrap returns ErrTooManyImages.
func (e *CountError) Unwrap() error { return ErrTooManyImages }

// OptionError is an Options field that contradicts itself or the
// profile. It matches ErrOptions.
type OptionError struct {
	// Option names the field: "Fit", "Format", "Width" (with Height) or
	// "MaxSide".
	Option string
	// Reason says what is wrong and what is accepted, e.g. `unknown fit
	// "wide" (want pad, crop or none)`.
	Reason string
}

// Error returns "pipeline: " + Detail.
func (e *OptionError) Error() string { return prefix + e.Reason }

// Detail returns the message without the "pipeline: " prefix: Reason.
func (e *OptionError) Detail() string { return e.Reason }

// Unwrap returns ErrOptions.
func (e *OptionError) Unwrap() error { return ErrOptions }

// AspectError is an image whose aspect ratio does not fit, with
// Options.Fit FitNone. It matches ErrAspect.
type AspectError struct {
	// Upright is the image's size as displayed.
	Upright Size
	// Canvas is the size it had to fit; zero for a square-only model
	// (Model), which takes any of its square sizes.
	Canvas Size
	// Model is the square-only model's name.
	Model string
}

// Error returns "pipeline: " + Detail.
func (e *AspectError) Error() string { return prefix + e.Detail() }

// Detail returns the message without the "pipeline: " prefix.
func (e *AspectError) Detail() string {
	u := e.Upright
	if e.Canvas == (Size{}) {
		return fmt.Sprintf("%dx%d is not square and %s needs a square image; use fit pad or crop", u.W, u.H, e.Model)
	}
	return fmt.Sprintf("%dx%d does not have the aspect of %dx%d; use fit pad or crop", u.W, u.H, e.Canvas.W, e.Canvas.H)
}

// Unwrap returns ErrAspect.
func (e *AspectError) Unwrap() error { return ErrAspect }

// BudgetError is an output that does not fit the byte budget at any size
// the plan can shrink to. It matches ErrOverBudget.
type BudgetError struct {
	Format codecs.Format
	// Budget is the inclusive byte budget.
	Budget int64
	// Smallest is the smallest canvas tried.
	Smallest Size
}

// Error returns "pipeline: " + Detail.
func (e *BudgetError) Error() string { return prefix + e.Detail() }

// Detail returns the message without the "pipeline: " prefix.
func (e *BudgetError) Detail() string {
	return fmt.Sprintf("%s output does not fit %d bytes even at %dx%d: %v",
		e.Format, e.Budget, e.Smallest.W, e.Smallest.H, ErrOverBudget)
}

// Unwrap returns ErrOverBudget.
func (e *BudgetError) Unwrap() error { return ErrOverBudget }
