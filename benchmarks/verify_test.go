package benchmarks_test

import (
	"context"
	"strings"
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

// BenchmarkVerify measures codecs.Verify, the check of a passthrough
// (--verify decode), against the decode it replaces (how=decode): the
// entropy-coded data of a sequential JPEG walked without decoding
// (jpeg-12mp, the S7's 4:2:2 baseline photo; jpeg-16mp-o8) against the
// 1/8 decode that verified JPEGs before, a progressive JPEG (decoded at
// 1/8 either way: jpeg-12mp-420), and a PNG's chunks, CRCs and inflated
// stream without unfiltering against its whole decode (png-1024-rgba is
// the dall-e-2 preparation of the 12 MP photo, a compliant 1024x1024 RGBA
// PNG).
func BenchmarkVerify(b *testing.B) {
	ins := map[string]func(*testing.B) []byte{"png-1024-rgba": photoPNG1024}
	for _, in := range []string{"jpeg-12mp", "jpeg-16mp-o8", "jpeg-12mp-420", "png-1024-rgba", "png-rgba-2048", "png-4k-screenshot"} {
		load := ins[in]
		if load == nil {
			load = func(b *testing.B) []byte { return input(b, in) }
		}
		for _, how := range []string{"verify", "decode"} {
			b.Run("in="+in+"/how="+how, func(b *testing.B) {
				data := load(b)
				denom := 1
				if strings.HasPrefix(in, "jpeg") {
					denom = 8
				}
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					var err error
					if how == "verify" {
						err = codecs.Verify(data, codecs.DecodeOptions{})
					} else {
						_, _, err = codecs.Decode(data, codecs.DecodeOptions{ScaleDenom: denom})
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
