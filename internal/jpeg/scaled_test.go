package jpeg

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/internal/testcorpus"
)

var denoms = []int{2, 4, 8}

// rgba converts m to RGBA with image/draw (whose YCbCr conversion is
// image/jpeg's), with the origin at (0, 0).
func rgba(m image.Image) *image.RGBA {
	b := m.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Rect, m, b.Min, draw.Src)
	return out
}

// scaledPSNR decodes data at 1/denom and returns the PSNR of the result
// against image/jpeg's full decode averaged over denom x denom boxes.
func scaledPSNR(t testing.TB, data []byte, full *image.RGBA, denom int) float64 {
	t.Helper()
	got, err := DecodeScaled(bytes.NewReader(data), denom)
	if err != nil {
		t.Fatalf("denom %d: %v", denom, err)
	}
	ref := boxDown(full, denom)
	g := rgba(got)
	if !g.Rect.Eq(ref.Rect) {
		t.Fatalf("denom %d: size %v, want %v", denom, g.Rect.Size(), ref.Rect.Size())
	}
	return psnr(g, ref)
}

// TestCorpusScaled decodes every valid corpus JPEG at 1/2, 1/4 and 1/8 and
// checks the type, the size (ceil(w/denom) x ceil(h/denom)) and, for the
// ones small enough for a full-size decode, the accuracy, two ways:
//
//   - Per component plane, against the full-size plane averaged over
//     denom x denom boxes (see planePSNR): this is what the reduced IDCTs
//     compute, so it must be close: >= 40 dB. Measured (Go 1.26, amd64)
//     at 1/2, 1/4, 1/8: median 56.0, 57.0, 58.0 dB; minimum 44.5, 45.1,
//     46.2 dB (danbooru/dupes/countergirl-*.jpg, 45x100, where few samples
//     are away from the edges).
//   - In RGB, against image/jpeg's full decode converted to RGBA and then
//     box-averaged: >= 30 dB for the photos (the 24 files with both sides
//     >= 256 px). Measured at 1/2, 1/4, 1/8: median 45.3, 41.1, 39.1 dB;
//     minimum 36.8, 33.4, 33.1 dB (sharp/Landscape_9.jpg).
//     This is lower than the plane-wise figure because the result keeps the
//     subsampling ratio: at 4:2:0 one scaled chroma sample covers 2x2 scaled
//     pixels, where the box-averaged reference has one chroma sample per
//     pixel. Small images with saturated colour edges (pillow/hopper.jpg,
//     the 150x103 video frames, the CMYK files and the 4:2:0 RGB-coded
//     go-image/testdata/video-001.rgb.jpeg, 19.7 dB at 1/8, whose colour
//     conversion happens after scaling) lose more that way, but are fine
//     plane-wise.
func TestCorpusScaled(t *testing.T) {
	worstPlane, worstPhoto := math.Inf(1), math.Inf(1)
	for _, f := range corpusJPEGs(t) {
		if !f.valid {
			continue
		}
		t.Run(f.name, func(t *testing.T) {
			data := readFile(t, f.path)
			cfg, err := DecodeConfig(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			var full *image.RGBA
			var fullImg image.Image
			var fullDec *decoder
			if cfg.Width*cfg.Height <= maxStdlibPixels {
				fullImg, err = jpeg.Decode(bytes.NewReader(data))
				if err != nil {
					t.Fatal(err)
				}
				full = rgba(fullImg)
				if _, fullDec, err = decodeScaled(bytes.NewReader(data), 1); err != nil {
					t.Fatal(err)
				}
			}
			photo := cfg.Width >= 256 && cfg.Height >= 256
			for _, denom := range denoms {
				got, d, err := decodeScaled(bytes.NewReader(data), denom)
				if err != nil {
					t.Fatalf("denom %d: %v", denom, err)
				}
				w, h := (cfg.Width+denom-1)/denom, (cfg.Height+denom-1)/denom
				if b := got.Bounds(); b != image.Rect(0, 0, w, h) {
					t.Fatalf("denom %d: bounds %v, want %dx%d", denom, b, w, h)
				}
				if fullImg == nil {
					continue
				}
				if fmt.Sprintf("%T", got) != fmt.Sprintf("%T", fullImg) {
					t.Fatalf("denom %d: type %T, want %T", denom, got, fullImg)
				}
				if y, ok := got.(*image.YCbCr); ok && y.SubsampleRatio != fullImg.(*image.YCbCr).SubsampleRatio {
					t.Fatalf("denom %d: subsample ratio %v, want %v", denom, y.SubsampleRatio, fullImg.(*image.YCbCr).SubsampleRatio)
				}
				pp := planePSNR(fullDec, d)
				p := psnr(rgba(got), boxDown(full, denom))
				t.Logf("denom %d: plane-wise %.1f dB, RGB %.1f dB", denom, pp, p)
				if pp < 40 {
					t.Errorf("denom %d: plane-wise PSNR %.1f dB < 40", denom, pp)
				}
				worstPlane = min(worstPlane, pp)
				if photo {
					if p < 30 {
						t.Errorf("denom %d: RGB PSNR %.1f dB < 30", denom, p)
					}
					worstPhoto = min(worstPhoto, p)
				}
			}
		})
	}
	t.Logf("lowest PSNR: plane-wise %.1f dB, photos in RGB %.1f dB", worstPlane, worstPhoto)
}

// TestGeneratedScaled checks the sizes and the plane-wise accuracy of the
// generated JPEGs decoded at every scale.
func TestGeneratedScaled(t *testing.T) {
	for _, c := range generatedJPEGs(t) {
		_, full, err := decodeScaled(bytes.NewReader(c.data), 1)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, denom := range denoms {
			got, d, err := decodeScaled(bytes.NewReader(c.data), denom)
			if err != nil {
				t.Fatalf("%s at 1/%d: %v", c.name, denom, err)
			}
			w, h := (full.width+denom-1)/denom, (full.height+denom-1)/denom
			if b := got.Bounds(); b != image.Rect(0, 0, w, h) {
				t.Fatalf("%s at 1/%d: bounds %v, want %dx%d", c.name, denom, b, w, h)
			}
			if p := planePSNR(full, d); p < 40 {
				t.Errorf("%s at 1/%d: plane-wise PSNR %.1f dB", c.name, denom, p)
			}
		}
	}
}

// TestBenchPhotosScaled checks the RGB PSNR (as in TestCorpusScaled) of the
// 12 MP benchmark photos at every scale. Measured at 1/2, 1/4, 1/8:
// photo12_s7edge.jpg (4:2:2 baseline, q~96) 51.8, 50.1, 48.1 dB;
// photo12_immich_420.jpg (4:2:0 progressive, q~73) 46.1, 41.0, 37.7 dB.
func TestBenchPhotosScaled(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	dir := testcorpus.SharedDir(t)
	for _, name := range []string{"photo12_s7edge.jpg", "photo12_immich_420.jpg"} {
		data := readFile(t, dir+"/bench-photos/"+name)
		full, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		fr := rgba(full)
		for _, denom := range denoms {
			p := scaledPSNR(t, data, fr, denom)
			t.Logf("%s at 1/%d: PSNR %.1f dB", name, denom, p)
			if p < 30 {
				t.Errorf("%s at 1/%d: PSNR %.1f dB < 30", name, denom, p)
			}
		}
	}
}

// TestCorpusInvalid checks that the invalid corpus JPEGs give errors, not
// panics, at every scale.
func TestCorpusInvalid(t *testing.T) {
	for _, f := range corpusJPEGs(t) {
		if f.valid {
			continue
		}
		data := readFile(t, f.path)
		for _, denom := range []int{1, 2, 4, 8} {
			_, err := DecodeScaled(bytes.NewReader(data), denom)
			if err == nil {
				t.Errorf("%s at 1/%d: no error", f.name, denom)
			} else if isInternalError(err) {
				t.Errorf("%s at 1/%d: %v", f.name, denom, err)
			}
		}
	}
}

func TestDecodeConfigMatchesStdlib(t *testing.T) {
	files := corpusJPEGs(t)
	for _, f := range files {
		data := readFile(t, f.path)
		want, wantErr := jpeg.DecodeConfig(bytes.NewReader(data))
		got, err := DecodeConfig(bytes.NewReader(data))
		if (err != nil) != (wantErr != nil) || got != want {
			t.Errorf("%s: got %v, %v; want %v, %v", f.name, got, err, want, wantErr)
		}
	}
}

func isInternalError(err error) bool {
	return strings.Contains(err.Error(), "internal error")
}

// truncationInputs returns a few JPEGs of different kinds for the
// truncation test.
func truncationInputs(t *testing.T) map[string][]byte {
	m := testImage(61, 47, 7)
	inputs := map[string][]byte{}
	for _, prog := range []bool{false, true} {
		for _, ri := range []int{0, 2} {
			comps := []encComp{{id: 1, h: 2, v: 2}, {id: 2, h: 1, v: 1, tq: 1}, {id: 3, h: 1, v: 1, tq: 1}}
			inputs[fmt.Sprintf("420_prog=%v_ri=%d", prog, ri)] = encodeTestJPEG(m, encOptions{comps: comps, quality: 90, restart: ri, progressive: prog})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 40, 30)), nil); err != nil {
		t.Fatal(err)
	}
	inputs["stdgray"] = buf.Bytes()
	return inputs
}

