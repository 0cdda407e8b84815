package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
)

// row is one line of the results table.
type row struct {
	job, input, tool string
	in               input // the input measured; zero for batch16
	ref              bool
	sum              summary
	bytes            int64
	psnr             float64 // agreement with the ref row's output; NaN when not measured
	ratio            float64 // wall time ÷ the ref row's; NaN when there is none
	err              error
}

// runJob runs one job over the inputs it applies to.
func (c *config) runJob(name string, ins []input) ([]row, error) {
	var rows []row
	for _, in := range ins {
		var ts []tool
		var exp expectation
		switch name {
		case "dall-e-2":
			if isHEIF(in) {
				continue // the heic and avif jobs' inputs
			}
			ts, exp = dalle2Tools(c.peers), dalle2Expect(in)
		case "heic", "avif":
			if string(in.info.Format) != name {
				continue
			}
			ts, exp = heifTools(c.peers, in), gptExpect(in)
		case "gpt-image-1":
			if !shrinks(in) {
				continue
			}
			ts, exp = gptTools(c.peers, in), gptExpect(in)
		case "jpeg-q85":
			if !shrinks(in) || in.info.Format != codecs.JPEG {
				continue
			}
			ts, exp = q85Tools(c.peers), gptExpect(in)
		case "webp":
			if !shrinks(in) {
				continue
			}
			ts, exp = webpTools(c.peers, in), webpExpect(in)
		case "passthrough":
			if !compliant(in) {
				continue
			}
			ts, exp = passTools(c.peers), passExpect(in)
		case "batch16":
			return c.batch(ins)
		default:
			return nil, fmt.Errorf("unknown job %q (want dall-e-2, gpt-image-1, jpeg-q85, webp, passthrough, batch16, heic or avif)", name)
		}
		rows = append(rows, c.bench(name, in, ts, exp)...)
	}
	if name == "heic" || name == "avif" {
		if len(rows) == 0 {
			c.notes = append(c.notes, fmt.Sprintf("%s skipped: no %s input (scripts/make-bench-heif.sh DIR makes them from the reference photo; then -heif-dir DIR).",
				name, strings.ToUpper(name)))
		} else {
			c.notes = append(c.notes, c.peers.heifNote(name))
		}
	}
	return rows, nil
}

// shrinks reports whether the gpt-image-1 job (long side 1536) has work to
// do on a JPEG or PNG input.
func shrinks(in input) bool {
	f := in.info.Format
	return (f == codecs.JPEG || f == codecs.PNG) && max(in.info.Width, in.info.Height) > 1536
}

// compliant reports whether gpt-image-1 takes the input as it is.
func compliant(in input) bool {
	p, err := model.Lookup("gpt-image-1")
	if err != nil {
		return false
	}
	pl, err := pipeline.NewPlan(in.info, int(in.size), p, pipeline.Options{})
	return err == nil && pl.Passthrough
}

// bench runs the tools on one input, checking every output against exp.
func (c *config) bench(job string, in input, ts []tool, exp expectation) []row {
	check := func(dir string) (int64, error) {
		f, err := outputFile(dir)
		if err != nil {
			return 0, err
		}
		return verify(f, in, exp)
	}
	return c.measure(job, in.name, in, ts, check, !exp.same)
}

// measure runs the tools in alternation, one warm-up round and c.runs
// timed rounds; check verifies each run's output directory and returns the
// output size. With psnr, outputs are compared with the ref row's.
func (c *config) measure(job, label string, in input, ts []tool, check func(dir string) (int64, error), psnr bool) []row {
	fmt.Fprintf(os.Stderr, "imgprep-bench: %s %s", job, label)
	base := filepath.Join(c.work, job, label)
	outs := make([]string, len(ts))
	samples := make([][]sample, len(ts))
	rows := make([]row, len(ts))
	for i, t := range ts {
		outs[i] = filepath.Join(base, strconv.Itoa(i))
		rows[i] = row{job: job, input: label, in: in, tool: t.name, ref: t.ref, psnr: math.NaN(), ratio: math.NaN()}
	}
	scratch := filepath.Join(base, "scratch")
	os.MkdirAll(scratch, 0o755)
	for r := 0; r <= c.runs; r++ {
		c.waitQuiet()
		for i, t := range ts {
			if rows[i].err != nil {
				continue
			}
			os.RemoveAll(outs[i])
			os.MkdirAll(outs[i], 0o755)
			s, err := launch(c.self, t.cmds(in, outs[i], scratch))
			var n int64
			if err == nil {
				n, err = check(outs[i])
			}
			if err != nil {
				rows[i].err = err
				continue
			}
			rows[i].bytes = n
			if r > 0 {
				samples[i] = append(samples[i], s)
			}
		}
		fmt.Fprint(os.Stderr, ".")
	}
	fmt.Fprintln(os.Stderr)
	for i := range rows {
		rows[i].sum = summarize(samples[i])
	}
	compare(rows, outs, psnr)
	return rows
}

