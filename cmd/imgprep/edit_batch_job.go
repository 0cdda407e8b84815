package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"

	"github.com/imgprep/imgprep"
)

// job is the batch's imgprep.BatchFunc for one spec: skip it when the
// record says it is done, refuse to overwrite, read its inputs (on this
// worker, so at most --jobs jobs are in memory), then imgprep's own flow
// through the batch (prepare, send through the governor, finish) and
// save: write the outputs and record the job. Once an output is written
// the job is in the record and is never sent again.
func (r *batchRun) job(ctx context.Context, bj imgprep.BatchJob) imgprep.BatchResult {
	s := r.specs[bj.Key]
	if r.bf.resume {
		if outs, ok := r.rec.done(s.key); ok {
			return imgprep.BatchResult{Status: imgprep.BatchSkipped, Outputs: batchOutputs(outs)}
		}
	}
	if err := r.checkClobber(s); err != nil {
		return imgprep.BatchResult{Err: err, Category: "exists"}
	}
	job, err := r.jobFor(s)
	if err != nil {
		return imgprep.BatchResult{Err: err, Category: "input"}
	}
	bj.Job = job
	// A paid result is written even after an interrupt: writing is local
	// and atomic, and the job then needs no second request.
	bj.Save = func(ctx context.Context, res *imgprep.Result) ([]imgprep.BatchOutput, error) {
		return r.save(context.WithoutCancel(ctx), s, res)
	}
	return r.b.Edit(ctx, bj)
}

// inputError is an input file that cannot be read; its message names the
// file.
type inputError struct {
	file string
	err  error
}

func (e *inputError) Error() string { return e.file + ": " + oneLine(e.err) }
func (e *inputError) Unwrap() error { return e.err }

// jobFor reads the job's inputs and builds its imgprep.Job: the flags'
// model, preparation, parameters (the line's over them), mask (the line's,
// else the flags') and finishing.
func (r *batchRun) jobFor(s *batchSpec) (imgprep.Job, error) {
	job := imgprep.Job{Model: r.f.prep.model.name, Profile: r.p, Prompt: s.prompt, Prepare: r.opts, Params: r.params, Mask: r.mask}
	for _, file := range s.images {
		data, err := readInput(file, pipelineInputLimit(r.opts))
		if err != nil {
			return job, &inputError{file, err}
		}
		job.Images = append(job.Images, imgprep.Image{Name: filepath.Base(file), Data: data})
	}
	if s.mask != nil {
		spec, err := s.mask.spec.lib()
		if err != nil {
			return job, &inputError{s.mask.spec.from, err}
		}
		spec.EditablePadding = s.mask.editablePadding
		job.Mask = spec
	}
	if p := s.params; p != nil {
		pa := &job.Params
		p.apply(paramTarget{&pa.N, &pa.Size, &pa.Quality, &pa.Background, &pa.OutputFormat, &pa.OutputCompression,
			&pa.InputFidelity, &pa.Moderation, &pa.ResponseFormat, &pa.User, &pa.AspectRatio, &pa.Extra})
	}
	if r.f.finish.active() {
		fo := r.fo
		job.Finish = &fo
	}
	return job, nil
}

// checkClobber refuses, before the job is sent, outputs that already exist
// (without --force), so that a paid result is not lost at the end.
func (r *batchRun) checkClobber(s *batchSpec) error {
	if r.f.force {
		return nil
	}
	n := s.wantOutputs(r.f.n)
	for i := 1; i <= n; i++ {
		for _, ext := range resultExts {
			p := s.outputBase(r.f.outDir, i, n) + ext
			if _, err := os.Lstat(p); err == nil {
				if r.bf.resume {
					return fmt.Errorf("%s: %w; it is not in the resume record as this job's (another prompt or parameters?): use --force to redo it", p, errExists)
				}
				return fmt.Errorf("%s: %w, or --resume to skip the jobs an earlier run finished", p, errExists)
			}
		}
	}
	return nil
}

// save writes every output under the job's names and records the job.
// Outputs that could not be finished are the result's error already.
func (r *batchRun) save(ctx context.Context, s *batchSpec, res *imgprep.Result) ([]imgprep.BatchOutput, error) {
	var outs []editOutput
	var errs []error
	n := len(res.Outputs)
	for i, o := range res.Outputs {
		if o.Err != nil {
			continue
		}
		base := s.outputBase(r.f.outDir, i+1, n)
		if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
			errs = append(errs, fmt.Errorf("%s: %v", filepath.Dir(base), shortPathErr(err)))
			continue
		}
		w := writeOutput(base, o, s.images, r.f.force)
		if w.Error != "" {
			errs = append(errs, errors.New(w.Error))
			continue
		}
		outs = append(outs, w)
	}
	if len(outs) > 0 {
		if err := r.rec.finish(s.key, s.images, outs); err != nil {
			errs = append(errs, fmt.Errorf("written, but not in the resume record: %v", err))
		}
	}
	return batchOutputs(outs), errors.Join(errs...)
}

// batchOutputs are the written outputs for the batch result.
func batchOutputs(outs []editOutput) []imgprep.BatchOutput {
	var bo []imgprep.BatchOutput
	for _, o := range outs {
		if o.Path != "" {
			bo = append(bo, imgprep.BatchOutput{Path: o.Path, Format: o.Format, Bytes: o.Bytes, Width: o.Width, Height: o.Height})
		}
	}
	return bo
}

// paramTarget points at the API parameters of a request.
type paramTarget struct {
	n                                                            *int
	size, quality, background, outputFormat                      *string
	outputCompression                                            **int
	inputFidelity, moderation, responseFormat, user, aspectRatio *string
	extra                                                        *map[string]string
}

// apply sets the line's parameters over the flags'; "fields" are added to
// the --field values.
func (p *manifestParams) apply(t paramTarget) {
	if p.N != nil {
		*t.n = *p.N
	}
	for _, s := range []struct {
		v   *string
		dst *string
	}{{p.Size, t.size}, {p.Quality, t.quality}, {p.Background, t.background}, {p.OutputFormat, t.outputFormat},
		{p.InputFidelity, t.inputFidelity}, {p.Moderation, t.moderation}, {p.ResponseFormat, t.responseFormat},
		{p.User, t.user}, {p.AspectRatio, t.aspectRatio}} {
		if s.v != nil {
			*s.dst = *s.v
		}
	}
	if p.OutputCompression != nil {
		c := *p.OutputCompression
		*t.outputCompression = &c
	}
	if len(p.Fields) > 0 {
		m := maps.Clone(*t.extra)
		if m == nil {
			m = map[string]string{}
		}
		maps.Copy(m, p.Fields)
		*t.extra = m
	}
}
