package benchmarks_test

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/imgprep/imgprep/codecs"
)

var update = flag.Bool("update", false, "regenerate testdata/bench fixtures")

// maxFixture bounds each generated fixture's size.
const maxFixture = 300 << 10

// fixtures are the generated inputs: what they must probe as, and how to
// make them.
var fixtures = []struct {
	file  string
	want  codecs.Info
	build func() ([]byte, error)
}{
	{"png16.png", codecs.Info{Format: codecs.PNG, Width: 640, Height: 480, BitDepth: 16, Color: codecs.ColorRGB},
		func() ([]byte, error) {
			var buf bytes.Buffer
			err := png.Encode(&buf, scene(640, 480, false))
			return buf.Bytes(), err
		}},
	{"rgba.webp", codecs.Info{Format: codecs.WebP, Width: 768, Height: 576, HasAlpha: true},
		func() ([]byte, error) {
			return codecs.EncodeBytes(scene(768, 576, true), codecs.EncodeOptions{Format: codecs.WebP, Lossless: true})
		}},
}

// TestFixtures checks the generated fixtures (and rewrites them with
// -update): format, size, depth and alpha as the benchmarks assume, each
// under maxFixture bytes.
func TestFixtures(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.file, func(t *testing.T) {
			path := filepath.Join("testdata", "bench", f.file)
			if *update {
				data, err := f.build()
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if len(data) > maxFixture {
				t.Errorf("%d bytes, over %d", len(data), maxFixture)
			}
			info, err := codecs.Probe(data)
			if err != nil {
				t.Fatal(err)
			}
			w := f.want
			if info.Format != w.Format || info.Width != w.Width || info.Height != w.Height || info.HasAlpha != w.HasAlpha ||
				(w.BitDepth != 0 && info.BitDepth != w.BitDepth) || (w.Color != "" && info.Color != w.Color) {
				t.Errorf("probe %+v, want %+v", info, w)
			}
		})
	}
}

// scene draws a smooth, photo-like 16-bit picture: a sky gradient, a sun,
// rolling hills with shading; with alpha, a soft-edged cut-out of it on a
// transparent background. Smooth content keeps the files small.
func scene(w, h int, alpha bool) *image.NRGBA64 {
	img := image.NewNRGBA64(image.Rect(0, 0, w, h))
	fw, fh := float64(w), float64(h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			u, v := float64(x)/fw, float64(y)/fh
			r, g, b := 0.35+0.3*v, 0.55+0.25*v, 0.95-0.2*v // sky
			if d := math.Hypot(u-0.72, v-0.25); d < 0.09 {
				k := 1 - d/0.09
				r, g, b = mix(r, 1, k), mix(g, 0.9, k), mix(b, 0.6, k)
			}
			if hill := 0.62 + 0.08*math.Sin(7*u) + 0.04*math.Sin(19*u+1); v > hill {
				s := 0.5 + 0.5*math.Sin(11*u+5*v)
				r, g, b = 0.2+0.15*s, 0.45+0.2*s-0.2*(v-hill), 0.15+0.1*s
			}
			a := 1.0
			if alpha {
				a = clamp01((0.42 - math.Hypot(u-0.5, (v-0.5)*fh/fw)) * 25)
			}
			img.SetNRGBA64(x, y, color.NRGBA64{q16(r), q16(g), q16(b), q16(a)})
		}
	}
	return img
}

func mix(a, b, k float64) float64 { return a + (b-a)*k }

func clamp01(v float64) float64 { return math.Max(0, math.Min(1, v)) }

func q16(v float64) uint16 { return uint16(math.Round(clamp01(v) * 65535)) }
