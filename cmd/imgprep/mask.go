package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/imgprep/imgprep"
	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/mask"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
)

// maskSpec is a mask described on the command line: a mask file and/or
// shapes (their union is edited), inverted, grown and feathered. Shapes
// and the file are in the upright image's coordinates.
type maskSpec struct {
	from                      string
	rects, ellipses, polygons listFlag
	invert                    bool
	feather                   float64
	grow                      int
	pfx                       string // flag name prefix, for messages
	// builder is the library's mask spec compiled (its file decoded), set
	// by compile.
	builder *imgprep.MaskBuilder
}

// register adds the mask flags: "--from", "--rect", ... for the mask
// command (prefix ""), "--mask", "--mask-rect", ... for prep ("mask-").
func (s *maskSpec) register(fs *flag.FlagSet, fromName, prefix string) {
	s.pfx = prefix
	fs.StringVar(&s.from, fromName, "", "mask file: an OpenAI mask (transparent = edit) or, if opaque, a painting (white = edit)")
	fs.Var(&s.rects, prefix+"rect", "edit the rectangle X,Y,W,H (repeatable; upright image pixels)")
	fs.Var(&s.ellipses, prefix+"ellipse", "edit the ellipse CX,CY,RX,RY (repeatable)")
	fs.Var(&s.polygons, prefix+"polygon", "edit the polygon X1,Y1,X2,Y2,X3,Y3,... (repeatable)")
	fs.BoolVar(&s.invert, prefix+"invert", false, "swap edit and keep areas")
	fs.Float64Var(&s.feather, prefix+"feather", 0, "soften the edge into a ramp this many pixels wide")
	fs.IntVar(&s.grow, prefix+"grow", 0, "grow the edit area by this many pixels (negative shrinks)")
}

// given reports whether a mask file or shape was given.
func (s *maskSpec) given() bool {
	return s.from != "" || len(s.rects)+len(s.ellipses)+len(s.polygons) > 0
}

// refines reports whether invert, feather or grow was given.
func (s *maskSpec) refines() bool { return s.invert || s.feather != 0 || s.grow != 0 }

// shapes parses the shape flags.
func (s *maskSpec) shapes() ([]mask.Shape, error) {
	var out []mask.Shape
	for _, v := range s.rects {
		n, err := parseNums(v, s.pfx+"rect", "X,Y,W,H", 4)
		if err != nil {
			return nil, err
		}
		if n[2] <= 0 || n[3] <= 0 {
			return nil, fmt.Errorf("--%srect %q: width and height must be positive", s.pfx, v)
		}
		out = append(out, mask.Rect{X: n[0], Y: n[1], W: n[2], H: n[3]})
	}
	for _, v := range s.ellipses {
		n, err := parseNums(v, s.pfx+"ellipse", "CX,CY,RX,RY", 4)
		if err != nil {
			return nil, err
		}
		if n[2] <= 0 || n[3] <= 0 {
			return nil, fmt.Errorf("--%sellipse %q: radii must be positive", s.pfx, v)
		}
		out = append(out, mask.Ellipse{CX: n[0], CY: n[1], RX: n[2], RY: n[3]})
	}
	for _, v := range s.polygons {
		n, err := parseNums(v, s.pfx+"polygon", "X1,Y1,X2,Y2,X3,Y3,...", -1)
		if err != nil {
			return nil, err
		}
		var p mask.Polygon
		for i := 0; i+1 < len(n); i += 2 {
			p = append(p, mask.Point{X: n[i], Y: n[i+1]})
		}
		out = append(out, p)
	}
	return out, nil
}

// check validates the flags without reading files (usage errors).
func (s *maskSpec) check() error {
	if s.feather < 0 {
		return fmt.Errorf("--%sfeather %g: want 0 or more pixels", s.pfx, s.feather)
	}
	_, err := s.shapes()
	return err
}

// parseNums parses comma-separated numbers: exactly n of them, or for
// n < 0 an even count of at least 6 (polygon vertices).
func parseNums(v, flagName, want string, n int) ([]float64, error) {
	parts := strings.Split(v, ",")
	bad := func() error { return fmt.Errorf("--%s %q: want %s", flagName, v, want) }
	if (n >= 0 && len(parts) != n) || (n < 0 && (len(parts) < 6 || len(parts)%2 != 0)) {
		return nil, bad()
	}
	out := make([]float64, len(parts))
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.Abs(f) > 1e9 {
			return nil, bad()
		}
		out[i] = f
	}
	return out, nil
}

// lib reads the mask file, if any, and returns the library's mask spec
// for the flags (EditablePadding is the caller's). Read errors do not name
// the file (callers do).
func (s *maskSpec) lib() (*imgprep.MaskSpec, error) {
	shapes, err := s.shapes()
	if err != nil {
		return nil, err
	}
	spec := &imgprep.MaskSpec{Name: s.from, Shapes: shapes, Invert: s.invert,
		Options: mask.Options{Grow: s.grow, Feather: s.feather}}
	if s.from != "" {
		if spec.Data, err = readInput(s.from, pipeline.DefaultMaxInputBytes); err != nil {
			return nil, err
		}
	}
	return spec, nil
}

