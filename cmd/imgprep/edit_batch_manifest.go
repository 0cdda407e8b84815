package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// manifestLine is one line of a --manifest file:
//
//	{"images": ["a.jpg"], "prompt": "...", "mask": "m.png" | {...},
//	 "params": {"size": "1024x1024", ...}, "output": "banners/a"}
//
// Paths are relative to the manifest's directory, the output name to -o.
type manifestLine struct {
	Images []string        `json:"images"`
	Prompt string          `json:"prompt"`
	Mask   json.RawMessage `json:"mask"`
	Params *manifestParams `json:"params"`
	Output string          `json:"output"`
}

// manifestMask is a line's mask object; shapes are numbers in the first
// image's upright pixels, as the --mask-* flags take them.
type manifestMask struct {
	File            string      `json:"file"`
	Rect            [][]float64 `json:"rect"`
	Ellipse         [][]float64 `json:"ellipse"`
	Polygon         [][]float64 `json:"polygon"`
	Invert          bool        `json:"invert"`
	Feather         float64     `json:"feather"`
	Grow            int         `json:"grow"`
	EditablePadding bool        `json:"editable_padding"`
}

// manifestParams are a line's API parameters, by their API names; each set
// one replaces the flag's value for that job.
type manifestParams struct {
	N                 *int              `json:"n"`
	Size              *string           `json:"size"`
	Quality           *string           `json:"quality"`
	Background        *string           `json:"background"`
	OutputFormat      *string           `json:"output_format"`
	OutputCompression *int              `json:"output_compression"`
	InputFidelity     *string           `json:"input_fidelity"`
	Moderation        *string           `json:"moderation"`
	ResponseFormat    *string           `json:"response_format"`
	User              *string           `json:"user"`
	AspectRatio       *string           `json:"aspect_ratio"`
	Fields            map[string]string `json:"fields"`
}

// check validates the parameters that need no model.
func (p *manifestParams) check() error {
	switch {
	case p.N != nil && *p.N < 1:
		return fmt.Errorf("params.n %d: want 1 or more", *p.N)
	case p.OutputCompression != nil && (*p.OutputCompression < 0 || *p.OutputCompression > 100):
		return fmt.Errorf("params.output_compression %d: want 0-100", *p.OutputCompression)
	}
	return nil
}

// maxManifestLine bounds one manifest line.
const maxManifestLine = 1 << 20

// readManifest parses a manifest into jobs. Every bad line is reported,
// with its number, as one error each; blank lines and lines starting with
// # are skipped. defPrompt is --prompt, for lines without their own.
func readManifest(path, outDir, defPrompt string, maxImages int) ([]batchSpec, []error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, []error{fmt.Errorf("%s: %v", path, shortPathErr(err))}
	}
	defer f.Close()
	return parseManifest(f, path, outDir, defPrompt, maxImages)
}

func parseManifest(r io.Reader, path, outDir, defPrompt string, maxImages int) ([]batchSpec, []error) {
	base := filepath.Dir(path)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxManifestLine)
	var specs []batchSpec
	var errs []error
	for n := 1; sc.Scan(); n++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 || text[0] == '#' {
			continue
		}
		s, err := parseManifestLine(text, base, outDir, defPrompt, maxImages)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: line %d: %v", path, n, err))
			continue
		}
		s.line = n
		specs = append(specs, s)
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s: %v", path, err))
	}
	if len(specs) == 0 && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("%s: no jobs (one JSON object per line)", path))
	}
	return specs, errs
}

// parseManifestLine checks one line: known fields only, images that are
// files, a prompt, a mask that parses, parameters in range, a safe output
// name.
func parseManifestLine(text []byte, base, outDir, defPrompt string, maxImages int) (batchSpec, error) {
	var ml manifestLine
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ml); err != nil {
		return batchSpec{}, fmt.Errorf("not a job object: %v", jsonErr(err))
	}
	if dec.More() {
		return batchSpec{}, errors.New("more than one JSON value on the line")
	}
	s := batchSpec{prompt: strings.TrimSpace(ml.Prompt), params: ml.Params, raw: json.RawMessage(text)}
	if s.prompt == "" {
		s.prompt = defPrompt
	}
	switch {
	case len(ml.Images) == 0:
		return s, errors.New(`"images" is missing: give the input files, e.g. "images": ["photo.jpg"]`)
	case len(ml.Images) > maxImages:
		return s, fmt.Errorf("%d images; the model takes at most %d", len(ml.Images), maxImages)
	case strings.TrimSpace(s.prompt) == "":
		return s, errors.New(`"prompt" is missing (and no --prompt was given)`)
	}
	for _, im := range ml.Images {
		p := relTo(base, im)
		if err := isFile(p); err != nil {
			return s, fmt.Errorf("image %s: %v", p, err)
		}
		s.images = append(s.images, p)
	}
	if ml.Params != nil {
		if err := ml.Params.check(); err != nil {
			return s, err
		}
	}
	if len(ml.Mask) > 0 && string(ml.Mask) != "null" {
		m, err := parseManifestMask(ml.Mask, base)
		if err != nil {
			return s, err
		}
		s.mask = m
	}
	if ml.Output != "" {
		if err := checkOutputName(outDir, ml.Output); err != nil {
			return s, err
		}
		s.output = trimImageExt(filepath.Clean(filepath.FromSlash(ml.Output)))
	}
	return s, nil
}

// parseManifestMask reads "mask": a file name, or an object.
func parseManifestMask(raw json.RawMessage, base string) (*batchMask, error) {
	var mm manifestMask
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &mm.File); err != nil {
			return nil, fmt.Errorf("mask: %v", jsonErr(err))
		}
	} else {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&mm); err != nil {
			return nil, fmt.Errorf("mask: want a file name or {file, rect, ellipse, polygon, invert, feather, grow, editable_padding}: %v", jsonErr(err))
		}
	}
	m := &batchMask{editablePadding: mm.EditablePadding}
	s := &m.spec
	s.invert, s.feather, s.grow = mm.Invert, mm.Feather, mm.Grow
	if mm.File != "" {
		s.from = relTo(base, mm.File)
		if err := isFile(s.from); err != nil {
			return nil, fmt.Errorf("mask %s: %v", s.from, err)
		}
	}
	for _, shape := range []struct {
		list *listFlag
		nums [][]float64
	}{{&s.rects, mm.Rect}, {&s.ellipses, mm.Ellipse}, {&s.polygons, mm.Polygon}} {
		for _, ns := range shape.nums {
			parts := make([]string, len(ns))
			for i, v := range ns {
				parts[i] = strconv.FormatFloat(v, 'g', -1, 64)
			}
			*shape.list = append(*shape.list, strings.Join(parts, ","))
		}
	}
	if err := s.check(); err != nil { // the flags' own rules, named as flags
		return nil, fmt.Errorf("mask: %v", err)
	}
	if !s.given() && !m.editablePadding {
		if s.refines() {
			return nil, errors.New("mask: invert, feather and grow need a file, a shape or editable_padding")
		}
		return nil, errors.New("mask: empty; give a file, a shape or editable_padding")
	}
	return m, nil
}

// relTo resolves a manifest path against the manifest's directory.
func relTo(base, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(base, filepath.FromSlash(p))
}

// isFile checks that p names a regular file.
func isFile(p string) error {
	st, err := os.Stat(p)
	switch {
	case err != nil:
		return shortPathErr(err)
	case !st.Mode().IsRegular():
		return errors.New("not a regular file")
	}
	return nil
}

// jsonErr renders a decoding error without Go type names.
func jsonErr(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %q: wrong type (got a JSON %s)", te.Field, te.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
