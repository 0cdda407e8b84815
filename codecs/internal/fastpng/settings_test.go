package fastpng_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // for image.Decode
	"image/png"
	"os"
	"testing"

	"github.com/imgprep/imgprep/codecs/internal/fastpng"
	"github.com/imgprep/imgprep/internal/raster"
)

// dalle2Canvas is the dall-e-2 job's canvas for a shared benchmark input:
// fitted inside 1024x1024 and centred on transparency. It skips when the
// input is absent.
func dalle2Canvas(tb testing.TB, name string) *image.NRGBA {
	tb.Helper()
	path := sharedFile(tb, name)
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	src, _, err := image.Decode(f) // JPEG or PNG
	if err != nil {
		tb.Fatal(err)
	}
	w, h := src.Bounds().Dx(), src.Bounds().Dy()
	if w >= h {
		w, h = 1024, h*1024/w
	} else {
		w, h = w*1024/h, 1024
	}
	return raster.Place(raster.Resize(src, w, h), 1024, 1024, image.Pt((1024-w)/2, (1024-h)/2), color.NRGBA{})
}

var settingInputs = []string{"photo12_s7edge.jpg", "photo16_leicat_o8.jpg", "photo12_immich_420.jpg", "rgba_paper_2048.png", "screenshot_4k.png"}

// BenchmarkSettings measures the flate levels and filters Level 0 was
// chosen from on the dall-e-2 canvases of the shared inputs; bytes is the
// zlib stream's size.
func BenchmarkSettings(b *testing.B) {
	for _, in := range settingInputs {
		b.Run("in="+in, func(b *testing.B) {
			img := dalle2Canvas(b, in)
			for _, flate := range []int{3, 4, 6, 7} {
				for _, adaptive := range []bool{true, false} {
					filter := map[bool]string{true: "adaptive", false: "none"}[adaptive]
					b.Run(fmt.Sprintf("flate=%d/filter=%s", flate, filter), func(b *testing.B) {
						var buf bytes.Buffer
						c0 := cpuNow()
						for b.Loop() {
							buf.Reset()
							if err := fastpng.EncodeWith(&buf, img, flate, adaptive); err != nil {
								b.Fatal(err)
							}
						}
						b.ReportMetric(float64(buf.Len()), "bytes")
						b.ReportMetric(float64(cpuNow()-c0)/float64(b.N)/1e6, "cpu-ms/op")
					})
				}
			}
		})
	}
}

// TestDefaultLevelPhotos checks what Level 0's flate 6 was chosen for, on
// the dall-e-2 canvases: smaller than flate 3 with the same filters on
// every input, and pixels exact.
func TestDefaultLevelPhotos(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	for _, in := range settingInputs {
		img := dalle2Canvas(t, in)
		var def, f3 bytes.Buffer
		if err := fastpng.Encode(&def, img, fastpng.Options{KeepAlpha: true, Parallel: true}); err != nil {
			t.Fatal(err)
		}
		if err := fastpng.EncodeWith(&f3, img, 3, true); err != nil {
			t.Fatal(err)
		}
		// EncodeWith writes the zlib stream only; the file adds ~70 bytes.
		if def.Len() > f3.Len() {
			t.Errorf("%s: level 0 %d bytes > flate 3's %d", in, def.Len(), f3.Len())
		}
		got, err := png.Decode(&def)
		if err != nil {
			t.Fatal(err)
		}
		if n, ok := got.(*image.NRGBA); !ok || !bytes.Equal(n.Pix, img.Pix) {
			t.Errorf("%s: decoded pixels differ", in)
		}
	}
}
