package main

import (
	"path/filepath"

	"github.com/imgprep/imgprep/codecs"
)

// webpLossless reports whether the webp job writes in losslessly: a PNG
// input (screenshots, graphics) is, a JPEG photo is not.
func webpLossless(in input) bool { return in.info.Format == codecs.PNG }

// webpTools: autorotate, long side 1536, WebP: lossy q80 for a JPEG input,
// lossless for a PNG one; libvips with its webpsave defaults otherwise.
func webpTools(p peers, in input) []tool {
	args, level := []string{"--upload-quality", "80"}, "80"
	if webpLossless(in) {
		args, level = []string{"--lossless"}, "lossless"
	}
	ts := p.imgpreps(append([]string{"--model", "gpt-image-1", "--max-side", "1536", "--upload-format", "webp"}, args...)...)
	return append(ts, longPeer(p, ".webp", level))
}

// q85Tools: the gpt-image-1 job on a JPEG photo at quality 85.
func q85Tools(p peers) []tool {
	ts := p.imgpreps("--model", "gpt-image-1", "--max-side", "1536", "--upload-quality", "85")
	return append(ts, longPeer(p, ".jpg", "85"))
}

// longPeer is the libvips ref row of a long-side-1536 job (gpt-image-1,
// jpeg-q85, webp) writing ext at level (JPEG or WebP quality, "lossless",
// PNG compression): the one-process peer, else the vips CLI.
func longPeer(p peers, ext, level string) tool {
	return tool{name: p.vipsName(), ref: true, cmds: func(in input, out, _ string) [][]string {
		dst := filepath.Join(out, "out"+ext)
		if p.vipsPrep != "" {
			return [][]string{{p.vipsPrep, "long", "1536", in.path, dst, level}}
		}
		opt := "[Q=" + level + ",strip]"
		switch {
		case level == "lossless":
			opt = "[lossless,strip]"
		case ext == ".jpg":
			opt = "[Q=" + level + ",subsample-mode=on,strip]"
		case ext == ".png":
			opt = "[compression=" + level + ",strip]"
		}
		return [][]string{{p.vips, "thumbnail", in.path, dst + opt, "1536", "--height", "1536"}}
	}}
}