// compare fills in the ratio to the ref row and, when psnr is set, the
// agreement of each output with the ref row's.
func compare(rows []row, outs []string, psnr bool) {
	ref := -1
	for i, r := range rows {
		if r.ref && r.err == nil {
			ref = i
		}
	}
	if ref < 0 {
		return
	}
	for i := range rows {
		if rows[i].err != nil {
			continue
		}
		rows[i].ratio = float64(rows[i].sum.wall) / float64(rows[ref].sum.wall)
		if !psnr || i == ref {
			continue
		}
		a, err1 := outputFile(outs[i])
		b, err2 := outputFile(outs[ref])
		if err1 == nil && err2 == nil {
			if v, err := agreement(a, b); err == nil {
				rows[i].psnr = v
			}
		}
	}
}

// batch prepares 16 inputs (the directory's, cycled) for one gpt-image-1
// request in one imgprep process; libvips runs its peer once per image,
// one process after another, for reference.
func (c *config) batch(ins []input) ([]row, error) {
	var big []input
	for _, in := range ins {
		if shrinks(in) {
			big = append(big, in)
		}
	}
	if len(big) == 0 {
		c.notes = append(c.notes, "batch16 skipped: no JPEG or PNG input with a side over 1536.")
		return nil, nil
	}
	dir := filepath.Join(c.work, "batch16-in")
	os.MkdirAll(dir, 0o755)
	var files []input
	for i := range 16 {
		in := big[i%len(big)]
		in.name = fmt.Sprintf("b%02d_%s", i, in.name)
		link := filepath.Join(dir, in.name)
		if err := os.Symlink(in.path, link); err != nil && !os.IsExist(err) {
			return nil, err
		}
		in.path = link
		files = append(files, in)
	}
	name := fmt.Sprintf("16 files (%d inputs cycled)", len(big))
	var ts []tool
	for _, t := range c.peers.imgpreps("--model", "gpt-image-1", "--max-side", "1536", "--upload-quality", "90") {
		ts = append(ts, tool{name: t.name, cmds: func(_ input, out, _ string) [][]string {
			argv := t.cmds(files[0], out, "")[0] // ends with the first file
			for _, f := range files[1:] {
				argv = append(argv, f.path)
			}
			return [][]string{argv}
		}})
	}
	if c.peers.vipsPrep != "" {
		ts = append(ts, tool{name: "libvips ×16 processes", ref: true, cmds: func(_ input, out, _ string) [][]string {
			var cmds [][]string
			for _, f := range files {
				level := "90"
				if outFormat(f) == codecs.PNG {
					level = "6"
				}
				cmds = append(cmds, []string{c.peers.vipsPrep, "long", "1536", f.path, batchOut(out, f), level})
			}
			return cmds
		}})
	}
	check := func(dir string) (int64, error) { return verifyBatch(dir, files) }
	return c.measure("batch16", name, input{}, ts, check, false), nil
}

// batchOut is the output path of input f in a batch: imgprep's naming.
func batchOut(dir string, f input) string {
	return filepath.Join(dir, strings.TrimSuffix(f.name, filepath.Ext(f.name))+outFormat(f).Ext())
}

// verifyBatch checks each input's output in a batch run and returns their
// total size.
func verifyBatch(dir string, files []input) (int64, error) {
	var total int64
	for _, f := range files {
		n, err := verify(batchOut(dir, f), f, gptExpect(f))
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}
