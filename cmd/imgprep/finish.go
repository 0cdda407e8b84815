package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/finish"
	"github.com/imgprep/imgprep/pipeline"
)

// finishFlags are the post-processing flags shared by finish and edit.
type finishFlags struct {
	restore, composite, keepMeta bool
	format                       string
	compression                  int
	feather                      int
	size                         string
}

func (f *finishFlags) register(fsRegister *flag.FlagSet) {
	fsRegister.BoolVar(&f.restore, "restore", false, "remove the padding and scale back to the original's upright size")
	fsRegister.BoolVar(&f.composite, "composite", false, "paste the edited area onto the original through the mask (needs the original and the mask)")
	fsRegister.StringVar(&f.format, "save-format", "", "format of the file written: png, jpeg or webp (default: the original's)")
	fsRegister.IntVar(&f.compression, "save-compression", -1, "output_compression 0-100 for a jpeg/webp file written, applied locally (lower = smaller)")
	fsRegister.IntVar(&f.feather, "feather", 0, "composite edge width in original pixels (0 = one prepared pixel)")
	fsRegister.StringVar(&f.size, "restore-size", "", "restore to WxH instead of the original's size")
	fsRegister.BoolVar(&f.keepMeta, "keep-metadata", false, "copy the original JPEG's EXIF (orientation reset) and ICC profile")
}

// options turns the flags into finish.Options (original and mask bytes
// are filled in by the caller).
func (f *finishFlags) options() (finish.Options, error) {
	o := finish.Options{Restore: f.restore, Composite: f.composite, Feather: f.feather, KeepMetadata: f.keepMeta}
	if f.format != "" && f.format != "auto" {
		if o.SaveFormat = codecs.ParseFormat(f.format); !o.SaveFormat.Encodable() {
			return o, fmt.Errorf("--save-format %q: want png, jpeg or webp", f.format)
		}
	}
	if f.compression > 100 {
		return o, fmt.Errorf("--save-compression %d: want 0-100", f.compression)
	}
	if f.compression >= 0 {
		c := f.compression
		o.SaveCompression = &c
	}
	if f.size != "" {
		w, h, err := parseSize("--restore-size", f.size)
		if err != nil {
			return o, err
		}
		o.RestoreSize = pipeline.Size{W: w, H: h}
	}
	return o, nil
}

// active reports whether any post-processing was asked for.
func (f *finishFlags) active() bool {
	return f.restore || f.composite || f.format != "" || f.compression >= 0 || f.keepMeta || f.size != ""
}

// finishItem is one output's line in the finish report.
type finishItem struct {
	Input    string   `json:"input"`
	Output   string   `json:"output,omitempty"`
	Format   string   `json:"format,omitempty"`
	Width    int      `json:"width,omitempty"`
	Height   int      `json:"height,omitempty"`
	Bytes    int      `json:"bytes,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	Error    string   `json:"error,omitempty"`
}

func runFinish(ctx context.Context, env *cliEnv, args []string) int {
	fs := newFlagSet("finish", env.stderr)
	var ff finishFlags
	ff.register(fs)
	planPath := fs.String("plan", "", "the plan written by 'imgprep prep --plan' (required)")
	original := fs.String("original", "", "the original input file (for --composite, and to undo a crop)")
	maskPath := fs.String("mask", "", "the mask the model got (DIR/<name>.mask.png), for --composite")
	outDir := fs.String("o", "finished", "output directory")
	asJSON := fs.Bool("json", false, "print a JSON report on stdout")
	force := fs.Bool("force", false, "overwrite existing outputs")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return flagErr(err)
	}
	opts, err := ff.options()
	if err != nil {
		return usageErr(env, "finish", "%v", err)
	}
	if *planPath == "" || len(files) == 0 {
		return usageErr(env, "finish", "need --plan PLAN.json and at least one OUTPUT file")
	}
	plan, err := readPlan(*planPath)
	if err != nil {
		fmt.Fprintf(env.stderr, "imgprep: %s: %s\n", *planPath, oneLine(err))
		return exitRejected
	}
	for _, in := range []struct {
		path string
		dst  *[]byte
	}{{*original, &opts.Original}, {*maskPath, &opts.Mask}} {
		if in.path == "" {
			continue
		}
		if *in.dst, err = readInput(in.path, pipeline.DefaultMaxInputBytes); err != nil {
			fmt.Fprintf(env.stderr, "imgprep: %s: %s\n", in.path, oneLine(err))
			return exitRejected
		}
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		return usageErr(env, "finish", "output directory: %v", err)
	}
	items := make([]finishItem, len(files))
	forEach(ctx, env, "finished", len(files), func(ctx context.Context, i int) bool {
		items[i] = finishFile(ctx, files[i], *outDir, "", plan, opts, *force)
		if items[i].Error != "" {
			fmt.Fprintf(env.stderr, "imgprep: %s: %s\n", files[i], items[i].Error)
			return true
		}
		return false
	})
	code := exitOK
	for _, it := range items {
		if it.Error != "" {
			code = exitRejected
		}
	}
	if *asJSON {
		if c := writeJSON(env, items); c != exitOK {
			return c
		}
	}
	return code
}

func readPlan(path string) (*pipeline.Plan, error) {
	b, err := readInput(path, 1<<20)
	if err != nil {
		return nil, err
	}
	p, err := pipeline.ParsePlan(b)
	if err != nil {
		return nil, fmt.Errorf("not a plan: %v", err)
	}
	return p, nil
}

// finishErr renders a finish failure on one line, naming the flag that
// gives a missing input.
func finishErr(err error) string {
	switch msg := oneLine(err); {
	case errors.Is(err, finish.ErrNeedOriginal):
		return msg + " (give it with --original)"
	case errors.Is(err, finish.ErrNeedMask):
		return msg + " (--mask)"
	default:
		return msg
	}
}

// finishFile post-processes one output file into dir; name overrides the
// output's base name.
func finishFile(ctx context.Context, file, dir, name string, plan *pipeline.Plan, o finish.Options, force bool) finishItem {
	it := finishItem{Input: file}
	data, err := readInput(file, pipeline.DefaultMaxInputBytes)
	if err != nil {
		it.Error = oneLine(err)
		return it
	}
	return finishBytes(ctx, data, file, dir, name, plan, o, force)
}

// finishBytes post-processes one edit result and writes it atomically.
func finishBytes(ctx context.Context, data []byte, label, dir, name string, plan *pipeline.Plan, o finish.Options, force bool) finishItem {
	it := finishItem{Input: label}
	res, err := finish.Finish(ctx, data, plan, o)
	if err != nil {
		it.Error = finishErr(err)
		return it
	}
	if name == "" {
		name = label
	}
	out := outputPath(dir, name, res.Format.Ext())
	if sameFile(out, label) {
		it.Error = fmt.Sprintf("output %s would overwrite the input; choose another -o", out)
		return it
	}
	if err := writeAtomic(out, res.Data, force); err != nil {
		it.Error = fmt.Sprintf("%s: %v", out, err)
		return it
	}
	it.Output, it.Format, it.Width, it.Height, it.Bytes, it.Warnings = out, res.Format.String(), res.Width, res.Height, len(res.Data), res.Warnings
	return it
}
