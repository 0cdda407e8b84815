package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
)

// inspectItem is one file's line in the inspect report.
type inspectItem struct {
	File     string         `json:"file"`
	Info     *codecs.Info   `json:"info,omitempty"`
	Complies bool           `json:"complies"`
	Plan     *pipeline.Plan `json:"plan,omitempty"`
	Error    string         `json:"error,omitempty"`
}

func runInspect(ctx context.Context, env *cliEnv, args []string) int {
	fs := newFlagSet("inspect", env.stderr)
	var pf prepFlags
	pf.register(fs)
	asJSON := fs.Bool("json", false, "print a JSON report on stdout")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return flagErr(err)
	}
	p, opts, err := pf.resolve(env)
	if err != nil {
		return usageErr(env, "inspect", "%v", err)
	}
	if len(files) == 0 {
		return usageErr(env, "inspect", "no input files")
	}
	items := make([]inspectItem, len(files))
	forEach(ctx, env, "inspected", len(files), func(_ context.Context, i int) bool {
		items[i] = inspectFile(files[i], p, opts)
		return items[i].Error != ""
	})
	code := exitOK
	for _, it := range items {
		switch {
		case it.Error != "":
			fmt.Fprintf(env.stderr, "imgprep: %s: %s\n", it.File, it.Error)
			code = exitRejected
		case !it.Complies && code == exitOK:
			code = exitNonComply
		}
	}
	if *asJSON {
		if c := writeJSON(env, items); c != exitOK {
			return c
		}
		return code
	}
	for _, it := range items {
		if it.Error == "" {
			fmt.Fprintln(env.stdout, describe(it, p))
		}
	}
	return code
}

func inspectFile(file string, p *model.Profile, o pipeline.Options) inspectItem {
	it := inspectItem{File: file}
	data, err := readInput(file, pipelineInputLimit(o))
	if err != nil {
		it.Error = oneLine(err)
		return it
	}
	info, err := codecs.Probe(data)
	if err != nil {
		it.Error = oneLine(err)
		return it
	}
	it.Info = &info
	plan, err := pipeline.NewPlan(info, len(data), p, o)
	if err != nil {
		it.Error = oneLine(err)
		return it
	}
	it.Plan, it.Complies = plan, plan.Passthrough
	return it
}

// describe renders one inspected file for people.
func describe(it inspectItem, p *model.Profile) string {
	in, pl := it.Info, it.Plan
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s %dx%d %s %d-bit", filepath.Base(it.File), in.Format, in.Width, in.Height, in.Color, in.BitDepth)
	if in.HasAlpha {
		b.WriteString(" alpha")
	}
	if in.Orientation > 1 {
		fmt.Fprintf(&b, " orientation=%d", in.Orientation)
	}
	if in.Transform != "" {
		fmt.Fprintf(&b, " transform=%q", in.Transform)
	}
	if in.Images > 1 {
		fmt.Fprintf(&b, " images=%d (the primary is used)", in.Images)
	}
	if in.Animated {
		fmt.Fprintf(&b, " animated(%d frames)", in.Frames)
	}
	if it.Complies {
		fmt.Fprintf(&b, "\n  complies with %s: sent as is (%d bytes)", p.Name, pl.InputBytes)
		return b.String()
	}
	fmt.Fprintf(&b, "\n  does not comply with %s:", p.Name)
	for _, r := range pl.Reasons {
		fmt.Fprintf(&b, "\n    - %s", r)
	}
	b.WriteString("\n  prep would:")
	for _, s := range planSteps(pl) {
		fmt.Fprintf(&b, "\n    - %s", s)
	}
	return b.String()
}

// planSteps lists a plan's actions in order, in words.
func planSteps(pl *pipeline.Plan) []string {
	var s []string
	if pl.Orientation > 1 {
		what := fmt.Sprintf("EXIF orientation %d", pl.Orientation)
		if t := pl.Source.Transform; t != "" {
			what = fmt.Sprintf("%s (as EXIF orientation %d)", t, pl.Orientation)
		}
		s = append(s, fmt.Sprintf("apply %s (upright %dx%d)", what, pl.Upright.W, pl.Upright.H))
	}
	if pl.Cropped() {
		c := pl.Crop
		s = append(s, fmt.Sprintf("crop %dx%d at (%d,%d)", c.W, c.H, c.X, c.Y))
	}
	if pl.Resize.W != pl.Crop.W || pl.Resize.H != pl.Crop.H {
		s = append(s, fmt.Sprintf("resize %dx%d -> %dx%d", pl.Crop.W, pl.Crop.H, pl.Resize.W, pl.Resize.H))
	}
	if pl.Padded() {
		s = append(s, fmt.Sprintf("pad to %dx%d with %s (content at %d,%d)", pl.Canvas.W, pl.Canvas.H, pl.Fill, pl.Content.X, pl.Content.Y))
	}
	enc := "encode " + pl.Format.String()
	if pl.Alpha {
		enc += " with alpha"
	}
	if pl.Quality > 0 {
		enc += fmt.Sprintf(" at quality %d", pl.Quality)
	}
	return append(s, enc+fmt.Sprintf(" within %d bytes", pl.Budget))
}
