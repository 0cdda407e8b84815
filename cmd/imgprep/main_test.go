package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/codecs"
)

// runCLI runs the command in-process and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLIEnv(t, nil, args...)
}

// sample returns the path of a bundled sample image.
func sample(name string) string { return filepath.Join("..", "..", "testdata", "sample", name) }

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"prep", sample("gopher_alpha.png")}, // no model
		{"prep", "--model", "dall-e-9", sample("gopher_alpha.png")}, // unknown model
		{"prep", "--model", "dall-e-2"},                             // no files
		{"prep", "--model", "dall-e-2", "--fit", "squash", "x.png"},
		{"prep", "--model", "dall-e-2", "--upload-format", "bmp", "x.png"},
		{"prep", "--model", "dall-e-2", "--format", "png", "x.png"}, // renamed
		{"inspect", "--model", "gpt-image-1", "--upload-size", "12", "x.png"},
		{"models", "extra"},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != exitUsage {
			t.Errorf("%q: exit %d, want 2 (stderr %q)", args, code, stderr)
		}
		if stderr == "" {
			t.Errorf("%q: no message", args)
		}
	}
}

func TestModels(t *testing.T) {
	code, out, _ := runCLI(t, "models")
	if code != 0 || !strings.Contains(out, "dall-e-2") || !strings.Contains(out, "square 256/512/1024") {
		t.Fatalf("models: %d %q", code, out)
	}
	code, out, _ = runCLI(t, "models", "--json")
	var profiles []map[string]any
	if err := json.Unmarshal([]byte(out), &profiles); err != nil || code != 0 || len(profiles) < 7 {
		t.Fatalf("models --json: %d %v %d", code, err, len(profiles))
	}
}

func TestInspectExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.png")
	os.WriteFile(bad, []byte("\x89PNG\r\n\x1a\nnope"), 0o644)
	code, out, _ := runCLI(t, "inspect", "--model", "gpt-image-1", sample("gopher_alpha.png"))
	if code != exitOK || !strings.Contains(out, "complies with gpt-image-1") {
		t.Errorf("compliant: exit %d %q", code, out)
	}
	code, out, _ = runCLI(t, "inspect", "--model", "dall-e-2", sample("landscape_o6.jpg"))
	if code != exitNonComply || !strings.Contains(out, "orientation 6") || !strings.Contains(out, "pad to 1024x1024") {
		t.Errorf("non-compliant: exit %d %q", code, out)
	}
	code, _, stderr := runCLI(t, "inspect", "--model", "dall-e-2", "--json", bad, sample("gopher_alpha.png"))
	if code != exitRejected || !strings.Contains(stderr, "bad.png") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("unreadable: exit %d %q", code, stderr)
	}
}

func TestPrepWritesOutputsAndReport(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := runCLI(t, "prep", "--model", "dall-e-2", "-o", dir, "--json", sample("landscape_o6.jpg"), sample("gopher_alpha.png"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep prepReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Images) != 2 {
		t.Fatalf("report has %d images", len(rep.Images))
	}
	first := rep.Images[0]
	if first.Output != filepath.Join(dir, "landscape_o6.png") || first.Width != 1024 || first.Height != 1024 || first.Passthrough {
		t.Errorf("first item %+v", first)
	}
	if c := first.Plan.Content; c.W != 1024 || c.H != 683 || c.Y != 170 {
		t.Errorf("content rect %+v", c)
	}
	data, err := os.ReadFile(first.Output)
	if err != nil {
		t.Fatal(err)
	}
	info, err := codecs.Probe(data)
	if err != nil || info.Format != codecs.PNG || info.Color != codecs.ColorRGBA || len(data) != first.Bytes {
		t.Errorf("output %+v %v", info, err)
	}
	// A second run refuses to clobber, leaving the first output intact.
	code, _, stderr = runCLI(t, "prep", "--model", "dall-e-2", "-o", dir, sample("landscape_o6.jpg"))
	if code != exitRejected || !strings.Contains(stderr, "--force") {
		t.Errorf("clobber: exit %d %q", code, stderr)
	}
	if again, _ := os.ReadFile(first.Output); !bytes.Equal(again, data) {
		t.Error("existing output changed")
	}
	if code, _, _ = runCLI(t, "prep", "--model", "dall-e-2", "-o", dir, "--force", sample("landscape_o6.jpg")); code != exitOK {
		t.Errorf("--force: exit %d", code)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestPrepRejectsBadInputsAndContinues(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	files := map[string][]byte{
		"empty.png":     {},
		"text.png":      []byte("just some text, not an image"),
		"truncated.jpg": must(os.ReadFile(sample("landscape_o6.jpg")))[:5000],
		"heic.heic":     []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"),
	}
	var args []string
	for name, data := range files {
		p := filepath.Join(in, name)
		os.WriteFile(p, data, 0o644)
		args = append(args, p)
	}
	args = append(args, sample("gopher_alpha.png"))
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI(t, append([]string{"prep", "--model", "gpt-image-1", "-o", out}, args...)...)
	if code != exitRejected {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) != len(files) {
		t.Fatalf("want one line per rejected file, got %q", stderr)
	}
	for _, want := range []string{"empty.png: empty", "text.png: unknown image format", "truncated.jpg: jpeg: truncated", "heic.heic: heic: corrupt image: no meta box"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	written, _ := os.ReadDir(out)
	if len(written) != 1 || written[0].Name() != "gopher_alpha.png" {
		t.Errorf("outputs: %v", written)
	}
}

func TestPrepNeverOverwritesInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "a.png")
	data := must(os.ReadFile(sample("gopher_alpha.png")))
	os.WriteFile(in, data, 0o644)
	code, _, stderr := runCLI(t, "prep", "--model", "gpt-image-1", "-o", dir, "--force", in)
	if code != exitRejected || !strings.Contains(stderr, "overwrite the input") {
		t.Fatalf("exit %d %q", code, stderr)
	}
	if got, _ := os.ReadFile(in); !bytes.Equal(got, data) {
		t.Fatal("input changed")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
