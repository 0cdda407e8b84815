package raster_test

import (
	"image"
	"math"
	"testing"

	"github.com/imgprep/imgprep/internal/raster"
)

// planePSNR compares two same-sized sample planes.
func planePSNR(a, b []uint8, w, h, sa, sb int) float64 {
	var se float64
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			d := float64(a[y*sa+x]) - float64(b[y*sb+x])
			se += d * d
		}
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255*float64(w*h)/se)
}

// TestResizeYCbCrFlat: a flat source comes out exactly flat on every
// plane, for every source subsampling, crop and size.
func TestResizeYCbCrFlat(t *testing.T) {
	for _, r := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410} {
		src := image.NewYCbCr(image.Rect(0, 0, 97, 61), r)
		for i := range src.Y {
			src.Y[i] = 200
		}
		for i := range src.Cb {
			src.Cb[i], src.Cr[i] = 40, 170
		}
		for _, d := range [][2]int{{50, 31}, {33, 20}, {97, 61}, {150, 90}, {7, 3}} {
			dst := image.NewYCbCr(image.Rect(0, 0, d[0], d[1]), image.YCbCrSubsampleRatio420)
			if err := raster.ResizeYCbCrInto(dst, subImage(src, image.Rect(3, 1, 90, 60)).(*image.YCbCr), nil, nil); err != nil {
				t.Fatal(err)
			}
			for _, v := range dst.Y {
				if v != 200 {
					t.Fatalf("%v to %v: Y %d, want 200", r, d, v)
				}
			}
			for i := range dst.Cb {
				if dst.Cb[i] != 40 || dst.Cr[i] != 170 {
					t.Fatalf("%v to %v: chroma %d,%d, want 40,170", r, d, dst.Cb[i], dst.Cr[i])
				}
			}
		}
	}
}

// TestResizeYCbCrMatchesRGB: the planes agree with Resize's RGB result
// converted to YCbCr and averaged down to 4:2:0 as the JPEG encoder does
// (the path this one replaces): luma within rounding of the colour
// conversions, chroma (filtered once instead of up and down again) close.
func TestResizeYCbCrMatchesRGB(t *testing.T) {
	base := synth(403, 301, false)
	for _, r := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410} {
		src := toYCbCr(base, r)
		for _, crop := range []image.Rectangle{src.Rect, image.Rect(5, 3, 400, 290)} {
			sub := subImage(src, crop).(*image.YCbCr)
			for _, d := range [][2]int{{300, 224}, {201, 149}, {99, 73}} {
				ref := toYCbCr(raster.Resize(sub, d[0], d[1]), image.YCbCrSubsampleRatio420)
				dst := image.NewYCbCr(image.Rect(0, 0, d[0], d[1]), image.YCbCrSubsampleRatio420)
				if err := raster.ResizeYCbCrInto(dst, sub, nil, nil); err != nil {
					t.Fatal(err)
				}
				cw, ch := (d[0]+1)/2, (d[1]+1)/2
				py := planePSNR(dst.Y, ref.Y, d[0], d[1], dst.YStride, ref.YStride)
				pcb := planePSNR(dst.Cb, ref.Cb, cw, ch, dst.CStride, ref.CStride)
				pcr := planePSNR(dst.Cr, ref.Cr, cw, ch, dst.CStride, ref.CStride)
				if py < 45 || pcb < 35 || pcr < 35 {
					t.Errorf("%v crop %v to %v: PSNR Y %.1f, Cb %.1f, Cr %.1f dB against the RGB path", r, crop, d, py, pcb, pcr)
				}
			}
		}
	}
}

