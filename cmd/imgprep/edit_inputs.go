package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/mask"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
	"github.com/imgprep/imgprep/upload"
)

// editInputs are the prepared side of an edit: the images, the mask sent
// with the first one, and what finish needs to map results back.
type editInputs struct {
	files    []string
	prepared []*pipeline.Prepared
	warnings [][]string // per input
	// original is the first input's bytes (for restore and composite).
	original []byte
	// mask is the PNG mask sent with the first image; nil when none.
	mask     []byte
	maskItem *maskItem
	// finishMask is the mask --composite pastes through: the sent mask or,
	// for dall-e-2 without one, the prepared image's own transparency.
	finishMask []byte
	// preview is the --preview image (path under DIR and PNG bytes).
	preview *output
}

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

// prepareEdit reads and prepares every input for p, then builds the mask
// for the first one with prep's code. A rejected input prints one line
// naming it; the exit code is then 1 (else -1: go on).
func prepareEdit(ctx context.Context, env *cliEnv, f *editFlags, p *model.Profile, o pipeline.Options, files []string) (*editInputs, int) {
	in := &editInputs{files: files, warnings: make([][]string, len(files))}
	reject := func(file string, err error) { fmt.Fprintf(env.stderr, "imgprep: %s: %s\n", file, oneLine(err)) }
	var inputs []pipeline.Input
	var index []int // inputs[k] is files[index[k]]
	failed := false
	for i, file := range files {
		data, err := readInput(file, pipelineInputLimit(o))
		if err != nil {
			reject(file, err)
			failed = true
			continue
		}
		if i == 0 {
			in.original = data
		}
		inputs = append(inputs, pipeline.Input{Name: filepath.Base(file), Data: data})
		index = append(index, i)
	}
	res, err := pipeline.Prepare(ctx, inputs, p, o)
	if ctx.Err() != nil {
		fmt.Fprintln(env.stderr, "imgprep: edit: interrupted")
		return nil, exitRejected
	}
	var be *pipeline.BatchError
	switch {
	case errors.As(err, &be):
		for _, ie := range be.Errs {
			reject(files[index[ie.Index]], ie)
		}
		failed = true
	case err != nil:
		fmt.Fprintf(env.stderr, "imgprep: edit: %s\n", oneLine(err))
		return nil, exitRejected
	}
	if failed {
		return nil, exitRejected
	}
	in.prepared = res
	for i, r := range res {
		in.warnings[i] = r.Warnings
	}
	if err := in.buildMask(f, p); err != nil {
		reject(files[0], err)
		return nil, exitRejected
	}
	return in, -1
}

// buildMask makes the first image's mask and preview in memory with
// prepMask.prepare (as prep does, but nothing is written here).
func (in *editInputs) buildMask(f *editFlags, p *model.Profile) error {
	pm := &f.mask
	first := in.prepared[0]
	if pm.wanted() || pm.preview || p.RequireAlpha {
		it := prepItem{Warnings: first.Warnings}
		outs, err := pm.prepare(first, p, in.files[0], f.outDir, &it, map[string]string{})
		if err != nil {
			return err
		}
		in.warnings[0], in.maskItem = it.Warnings, it.Mask
		for _, o := range outs {
			switch {
			case it.Mask != nil && o.path == it.Mask.Path:
				in.mask = o.data
			case o.path == it.Preview:
				in.preview = &o
			}
		}
	}
	in.finishMask = in.mask
	if in.mask == nil && f.finish.composite && p.RequireAlpha {
		img, _, err := codecs.Decode(first.Data, codecs.DecodeOptions{})
		if err != nil {
			return err
		}
		if in.finishMask, err = mask.Encode(mask.FromTransparency(img)); err != nil {
			return err
		}
	}
	return nil
}

// uploadFiles returns the images and mask to upload.
func (in *editInputs) uploadFiles() ([]upload.File, *upload.File) {
	images := make([]upload.File, len(in.prepared))
	for i, r := range in.prepared {
		images[i] = upload.File{Name: filepath.Base(in.files[i]), Data: r.Data}
	}
	if in.mask == nil {
		return images, nil
	}
	return images, &upload.File{Name: "mask.png", ContentType: "image/png", Data: in.mask}
}

// report returns the inputs' entries for the edit report.
func (in *editInputs) report() []editInput {
	out := make([]editInput, len(in.prepared))
	for i, r := range in.prepared {
		out[i] = editInput{Name: in.files[i], Passthrough: r.Passthrough, Format: r.Format.String(),
			Width: r.Width, Height: r.Height, Bytes: len(r.Data), Plan: r.Plan, Warnings: in.warnings[i]}
	}
	return out
}
