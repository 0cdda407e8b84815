package pipeline

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/model"
)

// Input is one image to prepare: a name for messages and its bytes.
type Input struct {
	Name string
	Data []byte
}

// Prepared is one input made ready for a model.
type Prepared struct {
	Name string
	// Data is the bytes to upload: the input itself for a passthrough.
	Data   []byte
	Format codecs.Format
	Width  int
	Height int
	// Passthrough is true when Data is the untouched input.
	Passthrough bool
	Plan        *Plan
	Warnings    []string
}

// Prepare readies several inputs for one request to profile p: at most
// p.MaxImages, prepared concurrently. The result has one entry per input,
// nil where that input failed; the error is then a *BatchError naming each
// failed input. A cancelled context stops the work between steps.
func Prepare(ctx context.Context, inputs []Input, p *model.Profile, o Options) ([]*Prepared, error) {
	if len(inputs) > p.MaxImages {
		return nil, &CountError{Model: p.Name, Count: len(inputs), Max: p.MaxImages}
	}
	out := make([]*Prepared, len(inputs))
	errs := make([]error, len(inputs))
	workers := o.Concurrency
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, in := range inputs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[i], errs[i] = PrepareOne(ctx, in, p, o)
		}()
	}
	wg.Wait()
	var be BatchError
	for i, err := range errs {
		if err != nil {
			be.Errs = append(be.Errs, asInputError(i, inputs[i].Name, err))
		}
	}
	if len(be.Errs) > 0 {
		return out, &be
	}
	return out, nil
}

// PrepareOne readies a single input for profile p. Errors are *InputError
// wrapping a codecs.FormatError (errors.Is with codecs.ErrCorrupt etc.) or
// a pipeline error.
func PrepareOne(ctx context.Context, in Input, p *model.Profile, o Options) (*Prepared, error) {
	res, err := prepareOne(ctx, in, p, o)
	if err != nil {
		return nil, asInputError(0, in.Name, err)
	}
	return res, nil
}

func asInputError(i int, name string, err error) *InputError {
	if ie, ok := err.(*InputError); ok {
		ie.Index = i
		return ie
	}
	return &InputError{Index: i, Name: name, Err: err}
}

func prepareOne(ctx context.Context, in Input, p *model.Profile, o Options) (*Prepared, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if lim := o.maxInputBytes(); int64(len(in.Data)) > lim {
		return nil, fmt.Errorf("%d bytes, over the %d-byte input limit: %w", len(in.Data), lim, ErrInputTooLarge)
	}
	info, err := codecs.Probe(in.Data)
	if err != nil {
		return nil, err
	}
	plan, err := NewPlan(info, len(in.Data), p, o)
	if err != nil {
		return nil, err
	}
	if plan.Passthrough {
		if o.Verify == VerifyDecode {
			if err := verifyDecode(in.Data, o); err != nil {
				return nil, err
			}
		}
		return &Prepared{Name: in.Name, Data: in.Data, Format: info.Format,
			Width: info.Width, Height: info.Height, Passthrough: true, Plan: plan}, nil
	}
	j := &job{ctx: ctx, in: in, p: p, o: o, info: info, plan: plan}
	res, err := j.run()
	if errors.Is(err, ErrOverBudget) {
		// The render loop reports it as text; the plan it stopped at has
		// the fields.
		return nil, &BudgetError{Format: j.plan.Format, Budget: j.plan.Budget, Smallest: j.plan.Canvas}
	}
	return res, err
}

// verifyDecode checks that data decodes, without keeping the pixels
// (codecs.Verify): a damaged stream (bad checksum, truncated scan,
// out-of-range palette index) is an error.
func verifyDecode(data []byte, o Options) error {
	return codecs.Verify(data, codecs.DecodeOptions{MaxPixels: o.maxPixels()})
}
