package fastpng_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color/palette"
	"image/draw"
	"image/png"
	"testing"

	"github.com/imgprep/imgprep/codecs/internal/fastpng"
	"github.com/imgprep/imgprep/internal/raster"
)

// noise is an incompressible RGBA image (alpha noisy too unless opaque).
func noise(w, h int, opaque bool) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	s := uint32(7)
	for i := range m.Pix {
		s = s*1664525 + 1013904223
		m.Pix[i] = uint8(s >> 24)
		if opaque && i%4 == 3 {
			m.Pix[i] = 255
		}
	}
	return m
}

// testImages covers every input type, odd and degenerate sizes, sub-images
// and images big enough to be split into several parallel chunks.
func testImages() map[string]image.Image {
	m := map[string]image.Image{}
	for _, sz := range [][2]int{{1, 1}, {1, 7}, {7, 1}, {3, 5}, {33, 17}, {257, 129}} {
		n := noise(sz[0], sz[1], false)
		m[fmt.Sprintf("noise-%dx%d", sz[0], sz[1])] = n
		m[fmt.Sprintf("smooth-%dx%d", sz[0], sz[1])] = smooth(sz[0], sz[1], 3)
		g := image.NewGray(n.Rect)
		draw.Draw(g, g.Rect, n, image.Point{}, draw.Src)
		m[fmt.Sprintf("gray-%dx%d", sz[0], sz[1])] = g
	}
	big := smooth(1500, 1100, 5)
	for i := 3; i < len(big.Pix); i += 4 * 7 {
		big.Pix[i] = uint8(i)
	}
	m["big-rgba-1500x1100"] = big
	m["big-opaque-1500x1100"] = smooth(1500, 1100, 9)
	m["big-noise-opaque-1201x901"] = noise(1201, 901, true)
	m["tall-3x20000"] = noise(3, 20000, false)
	bigGray := image.NewGray(image.Rect(0, 0, 2000, 700))
	draw.Draw(bigGray, bigGray.Rect, smooth(2000, 700, 1), image.Point{}, draw.Src)
	m["big-gray-2000x700"] = bigGray
	m["sub-nrgba"] = noise(50, 40, false).SubImage(image.Rect(3, 5, 41, 33))
	m["sub-gray"] = bigGray.SubImage(image.Rect(1, 2, 100, 50))
	src := noise(61, 43, false)
	rgba := image.NewRGBA(src.Rect)
	draw.Draw(rgba, rgba.Rect, src, image.Point{}, draw.Src)
	m["rgba"] = rgba
	pal := image.NewPaletted(src.Rect, palette.Plan9)
	draw.Draw(pal, pal.Rect, src, image.Point{}, draw.Src)
	m["paletted"] = pal
	ycc := image.NewYCbCr(image.Rect(0, 0, 61, 43), image.YCbCrSubsampleRatio420)
	for i := range ycc.Y {
		ycc.Y[i] = uint8(i * 13)
	}
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = uint8(i*7), uint8(255-i*3)
	}
	m["ycbcr420"] = ycc
	n64 := image.NewNRGBA64(src.Rect)
	draw.Draw(n64, n64.Rect, src, image.Point{}, draw.Src)
	m["nrgba64"] = n64
	g16 := image.NewGray16(src.Rect)
	draw.Draw(g16, g16.Rect, src, image.Point{}, draw.Src)
	m["gray16"] = g16
	return m
}

// expected is what the PNG must decode to.
func expected(img image.Image) *image.NRGBA {
	if g, ok := img.(*image.Gray); ok {
		return raster.ToNRGBA(g)
	}
	return raster.ToNRGBA(img)
}

func TestRoundTrip(t *testing.T) {
	imgs := testImages()
	for name, img := range imgs {
		want := expected(img)
		opaque := raster.Opaque(want)
		_, isGray := img.(*image.Gray)
		for level := 0; level <= 3; level++ {
			for _, opts := range []fastpng.Options{
				{Level: level}, {Level: level, Parallel: true}, {Level: level, KeepAlpha: true, Parallel: true},
			} {
				if level > 1 && len(want.Pix) > 1<<20 {
					continue // levels 2, 3 differ only in deflate effort
				}
				var buf bytes.Buffer
				if err := fastpng.Encode(&buf, img, opts); err != nil {
					t.Fatalf("%s %+v: %v", name, opts, err)
				}
				got, err := png.Decode(bytes.NewReader(buf.Bytes()))
				if err != nil {
					t.Fatalf("%s %+v: decode: %v", name, opts, err)
				}
				// Colour type: grey stays grey, opaque becomes RGB (decoded
				// as *image.RGBA) unless KeepAlpha, the rest is RGBA.
				switch {
				case isGray:
					_, ok := got.(*image.Gray)
					if !ok {
						t.Errorf("%s %+v: decoded as %T, want *image.Gray", name, opts, got)
					}
				case opaque && !opts.KeepAlpha:
					if _, ok := got.(*image.RGBA); !ok {
						t.Errorf("%s %+v: decoded as %T, want RGB", name, opts, got)
					}
				default:
					if _, ok := got.(*image.NRGBA); !ok {
						t.Errorf("%s %+v: decoded as %T, want RGBA", name, opts, got)
					}
				}
				gn := raster.ToNRGBA(got)
				if gn.Rect != want.Rect || !bytes.Equal(gn.Pix, want.Pix) {
					t.Errorf("%s %+v: decoded pixels differ", name, opts)
				}
			}
		}
	}
}

// failWriter fails once more than n bytes have been written.
type failWriter struct{ n int }

var errFail = errors.New("disk full")

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return 0, errFail
	}
	w.n -= len(p)
	return len(p), nil
}

func TestWriteError(t *testing.T) {
	img := noise(800, 600, false)
	for _, n := range []int{0, 10, 40, 1000, 300000, 1500000} {
		for _, par := range []bool{false, true} {
			err := fastpng.Encode(&failWriter{n: n}, img, fastpng.Options{Parallel: par})
			if !errors.Is(err, errFail) {
				t.Errorf("limit %d parallel %v: error %v", n, par, err)
			}
		}
	}
}

func TestEmpty(t *testing.T) {
	if err := fastpng.Encode(&bytes.Buffer{}, image.NewNRGBA(image.Rect(0, 0, 0, 5)), fastpng.Options{}); err == nil {
		t.Error("empty image encoded without error")
	}
}

func TestLevelsShrink(t *testing.T) {
	// Level 3 must be the smallest and level 1 the biggest, and level 0
	// must not be bigger than image/png BestSpeed. (Level 2 may lose to
	// level 0 on noisy content like this.)
	img := smooth(512, 384, 1)
	sizes := map[int]int{}
	for level := 0; level <= 3; level++ {
		var buf bytes.Buffer
		if err := fastpng.Encode(&buf, img, fastpng.Options{Level: level}); err != nil {
			t.Fatal(err)
		}
		sizes[level] = buf.Len()
	}
	var std bytes.Buffer
	(&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&std, img)
	t.Logf("sizes by level %v, image/png BestSpeed %d", sizes, std.Len())
	if sizes[1] < sizes[0] || sizes[1] < sizes[2] || sizes[0] < sizes[3] || sizes[2] < sizes[3] {
		t.Errorf("sizes not ordered by level: %v", sizes)
	}
	if sizes[0] > std.Len() {
		t.Errorf("level 0 %d bytes > image/png BestSpeed %d", sizes[0], std.Len())
	}
}
