package main

import (
	"fmt"
	"strings"
	"time"
)

// targetInput is the input the targets are stated on: the 12 MP
// 4:2:2 photo, else the first JPEG measured.
func targetInput(rows []row) string {
	first := ""
	for _, r := range rows {
		jpeg := strings.HasSuffix(r.input, ".jpg") || strings.HasSuffix(r.input, ".jpeg")
		if jpeg && strings.HasPrefix(r.input, "photo12_s7edge") {
			return r.input
		}
		if first == "" && jpeg {
			first = r.input
		}
	}
	return first
}

// heicLimit is issue 11's target: a 12 MP HEIC to a 1536 px JPEG within
// twice libvips' wall time.
const heicLimit = 2.0

// heicTargets states the HEIC target for every imgprep row of the heic
// job (each input, each decode path).
func heicTargets(rows []row, heicPath string) []string {
	var out []string
	for _, r := range rows {
		if r.job != "heic" || r.err != nil || r.sum.n == 0 || r.ref || !strings.HasPrefix(r.tool, "imgprep") {
			continue
		}
		ref, ok := refRow(rows, r.job, r.input)
		if !ok {
			continue
		}
		path := heicPath
		if strings.HasSuffix(r.tool, "(wasm)") || path == "wasm" {
			path = "libheif in WebAssembly"
		}
		out = append(out, fmt.Sprintf("heic, %s, %s, decoding with %s: wall %s = %.2fx %s (target <= %.2fx): %s; CPU %s vs %s; peak RSS %.1f MB vs %.1f MB.",
			r.input, r.tool, path, ms(r.sum.wall), r.ratio, ref.tool, heicLimit, mark(r.ratio <= heicLimit),
			ms(r.sum.cpu), ms(ref.sum.cpu), float64(r.sum.rss)/1e6, float64(ref.sum.rss)/1e6))
	}
	return out
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

// targets states each of the targets with the measured value.
func targets(rows []row, heicPath string) []string {
	var out []string
	in := targetInput(rows)
	for _, t := range []struct {
		job   string
		limit float64
		rss   bool
	}{{"dall-e-2", 0.6, true}, {"gpt-image-1", 0.7, false}} {
		ip, ok1 := find(rows, t.job, in, "imgprep")
		ref, ok2 := refRow(rows, t.job, in)
		if !ok1 || !ok2 {
			continue
		}
		s := fmt.Sprintf("%s, %s: wall %s = %.2fx %s (target <= %.2fx): %s", t.job, in, ms(ip.sum.wall),
			ip.ratio, ref.tool, t.limit, mark(ip.ratio <= t.limit))
		if c1, ok := find(rows, t.job, in, ref.tool+" c1"); ok {
			s += fmt.Sprintf("; %.2fx %s", float64(ip.sum.wall)/float64(c1.sum.wall), c1.tool)
		}
		if t.rss {
			s += fmt.Sprintf("; peak RSS %.1f MB vs %.1f MB (target <= libvips): %s",
				float64(ip.sum.rss)/1e6, float64(ref.sum.rss)/1e6, mark(ip.sum.rss <= ref.sum.rss))
		}
		out = append(out, s+".")
	}
	for _, r := range rows {
		if r.job == "passthrough" && r.tool == "imgprep" && r.err == nil && r.sum.n > 0 {
			out = append(out, fmt.Sprintf("passthrough, %s: whole process %s (target < 5 ms): %s; CPU %s.",
				r.input, ms(r.sum.wall), mark(r.sum.wall.Milliseconds() < 5), ms(r.sum.cpu)))
		}
	}
	out = append(out, heicTargets(rows, heicPath)...)
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
