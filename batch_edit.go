package imgprep

import (
	"context"
	"errors"
	"time"
)

// Edit is the batch's edit flow for one job, a BatchFunc: it prepares the
// job (Prepare: the images for the model, the mask through the first
// image's plan, the request validated before any byte is sent), sends it
// through Do (every attempt inside a governor slot, with the batch's
// retry policy), finishes the outputs, and hands the result to job.Save.
// The job is never sent again after its result arrived. The result is
// complete (Key, Inputs, Status, Category, Elapsed).
//
// It may be called directly, from many goroutines: a queue worker that
// keeps one Batch and calls Edit per message shares the governor between
// them.
func (b *Batch) Edit(ctx context.Context, job BatchJob) BatchResult {
	start := time.Now()
	r := b.edit(ctx, job)
	r.fill(job, start)
	return r
}

func (b *Batch) edit(ctx context.Context, job BatchJob) BatchResult {
	if job.Job.Uploader == nil {
		job.Job.Uploader = b.up
	}
	pr, err := Prepare(ctx, job.Job)
	if err != nil {
		return BatchResult{Err: err}
	}
	r := BatchResult{Warnings: pr.Warnings}
	var res *Result
	var finishErr error
	r.Attempts, r.Err = b.do(ctx, job.Key, func(ctx context.Context) error {
		out, err := pr.Send(ctx)
		if out != nil { // received; only finishing failed (OutputError)
			res, finishErr = out, err
			return nil
		}
		return err
	})
	if r.Err != nil {
		return r
	}
	r.Result, r.Usage = res, res.Usage
	for _, o := range res.Outputs {
		r.Warnings = append(r.Warnings, o.Warnings...)
	}
	if job.Save != nil {
		outs, err := job.Save(ctx, res)
		r.Outputs = outs
		if err != nil {
			r.Category = "output"
		}
		finishErr = errors.Join(finishErr, err)
	}
	r.Err = finishErr
	return r
}
