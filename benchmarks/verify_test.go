package benchmarks_test

import (
	"context"
	"sync"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
)

var (
	png1024Once sync.Once
	png1024     []byte
	png1024Err  error
)

// photoPNG1024 is a compliant 1024x1024 RGBA PNG of photo content: the
// dall-e-2 preparation of the 12 MP photo (padded to a square).
func photoPNG1024(b *testing.B) []byte {
	data := input(b, "jpeg-12mp")
	png1024Once.Do(func() {
		p, err := model.Lookup("dall-e-2")
		if err != nil {
			png1024Err = err
			return
		}
		out, err := pipeline.PrepareOne(context.Background(), pipeline.Input{Name: "p", Data: data}, p, pipeline.Options{})
		if err != nil {
			png1024Err = err
			return
		}
		png1024 = out.Data
	})
	if png1024Err != nil {
		b.Fatal(png1024Err)
	}
	return png1024
}

// BenchmarkVerify measures the PNG verification of a passthrough
// (codecs.VerifyPNG: chunks, CRCs and the inflated stream, no
// unfiltering) against the whole decode it replaces.
func BenchmarkVerify(b *testing.B) {
	ins := map[string]func(*testing.B) []byte{
		"png-1024-rgba":     photoPNG1024,
		"png-rgba-2048":     func(b *testing.B) []byte { return input(b, "png-rgba-2048") },
		"png-4k-screenshot": func(b *testing.B) []byte { return input(b, "png-4k-screenshot") },
	}
	for _, in := range []string{"png-1024-rgba", "png-rgba-2048", "png-4k-screenshot"} {
		for _, how := range []string{"verify", "decode"} {
			b.Run("in="+in+"/how="+how, func(b *testing.B) {
				data := ins[in](b)
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					var err error
					if how == "verify" {
						err = codecs.VerifyPNG(data, codecs.DecodeOptions{})
					} else {
						_, _, err = codecs.Decode(data, codecs.DecodeOptions{})
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
