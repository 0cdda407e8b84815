package main

import (
	"encoding/json"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/mask"
)

// readMaskFile decodes a written mask PNG into its alpha channel.
func readMaskFile(t *testing.T, path string) (*image.Alpha, codecs.Info) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, info, err := codecs.Decode(data, codecs.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return mask.FromAlpha(img), info
}

func TestPrepMaskRectOnRotatedJPEG(t *testing.T) {
	dir := t.TempDir()
	// landscape_o6.jpg is stored 1200x1800 with orientation 6: upright 1800x1200.
	rect := image.Rect(100, 200, 400, 350)
	code, out, stderr := runCLI(t, "prep", "--model", "dall-e-2", "-o", dir, "--json", "--preview",
		"--mask-rect", "100,200,300,150", sample("landscape_o6.jpg"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep prepReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	it := rep.Images[0]
	if it.Mask == nil {
		t.Fatalf("no mask block in %s", out)
	}
	mk := it.Mask
	if mk.Path != filepath.Join(dir, "landscape_o6.mask.png") || mk.Width != it.Width || mk.Height != it.Height ||
		mk.Bytes == 0 || mk.Editable <= 0 || mk.Editable > 0.05 {
		t.Errorf("mask block %+v (image %dx%d)", mk, it.Width, it.Height)
	}
	// The raw JSON uses the documented keys.
	for _, key := range []string{`"mask": {`, `"path"`, `"editable_share"`, `"preview"`} {
		if !strings.Contains(out, key) {
			t.Errorf("report lacks %s", key)
		}
	}
	m, info := readMaskFile(t, mk.Path)
	if info.Format != codecs.PNG || info.Color != codecs.ColorRGBA || info.Width != it.Width || info.Height != it.Height {
		t.Errorf("mask file %+v, image %dx%d", info, it.Width, it.Height)
	}
	want := it.Plan.RectToPrepared(rect)
	var got image.Rectangle
	for y := range m.Rect.Dy() {
		for x := range m.Rect.Dx() {
			if m.Pix[y*m.Stride+x] < 255 {
				got = got.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	if got != want {
		t.Errorf("editable pixels %v, want %v", got, want)
	}
	if it.Preview != filepath.Join(dir, "landscape_o6.preview.png") {
		t.Errorf("preview %q", it.Preview)
	}
	if data, err := os.ReadFile(it.Preview); err != nil || codecs.Sniff(data) != codecs.PNG {
		t.Errorf("preview not written: %v", err)
	}
}

func TestPrepMaskFailuresLeaveNothing(t *testing.T) {
	dir := t.TempDir()
	square := filepath.Join(dir, "square.png")
	if code, _, stderr := runCLI(t, "mask", "--size", "600x600", "--rect", "10,10,50,50", "-o", square); code != exitOK {
		t.Fatalf("mask: %d %s", code, stderr)
	}
	out := filepath.Join(dir, "out")
	tests := []struct {
		name string
		args []string
		say  []string
	}{
		{"flux", []string{"--model", "flux-kontext-pro", "--mask", square}, []string{"square.png", "flux-kontext-pro", "takes no mask"}},
		{"flux shapes", []string{"--model", "flux-kontext-max", "--mask-rect", "1,1,5,5"}, []string{"landscape_o6.jpg", "takes no mask"}},
		{"aspect", []string{"--model", "gpt-image-1", "--mask", square}, []string{"landscape_o6.jpg", "square.png", "600x600", "1800x1200"}},
		{"missing", []string{"--model", "gpt-image-1", "--mask", filepath.Join(dir, "nope.png")}, []string{"nope.png"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"prep", "-o", out}, tc.args...), sample("landscape_o6.jpg"))
			code, _, stderr := runCLI(t, args...)
			if code != exitRejected || strings.Count(stderr, "\n") != 1 {
				t.Fatalf("exit %d, stderr %q; want 1 and one line", code, stderr)
			}
			for _, s := range tc.say {
				if !strings.Contains(stderr, s) {
					t.Errorf("%q does not say %q", stderr, s)
				}
			}
			if left, _ := filepath.Glob(filepath.Join(out, "landscape_o6*")); len(left) > 0 {
				t.Errorf("outputs left: %v", left)
			}
		})
	}
}

func TestPrepDalle2WithoutMaskWarns(t *testing.T) {
	code, out, stderr := runCLI(t, "prep", "--model", "dall-e-2", "-o", t.TempDir(), "--json", sample("landscape_o6.jpg"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep prepReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(rep.Images[0].Warnings, "; "); !strings.Contains(w, "only the padding") || rep.Images[0].Mask != nil {
		t.Errorf("warnings %q", w)
	}
}

func TestMaskCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.png")
	code, stdout, stderr := runCLI(t, "mask", "--like", sample("landscape_o6.jpg"), "--rect", "0,0,900,1200",
		"--ellipse", "1350,600,100,100", "--feather", "4", "-o", out)
	if code != exitOK || !strings.Contains(stdout, "1800x1200 mask") || !strings.Contains(stdout, "editable") {
		t.Fatalf("exit %d %q %q", code, stdout, stderr)
	}
	m, info := readMaskFile(t, out)
	if info.Width != 1800 || info.Height != 1200 || m.AlphaAt(400, 600).A != 0 || m.AlphaAt(1700, 100).A != 255 {
		t.Errorf("mask %+v", info)
	}
	// Refuses to clobber; --force replaces.
	if code, _, stderr := runCLI(t, "mask", "--size", "10x10", "--rect", "0,0,5,5", "-o", out); code != exitRejected || !strings.Contains(stderr, "--force") {
		t.Errorf("clobber: %d %q", code, stderr)
	}
	// --from with --invert and --json; the file's size is kept.
	inv := filepath.Join(dir, "inv.png")
	code, stdout, _ = runCLI(t, "mask", "--from", out, "--invert", "--json", "-o", inv)
	var item maskItem
	if err := json.Unmarshal([]byte(stdout), &item); code != exitOK || err != nil || item.Width != 1800 || item.Source != mask.SourceAlpha ||
		item.Editable < 0.4 || item.Editable > 0.5 {
		t.Errorf("--from --invert: %d %v %+v", code, err, item)
	}
	for _, args := range [][]string{
		{"mask", "--size", "10x10", "--rect", "0,0,5,5"},                 // no -o
		{"mask", "--size", "10x10", "-o", filepath.Join(dir, "x.png")},   // nothing to edit
		{"mask", "--rect", "0,0,5,5", "-o", filepath.Join(dir, "x.png")}, // no size
		{"mask", "--size", "10x10", "--rect", "0,0,5", "-o", filepath.Join(dir, "x.png")},
		{"mask", "--size", "10x10", "--polygon", "0,0,5,5", "-o", filepath.Join(dir, "x.png")},
		{"mask", "--size", "10x10", "--rect", "0,0,5,5", "--feather", "-1", "-o", filepath.Join(dir, "x.png")},
	} {
		if code, _, stderr := runCLI(t, args...); code != exitUsage || stderr == "" {
			t.Errorf("%q: exit %d %q, want 2", args, code, stderr)
		}
	}
}
