package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"github.com/imgprep/imgprep"
	"github.com/imgprep/imgprep/upload"
)

// job is the batch's imgprep.BatchFunc for one spec: skip it when the
// record says it is done, refuse to overwrite, prepare it (on this worker,
// so at most --jobs prepared requests exist), send it through the
// governor, write its outputs and record it. Once an output is written
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
	pj, err := r.prepare(ctx, s)
	if err != nil {
		return imgprep.BatchResult{Err: err, Category: prepareCategory(ctx, err)}
	}
	var resp *upload.Response
	n, err := r.b.Do(ctx, func(ctx context.Context) error {
		var err error
		resp, err = r.up.Edit(ctx, pj.req)
		return err
	})
	res := imgprep.BatchResult{Attempts: n, Err: err, Warnings: pj.warnings}
	if err != nil {
		return res
	}
	res.Usage = resp.Usage
	// A paid result is written even after an interrupt: writing is local
	// and atomic, and the job then needs no second request.
	outs, err := r.write(context.WithoutCancel(ctx), s, pj, resp)
	res.Outputs = batchOutputs(outs)
	if err != nil {
		res.Err, res.Category = err, "output"
	}
	if len(outs) > 0 {
		if rerr := r.rec.finish(s.key, s.images, outs); rerr != nil {
			res.Warnings = append(res.Warnings, "not in the resume record: "+rerr.Error())
		}
	}
	for _, o := range outs {
		res.Warnings = append(res.Warnings, o.Warnings...)
	}
	return res
}

// inputError is a job that could not be prepared; its message names the
// file.
type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }

// prepareCategory names a preparation failure.
func prepareCategory(ctx context.Context, err error) string {
	var ie *inputError
	switch {
	case ctx.Err() != nil:
		return "interrupted"
	case errors.As(err, &ie):
		return "input"
	}
	return imgprep.ErrorCategory(err)
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

// preparedJob is a job ready to send.
type preparedJob struct {
	in       *editInputs
	req      *upload.Request
	warnings []string
}

// prepare reads and prepares the job's inputs and mask with edit's own
// flow, and builds and validates its request.
func (r *batchRun) prepare(ctx context.Context, s *batchSpec) (*preparedJob, error) {
	var msgs strings.Builder
	quiet := &cliEnv{stdout: io.Discard, stderr: &msgs, getenv: r.env.getenv}
	failed := func() error {
		lines := strings.Split(strings.TrimSpace(msgs.String()), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimPrefix(l, "imgprep: ")
		}
		return &inputError{msg: strings.Join(lines, "; ")}
	}
	jf := *r.f
	jf.prompt = s.prompt
	if s.mask != nil {
		jf.mask = prepMask{spec: s.mask.spec, editablePadding: s.mask.editablePadding}
		if code := jf.mask.setup(quiet, r.p, s.images[0]); code >= 0 {
			return nil, failed()
		}
	}
	if jf.finish.composite && !jf.mask.wanted() && !r.p.RequireAlpha {
		return nil, &inputError{msg: "composite needs the mask: give the job a mask"}
	}
	in, code := prepareEdit(ctx, quiet, &jf, r.p, r.opts, s.images)
	if code >= 0 {
		return nil, failed()
	}
	req := *r.base
	req.Prompt = s.prompt
	if s.params != nil {
		s.params.apply(paramTarget{&req.N, &req.Size, &req.Quality, &req.Background, &req.OutputFormat, &req.OutputCompression,
			&req.InputFidelity, &req.Moderation, &req.ResponseFormat, &req.User, &req.AspectRatio, &req.Extra})
	}
	req.Images, req.Mask = in.uploadFiles()
	if err := req.Validate(nil, encodingOf(r.up)); err != nil {
		return nil, err
	}
	pj := &preparedJob{in: in, req: &req}
	for i, ws := range in.warnings {
		for _, w := range ws {
			pj.warnings = append(pj.warnings, filepath.Base(s.images[i])+": "+w)
		}
	}
	return pj, nil
}

// write writes every returned image under the job's output names, through
// finish when post-processing was asked for.
func (r *batchRun) write(ctx context.Context, s *batchSpec, pj *preparedJob, resp *upload.Response) ([]editOutput, error) {
	fo := r.fo
	fo.Original, fo.Mask = pj.in.original, pj.in.finishMask
	var outs []editOutput
	var errs []error
	n := len(resp.Images)
	for i, img := range resp.Images {
		base := s.outputBase(r.f.outDir, i+1, n)
		if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
			errs = append(errs, fmt.Errorf("%s: %v", filepath.Dir(base), shortPathErr(err)))
			continue
		}
		var o editOutput
		if r.f.finish.active() {
			it := finishBytes(ctx, img.Data, s.images[0], filepath.Dir(base), filepath.Base(base)+".out", pj.in.prepared[0].Plan, fo, r.f.force)
			o = editOutput{Path: it.Output, Format: it.Format, Width: it.Width, Height: it.Height, Bytes: it.Bytes, Warnings: it.Warnings, Error: it.Error}
		} else {
			o = writeRaw(base, img.Data, s.images, r.f.force)
		}
		if o.Error != "" {
			errs = append(errs, errors.New(o.Error))
			continue
		}
		outs = append(outs, o)
	}
	return outs, errors.Join(errs...)
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