// TestTruncated checks that every truncation of a few JPEGs (baseline and
// progressive, with and without restart intervals, gray) gives an error
// that matches io.ErrUnexpectedEOF, at every scale, and that within
// entropy-coded data it is also image/jpeg's FormatError.
func TestTruncated(t *testing.T) {
	for name, data := range truncationInputs(t) {
		for n := 0; n < len(data)-2; n++ {
			for _, denom := range []int{1, 2, 4, 8} {
				_, err := DecodeScaled(bytes.NewReader(data[:n]), denom)
				if err == nil || isInternalError(err) || !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Fatalf("%s truncated to %d bytes, 1/%d: got %v, want io.ErrUnexpectedEOF", name, n, denom, err)
				}
			}
		}
	}
	data := truncationInputs(t)["420_prog=false_ri=0"]
	_, err := DecodeScaled(bytes.NewReader(data[:len(data)*3/4]), 2)
	var fe jpeg.FormatError
	if !errors.Is(err, io.ErrUnexpectedEOF) || !errors.As(err, &fe) {
		t.Errorf("truncated entropy-coded data: got %v, want io.ErrUnexpectedEOF and a FormatError", err)
	}
}

func TestBadDenom(t *testing.T) {
	for _, denom := range []int{0, -1, 3, 16} {
		if _, err := DecodeScaled(bytes.NewReader(nil), denom); err == nil {
			t.Errorf("denom %d: no error", denom)
		}
	}
}

