package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"
)

var header = []string{"job", "input", "tool", "wall", "CPU", "CPU/wall", "peak RSS", "output bytes", "wall ÷ ref", "PSNR vs ref"}

// report prints the machine, the table, the targets and the notes.
func report(w io.Writer, c *config, e env, rows []row) {
	if c.markdown {
		fmt.Fprintf(w, "Measured %s on %d cores (%s), %s RAM, Linux %s, %s.\n", e.date, e.cores, e.cpu, e.mem, e.kernel, e.goVersion)
		fmt.Fprintf(w, "Peers: %s; %s. Load average before/after: %s / %s.\n", or(e.vips, "no vips CLI"), or(e.magick, "no ImageMagick"), e.loadBefore, e.loadAfter)
		dirs := "`" + c.dir + "`"
		if c.extraDir != "" {
			dirs += " and `" + c.extraDir + "` (scripts/make-bench-inputs.sh)"
		}
		if c.heifDir != "" {
			dirs += " and `" + c.heifDir + "` (HEIC, AVIF: scripts/make-bench-heif.sh)"
		}
		fmt.Fprintf(w, "Inputs: %s; %d timed runs per tool after one warm-up, tools in alternation.\n\n", dirs, c.runs)
	}
	table(w, c.markdown, rows)
	fmt.Fprintln(w)
	bullet := ""
	if c.markdown {
		bullet = "- "
		fmt.Fprintln(w, "Targets (imgprep, whole process):")
		fmt.Fprintln(w)
	}
	for _, t := range targets(rows, c.peers.heicPath) {
		fmt.Fprintln(w, bullet+t)
	}
	if c.waitQuietMax > 0 {
		fmt.Fprintf(w, "%s%d rounds started on an idle machine, %d still busy after waiting %v (-wait-quiet).\n",
			bullet, c.quietRounds, c.busyRounds, c.waitQuietMax)
	}
	for _, n := range c.notes {
		fmt.Fprintln(w, bullet+"Note: "+n)
	}
}

// table prints the rows as Markdown or as aligned text.
func table(w io.Writer, md bool, rows []row) {
	cells := make([][]string, 0, len(rows))
	for _, r := range rows {
		cells = append(cells, r.cells())
	}
	if md {
		fmt.Fprintln(w, "| "+strings.Join(header, " | ")+" |")
		fmt.Fprintln(w, "|"+strings.Repeat("---|", 3)+strings.Repeat("--:|", len(header)-3))
		for _, c := range cells {
			fmt.Fprintln(w, "| "+strings.Join(c, " | ")+" |")
		}
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(header, "\t")+"\t")
	for _, c := range cells {
		fmt.Fprintln(tw, strings.Join(c, "\t")+"\t")
	}
	tw.Flush()
}

// cells formats a row.
func (r row) cells() []string {
	if r.err != nil {
		return []string{r.job, r.input, r.tool, "failed: " + strings.ReplaceAll(r.err.Error(), "|", "/"), "", "", "", "", "", ""}
	}
	ratio := "-"
	if !math.IsNaN(r.ratio) {
		ratio = fmt.Sprintf("%.2f", r.ratio)
		if r.ref {
			ratio = "ref"
		}
	}
	psnr := "-"
	switch {
	case math.IsInf(r.psnr, 1):
		psnr = "identical"
	case !math.IsNaN(r.psnr):
		psnr = fmt.Sprintf("%.1f dB", r.psnr)
	}
	cw := "-"
	if r.sum.wall > 0 {
		cw = fmt.Sprintf("%.2f", float64(r.sum.cpu)/float64(r.sum.wall))
	}
	return []string{r.job, r.input, r.tool, ms(r.sum.wall), ms(r.sum.cpu), cw,
		fmt.Sprintf("%.1f MB", float64(r.sum.rss)/1e6), thousands(r.bytes), ratio, psnr}
}

// ms formats a duration in milliseconds (one decimal under 10 ms).
func ms(d time.Duration) string {
	v := float64(d) / 1e6
	if v < 10 {
		return fmt.Sprintf("%.1f ms", v)
	}
	return fmt.Sprintf("%.0f ms", v)
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func or(s, alt string) string {
	if s == "" || s == "?" {
		return alt
	}
	return s
}
