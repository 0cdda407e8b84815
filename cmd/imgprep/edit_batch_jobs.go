package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/imgprep/imgprep"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
)

// batchSpec is one job of a batch as the command line or a manifest line
// gives it, before any file is read.
type batchSpec struct {
	// line is the manifest line, from 1; 0 for --each.
	line int
	// images are the input paths (the first one is edited; see Job).
	images []string
	// prompt is the job's prompt.
	prompt string
	// mask is the job's own mask (a manifest line's); nil means the
	// flags' mask, if any.
	mask *batchMask
	// params are a manifest line's parameters, over the flags'.
	params *manifestParams
	// output is the output name relative to -o without extension (a
	// manifest's "output"); "" means the first input's stem, numbered
	// "-1", "-2", ... as a single edit names its outputs.
	output string
	// raw is the manifest line as given (for the key).
	raw json.RawMessage
	// key identifies the job in the resume record.
	key string
}

// batchMask is a job's mask: the mask flags' spec and --editable-padding.
type batchMask struct {
	spec            maskSpec
	editablePadding bool
}

// label names the job in messages: its first input, or the manifest line.
func (s *batchSpec) label() string {
	if s.line > 0 {
		return fmt.Sprintf("line %d (%s)", s.line, s.images[0])
	}
	return s.images[0]
}

// outputBase returns the path, without extension, of output i (from 1)
// of n returned images.
func (s *batchSpec) outputBase(outDir string, i, n int) string {
	if s.output == "" {
		return filepath.Join(outDir, fmt.Sprintf("%s-%d", stem(s.images[0]), i))
	}
	if n > 1 {
		return filepath.Join(outDir, fmt.Sprintf("%s-%d", s.output, i))
	}
	return filepath.Join(outDir, s.output)
}

// wantOutputs is how many outputs the job asks for (its n, else -n).
func (s *batchSpec) wantOutputs(flagN int) int {
	if s.params != nil && s.params.N != nil {
		return max(*s.params.N, 1)
	}
	return max(flagN, 1)
}

// eachSpecs makes one job per input file.
func eachSpecs(files []string, prompt string) []batchSpec {
	specs := make([]batchSpec, len(files))
	for i, f := range files {
		specs[i] = batchSpec{images: []string{f}, prompt: prompt}
	}
	return specs
}

// checkOutputName refuses an output name that would leave the output
// directory: absolute, with "..", or through a symbolic link inside it.
func checkOutputName(outDir, name string) error {
	clean := filepath.Clean(filepath.FromSlash(name))
	if name == "" || !filepath.IsLocal(clean) || strings.HasSuffix(name, "/") {
		return fmt.Errorf("output %q must be a file name inside the output directory (no absolute path, no ..)", name)
	}
	p := outDir
	for _, part := range strings.Split(clean, string(filepath.Separator)) {
		p = filepath.Join(p, part)
		st, err := os.Lstat(p)
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("output %q: %v", name, shortPathErr(err))
		}
		if st.Mode()&os.ModeSymlink != 0 {
			return fmt.Errorf("output %q goes through the link %s, which could lead out of the output directory", name, p)
		}
	}
	return nil
}

// trimImageExt drops an image extension from an output name: the
// extension of an output follows its format.
func trimImageExt(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".png", ".jpg", ".jpeg", ".webp":
		return strings.TrimSuffix(name, filepath.Ext(name))
	}
	return name
}

// claimOutputs refuses two jobs that would write the same output (names
// compared without case, for case-insensitive file systems). It returns
// one message per job in conflict.
func claimOutputs(specs []batchSpec, outDir string, flagN int) []string {
	owner := map[string]string{}
	var bad []string
	for i := range specs {
		s := &specs[i]
		n := s.wantOutputs(flagN)
		for k := 1; k <= n; k++ {
			out := strings.ToLower(s.outputBase(outDir, k, n))
			if prev := claim(owner, out, s.label()); prev != "" {
				bad = append(bad, fmt.Sprintf("%s: output %s is claimed by %s too", s.label(), s.outputBase(outDir, k, n), prev))
				break
			}
		}
	}
	return bad
}

// batchKeyFlags are the flags that do not change what a job produces, left
// out of its key.
var batchKeyFlags = map[string]bool{
	"each": true, "manifest": true, "jobs": true, "resume": true, "shard": true, "grace": true,
	"json": true, "verbose": true, "force": true, "o": true,
}

// flagsKey is the part of every job's key that the flags give: the set
// flags that change the result, by name and value.
func flagsKey(fs *flag.FlagSet) string {
	var b strings.Builder
	fs.Visit(func(f *flag.Flag) {
		if !batchKeyFlags[f.Name] {
			fmt.Fprintf(&b, "%s=%q\n", f.Name, f.Value.String())
		}
	})
	return b.String()
}

// setKey computes the job's key: a hash of the flags' part, the inputs'
// absolute paths, the prompt, the manifest line and the output name.
func (s *batchSpec) setKey(flags string) {
	h := sha256.New()
	fmt.Fprintf(h, "imgprep batch 1\n%s", flags)
	for _, im := range s.images {
		abs, err := filepath.Abs(im)
		if err != nil {
			abs = im
		}
		fmt.Fprintf(h, "image=%q\n", abs)
	}
	fmt.Fprintf(h, "prompt=%q\nline=%s\noutput=%q\n", s.prompt, s.raw, s.output)
	s.key = hex.EncodeToString(h.Sum(nil)[:16])
}

// checkLineMasks refuses, before anything is sent, the manifest lines
// whose mask the model cannot take or whose mask file does not decode
// (each file is decoded once).
func checkLineMasks(manifest string, specs []batchSpec, p *model.Profile) []error {
	var errs []error
	decoded := map[string]error{}
	for i := range specs {
		s := &specs[i]
		if s.mask == nil {
			continue
		}
		if err := pipeline.CheckMask(p); err != nil {
			errs = append(errs, fmt.Errorf("%s: line %d: mask: %s", manifest, s.line, oneLine(err)))
			continue
		}
		from := s.mask.spec.from
		if from == "" {
			continue
		}
		err, seen := decoded[from]
		if !seen {
			var spec *imgprep.MaskSpec
			if spec, err = s.mask.spec.lib(); err == nil {
				_, err = spec.Compile()
			}
			decoded[from] = err
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: line %d: mask %s: %s", manifest, s.line, from, oneLine(maskCause(err))))
		}
	}
	return errs
}
