package raster_test

import (
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/disintegration/imaging"
	"github.com/imgprep/imgprep/internal/raster"
	"github.com/imgprep/imgprep/internal/testcorpus"
)

// cpuNow is the process's user+system CPU time: on a shared machine it
// measures work better than wall time does.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type benchSrc struct {
	name string
	img  image.Image
}

var benchCache []benchSrc

// benchSources returns 12 MP inputs of each main type: the shared photos
// (4:2:2 and 4:2:0 YCbCr) when present, else a synthetic 4:2:2 image, and
// conversions of the first to NRGBA (opaque and with alpha) and Gray.
func benchSources(b *testing.B) []benchSrc {
	if benchCache != nil {
		return benchCache
	}
	dir := filepath.Join(testcorpus.RepoRoot(b), "..", "shared", "bench-photos")
	var ycc *image.YCbCr
	if f, err := os.Open(filepath.Join(dir, "photo12_s7edge.jpg")); err == nil {
		img, err := jpeg.Decode(f)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		ycc = img.(*image.YCbCr)
	} else {
		ycc = toYCbCr(synth(4032, 3024, false), image.YCbCrSubsampleRatio422)
	}
	srcs := []benchSrc{{"ycbcr422-12mp", ycc}}
	if f, err := os.Open(filepath.Join(dir, "photo12_immich_420.jpg")); err == nil {
		if img, err := jpeg.Decode(f); err == nil {
			srcs = append(srcs, benchSrc{"ycbcr420-12mp", img})
		}
		f.Close()
	}
	nrgba := raster.ToNRGBA(ycc)
	alpha := image.NewNRGBA(nrgba.Rect)
	copy(alpha.Pix, nrgba.Pix)
	for i := 3; i < len(alpha.Pix); i += 4 {
		alpha.Pix[i] = uint8(i / 4096)
	}
	gray := image.NewGray(ycc.Rect)
	for y := 0; y < ycc.Rect.Dy(); y++ {
		copy(gray.Pix[y*gray.Stride:], ycc.Y[y*ycc.YStride:y*ycc.YStride+ycc.Rect.Dx()])
	}
	benchCache = append(srcs, benchSrc{"nrgba-opaque-12mp", nrgba}, benchSrc{"nrgba-alpha-12mp", alpha},
		benchSrc{"gray-12mp", gray})
	return benchCache
}

// dstSize scales the source's aspect ratio to a long side of n.
func dstSize(img image.Image, n int) (int, int) {
	b := img.Bounds()
	if b.Dx() >= b.Dy() {
		return n, max(1, b.Dy()*n/b.Dx())
	}
	return max(1, b.Dx()*n/b.Dy()), n
}

// bench16Sources returns 16-bit versions of the opaque NRGBA and the Gray
// sources (image/png's types for 16-bit RGB and grey files), which go
// through the converted-row path.
func bench16Sources(b *testing.B) []benchSrc {
	var out []benchSrc
	for _, s := range benchSources(b) {
		switch m := s.img.(type) {
		case *image.NRGBA:
			if s.name != "nrgba-opaque-12mp" {
				continue
			}
			d := image.NewRGBA64(m.Rect)
			for i, v := range m.Pix {
				d.Pix[2*i], d.Pix[2*i+1] = v, v
			}
			out = append(out, benchSrc{"rgba64-12mp", d})
		case *image.Gray:
			d := image.NewGray16(m.Rect)
			for i, v := range m.Pix {
				d.Pix[2*i], d.Pix[2*i+1] = v, v
			}
			out = append(out, benchSrc{"gray16-12mp", d})
		}
	}
	return out
}

func benchResize(b *testing.B, srcs []benchSrc, resize func(image.Image, int, int) image.Image, sizes ...int) {
	for _, s := range srcs {
		for _, n := range sizes {
			w, h := dstSize(s.img, n)
			b.Run("src="+s.name+"/dst="+itoa(n), func(b *testing.B) {
				b.ReportAllocs()
				c0 := cpuNow()
				for b.Loop() {
					resize(s.img, w, h)
				}
				b.ReportMetric(float64(cpuNow()-c0)/float64(b.N)/1e6, "cpu-ms/op")
			})
		}
	}
}

// BenchmarkResize: 12 MP sources to a long side of 1024 and 2048.
func BenchmarkResize(b *testing.B) {
	benchResize(b, benchSources(b), resize, 1024, 2048)
}

// BenchmarkResize16: 16-bit 12 MP sources to a long side of 1024.
func BenchmarkResize16(b *testing.B) {
	benchResize(b, bench16Sources(b), resize, 1024)
}

func resize(img image.Image, w, h int) image.Image { return raster.Resize(img, w, h) }

// BenchmarkResizeImaging is the reference: imaging.Resize with Lanczos.
func BenchmarkResizeImaging(b *testing.B) {
	benchResize(b, benchSources(b), func(img image.Image, w, h int) image.Image {
		return imaging.Resize(img, w, h, imaging.Lanczos)
	}, 1024)
}

func itoa(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// BenchmarkResizeYCbCr: the 12 MP YCbCr photos straight to 4:2:0 planes
// at a long side of 1536 (the JPEG-to-JPEG path), upright and under
// orientation 6, next to Resize's RGB result at the same size.
func BenchmarkResizeYCbCr(b *testing.B) {
	for _, s := range benchSources(b) {
		ycc, ok := s.img.(*image.YCbCr)
		if !ok {
			continue
		}
		w, h := dstSize(ycc, 1536)
		for _, o := range []int{1, 6} {
			b.Run("src="+s.name+"/dst=1536/o="+itoa(o), func(b *testing.B) {
				b.ReportAllocs()
				c0 := cpuNow()
				for b.Loop() {
					if _, err := raster.ResizeYCbCrOriented(ycc, w, h, o, nil); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(cpuNow()-c0)/float64(b.N)/1e6, "cpu-ms/op")
			})
		}
		b.Run("src="+s.name+"/dst=1536/rgb", func(b *testing.B) {
			b.ReportAllocs()
			c0 := cpuNow()
			for b.Loop() {
				raster.Resize(ycc, w, h)
			}
			b.ReportMetric(float64(cpuNow()-c0)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}
