package main

import (
	"path/filepath"
	"strconv"

	"github.com/imgprep/imgprep/codecs"
)

// input is one file of the input directory.
type input struct {
	path string
	name string // base name
	info codecs.Info
	size int64
}

// tool is one program doing a job: the command chain it runs.
type tool struct {
	name string
	// ref marks the libvips row (default settings) that wall-time ratios
	// are taken against.
	ref bool
	// cmds returns the commands that read in and write exactly one output
	// file into out (an empty directory); scratch is for intermediates.
	cmds func(in input, out, scratch string) [][]string
}

// peers are the external programs the jobs are run with.
type peers struct {
	imgprep string // the imgprep binary
	// candidate is a second imgprep binary (a proposed change) run in
	// alternation with the first; "" = none.
	candidate string
	// verifyFlag: whether imgprep and the candidate take prep --verify.
	verifyFlag [2]bool
	vipsPrep   string // benchmarks/peers/vips_prep, compiled; "" = vips CLI
	vips       string // the vips CLI, "" when absent
	convert    string // ImageMagick's convert, "" when absent
	// heicPath is how imgprep decodes HEVC here: heic.Path() ("system
	// libheif 1.15" or "wasm").
	heicPath string
	env      string // env(1), for the imgprep (wasm) rows; "" when absent
}

// vipsName is the libvips rows' label: the one-process C peer, or the
// vips CLI when the peer could not be built.
func (p peers) vipsName() string {
	if p.vipsPrep != "" {
		return "libvips"
	}
	return "libvips-cli"
}

// outFormat is the format every tool writes for a gpt-image-1 job: imgprep
// keeps a JPEG input's format, writes an opaque HEIC or AVIF photo as JPEG
// and anything else as PNG.
func outFormat(in input) codecs.Format {
	switch f := in.info.Format; {
	case f == codecs.JPEG, (f == codecs.HEIC || f == codecs.AVIF) && !in.info.HasAlpha:
		return codecs.JPEG
	}
	return codecs.PNG
}

// imgpreps returns the imgprep tool, and the candidate's, running
// imgprep prep with args, then -o OUT --force IN.
func (p peers) imgpreps(args ...string) []tool {
	mk := func(name, bin string) tool {
		return tool{name: name, cmds: func(in input, out, _ string) [][]string {
			argv := append([]string{bin, "prep"}, args...)
			return [][]string{append(argv, "-o", out, "--force", in.path)}
		}}
	}
	ts := []tool{mk("imgprep", p.imgprep)}
	if p.candidate != "" {
		ts = append(ts, mk("candidate", p.candidate))
	}
	return ts
}

// dalle2Tools: autorotate, fit in 1024x1024, pad transparent, RGBA PNG.
func dalle2Tools(p peers) []tool {
	ts := p.imgpreps("--model", "dall-e-2")
	for _, level := range []int{6, 1} {
		name, ref := p.vipsName(), level == 6
		if !ref {
			name += " c1"
		}
		ts = append(ts, tool{name: name, ref: ref, cmds: func(in input, out, scratch string) [][]string {
			dst := filepath.Join(out, "out.png")
			if p.vipsPrep != "" {
				return [][]string{{p.vipsPrep, "square", "1024", in.path, dst, strconv.Itoa(level)}}
			}
			return vipsSquareChain(p.vips, in, dst, scratch, level)
		}})
	}
	if p.convert != "" {
		ts = append(ts, tool{name: "magick", cmds: func(in input, out, _ string) [][]string {
			return [][]string{{p.convert, in.path, "-auto-orient", "-resize", "1024x1024",
				"-background", "none", "-gravity", "center", "-extent", "1024x1024",
				"PNG32:" + filepath.Join(out, "out.png")}}
		}})
	}
	return ts
}

// vipsSquareChain is the dall-e-2 job as a chain of vips CLI commands with
// intermediate .v files: the fallback when the C peer cannot be built.
func vipsSquareChain(vips string, in input, dst, scratch string, level int) [][]string {
	t := filepath.Join(scratch, "t.v")
	a := t
	cmds := [][]string{{vips, "thumbnail", in.path, t, "1024", "--height", "1024"}}
	if !in.info.HasAlpha {
		a = filepath.Join(scratch, "a.v")
		cmds = append(cmds, []string{vips, "bandjoin_const", t, a, "255"})
	}
	bg := "0 0 0 0"
	if in.info.Color == codecs.ColorGray || in.info.Color == codecs.ColorGrayAlpha {
		bg = "0 0"
	}
	return append(cmds, []string{vips, "gravity", a,
		dst + "[compression=" + strconv.Itoa(level) + ",strip]", "centre", "1024", "1024",
		"--extend", "background", "--background", bg})
}

// gptTools: autorotate, long side 1536, JPEG q90 (PNG for PNG inputs).
func gptTools(p peers, in input) []tool {
	ext := outFormat(in).Ext()
	ts := p.imgpreps("--model", "gpt-image-1", "--max-side", "1536", "--upload-quality", "90")
	levels := []int{90}
	if ext == ".png" {
		levels = []int{6, 1}
	}
	for i, level := range levels {
		t := longPeer(p, ext, strconv.Itoa(level))
		if i > 0 {
			t.name, t.ref = t.name+" c1", false
		}
		ts = append(ts, t)
	}
	if p.convert != "" {
		ts = append(ts, tool{name: "magick", cmds: func(in input, out, _ string) [][]string {
			args := []string{p.convert, in.path, "-auto-orient", "-resize", "1536x1536>"}
			if ext == ".jpg" {
				// 4:2:0 as imgprep writes it (ImageMagick switches to
				// 4:4:4 at quality >= 90).
				args = append(args, "-quality", "90", "-sampling-factor", "4:2:0")
			}
			return [][]string{append(args, filepath.Join(out, "out"+ext))}
		}})
	}
	return ts
}

// passTools: a compliant input for gpt-image-1 (also with --verify
// headers when imgprep has that flag), and cp as the floor.
func passTools(p peers) []tool {
	ts := p.imgpreps("--model", "gpt-image-1")
	for i, t := range p.imgpreps("--model", "gpt-image-1", "--verify", "headers") {
		if p.verifyFlag[i] {
			t.name += " --verify headers"
			ts = append(ts, t)
		}
	}
	return append(ts, tool{name: "cp", ref: true, cmds: func(in input, out, _ string) [][]string {
		return [][]string{{"cp", in.path, filepath.Join(out, in.name)}}
	}})
}