// reducedKernel computes the reduced IDCT kernel K for groups of g (see
// the constants in idct.go) in fixed point.
func reducedKernel(g int) [][8]int32 {
	n := 8 / g
	k := make([][8]int32, n)
	for i := range n {
		for u := range 8 {
			cu := 1.0
			if u == 0 {
				cu = 1 / math.Sqrt2
			}
			s := 0.0
			for j := range g {
				s += math.Cos(float64(2*(i*g+j)+1) * float64(u) * math.Pi / 16)
			}
			k[i][u] = int32(math.Round(cu / 2 * s / float64(g) * (1 << redConstBits)))
		}
	}
	return k
}

func TestReducedKernels(t *testing.T) {
	k4 := reducedKernel(2)
	want4 := [2][8]int32{
		{k4c0, k4a1, k4a2, k4a3, 0, k4a5, k4a6, k4a7},
		{k4c0, k4b1, k4b2, k4b3, 0, k4b5, k4b6, k4b7},
	}
	for k := 0; k < 4; k++ {
		for u := 0; u < 8; u++ {
			// K[3-k][u] = (-1)^u K[k][u].
			w := want4[min(k, 3-k)][u]
			if k > 1 && u%2 == 1 {
				w = -w
			}
			if k4[k][u] != w {
				t.Errorf("K4[%d][%d] = %d, want %d", k, u, k4[k][u], w)
			}
		}
	}
	k2 := reducedKernel(4)
	want2 := [8]int32{k2c0, k2a1, 0, k2a3, 0, k2a5, 0, k2a7}
	for k := 0; k < 2; k++ {
		for u := 0; u < 8; u++ {
			w := want2[u]
			if k == 1 && u%2 == 1 {
				w = -w
			}
			if k2[k][u] != w {
				t.Errorf("K2[%d][%d] = %d, want %d", k, u, k2[k][u], w)
			}
		}
	}
}

