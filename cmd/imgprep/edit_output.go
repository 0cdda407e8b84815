package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/imgprep/imgprep"
	"github.com/imgprep/imgprep/upload"
)

// editOutput is one written result in the edit report.
type editOutput struct {
	Path     string   `json:"path,omitempty"`
	Format   string   `json:"format,omitempty"`
	Width    int      `json:"width,omitempty"`
	Height   int      `json:"height,omitempty"`
	Bytes    int      `json:"bytes,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	Error    string   `json:"error,omitempty"`
}

// editRetries sums up the retries of the call (result downloads included).
type editRetries struct {
	Count       int     `json:"count"`
	WaitSeconds float64 `json:"wait_seconds"`
}

// editReport is the --json report of 'imgprep edit'.
type editReport struct {
	Model          string        `json:"model"`
	Uploader       string        `json:"uploader"`
	DryRun         bool          `json:"dry_run,omitempty"`
	Request        string        `json:"request,omitempty"` // dry run: the request dump
	Outputs        []editOutput  `json:"outputs"`
	Partials       []string      `json:"partials,omitempty"`
	Usage          *upload.Usage `json:"usage,omitempty"`
	RevisedPrompts []string      `json:"revised_prompts,omitempty"`
	Retries        editRetries   `json:"retries"`
	ElapsedSeconds float64       `json:"elapsed_seconds"`
	Inputs         []editInput   `json:"inputs"`
	Mask           *maskItem     `json:"mask,omitempty"`
	Preview        string        `json:"preview,omitempty"`
}

// stem is the first input's base name without extension, for outputs.
func stem(file string) string {
	b := filepath.Base(file)
	return strings.TrimSuffix(b, filepath.Ext(b))
}

// resultExts are the extensions a result may get, for the clobber check.
var resultExts = []string{".png", ".jpg", ".webp", ".bin"}

// checkClobber refuses, before anything is sent, outputs that already
// exist (without --force), so that a paid result is not lost at the end.
func checkClobber(f *editFlags, first string) error {
	if f.force {
		return nil
	}
	for i := 1; i <= max(f.n, 1); i++ {
		for _, ext := range resultExts {
			p := filepath.Join(f.outDir, fmt.Sprintf("%s-%d%s", stem(first), i, ext))
			if _, err := os.Lstat(p); err == nil {
				return fmt.Errorf("%s: %w", p, errExists)
			}
		}
	}
	return nil
}

// writeResults writes every returned image, as the facade finished it
// (or as the server sent it), as DIR/<first-input>-<i>.<ext>.
func writeResults(f *editFlags, files []string, res *imgprep.Result) []editOutput {
	outs := make([]editOutput, len(res.Outputs))
	for i, o := range res.Outputs {
		if o.Err != nil {
			outs[i] = editOutput{Error: finishErr(o.Err)}
			continue
		}
		outs[i] = writeOutput(filepath.Join(f.outDir, fmt.Sprintf("%s-%d", stem(files[0]), i+1)), o, files, f.force)
	}
	return outs
}

// writeOutput writes one result, named by its format.
func writeOutput(base string, out imgprep.Output, inputs []string, force bool) editOutput {
	o := editOutput{Warnings: out.Warnings}
	ext := out.Format.Ext()
	if ext == "" {
		ext = ".bin"
		o.Warnings = append(o.Warnings, "the server sent no recognised image format")
	}
	path := base + ext
	for _, in := range inputs {
		if sameFile(path, in) {
			o.Error = fmt.Sprintf("output %s would overwrite an input; choose another -o", path)
			return o
		}
	}
	if err := writeAtomic(path, out.Data, force); err != nil {
		o.Error = fmt.Sprintf("%s: %v", path, err)
		return o
	}
	o.Path, o.Format, o.Bytes, o.Width, o.Height = path, out.Format.String(), len(out.Data), out.Width, out.Height
	return o
}

// partialWriter returns the Request.OnPartial hook: it counts partial
// images and with --save-partials writes them as
// DIR/<first-input>-partial-<k>.<ext> (k from 1, in arrival order).
func partialWriter(f *editFlags, first string, prog *editProgress, paths *[]string) func(upload.PartialImage) {
	k := 0
	return func(pi upload.PartialImage) {
		prog.onPartial()
		if !f.partials {
			return
		}
		k++
		path := filepath.Join(f.outDir, fmt.Sprintf("%s-partial-%d%s", stem(first), k, pi.Format.Ext()))
		if err := writeAtomic(path, pi.Data, f.force); err != nil {
			prog.printf("imgprep: edit: %s: warning: partial image not written: %v", path, err)
			return
		}
		*paths = append(*paths, path)
	}
}

// fillStats adds the retries and the elapsed time.
func (rep *editReport) fillStats(prog *editProgress) {
	n, waited, elapsed := prog.stats()
	rep.Retries = editRetries{Count: n, WaitSeconds: waited.Seconds()}
	rep.ElapsedSeconds = elapsed.Round(time.Millisecond).Seconds()
}

// summary prints the short human report on stdout.
func (rep *editReport) summary(env *cliEnv) {
	fmt.Fprintf(env.stdout, "edited %s with %s via %s in %s", rep.Inputs[0].Name, rep.Model, rep.Uploader,
		time.Duration(rep.ElapsedSeconds*float64(time.Second)).Round(time.Millisecond))
	if rep.Retries.Count > 0 {
		fmt.Fprintf(env.stdout, ", %s (waited %gs)", plural(rep.Retries.Count, "retry", "retries"), rep.Retries.WaitSeconds)
	}
	fmt.Fprintln(env.stdout)
	for _, o := range rep.Outputs {
		if o.Error == "" {
			fmt.Fprintf(env.stdout, "  %s: %s %dx%d, %d bytes\n", o.Path, o.Format, o.Width, o.Height, o.Bytes)
		}
	}
	if len(rep.Partials) > 0 {
		fmt.Fprintf(env.stdout, "  %s written\n", plural(len(rep.Partials), "partial image", "partial images"))
	}
	if u := rep.Usage; u != nil {
		fmt.Fprintf(env.stdout, "usage: %d input + %d output = %d tokens\n", u.InputTokens, u.OutputTokens, u.TotalTokens)
	}
	seen := map[string]bool{}
	for _, p := range rep.RevisedPrompts {
		if !seen[p] {
			seen[p] = true
			fmt.Fprintf(env.stdout, "revised prompt: %s\n", p)
		}
	}
}
