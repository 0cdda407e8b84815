package benchmarks_test

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
)

// prepareCases are the end-to-end cases: model, input, options, and whether
// the input must pass through untouched.
var prepareCases = []struct {
	model, in, variant string
	opts               pipeline.Options
	pass               bool
}{
	{model: "dall-e-2", in: "jpeg-12mp"},
	{model: "dall-e-2", in: "jpeg-16mp-o8"},
	{model: "dall-e-2", in: "png-4k-screenshot"},
	{model: "dall-e-2", in: "png-rgba-2048"},
	{model: "dall-e-2", in: "webp-rgba"},
	{model: "gpt-image-1", in: "jpeg-12mp", opts: pipeline.Options{MaxSide: 1536}},
	{model: "gpt-image-1", in: "jpeg-12mp-420", opts: pipeline.Options{MaxSide: 1536}},
	{model: "gpt-image-1", in: "jpeg-16mp-o8", opts: pipeline.Options{MaxSide: 1536}},
	{model: "gpt-image-1", in: "png-4k-screenshot", opts: pipeline.Options{MaxSide: 1536}},
	{model: "gpt-image-1", in: "png16"},
	{model: "gpt-image-1", in: "webp-rgba", variant: "force", opts: pipeline.Options{Reencode: true}},
	{model: "gpt-image-1", in: "passthrough-jpeg", variant: "verify=headers", opts: pipeline.Options{Verify: pipeline.VerifyHeaders}, pass: true},
	{model: "gpt-image-1", in: "passthrough-jpeg", variant: "verify=decode", pass: true},
}

// BenchmarkPrepare measures PrepareOne end to end (bytes in, bytes out).
// cpu-ns/op is the process CPU time per operation, all threads: on a busy
// machine it is steadier than ns/op.
func BenchmarkPrepare(b *testing.B) {
	for _, c := range prepareCases {
		name := fmt.Sprintf("model=%s/in=%s", c.model, c.in)
		if c.variant != "" {
			name += "/" + c.variant
		}
		b.Run(name, func(b *testing.B) {
			p, err := model.Lookup(c.model)
			if err != nil {
				b.Fatal(err)
			}
			in := pipeline.Input{Name: c.in, Data: input(b, c.in)}
			ctx := context.Background()
			b.ReportAllocs()
			b.SetBytes(int64(len(in.Data)))
			var out *pipeline.Prepared
			cpu0 := cpuTime()
			for b.Loop() {
				if out, err = pipeline.PrepareOne(ctx, in, p, c.opts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
			if out.Passthrough != c.pass {
				b.Fatalf("passthrough %v, want %v", out.Passthrough, c.pass)
			}
			b.ReportMetric(float64(len(out.Data)), "out-bytes")
		})
	}
}

// BenchmarkPrepareBatch16 prepares 16 images for one gpt-image-1 request
// (long side 1536) with Prepare, and reports the process CPU time over the
// wall time: about GOMAXPROCS when every core is busy.
func BenchmarkPrepareBatch16(b *testing.B) {
	sets := []struct {
		name string
		ins  []string
		opts pipeline.Options
	}{
		{"photos", []string{"jpeg-12mp", "jpeg-12mp-420", "jpeg-16mp-o8", "png-4k-screenshot", "png-rgba-2048"},
			pipeline.Options{MaxSide: 1536}},
		{"fixtures", []string{"png16", "webp-rgba"}, pipeline.Options{MaxSide: 512}},
	}
	p, err := model.Lookup("gpt-image-1")
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range sets {
		b.Run("in="+s.name, func(b *testing.B) {
			batch := make([]pipeline.Input, 16)
			var size int64
			for i := range batch {
				name := s.ins[i%len(s.ins)]
				batch[i] = pipeline.Input{Name: fmt.Sprintf("%d-%s", i, name), Data: input(b, name)}
				size += int64(len(batch[i].Data))
			}
			ctx := context.Background()
			b.ReportAllocs()
			b.SetBytes(size)
			cpu0, wall0 := cpuTime(), time.Now()
			for b.Loop() {
				if _, err := pipeline.Prepare(ctx, batch, p, s.opts); err != nil {
					b.Fatal(err)
				}
			}
			cpu, wall := cpuTime()-cpu0, time.Since(wall0)
			b.ReportMetric(float64(cpu)/float64(wall), "cpu/wall")
			b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
