package pipeline

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrTooManyImages: more inputs than the model takes in one request.
	ErrTooManyImages = errors.New("too many images")
	// ErrOverBudget: no size or quality fits the byte budget.
	ErrOverBudget = errors.New("cannot fit the byte budget")
	// ErrInputTooLarge: the input file exceeds Options.MaxInputBytes.
	ErrInputTooLarge = errors.New("input file too large")

	errNoSmallerSize = errors.New("no smaller size left")
)

// InputError is the failure of one input: its position, name and cause.
type InputError struct {
	Index int
	Name  string
	Err   error
}

func (e *InputError) Error() string {
	msg := strings.TrimPrefix(e.Err.Error(), "codecs: ")
	msg = strings.TrimPrefix(msg, "pipeline: ")
	return fmt.Sprintf("pipeline: %s: %s", e.Name, msg)
}

// Unwrap returns the cause.
func (e *InputError) Unwrap() error { return e.Err }

// BatchError collects the failures of a multi-input Prepare.
type BatchError struct {
	Errs []*InputError
}

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
