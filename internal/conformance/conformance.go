// Package conformance holds the checks of the corpus conformance tests, so
// that test binaries that link different decoders run the same checks:
// codecs' and pipeline's on the shared corpus (../shared/corpus), whose
// binaries must link no HEIC or AVIF decoder (they test the error a
// program without one gets), and codecs/heic's and codecs/avif's on the
// HEIC and AVIF fixtures of testdata/heif (testcorpus.HEIF).
package conformance

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/testcorpus"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
)

// Models are the profiles every corpus image is prepared for.
var Models = []string{"dall-e-2", "gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5", "gpt-image-2", "flux-kontext-pro", "flux-kontext-max"}

// Sentinels are the categories a rejected corpus file must match.
var Sentinels = []error{codecs.ErrEmpty, codecs.ErrUnknownFormat, codecs.ErrUnsupported,
	codecs.ErrCorrupt, codecs.ErrTruncated, codecs.ErrTooLarge, codecs.ErrAnimated}

// MatchesSentinel reports whether err is a *codecs.FormatError matching a
// sentinel.
func MatchesSentinel(err error) bool {
	var fe *codecs.FormatError
	return errors.As(err, &fe) && isSentinel(err)
}

func isSentinel(err error) bool {
	for _, s := range Sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// perFileBound is the time one corpus file may take for one profile on the
// 2-core CI machine (the largest valid corpus files are 1800x1200 JPEGs).
const perFileBound = 5 * time.Second

// allocBound is the memory one corpus file may allocate for one profile:
// 32 bytes per declared pixel (decoded image, resized canvas, encoder
// buffers) plus 48 MiB for fixed costs. A pixel bomb, refused from its
// header, must stay within the fixed part.
func allocBound(e testcorpus.Entry) uint64 {
	px := uint64(e.Width) * uint64(e.Height)
	if e.Bomb(codecs.DefaultMaxPixels) {
		px = 0
	}
	return 32*px + 48<<20
}

// Prepare prepares every valid entry for every built-in profile and checks
// the output against the profile, with libvips and ImageMagick as strict
// readers when they are installed. Every invalid entry, and every pixel
// bomb, must be rejected with a typed error. Each file, for each profile,
// must take at most perFileBound and allocate at most allocBound.
func Prepare(t *testing.T, entries []testcorpus.Entry) {
	for _, name := range Models {
		t.Run("model="+name, func(t *testing.T) {
			p, err := model.Lookup(name)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			var outputs []preparedFile
			for _, e := range entries {
				data, err := os.ReadFile(e.Path)
				if err != nil {
					t.Fatal(err)
				}
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				start := time.Now()
				res, err := pipeline.PrepareOne(context.Background(), pipeline.Input{Name: e.File, Data: data}, p, pipeline.Options{})
				if d := time.Since(start); d > perFileBound {
					t.Errorf("%s: took %v, over the %v bound", e.File, d, perFileBound)
				}
				runtime.ReadMemStats(&after)
				if a := after.TotalAlloc - before.TotalAlloc; a > allocBound(e) {
					t.Errorf("%s: allocated %d MiB, over the %d MiB bound", e.File, a>>20, allocBound(e)>>20)
				}
				switch {
				case !e.Valid || e.Bomb(codecs.DefaultMaxPixels):
					checkRejected(t, e, res, err)
				case err != nil:
					t.Errorf("%s: valid image rejected: %v", e.File, err)
				default:
					out := filepath.Join(dir, fmt.Sprintf("%04d%s", len(outputs), res.Format.Ext()))
					if err := os.WriteFile(out, res.Data, 0o644); err != nil {
						t.Fatal(err)
					}
					checkOutput(t, e.File, p, res)
					outputs = append(outputs, preparedFile{e.File, out, res})
				}
			}
			strictReaders(t, p, outputs)
		})
	}
}

type preparedFile struct {
	input, path string
	res         *pipeline.Prepared
}

func checkRejected(t *testing.T, e testcorpus.Entry, res *pipeline.Prepared, err error) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: invalid image was prepared (%s %dx%d)", e.File, res.Format, res.Width, res.Height)
		return
	}
	if !isSentinel(err) {
		t.Errorf("%s: rejected with an untyped error: %v", e.File, err)
	}
}

