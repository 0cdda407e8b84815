package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/imgprep/imgprep/codecs"
)

// repoRoot asks the go command for the main module's directory.
func repoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("run inside the imgprep module (go env GOMOD: %q, %v)", gomod, err)
	}
	return filepath.Dir(gomod), nil
}

// loadInputs probes every image file in dirs (each sorted by name), or
// those named in only.
func loadInputs(dirs []string, only []string) ([]input, error) {
	var ins []input
	for _, dir := range dirs {
		more, err := loadDir(dir, only)
		if err != nil {
			return nil, err
		}
		ins = append(ins, more...)
	}
	if len(ins) == 0 {
		return nil, fmt.Errorf("no images in %s", strings.Join(dirs, " or "))
	}
	return ins, nil
}

// loadDir probes the image files of one directory.
func loadDir(dir string, only []string) ([]input, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var ins []input
	for _, e := range ents {
		if !e.Type().IsRegular() || (only != nil && !slices.Contains(only, e.Name())) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		info, err := codecs.Probe(data)
		if err != nil || !info.Format.Decodable() {
			continue // SOURCES.md and the like
		}
		ins = append(ins, input{path: p, name: e.Name(), info: info, size: int64(len(data))})
	}
	return ins, nil
}

// setupPeers builds imgprep (unless given), compiles the libvips C peer
// (unless given) and finds the vips and convert commands.
func (c *config) setupPeers(root, imgprep, vipsPeer string) error {
	p := &c.peers
	if imgprep == "" {
		imgprep = filepath.Join(c.work, "imgprep")
		cmd := exec.Command("go", "build", "-o", imgprep, "./cmd/imgprep")
		cmd.Dir, cmd.Stderr = root, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build ./cmd/imgprep: %v", err)
		}
	}
	p.imgprep = imgprep
	p.verifyFlag = [2]bool{hasFlag(imgprep, "verify"), p.candidate != "" && hasFlag(p.candidate, "verify")}
	p.vips, _ = exec.LookPath("vips")
	if p.convert, _ = exec.LookPath("/usr/bin/convert"); p.convert == "" {
		p.convert, _ = exec.LookPath("convert")
	}
	if p.convert == "" {
		c.notes = append(c.notes, "ImageMagick convert not found: no magick rows (scripts/setup-tools.sh installs it).")
	}
	if vipsPeer == "" {
		var err error
		if vipsPeer, err = compilePeer(root, c.work); err != nil {
			c.notes = append(c.notes, "libvips C peer not built ("+err.Error()+
				"): libvips rows are vips CLI chains with .v intermediates (scripts/setup-tools.sh --bench installs libvips-dev).")
			vipsPeer = ""
		}
	}
	p.vipsPrep = vipsPeer
	if p.vipsPrep == "" && p.vips == "" {
		return fmt.Errorf("neither the libvips C peer nor the vips CLI is available; run scripts/setup-tools.sh --bench")
	}
	return nil
}

// compilePeer compiles benchmarks/peers/vips_prep.c against libvips.
func compilePeer(root, dir string) (string, error) {
	flags, err := exec.Command("pkg-config", "--cflags", "--libs", "vips").Output()
	if err != nil {
		return "", fmt.Errorf("pkg-config vips: %v", err)
	}
	bin := filepath.Join(dir, "vips_prep")
	args := slices.Concat([]string{"-O2", "-o", bin, filepath.Join(root, "benchmarks", "peers", "vips_prep.c")},
		strings.Fields(string(flags)))
	if out, err := exec.Command("cc", args...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("cc: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return bin, nil
}

// hasFlag reports whether `bin prep -h` lists -name.
func hasFlag(bin, name string) bool {
	out, _ := exec.Command(bin, "prep", "-h").CombinedOutput()
	return strings.Contains(string(out), "-"+name+" ")
}
