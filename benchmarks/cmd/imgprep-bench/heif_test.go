package main

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/imgprep/imgprep/codecs"
)

func TestHeifTools(t *testing.T) {
	p := peers{imgprep: "/bin/imgprep", vipsPrep: "/bin/vips_prep", convert: "/usr/bin/convert",
		env: "/usr/bin/env", heicPath: "system libheif 1.15"}
	heicIn := input{path: "/in/a.heic", name: "a.heic", info: codecs.Info{Format: codecs.HEIC, Width: 4032, Height: 3024}}
	avifIn := input{path: "/in/b.avif", name: "b.avif", info: codecs.Info{Format: codecs.AVIF, Width: 2309, Height: 1732}}
	names := func(ts []tool) []string {
		var n []string
		for _, t := range ts {
			n = append(n, t.name)
		}
		return n
	}
	ts := heifTools(p, heicIn)
	if got, want := names(ts), []string{"imgprep", "imgprep (wasm)", "libvips", "magick"}; !slices.Equal(got, want) {
		t.Fatalf("heic tools %v, want %v", got, want)
	}
	if !ts[2].ref || ts[0].ref || ts[1].ref {
		t.Error("libvips must be the only ref row")
	}
	sys, wasm := ts[0].cmds(heicIn, "/out", "/tmp")[0], ts[1].cmds(heicIn, "/out", "/tmp")[0]
	if !slices.Equal(wasm[:2], []string{"/usr/bin/env", wasmEnv}) || !slices.Equal(wasm[2:], sys) {
		t.Errorf("wasm row %q, system row %q", wasm, sys)
	}
	if vips := ts[2].cmds(heicIn, "/out", "/tmp")[0]; vips[len(vips)-2] != filepath.Join("/out", "out.jpg") {
		t.Errorf("libvips writes %q, want a JPEG", vips)
	}
	if got := names(heifTools(p, avifIn)); !slices.Equal(got, []string{"imgprep", "libvips", "magick"}) {
		t.Errorf("avif tools %v: AV1 has one imgprep path", got)
	}
	p.heicPath = "wasm"
	if got := names(heifTools(p, heicIn)); !slices.Equal(got, []string{"imgprep", "libvips", "magick"}) {
		t.Errorf("without a system libheif: %v", got)
	}
}

func TestHeicTargets(t *testing.T) {
	mk := func(in, tool string, ref bool, wall time.Duration, ratio float64) row {
		return row{job: "heic", input: in, tool: tool, ref: ref, ratio: ratio, psnr: math.NaN(),
			sum: summary{wall: wall, cpu: wall, rss: 1e8, n: 3}}
	}
	rows := []row{
		mk("a.heic", "imgprep", false, 1100*time.Millisecond, 1.1),
		mk("a.heic", "imgprep (wasm)", false, 3*time.Second, 3),
		mk("a.heic", "libvips", true, time.Second, math.NaN()),
		mk("a.heic", "magick", false, 2*time.Second, 2),
	}
	got := heicTargets(rows, "system libheif 1.15")
	if len(got) != 2 || !strings.Contains(got[0], "imgprep, decoding with system libheif 1.15") || !strings.Contains(got[0], ": met;") ||
		!strings.Contains(got[1], "imgprep (wasm), decoding with libheif in WebAssembly") || !strings.Contains(got[1], ": MISSED;") {
		t.Errorf("targets:\n%s", strings.Join(got, "\n"))
	}
}

// TestTargetInput: the JPEG targets stay on the JPEG photo when the heic
// job, whose inputs share its name, ran first.
func TestTargetInput(t *testing.T) {
	rows := []row{{job: "heic", input: "photo12_s7edge.heic"}, {job: "gpt-image-1", input: "photo12_s7edge.jpg"}}
	if got := targetInput(rows); got != "photo12_s7edge.jpg" {
		t.Errorf("targetInput = %q", got)
	}
}

// TestProbeOnly: the harness probes HEIC and AVIF without their decoders.
func TestProbeOnly(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "testdata", "heif")
	for name, want := range map[string]codecs.Info{
		"heic-clap-irot3.heic":  {Format: codecs.HEIC, Width: 80, Height: 48, Orientation: 6},
		"avif-irot1-imir0.avif": {Format: codecs.AVIF, Width: 96, Height: 64, Orientation: 5},
	} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		info, err := codecs.Probe(b)
		if err != nil || info.Format != want.Format || info.Width != want.Width || info.Height != want.Height || info.Orientation != want.Orientation {
			t.Errorf("%s: %+v, %v", name, info, err)
		}
		if _, _, err := codecs.Decode(b, codecs.DecodeOptions{}); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
}