// checkOutput probes the prepared bytes and checks them against the model.
func checkOutput(t *testing.T, name string, p *model.Profile, res *pipeline.Prepared) {
	t.Helper()
	info, err := codecs.Probe(res.Data)
	if err != nil {
		t.Errorf("%s: output does not probe: %v", name, err)
		return
	}
	var bad []string
	if !p.Accepts(info.Format) {
		bad = append(bad, "format "+info.Format.String())
	}
	if int64(len(res.Data)) >= p.MaxBytes {
		bad = append(bad, fmt.Sprintf("%d bytes", len(res.Data)))
	}
	if info.Width != res.Width || info.Height != res.Height {
		bad = append(bad, fmt.Sprintf("reported %dx%d, is %dx%d", res.Width, res.Height, info.Width, info.Height))
	}
	if p.Square && (info.Width != info.Height || !containsInt(p.SquareSides, info.Width)) {
		bad = append(bad, fmt.Sprintf("%dx%d not an allowed square", info.Width, info.Height))
	}
	if p.RequireAlpha && info.Color != codecs.ColorRGBA && info.Color != codecs.ColorGrayAlpha {
		bad = append(bad, "no alpha channel: "+string(info.Color))
	}
	if p.MaxPixels > 0 && info.Pixels() > p.MaxPixels {
		bad = append(bad, "too many pixels")
	}
	if info.Orientation != 1 || info.Animated || info.BitDepth > 8 {
		bad = append(bad, fmt.Sprintf("orientation %d animated %v depth %d", info.Orientation, info.Animated, info.BitDepth))
	}
	if len(bad) > 0 {
		t.Errorf("%s -> %s: %s", name, p.Name, strings.Join(bad, "; "))
	}
}

func containsInt(v []int, x int) bool {
	for _, y := range v {
		if x == y {
			return true
		}
	}
	return false
}

// strictReaders asks vipsheader and ImageMagick's identify (when installed)
// to read every output, and checks the size and band count they report.
func strictReaders(t *testing.T, p *model.Profile, files []preparedFile) {
	t.Helper()
	if len(files) == 0 {
		return
	}
	byPath := map[string]preparedFile{}
	args := make([]string, len(files))
	for i, f := range files {
		byPath[f.path] = f
		args[i] = f.path
	}
	// vipsheader prints "PATH: WxH uchar, N bands, srgb, pngload".
	if _, err := exec.LookPath("vipsheader"); err == nil {
		for line := range runLines(t, "vipsheader", args...) {
			path, rest, _ := strings.Cut(line, ": ")
			f, ok := byPath[path]
			if !ok {
				t.Errorf("vipsheader: %s", line)
				continue
			}
			var w, h, bands int
			var format string
			if _, err := fmt.Sscanf(rest, "%dx%d %s %d band", &w, &h, &format, &bands); err != nil {
				t.Errorf("vipsheader: cannot parse %q", line)
				continue
			}
			if w != f.res.Width || h != f.res.Height || format != "uchar," {
				t.Errorf("%s: vipsheader says %q", f.input, rest)
			}
			if p.RequireAlpha && bands != 4 && bands != 2 {
				t.Errorf("%s: vipsheader says %d bands; %s needs alpha", f.input, bands, p.Name)
			}
		}
	} else {
		t.Log("vipsheader not installed (scripts/setup-tools.sh installs it); strict-reader check skipped")
	}
	// identify with -regard-warnings fails on any damage in what we
	// encoded; passed-through inputs may carry harmless metadata warnings.
	if path, err := exec.LookPath("identify"); err == nil && path == "/usr/bin/identify" {
		var ours, passed []string
		for _, f := range files {
			if f.res.Passthrough {
				passed = append(passed, f.path)
			} else {
				ours = append(ours, f.path)
			}
		}
		identifyCheck(t, p, byPath, ours, "-regard-warnings")
		identifyCheck(t, p, byPath, passed)
	}
}

// identifyCheck runs ImageMagick's identify on files and checks the size
// and channels it reports.
func identifyCheck(t *testing.T, p *model.Profile, byPath map[string]preparedFile, files []string, flags ...string) {
	t.Helper()
	if len(files) == 0 {
		return
	}
	{
		iargs := append(append(flags, "-ping", "-format", "%i %w %h %[channels]\n"), files...)
		for line := range runLines(t, "identify", iargs...) {
			f := strings.Fields(line)
			if len(f) < 4 {
				t.Errorf("identify: %q", line)
				continue
			}
			pf, ok := byPath[f[0]]
			if !ok {
				continue
			}
			if fmt.Sprint(pf.res.Width) != f[1] || fmt.Sprint(pf.res.Height) != f[2] {
				t.Errorf("%s: identify says %s", pf.input, line)
			}
			if p.RequireAlpha && !strings.Contains(f[3], "a") {
				t.Errorf("%s: identify says channels %s; %s needs alpha", pf.input, f[3], p.Name)
			}
		}
	}
}

// runLines runs a command and yields its stdout lines; a failure fails t.
func runLines(t *testing.T, name string, args ...string) func(func(string) bool) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Errorf("%s failed: %v: %s", name, err, firstLine(errb.String()))
	}
	return func(yield func(string) bool) {
		sc := bufio.NewScanner(&out)
		for sc.Scan() {
			if !yield(sc.Text()) {
				return
			}
		}
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