// compile reads and decodes the mask file and keeps the built spec; errors
// do not name the file (callers do).
func (s *maskSpec) compile() error {
	spec, err := s.lib()
	if err != nil {
		return err
	}
	s.builder, err = spec.Compile()
	return maskCause(err)
}

// maskCause is the cause of a *imgprep.MaskError, for a caller that names
// the mask file itself; other errors are returned as they are.
func maskCause(err error) error {
	var me *imgprep.MaskError
	if errors.As(err, &me) {
		return me.Err
	}
	return err
}

// maskItem is the mask's entry in the prep and mask reports.
type maskItem struct {
	Path string `json:"path"`
	mask.Report
	// Source says how a mask file was read: "alpha" (transparent = edit)
	// or "luminance" (white = edit).
	Source mask.Source `json:"source,omitempty"`
}

func runMask(_ context.Context, env *cliEnv, args []string) int {
	fs := newFlagSet("mask", env.stderr)
	var spec maskSpec
	spec.register(fs, "from", "")
	like := fs.String("like", "", "size the mask like IMAGE (its upright size, after EXIF orientation)")
	size := fs.String("size", "", "mask size WxH")
	out := fs.String("o", "", "output PNG (required)")
	force := fs.Bool("force", false, "overwrite an existing output")
	asJSON := fs.Bool("json", false, "print a JSON report on stdout")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return flagErr(err)
	}
	switch {
	case len(rest) > 0:
		return usageErr(env, "mask", "unexpected argument %q", rest[0])
	case *out == "":
		return usageErr(env, "mask", "-o OUT.png is required")
	case *like != "" && *size != "":
		return usageErr(env, "mask", "give --like or --size, not both")
	case *like == "" && *size == "" && spec.from == "":
		return usageErr(env, "mask", "give --like IMAGE or --size WxH (or --from FILE to keep its size)")
	case !spec.given():
		return usageErr(env, "mask", "nothing to edit: give --rect, --ellipse, --polygon or --from")
	}
	if err := spec.check(); err != nil {
		return usageErr(env, "mask", "%v", err)
	}
	var w, h int
	switch {
	case *size != "":
		if w, h, err = parseSize("--size", *size); err != nil {
			return usageErr(env, "mask", "%v", err)
		}
	case *like != "":
		data, err := readInput(*like, pipeline.DefaultMaxInputBytes)
		if err == nil {
			var info codecs.Info
			info, err = codecs.Probe(data)
			w, h = info.UprightSize()
		}
		if err != nil {
			return rejected(env, *like, err)
		}
	}
	if err := spec.compile(); err != nil {
		return rejected(env, spec.from, err)
	}
	if w == 0 {
		w, h = spec.builder.FileSize()
	}
	m, err := spec.builder.Build(w, h)
	if err == nil {
		m, err = mask.Fit(m, w, h)
	}
	if err != nil { // the mask file does not fit the size
		return rejected(env, spec.from, maskCause(err))
	}
	data, err := mask.Encode(m)
	var rep mask.Report
	if err == nil {
		rep, err = mask.Validate(data, w, h, 0)
	}
	if err != nil {
		return rejected(env, *out, err)
	}
	if err := writeAtomic(*out, data, *force); err != nil {
		return rejected(env, *out, err)
	}
	item := maskItem{Path: *out, Report: rep, Source: spec.builder.Source()}
	for _, w := range rep.Warnings {
		fmt.Fprintf(env.stderr, "imgprep mask: %s: warning: %s\n", *out, w)
	}
	if *asJSON {
		return writeJSON(env, item)
	}
	fmt.Fprintf(env.stdout, "%s: %dx%d mask, %s editable (alpha 0), %s soft edge, %d bytes\n",
		*out, rep.Width, rep.Height, percent(rep.Editable), percent(rep.Partial), rep.Bytes)
	return exitOK
}

// percent formats a share for people; a tiny nonzero share is not "0.0%".
func percent(v float64) string {
	if v > 0 && v < 0.001 {
		return "<0.1%"
	}
	return fmt.Sprintf("%.1f%%", 100*v)
}

// rejected prints "imgprep: FILE: reason" and returns exit code 1.
func rejected(env *cliEnv, file string, err error) int {
	fmt.Fprintf(env.stderr, "imgprep: %s: %s\n", file, oneLine(err))
	return exitRejected
}

// prepMask is the mask work of one prep run: the mask applies to the
// first input.
type prepMask struct {
	spec            maskSpec
	editablePadding bool
	preview         bool
}

