package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
)

// prepItem is one input's line in the prep report.
type prepItem struct {
	Input       string         `json:"input"`
	Output      string         `json:"output,omitempty"`
	Format      string         `json:"format,omitempty"`
	Width       int            `json:"width,omitempty"`
	Height      int            `json:"height,omitempty"`
	Bytes       int            `json:"bytes,omitempty"`
	Passthrough bool           `json:"passthrough"`
	Plan        *pipeline.Plan `json:"plan,omitempty"`
	Warnings    []string       `json:"warnings,omitempty"`
	// Mask and Preview are set on the first image when a mask was asked for.
	Mask    *maskItem `json:"mask,omitempty"`
	Preview string    `json:"preview,omitempty"`
	// PlanFile is DIR/<name>.plan.json, written with --plan for 'finish'.
	PlanFile string `json:"plan_file,omitempty"`
	Error    string `json:"error,omitempty"`
}

type prepReport struct {
	Model  string     `json:"model"`
	Images []prepItem `json:"images"`
}

func runPrep(ctx context.Context, env *cliEnv, args []string) int {
	fs := newFlagSet("prep", env.stderr)
	var pf prepFlags
	pf.register(fs)
	outDir := fs.String("o", "prepared", "output directory (created if missing)")
	asJSON := fs.Bool("json", false, "print a JSON report on stdout")
	force := fs.Bool("force", false, "overwrite existing outputs (never an input)")
	writePlan := fs.Bool("plan", false, "also write DIR/<name>.plan.json, the record 'imgprep finish' maps results back with")
	var pm prepMask
	pm.register(fs)
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return flagErr(err)
	}
	p, opts, err := pf.resolve(env)
	if err != nil {
		return usageErr(env, "prep", "%v", err)
	}
	if len(files) == 0 {
		return usageErr(env, "prep", "no input files")
	}
	if code := pm.setup(env, p, files[0]); code >= 0 {
		return code
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		return usageErr(env, "prep", "output directory: %v", err)
	}
	items := make([]prepItem, len(files))
	claimed := map[string]string{}
	forEach(ctx, env, "prepared", len(files), func(ctx context.Context, i int) bool {
		var m *prepMask
		if i == 0 && (pm.wanted() || pm.preview || pipeline.TransparencyMasks(p)) {
			m = &pm
		}
		items[i] = prepFile(ctx, files[i], *outDir, p, opts, *force, *writePlan, claimed, m)
		if items[i].Error != "" && ctx.Err() == nil {
			fmt.Fprintf(env.stderr, "imgprep: %s: %s\n", files[i], items[i].Error)
			return true
		}
		return false
	})
	code := exitOK
	for i := range items {
		if items[i].Error != "" || items[i].Input == "" {
			code = exitRejected
		}
	}
	if *asJSON {
		if c := writeJSON(env, prepReport{Model: p.Name, Images: items}); c != exitOK {
			return c
		}
	}
	if ctx.Err() != nil {
		fmt.Fprintln(env.stderr, "imgprep: interrupted")
		return exitRejected
	}
	return code
}

// prepFile prepares one file and writes its output, and with pm its mask
// and preview (all or none of them); errors go into the item.
func prepFile(ctx context.Context, file, dir string, p *model.Profile, o pipeline.Options, force, writePlan bool, claimed map[string]string, pm *prepMask) prepItem {
	it := prepItem{Input: file}
	fail := func(err error) prepItem { it.Error = oneLine(err); return it }
	data, err := readInput(file, pipelineInputLimit(o))
	if err != nil {
		return fail(err)
	}
	res, err := pipeline.PrepareOne(ctx, pipeline.Input{Name: filepath.Base(file), Data: data}, p, o)
	if err != nil {
		return fail(err)
	}
	out := outputPath(dir, file, res.Format.Ext())
	if sameFile(out, file) {
		return fail(fmt.Errorf("output %s would overwrite the input; choose another -o", out))
	}
	if prev := claim(claimed, out, file); prev != "" {
		return fail(fmt.Errorf("output %s is also the output of %s; rename one input", out, prev))
	}
	it.Warnings = res.Warnings
	outs := []output{{out, res.Data}}
	if pm != nil {
		extra, err := pm.prepare(res, p, file, dir, &it, claimed)
		if err != nil {
			it.Mask, it.Preview, it.Warnings = nil, "", nil
			return fail(err)
		}
		outs = append(outs, extra...)
	}
	if writePlan {
		b, err := res.Plan.MarshalIndent()
		if err != nil {
			return fail(err)
		}
		it.PlanFile = outputPath(dir, file, ".plan.json")
		outs = append(outs, output{it.PlanFile, append(b, '\n')})
	}
	if err := writeAll(outs, force); err != nil {
		it.Mask, it.Preview, it.Warnings = nil, "", nil
		return fail(err)
	}
	it.Output, it.Format, it.Width, it.Height = out, res.Format.String(), res.Width, res.Height
	it.Bytes, it.Passthrough, it.Plan = len(res.Data), res.Passthrough, res.Plan
	return it
}
