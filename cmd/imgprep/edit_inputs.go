package main

import (
	"context"
	"errors"
	"fmt"
	"image"
	"path/filepath"

	"github.com/imgprep/imgprep"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
	"github.com/imgprep/imgprep/upload"
)

// editInput is one input's entry in the edit report.
type editInput struct {
	Name        string         `json:"name"`
	Passthrough bool           `json:"passthrough"`
	Format      string         `json:"format"`
	Width       int            `json:"width"`
	Height      int            `json:"height"`
	Bytes       int            `json:"bytes"`
	Plan        *pipeline.Plan `json:"plan"`
	Warnings    []string       `json:"warnings,omitempty"`
}

// job reads the input files and the mask file into the job for p (the
// uploader, parameters and finishing are the caller's). A file that
// cannot be read prints one line naming it; the exit code is then 1
// (else -1: go on).
func (f *editFlags) job(env *cliEnv, p *model.Profile, o pipeline.Options, files []string) (imgprep.Job, int) {
	job := imgprep.Job{Model: f.prep.model.name, Profile: p, Prompt: f.prompt, Prepare: o}
	failed := false
	for _, file := range files {
		data, err := readInput(file, pipelineInputLimit(o))
		if err != nil {
			fmt.Fprintf(env.stderr, "imgprep: %s: %s\n", file, oneLine(err))
			failed = true
			continue
		}
		job.Images = append(job.Images, imgprep.Image{Name: filepath.Base(file), Data: data})
	}
	if failed {
		return job, exitRejected
	}
	if f.mask.wanted() {
		spec, err := f.mask.spec.lib()
		if err != nil {
			return job, rejected(env, f.mask.spec.from, err)
		}
		spec.EditablePadding = f.mask.editablePadding
		job.Mask = spec
	}
	return job, -1
}

// prepareFailed prints why imgprep.Prepare refused the job, naming the
// input or the mask, and returns the exit code: 2 for a request or an
// uploader that cannot be used, else 1.
func prepareFailed(ctx context.Context, env *cliEnv, files []string, err error) int {
	var (
		be *pipeline.BatchError
		je *imgprep.JobError
		me *imgprep.MaskError
	)
	switch {
	case ctx.Err() != nil:
		fmt.Fprintln(env.stderr, "imgprep: edit: interrupted")
	case errors.As(err, &be):
		for _, ie := range be.Errs {
			fmt.Fprintf(env.stderr, "imgprep: %s: %s\n", files[ie.Index], oneLine(ie))
		}
	case errors.As(err, &me):
		fmt.Fprintf(env.stderr, "imgprep: %s: %s\n", files[0], oneLine(me))
	case errors.As(err, &je):
		return usageErr(env, "edit", "%s", shortErr(je.Err, 1000))
	case errors.Is(err, upload.ErrInvalidRequest):
		return usageErr(env, "edit", "%s", shortErr(err, 1000))
	default:
		fmt.Fprintf(env.stderr, "imgprep: edit: %s\n", oneLine(err))
	}
	return exitRejected
}

// inputsReport returns the inputs' entries for the edit report.
func inputsReport(files []string, pr *imgprep.Prepared) []editInput {
	out := make([]editInput, len(pr.Inputs))
	for i, r := range pr.Inputs {
		out[i] = editInput{Name: files[i], Passthrough: r.Passthrough, Format: r.Format.String(),
			Width: r.Width, Height: r.Height, Bytes: len(r.Data), Plan: r.Plan, Warnings: r.Warnings}
	}
	return out
}

// maskReport is the sent mask's entry in the edit report (nil when none),
// under the path prep would write it to.
func (f *editFlags) maskReport(first string, m *imgprep.SentMask) *maskItem {
	if m == nil {
		return nil
	}
	return &maskItem{Path: outputPath(f.outDir, first, ".mask.png"), Report: m.Report, Source: m.Source}
}

// maskImage is the sent mask at the prepared size, nil when none.
func maskImage(m *imgprep.SentMask) *image.Alpha {
	if m == nil {
		return nil
	}
	return m.Image
}
