package main

import (
	"encoding/json"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/raster"
	"github.com/imgprep/imgprep/internal/testimg"
)

// TestPrepPlanThenFinish: prep writes the plan and mask; a result edited
// where the mask is transparent is finished back to the original's upright
// size, identical to the original far from the edit.
func TestPrepPlanThenFinish(t *testing.T) {
	dir := t.TempDir()
	prepDir := filepath.Join(dir, "prep")
	code, out, stderr := runCLI(t, "prep", "--model", "dall-e-2", "-o", prepDir, "--plan", "--json",
		"--mask-rect", "600,400,300,200", sample("landscape_o6.jpg"))
	if code != exitOK {
		t.Fatalf("prep: %d %s", code, stderr)
	}
	var rep prepReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	it := rep.Images[0]
	if it.PlanFile != filepath.Join(prepDir, "landscape_o6.plan.json") || it.Mask == nil {
		t.Fatalf("report %+v", it)
	}
	prepared := testimg.DecodePNG(t, mustRead(t, it.Output))
	m := testimg.DecodePNG(t, mustRead(t, it.Mask.Path))
	edited := raster.Place(prepared, 1024, 1024, image.Point{}, color.NRGBA{})
	for i := 3; i < len(m.Pix); i += 4 {
		if m.Pix[i] == 0 {
			copy(edited.Pix[i-3:i+1], []uint8{255, 0, 255, 255})
		}
	}
	result := filepath.Join(dir, "result.png")
	os.WriteFile(result, testimg.EncodePNG(t, edited), 0o644)
	finDir := filepath.Join(dir, "fin")
	code, out, stderr = runCLI(t, "finish", "--plan", it.PlanFile, "--original", sample("landscape_o6.jpg"), "--mask", it.Mask.Path,
		"--restore", "--composite", "--save-format", "png", "-o", finDir, "--json", result)
	if code != exitOK {
		t.Fatalf("finish: %d %s", code, stderr)
	}
	var items []finishItem
	if err := json.Unmarshal([]byte(out), &items); err != nil || len(items) != 1 {
		t.Fatalf("%v %q", err, out)
	}
	if items[0].Width != 1800 || items[0].Height != 1200 || items[0].Output != filepath.Join(finDir, "result.png") {
		t.Fatalf("finished %+v", items[0])
	}
	got := testimg.DecodePNG(t, mustRead(t, items[0].Output))
	orig, info, err := codecs.Decode(mustRead(t, sample("landscape_o6.jpg")), codecs.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	up := raster.Orient(raster.ToNRGBA(orig), info.Orientation)
	// Far from the rectangle: the original's pixels exactly; inside: magenta.
	for _, p := range []image.Point{{10, 10}, {1790, 1190}, {590, 390}, {905, 500}} {
		if got.NRGBAAt(p.X, p.Y) != up.NRGBAAt(p.X, p.Y) {
			t.Errorf("pixel %v changed outside the mask", p)
		}
	}
	for _, p := range []image.Point{{750, 500}, {610, 410}, {890, 590}} {
		if !testimg.Near(got.NRGBAAt(p.X, p.Y), color.NRGBA{255, 0, 255, 255}, 8) {
			t.Errorf("pixel %v = %v, want the edit", p, got.NRGBAAt(p.X, p.Y))
		}
	}
}

func TestFinishUsageAndErrors(t *testing.T) {
	if code, _, _ := runCLI(t, "finish", "x.png"); code != exitUsage {
		t.Errorf("no plan: exit %d", code)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "plan.json")
	os.WriteFile(bad, []byte("{not json"), 0o644)
	code, _, stderr := runCLI(t, "finish", "--plan", bad, "x.png")
	if code != exitRejected || !strings.Contains(stderr, "plan.json") {
		t.Errorf("bad plan: %d %q", code, stderr)
	}
	// The CLI names the flag that gives a missing input (the library
	// names none).
	prepDir := filepath.Join(dir, "prep")
	if code, _, stderr := runCLI(t, "prep", "--model", "dall-e-2", "-o", prepDir, "--plan", sample("landscape_o6.jpg")); code != exitOK {
		t.Fatalf("prep: %d %s", code, stderr)
	}
	plan, out := filepath.Join(prepDir, "landscape_o6.plan.json"), filepath.Join(prepDir, "landscape_o6.png")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "landscape_o6.png: the original image is needed (give it with --original)\n"},
		{[]string{"--original", sample("landscape_o6.jpg")}, "landscape_o6.png: composite needs the mask the model got (--mask)\n"},
		{[]string{"--original", sample("gopher_alpha.png"), "--mask", out}, "landscape_o6.png: input does not match the plan: the original is "},
	} {
		args := append([]string{"finish", "--plan", plan, "--composite", "-o", filepath.Join(dir, "fin")}, append(tc.args, out)...)
		if code, _, stderr := runCLI(t, args...); code != exitRejected || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: exit %d %q, want %q", tc.args, code, stderr, tc.want)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
