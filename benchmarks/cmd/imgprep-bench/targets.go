package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/imgprep/imgprep/codecs"
)

// Issue 12's targets, whole process, against libvips run side by side.
const (
	wallLimit      = 0.80 // every job
	phoneWallLimit = 0.60 // 12 and 16 MP phone JPEGs, dall-e-2 and gpt-image-1 (q90 and q85)
	losslessBytes  = 1.15 // PNG and lossless WebP outputs, against libvips'
	lossyPSNR      = 35.0 // dB, lossy outputs against libvips'
	passLimit      = 10 * time.Millisecond
)

// phoneJPEG reports whether in is a 12 or 16 MP JPEG, as phones write them.
func phoneJPEG(in input) bool {
	mp := float64(in.info.Pixels()) / 1e6
	return in.info.Format == codecs.JPEG && mp >= 11 && mp <= 17
}

// wallTarget is the wall-time limit of a job on an input, as a ratio to
// libvips'.
func wallTarget(job string, in input) float64 {
	switch job {
	case "dall-e-2", "gpt-image-1", "jpeg-q85":
		if phoneJPEG(in) {
			return phoneWallLimit
		}
	}
	return wallLimit
}

// lossless reports whether a job writes in without loss: every dall-e-2
// output is a PNG, gpt-image-1 keeps a PNG input PNG, and the webp job
// writes a PNG input losslessly.
func lossless(job string, in input) bool {
	switch job {
	case "dall-e-2":
		return true
	case "gpt-image-1":
		return outFormat(in) == codecs.PNG
	case "webp":
		return webpLossless(in)
	}
	return false
}

// passTarget reports whether the pass-through limit applies to in: a JPEG,
// or a PNG of at most 1024x1024 (a bigger PNG's zlib stream is more than
// 10 ms of inflating on its own).
func passTarget(in input) bool {
	return in.info.Format == codecs.JPEG || in.info.Format == codecs.PNG && in.info.Pixels() <= 1024*1024
}

// find returns the row of a tool on a job and input.
func find(rows []row, job, in, tool string) (row, bool) {
	for _, r := range rows {
		if r.job == job && (in == "" || r.input == in) && r.tool == tool && r.err == nil && r.sum.n > 0 {
			return r, true
		}
	}
	return row{}, false
}

// refRow returns the ref row of a job and input.
func refRow(rows []row, job, in string) (row, bool) {
	for _, r := range rows {
		if r.job == job && r.input == in && r.ref && r.err == nil && r.sum.n > 0 {
			return r, true
		}
	}
	return row{}, false
}

func mark(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

// jobTarget states the wall, RSS and bytes targets of one imgprep row
// against its libvips row.
func jobTarget(r, ref row, heicPath string) string {
	limit := wallTarget(r.job, r.in)
	tool := r.tool
	if r.job == "heic" || r.job == "avif" {
		path := heicPath
		if strings.HasSuffix(r.tool, "(wasm)") || path == "wasm" {
			path = "libheif in WebAssembly"
			if r.job == "avif" {
				path = "libavif in WebAssembly"
			}
		}
		tool += ", decoding with " + path
	}
	s := fmt.Sprintf("%s, %s, %s: wall %s = %.2fx %s (target <= %.2fx): %s; peak RSS %.1f vs %.1f MB (target <= libvips): %s",
		r.job, r.input, tool, ms(r.sum.wall), r.ratio, ref.tool, limit, mark(r.ratio <= limit),
		float64(r.sum.rss)/1e6, float64(ref.sum.rss)/1e6, mark(r.sum.rss <= ref.sum.rss))
	b := float64(r.bytes) / float64(ref.bytes)
	if lossless(r.job, r.in) {
		return s + fmt.Sprintf("; lossless, %s bytes = %.2fx (target <= %.2fx): %s.", thousands(r.bytes), b, losslessBytes, mark(b <= losslessBytes))
	}
	return s + fmt.Sprintf("; lossy, %s bytes = %.2fx, %.1f dB vs libvips (target >= %.0f dB): %s.", thousands(r.bytes), b, r.psnr, lossyPSNR, mark(r.psnr >= lossyPSNR))
}

// targets states each of the targets with the measured value.
func targets(rows []row, heicPath string) []string {
	var out []string
	for _, r := range rows {
		if r.err != nil || r.sum.n == 0 || r.ref || !strings.HasPrefix(r.tool, "imgprep") {
			continue
		}
		switch r.job {
		case "batch16":
			continue
		case "passthrough":
			target := "no target"
			if passTarget(r.in) {
				target = fmt.Sprintf("target <= %s: %s", ms(passLimit), mark(r.sum.wall <= passLimit))
			}
			out = append(out, fmt.Sprintf("passthrough, %s, %s: whole process %s (%s); CPU %s.",
				r.input, r.tool, ms(r.sum.wall), target, ms(r.sum.cpu)))
			continue
		}
		if ref, ok := refRow(rows, r.job, r.input); ok {
			out = append(out, jobTarget(r, ref, heicPath))
		}
	}
	for _, r := range rows {
		suffix, isCand := strings.CutPrefix(r.tool, "candidate") // "" or " (wasm)"
		if !isCand || r.err != nil || r.sum.n == 0 {
			continue
		}
		if ip, ok := find(rows, r.job, r.input, "imgprep"+suffix); ok {
			out = append(out, fmt.Sprintf("%s vs %s, %s %s: wall %s vs %s (%+.0f%%), CPU %s vs %s (%+.0f%%), RSS %.1f vs %.1f MB, %d vs %d bytes.",
				r.tool, ip.tool, r.job, r.input, ms(r.sum.wall), ms(ip.sum.wall), pct(r.sum.wall, ip.sum.wall),
				ms(r.sum.cpu), ms(ip.sum.cpu), pct(r.sum.cpu, ip.sum.cpu),
				float64(r.sum.rss)/1e6, float64(ip.sum.rss)/1e6, r.bytes, ip.bytes))
		}
	}
	if ip, ok := find(rows, "batch16", "", "imgprep"); ok {
		cw := float64(ip.sum.cpu) / float64(ip.sum.wall)
		out = append(out, fmt.Sprintf("batch16: %s wall, %s CPU, CPU/wall %.2f on 2 cores (target: both cores used, >= 1.5): %s.",
			ms(ip.sum.wall), ms(ip.sum.cpu), cw, mark(cw >= 1.5)))
	}
	return out
}

// pct is the change from b to a in percent.
func pct(a, b time.Duration) float64 { return 100 * (float64(a)/float64(b) - 1) }