func (pm *prepMask) register(fs *flag.FlagSet) {
	pm.spec.register(fs, "mask", "mask-")
	fs.BoolVar(&pm.editablePadding, "editable-padding", false, "make the padding editable in the mask (outpainting); alone, the mask edits only the padding")
	fs.BoolVar(&pm.preview, "preview", false, "also write DIR/<name>.preview.png: the prepared first image with the editable area tinted")
}

// wanted reports whether a mask is to be written.
func (pm *prepMask) wanted() bool { return pm.spec.given() || pm.editablePadding }

// setup checks the flags against the profile and reads the mask file
// before any input is prepared. It returns an exit code, or -1 to go on.
func (pm *prepMask) setup(env *cliEnv, p *model.Profile, firstInput string) int {
	if err := pm.spec.check(); err != nil {
		return usageErr(env, "prep", "%v", err)
	}
	if !pm.wanted() && pm.spec.refines() {
		return usageErr(env, "prep", "--mask-invert, --mask-feather and --mask-grow need --mask, --mask-rect, --mask-ellipse, --mask-polygon or --editable-padding")
	}
	if pm.preview && !pm.wanted() && !pipeline.TransparencyMasks(p) {
		return usageErr(env, "prep", "--preview needs a mask (--mask or --mask-rect ...)")
	}
	if !pm.wanted() {
		return -1
	}
	if err := pipeline.CheckMask(p); err != nil {
		name := pm.spec.from
		if name == "" {
			name = firstInput
		}
		return rejected(env, name, err)
	}
	if err := pm.spec.compile(); err != nil {
		return rejected(env, pm.spec.from, err)
	}
	return -1
}

// output is a file to write.
type output struct {
	path string
	data []byte
}

// prepare makes the mask and preview for the first input's prepared
// image, fills in the report item and returns the extra files to write.
func (pm *prepMask) prepare(res *pipeline.Prepared, p *model.Profile, input, dir string, it *prepItem, claimed map[string]string) ([]output, error) {
	var outs []output
	var edit *image.Alpha
	if pm.wanted() {
		sm, err := pm.spec.builder.Prepare(res, p)
		if err != nil {
			return nil, err
		}
		path := outputPath(dir, input, ".mask.png")
		if err := pm.claimOutput(path, input, claimed); err != nil {
			return nil, err
		}
		outs = append(outs, output{path, sm.Data})
		it.Mask = &maskItem{Path: path, Report: sm.Report, Source: sm.Source}
		edit = sm.Image
	} else {
		it.Warnings = append(it.Warnings, pipeline.ImplicitMaskWarnings(res, p)...)
	}
	if !pm.preview {
		return outs, nil
	}
	pv, err := pm.previewOf(res, p, input, dir, edit, claimed)
	if err != nil {
		return nil, err
	}
	it.Preview = pv.path
	return append(outs, *pv), nil
}

// previewOf renders DIR/<input>.preview.png: the prepared image with the
// edit area tinted, edit being the mask sent (nil: the model's implicit
// one, dall-e-2's transparency).
func (pm *prepMask) previewOf(res *pipeline.Prepared, p *model.Profile, input, dir string, edit *image.Alpha, claimed map[string]string) (*output, error) {
	var err error
	if edit == nil {
		if edit, err = pipeline.ImplicitMask(res, p); err == nil && edit == nil {
			err = fmt.Errorf("%s has no edit area without a mask", p.Name)
		}
	}
	var data []byte
	if err == nil {
		var img image.Image
		if img, _, err = codecs.Decode(res.Data, codecs.DecodeOptions{}); err == nil {
			data, err = codecs.EncodeBytes(mask.Preview(img, edit), codecs.EncodeOptions{Format: codecs.PNG})
		}
	}
	if err != nil {
		return nil, fmt.Errorf("preview: %w", err)
	}
	path := outputPath(dir, input, ".preview.png")
	if err := pm.claimOutput(path, input, claimed); err != nil {
		return nil, err
	}
	return &output{path, data}, nil
}

// claimOutput refuses an output path that is an input, the mask file or
// another input's output.
func (pm *prepMask) claimOutput(path, input string, claimed map[string]string) error {
	if sameFile(path, input) || (pm.spec.from != "" && sameFile(path, pm.spec.from)) {
		return fmt.Errorf("output %s would overwrite an input; choose another -o", path)
	}
	if prev := claim(claimed, path, input); prev != "" {
		return fmt.Errorf("output %s is also the output of %s; rename one input", path, prev)
	}
	return nil
}

// writeAll writes the outputs in order; when one fails, the ones already
// written by this call are removed, so an input leaves all its outputs or
// none.
func writeAll(outs []output, force bool) error {
	for i, o := range outs {
		if err := writeAtomic(o.path, o.data, force); err != nil {
			for _, done := range outs[:i] {
				os.Remove(done.path)
			}
			return fmt.Errorf("%s: %w", o.path, err)
		}
	}
	return nil
}
