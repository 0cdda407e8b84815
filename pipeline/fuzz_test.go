package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
)

// FuzzPrepare: any bytes either prepare into output that complies with
// the profile or fail with a typed error; never a panic.
func FuzzPrepare(f *testing.F) {
	seeds, _ := filepath.Glob("../testdata/codecs/*")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil && len(b) < 64<<10 {
			f.Add(b, uint8(0))
		}
	}
	models := []string{"dall-e-2", "gpt-image-1", "flux-kontext-pro"}
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		p, _ := model.Lookup(models[int(which)%len(models)])
		o := pipeline.Options{MaxPixels: 4 << 20, Fit: []pipeline.Fit{pipeline.FitPad, pipeline.FitCrop}[int(which/3)%2]}
		res, err := pipeline.PrepareOne(context.Background(), pipeline.Input{Name: "fuzz", Data: data}, p, o)
		if err != nil {
			return
		}
		if int64(len(res.Data)) >= p.MaxBytes || !p.Accepts(res.Format) {
			t.Fatalf("non-compliant output: %s %d bytes", res.Format, len(res.Data))
		}
		info, err := codecs.Probe(res.Data)
		if err != nil || info.Width != res.Width || info.Height != res.Height {
			t.Fatalf("output probe %+v %v, reported %dx%d", info, err, res.Width, res.Height)
		}
		if p.Square && info.Width != info.Height {
			t.Fatalf("%dx%d for a square model", info.Width, info.Height)
		}
	})
}
