package codecs_test

import (
	"testing"

	"github.com/imgprep/imgprep/codecs"
)

// BenchmarkProbe measures header probing on generated fixtures; it should
// be allocation-free or nearly so, whatever the declared size.
func BenchmarkProbe(b *testing.B) {
	for _, name := range []string{"png-exif-orient6.png", "png-bomb-65536.png", "jpeg-xmp-then-exif-orient3.jpg",
		"webp-exif-orient8.webp", "webp-anim-offset-frame.webp", "gif-anim-small-first-frame.gif"} {
		var data []byte
		for _, f := range buildFixtures(b) {
			if f.name == name {
				data = f.data
			}
		}
		b.Run("in="+name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := codecs.Probe(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
