package raster_test

import (
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/imgprep/imgprep/internal/testcorpus"
)

// generic hides an image's concrete type so that Resize takes its generic
// (color.Color) path.
type generic struct{ image.Image }

var photo struct {
	once sync.Once
	img  image.Image
	err  error
}

// loadPhoto decodes the shared 12 MP benchmark photo (4:2:2 *image.YCbCr),
// skipping when it is absent.
func loadPhoto(tb testing.TB) *image.YCbCr {
	tb.Helper()
	path := filepath.Join(testcorpus.SharedDir(tb), "bench-photos", "photo12_s7edge.jpg")
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("%s absent", path)
	}
	photo.once.Do(func() {
		f, err := os.Open(path)
		if err != nil {
			photo.err = err
			return
		}
		defer f.Close()
		photo.img, photo.err = jpeg.Decode(f)
	})
	if photo.err != nil {
		tb.Fatal(photo.err)
	}
	return photo.img.(*image.YCbCr)
}

// synth draws a photo-like test image: smooth gradients, a sine pattern,
// hard-edged shapes and mild deterministic noise; alpha varies when
// withAlpha is set.
func synth(w, h int, withAlpha bool) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	seed := uint32(12345)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			r := 128 + 100*math.Sin(6*fx+2*fy)
			g := 255 * fy
			b := 128 + 90*math.Cos(40*fx*fy)
			if (x/(w/8+1)+y/(h/6+1))%2 == 0 { // checker of big blocks
				r, g = 255-r, 255-g
			}
			if (x-w/2)*(x-w/2)+(y-h/2)*(y-h/2) < (h/4)*(h/4) { // hard disc
				r, g, b = 20, 200, 60
			}
			seed = seed*1664525 + 1013904223
			n := float64(seed>>24)/32 - 4
			a := 255.0
			if withAlpha {
				a = 255 * (0.5 + 0.5*math.Sin(3*fx+5*fy))
				if x < w/5 {
					a = 0
				}
			}
			m.Pix[y*m.Stride+4*x+0] = clampF(r + n)
			m.Pix[y*m.Stride+4*x+1] = clampF(g + n)
			m.Pix[y*m.Stride+4*x+2] = clampF(b + n)
			m.Pix[y*m.Stride+4*x+3] = clampF(a)
		}
	}
	return m
}

func clampF(v float64) uint8 {
	return uint8(math.Round(math.Max(0, math.Min(255, v))))
}

// toYCbCr converts an opaque NRGBA image to YCbCr with the given chroma
// subsampling, averaging chroma over each block as JPEG encoders do.
func toYCbCr(src *image.NRGBA, r image.YCbCrSubsampleRatio) *image.YCbCr {
	b := src.Bounds()
	m := image.NewYCbCr(b, r)
	sums := make(map[int][3]int)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := src.NRGBAAt(x, y)
			yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			m.Y[m.YOffset(x, y)] = yy
			s := sums[m.COffset(x, y)]
			sums[m.COffset(x, y)] = [3]int{s[0] + int(cb), s[1] + int(cr), s[2] + 1}
		}
	}
	for i, s := range sums {
		m.Cb[i], m.Cr[i] = uint8((s[0]+s[2]/2)/s[2]), uint8((s[1]+s[2]/2)/s[2])
	}
	return m
}

// psnr compares the colour channels of two same-sized images, weighting
// each by alpha (so fully transparent pixels, whose colour is meaningless,
// do not count) plus the alpha channel itself.
func psnr(a, b *image.NRGBA) float64 {
	if a.Rect != b.Rect {
		return math.Inf(-1)
	}
	var se, n float64
	for i := 0; i+3 < len(a.Pix); i += 4 {
		wa := (float64(a.Pix[i+3]) + float64(b.Pix[i+3])) / 510
		for c := 0; c < 3; c++ {
			d := float64(a.Pix[i+c]) - float64(b.Pix[i+c])
			se += d * d * wa
		}
		d := float64(a.Pix[i+3]) - float64(b.Pix[i+3])
		se += d * d
		n += 4
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(se/n))
}

// maxDiff returns the largest absolute channel difference of two images,
// ignoring colour where both pixels are fully transparent.
func maxDiff(a, b *image.NRGBA) int {
	m := 0
	for i := 0; i+3 < len(a.Pix); i += 4 {
		for c := 0; c < 4; c++ {
			if c < 3 && a.Pix[i+3] == 0 && b.Pix[i+3] == 0 {
				continue
			}
			d := int(a.Pix[i+c]) - int(b.Pix[i+c])
			m = max(m, d, -d)
		}
	}
	return m
}
