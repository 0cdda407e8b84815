package main

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/imgprep/imgprep/codecs"
)

func mkRow(job string, in input, tool string, ref bool, wall time.Duration, ratio float64, rss, bytes int64, psnr float64) row {
	return row{job: job, input: in.name, in: in, tool: tool, ref: ref, ratio: ratio, psnr: psnr, bytes: bytes,
		sum: summary{wall: wall, cpu: wall, rss: rss, n: 3}}
}

// TestTargets: the limits of issue 12 picked per job and input, and each
// stated met or MISSED with the measured values.
func TestTargets(t *testing.T) {
	phone := input{name: "p12.jpg", info: codecs.Info{Format: codecs.JPEG, Width: 4032, Height: 3024}}
	big := input{name: "p24.jpg", info: codecs.Info{Format: codecs.JPEG, Width: 6035, Height: 3997}}
	shot := input{name: "s.png", info: codecs.Info{Format: codecs.PNG, Width: 3840, Height: 2160}}
	small := input{name: "r.png", info: codecs.Info{Format: codecs.PNG, Width: 1024, Height: 1024, HasAlpha: true}}
	heic := input{name: "a.heic", info: codecs.Info{Format: codecs.HEIC, Width: 4032, Height: 3024}}
	ms := time.Millisecond
	rows := []row{
		// 0.70x on a phone JPEG misses 0.60x; on the 24 MP one it meets 0.80x.
		mkRow("dall-e-2", phone, "imgprep", false, 70*ms, 0.70, 40e6, 1000, 50),
		mkRow("dall-e-2", phone, "libvips", true, 100*ms, 1, 50e6, 1000, math.NaN()),
		mkRow("dall-e-2", big, "imgprep", false, 70*ms, 0.70, 40e6, 1100, 50),
		mkRow("dall-e-2", big, "libvips", true, 100*ms, 1, 50e6, 1000, math.NaN()),
		// More RSS and 1.2x the bytes of a lossless output.
		mkRow("webp", shot, "imgprep", false, 70*ms, 0.70, 60e6, 1200, 50),
		mkRow("webp", shot, "libvips", true, 100*ms, 1, 50e6, 1000, math.NaN()),
		// Lossy: the PSNR guard.
		mkRow("webp", phone, "imgprep", false, 70*ms, 0.70, 40e6, 900, 34),
		mkRow("webp", phone, "libvips", true, 100*ms, 1, 50e6, 1000, math.NaN()),
		mkRow("heic", heic, "imgprep (wasm)", false, 300*ms, 3, 40e6, 1000, 47),
		mkRow("heic", heic, "libvips", true, 100*ms, 1, 50e6, 1000, math.NaN()),
		mkRow("passthrough", small, "imgprep", false, 9*ms, 3, 20e6, 1000, math.NaN()),
		mkRow("passthrough", shot, "imgprep", false, 90*ms, 30, 20e6, 1000, math.NaN()),
		mkRow("passthrough", shot, "cp", true, 3*ms, 1, 5e6, 1000, math.NaN()),
	}
	got := targets(rows, "system libheif 1.15")
	want := []string{
		"dall-e-2, p12.jpg, imgprep: wall 70 ms = 0.70x libvips (target <= 0.60x): MISSED; peak RSS 40.0 vs 50.0 MB (target <= libvips): met; lossless, 1,000 bytes = 1.00x (target <= 1.15x): met.",
		"dall-e-2, p24.jpg, imgprep: wall 70 ms = 0.70x libvips (target <= 0.80x): met; peak RSS 40.0 vs 50.0 MB (target <= libvips): met; lossless, 1,100 bytes = 1.10x (target <= 1.15x): met.",
		"webp, s.png, imgprep: wall 70 ms = 0.70x libvips (target <= 0.80x): met; peak RSS 60.0 vs 50.0 MB (target <= libvips): MISSED; lossless, 1,200 bytes = 1.20x (target <= 1.15x): MISSED.",
		"webp, p12.jpg, imgprep: wall 70 ms = 0.70x libvips (target <= 0.80x): met; peak RSS 40.0 vs 50.0 MB (target <= libvips): met; lossy, 900 bytes = 0.90x, 34.0 dB vs libvips (target >= 35 dB): MISSED.",
		"heic, a.heic, imgprep (wasm), decoding with libheif in WebAssembly: wall 300 ms = 3.00x libvips (target <= 0.80x): MISSED; peak RSS 40.0 vs 50.0 MB (target <= libvips): met; lossy, 1,000 bytes = 1.00x, 47.0 dB vs libvips (target >= 35 dB): met.",
		"passthrough, r.png, imgprep: whole process 9.0 ms (target <= 10 ms: met); CPU 9.0 ms.",
		"passthrough, s.png, imgprep: whole process 90 ms (no target); CPU 90 ms.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("targets:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestNewJobTools: the webp job writes lossy q80 from a JPEG and lossless
// from a PNG, jpeg-q85 quality 85, with libvips as the ref.
func TestNewJobTools(t *testing.T) {
	p := peers{imgprep: "/bin/imgprep", vipsPrep: "/bin/vips_prep"}
	jpg := input{path: "/in/a.jpg", name: "a.jpg", info: codecs.Info{Format: codecs.JPEG, Width: 4032, Height: 3024}}
	png := input{path: "/in/b.png", name: "b.png", info: codecs.Info{Format: codecs.PNG, Width: 3840, Height: 2160}}
	for _, c := range []struct {
		ts       []tool
		in       input
		ip, vips string
	}{
		{webpTools(p, jpg), jpg, "/bin/imgprep prep --model gpt-image-1 --max-side 1536 --upload-format webp --upload-quality 80 -o /out --force /in/a.jpg", "/bin/vips_prep long 1536 /in/a.jpg /out/out.webp 80"},
		{webpTools(p, png), png, "/bin/imgprep prep --model gpt-image-1 --max-side 1536 --upload-format webp --lossless -o /out --force /in/b.png", "/bin/vips_prep long 1536 /in/b.png /out/out.webp lossless"},
		{q85Tools(p), jpg, "/bin/imgprep prep --model gpt-image-1 --max-side 1536 --upload-quality 85 -o /out --force /in/a.jpg", "/bin/vips_prep long 1536 /in/a.jpg /out/out.jpg 85"},
	} {
		if len(c.ts) != 2 || c.ts[0].ref || !c.ts[1].ref {
			t.Fatalf("%d tools, want imgprep and the libvips ref", len(c.ts))
		}
		if got := strings.Join(c.ts[0].cmds(c.in, "/out", "/tmp")[0], " "); got != c.ip {
			t.Errorf("imgprep: %s\nwant %s", got, c.ip)
		}
		if got := strings.Join(c.ts[1].cmds(c.in, "/out", "/tmp")[0], " "); got != c.vips {
			t.Errorf("libvips: %s\nwant %s", got, c.vips)
		}
	}
}
