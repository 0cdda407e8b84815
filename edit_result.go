package imgprep

import (
	"context"
	"errors"
	"fmt"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/finish"
	"github.com/imgprep/imgprep/internal/errdetail"
	"github.com/imgprep/imgprep/upload"
)

// Result is a finished edit.
type Result struct {
	// Prepared is what was sent: the prepared inputs with their plans, the
	// mask and the request, and the preparation's warnings.
	Prepared *Prepared
	// Outputs are the returned images, in the server's order, finished
	// when Job.Finish asked for it.
	Outputs []Output
	// Usage is the token usage, when the server reports it.
	Usage *upload.Usage
	// RevisedPrompts are the prompts the model used, where reported.
	RevisedPrompts []string
	// Retries is the number of retries of the call (result downloads
	// included), for an uploader Edit opened.
	Retries int
	// Response is the server's answer as the uploader parsed it (its
	// images hold the server's bytes).
	Response *upload.Response
}

// Output is one returned image.
type Output struct {
	// Data is the image: finished, or the server's bytes when Job.Finish
	// is nil or finishing failed (Err).
	Data []byte
	// Format is Data's format (codecs.Unknown when the server sent no
	// image format imgprep knows).
	Format codecs.Format
	// Width and Height are Data's size (0 when unknown).
	Width, Height int
	// Warnings are finishing's warnings.
	Warnings []string
	// Err is why finishing failed; nil otherwise.
	Err error
}

// OutputError is an output that was received but could not be finished;
// Result.Outputs still holds the server's bytes for it.
type OutputError struct {
	// Index is the output's index in Result.Outputs.
	Index int
	Err   error
}

// Error returns "imgprep: " + Detail.
func (e *OutputError) Error() string { return "imgprep: " + e.Detail() }

// Detail returns "output N: reason" (N from 1).
func (e *OutputError) Detail() string {
	return fmt.Sprintf("output %d: %s", e.Index+1, errdetail.Of(e.Err))
}

// Unwrap returns the cause (a finish error, or the context's).
func (e *OutputError) Unwrap() error { return e.Err }

// Send sends the prepared request through the uploader (which retries)
// and finishes every output. Each call is a new request (a new bill);
// calls on one Prepared should not overlap, or their Retries mix. Errors
// are the upload package's, as they are; when an output cannot be
// finished, the Result comes with an error joining *OutputError values.
func (pr *Prepared) Send(ctx context.Context) (*Result, error) {
	var before int64
	if pr.retries != nil {
		before = pr.retries.Load()
	}
	resp, err := pr.up.Edit(ctx, pr.Request)
	res := &Result{Prepared: pr}
	if pr.retries != nil {
		res.Retries = int(pr.retries.Load() - before)
	}
	if err != nil {
		return nil, err
	}
	res.Response, res.Usage = resp, resp.Usage
	var errs []error
	for i, img := range resp.Images {
		if img.RevisedPrompt != "" {
			res.RevisedPrompts = append(res.RevisedPrompts, img.RevisedPrompt)
		}
		o := pr.output(ctx, img.Data)
		if o.Err != nil {
			errs = append(errs, &OutputError{Index: i, Err: o.Err})
		}
		res.Outputs = append(res.Outputs, o)
	}
	return res, errors.Join(errs...)
}

// output finishes one returned image through the first input's plan, or
// describes it as sent.
func (pr *Prepared) output(ctx context.Context, data []byte) Output {
	if pr.finish == nil {
		return rawOutput(data)
	}
	fr, err := finish.Finish(ctx, data, pr.Inputs[0].Plan, *pr.finish)
	if err != nil {
		o := rawOutput(data)
		o.Err = err
		return o
	}
	return Output{Data: fr.Data, Format: fr.Format, Width: fr.Width, Height: fr.Height, Warnings: fr.Warnings}
}

// rawOutput describes the server's bytes from their header.
func rawOutput(data []byte) Output {
	o := Output{Data: data, Format: codecs.Sniff(data)}
	if info, err := codecs.Probe(data); err == nil {
		o.Width, o.Height = info.Width, info.Height
	}
	return o
}