// TestReducedIDCTAccuracy compares the reduced IDCTs with the exact
// averages of the 8x8 IDCT of random blocks, computed in floating point.
// Measured largest errors: 0.668 (1/2), 0.611 (1/4), 0.500 (1/8).
func TestReducedIDCTAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	maxErr := [3]float64{}
	for iter := 0; iter < 20000; iter++ {
		// A random smooth-ish block: random pixels, plus a random
		// gradient, converted to integer coefficients.
		var px [64]float64
		base, gx, gy := rng.Float64()*255, rng.NormFloat64()*10, rng.NormFloat64()*10
		noise := rng.Float64() * 60
		for y := 0; y < 8; y++ {
			for x := 0; x < 8; x++ {
				px[y*8+x] = base + gx*float64(x-4) + gy*float64(y-4) + noise*(rng.Float64()-0.5) - 128
			}
		}
		var ones [64]int
		for i := range ones {
			ones[i] = 1
		}
		coefs := fdctQuant(&px, &ones)
		// The exact IDCT, in floating point.
		var exact [64]float64
		for y := 0; y < 8; y++ {
			for x := 0; x < 8; x++ {
				s := 0.0
				for v := 0; v < 8; v++ {
					for u := 0; u < 8; u++ {
						cu, cv := 1.0, 1.0
						if u == 0 {
							cu = 1 / math.Sqrt2
						}
						if v == 0 {
							cv = 1 / math.Sqrt2
						}
						s += cu * cv / 4 * float64(coefs[v*8+u]) * cosTab[x][u] * cosTab[y][v]
					}
				}
				exact[y*8+x] = s + 128
			}
		}
		for si, shift := range []uint{1, 2, 3} {
			n := 8 >> shift
			g := 1 << shift
			var b block
			var mask uint64
			for k, c := range coefs {
				b[k] = int32(c)
				if c != 0 {
					mask |= 1 << k
				}
			}
			dst := make([]byte, n*n)
			switch shift {
			case 1:
				idct4x4(&b, mask, dst, n)
			case 2:
				idct2x2(&b, mask, dst, n)
			case 3:
				dst[0] = clampDC(b[0])
			}
			for oy := 0; oy < n; oy++ {
				for ox := 0; ox < n; ox++ {
					s := 0.0
					for y := oy * g; y < (oy+1)*g; y++ {
						for x := ox * g; x < (ox+1)*g; x++ {
							s += exact[y*8+x]
						}
					}
					want := min(max(s/float64(g*g), 0), 255)
					if e := math.Abs(float64(dst[oy*n+ox]) - want); e > maxErr[si] {
						maxErr[si] = e
					}
				}
			}
		}
	}
	t.Logf("max error vs exact average: 1/2 %.3f, 1/4 %.3f, 1/8 %.3f", maxErr[0], maxErr[1], maxErr[2])
	for i, e := range maxErr {
		if e > 1 {
			t.Errorf("scale 1/%d: max error %.3f > 1", 2<<i, e)
		}
	}
}
