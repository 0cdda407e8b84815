package main

import (
	"errors"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"slices"

	"github.com/ebitengine/purego"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/heif"
)

// The heic and avif jobs are the gpt-image-1 job (long side 1536, JPEG q90)
// on HEIC and AVIF photos, which scripts/make-bench-heif.sh makes from the
// reference photo (-heif-dir). imgprep decodes HEVC and (8-bit) AV1 with
// the system libheif when it can load one (purego) and in WebAssembly
// (libheif + libde265, libavif + libaom) otherwise or with
// IMGPREP_SYSTEM_LIBHEIF=off, so both jobs run it both ways. libvips and
// ImageMagick read both through the system libheif.

// wasmEnv makes imgprep decode HEIC and AVIF with its WebAssembly builds.
const wasmEnv = "IMGPREP_SYSTEM_LIBHEIF=off"

// heifSetup finds how this machine's imgprep decodes HEVC (the library
// search of codecs/heic, done here: an imgprep built with -tags nodynamic
// would decode in WebAssembly all the same), and keeps the compiled WebAssembly modules of the imgprep runs in
// a cache of the run's own, which the warm-up round fills: the timed runs
// then load them as the CLI does after its first run, without reading or
// filling the user's cache.
func (c *config) heifSetup() {
	p := &c.peers
	p.heicPath = "wasm"
	if v := systemLibheif(); v != "" && os.Getenv("IMGPREP_SYSTEM_LIBHEIF") != "off" {
		p.heicPath = "system libheif " + v
	}
	p.env, _ = exec.LookPath("env")
	if os.Getenv("IMGPREP_WASM_CACHE") == "" {
		os.Setenv("IMGPREP_WASM_CACHE", filepath.Join(c.work, "wasm-cache"))
	}
}

// heifTools: the gpt-image-1 tools, and with the system libheif each
// imgprep tool once more with the WebAssembly decoder, " (wasm)".
func heifTools(p peers, in input) []tool {
	ts := gptTools(p, in)
	if p.heicPath == "wasm" || p.env == "" {
		return ts
	}
	n := slices.IndexFunc(ts, func(t tool) bool { return t.ref })
	var wasm []tool
	for _, t := range ts[:n] {
		wasm = append(wasm, withEnv(p.env, t, t.name+" (wasm)", wasmEnv))
	}
	return slices.Concat(ts[:n], wasm, ts[n:])
}

// withEnv returns t renamed, running its commands through env(1) with the
// given variables set.
func withEnv(env string, t tool, name string, vars ...string) tool {
	cmds := t.cmds
	return tool{name: name, ref: t.ref, cmds: func(in input, out, scratch string) [][]string {
		var res [][]string
		for _, argv := range cmds(in, out, scratch) {
			res = append(res, slices.Concat([]string{env}, vars, argv))
		}
		return res
	}}
}

// heifNote says which decoder each row of a heic or avif job used.
func (p peers) heifNote(job string) string {
	sys := "the system libheif (libvips' heifload, ImageMagick's HEIC/AVIF coder)"
	codec, wasm := "HEVC", "libheif + libde265"
	if job == "avif" {
		codec, wasm = "AV1", "libavif + libaom"
	}
	ip := "imgprep decodes " + codec + " with " + p.heicPath + " (loaded with purego)"
	if p.heicPath == "wasm" {
		ip = "imgprep decodes " + codec + " with " + wasm + " in WebAssembly (no system libheif, or " + wasmEnv + ")"
	} else {
		ip += fmt.Sprintf(", imgprep (wasm) with %s in WebAssembly (%s; compiled code from the run's cache, filled by the warm-up round)", wasm, wasmEnv)
	}
	return job + " rows: " + ip + "; " + p.vipsName() + " and magick through " + sys + "."
}

// isHEIF reports whether the input is one of the heic and avif jobs'.
func isHEIF(in input) bool {
	return in.info.Format == codecs.HEIC || in.info.Format == codecs.AVIF
}

// The harness probes its HEIC and AVIF inputs with imgprep's box parser
// and decodes none (it decodes only the tools' JPEG and PNG outputs). It
// does not import codecs/heic and codecs/avif: the gen2brain packages they
// build on load the system's libheif and libavif when initialised, which
// would put ~7 MB into the peak RSS of every launcher and so of every row.
type probeOnly codecs.Format

func init() {
	codecs.RegisterDecoder(codecs.HEIC, probeOnly(codecs.HEIC))
	codecs.RegisterDecoder(codecs.AVIF, probeOnly(codecs.AVIF))
}

func (f probeOnly) Probe(data []byte) (codecs.Info, error) {
	file, err := heif.Parse(data, codecs.Format(f))
	if err != nil {
		return codecs.Info{Format: codecs.Format(f)}, err
	}
	return heif.Info(file, codecs.Format(f)), nil
}

func (probeOnly) Decode([]byte, codecs.DecodeOptions) (image.Image, error) {
	return nil, errors.New("imgprep-bench probes HEIC and AVIF inputs but decodes none")
}

// systemLibheif returns the version ("1.15") of the system libheif that
// codecs/heic would load (libheif.so.1, else libheif.so; 1.14 or later),
// or "".
func systemLibheif() string {
	for _, name := range []string{"libheif.so.1", "libheif.so"} {
		h, err := purego.Dlopen(name, purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			continue
		}
		var major, minor func() int32
		for fn, sym := range map[*func() int32]string{&major: "heif_get_version_number_major", &minor: "heif_get_version_number_minor"} {
			if _, err := purego.Dlsym(h, sym); err != nil {
				return ""
			}
			purego.RegisterLibFunc(fn, h, sym)
		}
		if ma, mi := major(), minor(); ma == 1 && mi >= 14 {
			return fmt.Sprintf("%d.%d", ma, mi)
		}
		return ""
	}
	return ""
}