// TestResizeYCbCrRows: fed rows while they are decoded, the result is
// exactly the one from the finished image, done reports every row in
// order, and a decode error stops the resize with that error.
func TestResizeYCbCrRows(t *testing.T) {
	defer raster.SetChunks(0)
	src := toYCbCr(synth(403, 301, false), image.YCbCrSubsampleRatio422)
	for _, d := range [][2]int{{300, 224}, {201, 149}, {40, 9}} {
		for _, chunks := range []int{0, 1, 5} {
			raster.SetChunks(chunks)
			want := image.NewYCbCr(image.Rect(0, 0, d[0], d[1]), image.YCbCrSubsampleRatio420)
			if err := raster.ResizeYCbCrInto(want, src, nil, nil); err != nil {
				t.Fatal(err)
			}
			blank := blankLike(src).(*image.YCbCr)
			f := &filler{}
			f.fill(blank, src, 16)
			got := image.NewYCbCr(want.Rect, image.YCbCrSubsampleRatio420)
			last := 0
			err := raster.ResizeYCbCrInto(got, blank, f.ready, func(n int) {
				if n < last || n > d[1] {
					t.Errorf("done(%d) after done(%d)", n, last)
				}
				last = n
			})
			if err != nil {
				t.Fatal(err)
			}
			if last != d[1] {
				t.Errorf("last done(%d), want %d", last, d[1])
			}
			if string(got.Y) != string(want.Y) || string(got.Cb) != string(want.Cb) || string(got.Cr) != string(want.Cr) {
				t.Errorf("to %v, %d chunks: streamed planes differ from the finished image's", d, chunks)
			}
		}
	}
	raster.SetChunks(0)
	blank := blankLike(src).(*image.YCbCr)
	f := &filler{fail: 100}
	f.fill(blank, src, 16)
	dst := image.NewYCbCr(image.Rect(0, 0, 200, 150), image.YCbCrSubsampleRatio420)
	if err := raster.ResizeYCbCrInto(dst, blank, f.ready, nil); err != errFill {
		t.Errorf("error %v, want the fill's", err)
	}
}

// TestResizeYCbCrRefuses: only a 4:2:0 destination at the origin and a
// planar source are taken.
func TestResizeYCbCrRefuses(t *testing.T) {
	src := image.NewYCbCr(image.Rect(0, 0, 64, 64), image.YCbCrSubsampleRatio420)
	for _, dst := range []*image.YCbCr{
		image.NewYCbCr(image.Rect(0, 0, 32, 32), image.YCbCrSubsampleRatio444),
		image.NewYCbCr(image.Rect(1, 0, 33, 32), image.YCbCrSubsampleRatio420),
	} {
		if err := raster.ResizeYCbCrInto(dst, src, nil, nil); err == nil {
			t.Errorf("%v %v destination taken", dst.SubsampleRatio, dst.Rect)
		}
	}
	bad := &image.YCbCr{Y: make([]uint8, 10), Cb: make([]uint8, 1), Cr: make([]uint8, 1), YStride: 64, CStride: 32,
		SubsampleRatio: image.YCbCrSubsampleRatio420, Rect: image.Rect(0, 0, 64, 64)}
	if raster.PlanarYCbCr(bad) {
		t.Error("a YCbCr with short planes reported planar")
	}
	if err := raster.ResizeYCbCrInto(image.NewYCbCr(image.Rect(0, 0, 32, 32), image.YCbCrSubsampleRatio420), bad, nil, nil); err == nil {
		t.Error("malformed source taken")
	}
}

// TestResizeYCbCrSiting: chroma that is a ramp across the image (linear
// in the position of its samples' centres, which sit between their luma
// samples) comes out as the same ramp sampled at the output chroma
// centres, for every source subsampling and odd crops: no half-sample
// shift between the grids.
func TestResizeYCbCrSiting(t *testing.T) {
	const w, h = 120, 100
	for _, r := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410} {
		src := image.NewYCbCr(image.Rect(0, 0, w, h), r)
		hd, vd := raster.ChromaDiv(r)
		// Cb = 2x + 10 and Cr = 2y + 10 at each chroma sample's centre,
		// x and y in luma pixels (edges at integers).
		for cy := 0; cy < (h+vd-1)/vd; cy++ {
			for cx := 0; cx < (w+hd-1)/hd; cx++ {
				i := cy*src.CStride + cx
				src.Cb[i] = uint8(math.Round(2*float64(hd)*(float64(cx)+0.5) + 10))
				src.Cr[i] = uint8(math.Round(2*float64(vd)*(float64(cy)+0.5) + 10))
			}
		}
		for _, crop := range []image.Rectangle{src.Rect, image.Rect(3, 1, 117, 99)} {
			sub := subImage(src, crop).(*image.YCbCr)
			for _, d := range [][2]int{{90, 76}, {53, 41}} {
				dst := image.NewYCbCr(image.Rect(0, 0, d[0], d[1]), image.YCbCrSubsampleRatio420)
				if err := raster.ResizeYCbCrInto(dst, sub, nil, nil); err != nil {
					t.Fatal(err)
				}
				sx, sy := float64(crop.Dx())/float64(d[0]), float64(crop.Dy())/float64(d[1])
				for oy := 3; oy < (d[1]+1)/2-3; oy++ {
					for ox := 3; ox < (d[0]+1)/2-3; ox++ {
						// The output chroma sample covers output luma 2ox..2ox+1.
						x := float64(crop.Min.X) + (2*float64(ox)+1)*sx
						y := float64(crop.Min.Y) + (2*float64(oy)+1)*sy
						i := oy*dst.CStride + ox
						if math.Abs(float64(dst.Cb[i])-(2*x+10)) > 0.8 || math.Abs(float64(dst.Cr[i])-(2*y+10)) > 0.8 {
							t.Fatalf("%v crop %v to %v: chroma (%d,%d) = %d,%d, want %.1f,%.1f",
								r, crop, d, ox, oy, dst.Cb[i], dst.Cr[i], 2*x+10, 2*y+10)
						}
					}
				}
			}
		}
	}
}

