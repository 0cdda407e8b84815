package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

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
	if got := names(heifTools(p, avifIn)); !slices.Equal(got, []string{"imgprep", "imgprep (wasm)", "libvips", "magick"}) {
		t.Errorf("avif tools %v: AV1 has both imgprep paths too", got)
	}
	p.heicPath = "wasm"
	if got := names(heifTools(p, heicIn)); !slices.Equal(got, []string{"imgprep", "libvips", "magick"}) {
		t.Errorf("without a system libheif: %v", got)
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