// TestResizeYCbCrOriented: for every orientation and odd and even sizes,
// the planes agree with the RGB path (Resize, Orient, 4:2:0 by averaging),
// and chroma that is a ramp across the stored image comes out as that
// ramp at the upright chroma centres (a chroma grid left one luma sample
// off by a flip of an odd length fails it).
func TestResizeYCbCrOriented(t *testing.T) {
	const w, h = 120, 100
	ramp := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio422)
	for i := range ramp.Y {
		ramp.Y[i] = 128
	}
	for cy := 0; cy < h; cy++ {
		for cx := 0; cx < w/2; cx++ {
			ramp.Cb[cy*ramp.CStride+cx] = uint8(math.Round(2*2*(float64(cx)+0.5) + 10))
			ramp.Cr[cy*ramp.CStride+cx] = uint8(math.Round(2*(float64(cy)+0.5) + 10))
		}
	}
	photo := toYCbCr(synth(w, h, false), image.YCbCrSubsampleRatio422)
	crop := image.Rect(3, 1, 117, 99)
	for o := 1; o <= 8; o++ {
		for _, d := range [][2]int{{90, 76}, {53, 41}, {41, 53}} {
			uw, uh := d[0], d[1] // upright
			sw, sh := uw, uh
			if o >= 5 {
				sw, sh = uh, uw
			}
			got, err := raster.ResizeYCbCrOriented(subImage(photo, crop).(*image.YCbCr), uw, uh, o, nil)
			if err != nil {
				t.Fatal(err)
			}
			ref := toYCbCr(raster.Orient(raster.Resize(subImage(photo, crop), sw, sh), o), image.YCbCrSubsampleRatio420)
			cw, ch := (uw+1)/2, (uh+1)/2
			py := planePSNR(got.Y, ref.Y, uw, uh, got.YStride, ref.YStride)
			pcb := planePSNR(got.Cb, ref.Cb, cw, ch, got.CStride, ref.CStride)
			if got.Rect != image.Rect(0, 0, uw, uh) || py < 45 || pcb < 35 {
				t.Errorf("o%d to %v: %v, PSNR Y %.1f, Cb %.1f dB against the RGB path", o, d, got.Rect, py, pcb)
			}
			got, err = raster.ResizeYCbCrOriented(subImage(ramp, crop).(*image.YCbCr), uw, uh, o, nil)
			if err != nil {
				t.Fatal(err)
			}
			sx, sy := float64(crop.Dx())/float64(sw), float64(crop.Dy())/float64(sh)
			for oy := 3; oy < ch-3; oy++ {
				for ox := 3; ox < cw-3; ox++ {
					// Upright chroma centre, in upright luma units, to stored.
					X, Y := 2*float64(ox)+1, 2*float64(oy)+1
					xs, ys := X, Y
					if o >= 5 {
						xs, ys = Y, X
					}
					if o == 2 || o == 3 || o == 7 || o == 8 {
						xs = float64(sw) - xs
					}
					if o == 3 || o == 4 || o == 6 || o == 7 {
						ys = float64(sh) - ys
					}
					x, y := float64(crop.Min.X)+xs*sx, float64(crop.Min.Y)+ys*sy
					i := oy*got.CStride + ox
					if math.Abs(float64(got.Cb[i])-(2*x+10)) > 0.8 || math.Abs(float64(got.Cr[i])-(2*y+10)) > 0.8 {
						t.Fatalf("o%d to %v: chroma (%d,%d) = %d,%d, want %.1f,%.1f", o, d, ox, oy, got.Cb[i], got.Cr[i], 2*x+10, 2*y+10)
					}
				}
			}
		}
	}
}
