package jpeg

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/internal/testcorpus"
)

// corpusFile is a JPEG row of the shared corpus' expect.tsv.
type corpusFile struct {
	path          string // Absolute.
	name          string // As listed.
	width, height int    // -1 if unknown.
	valid         bool
}

// corpusJPEGs lists the JPEGs of the shared corpus, skipping the test if
// the corpus is absent.
func corpusJPEGs(tb testing.TB) []corpusFile {
	tb.Helper()
	dir := testcorpus.Dir(tb)
	f, err := os.Open(filepath.Join(dir, "expect.tsv"))
	if err != nil {
		tb.Skipf("corpus not available: %v", err)
	}
	defer f.Close()
	var files []corpusFile
	sc := bufio.NewScanner(f)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 7 || cols[1] != "jpeg" {
			continue
		}
		w, errW := strconv.Atoi(cols[2])
		h, errH := strconv.Atoi(cols[3])
		if errW != nil || errH != nil {
			w, h = -1, -1
		}
		files = append(files, corpusFile{
			path:   filepath.Join(dir, cols[0]),
			name:   cols[0],
			width:  w,
			height: h,
			valid:  cols[6] == "yes",
		})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	if len(files) == 0 {
		tb.Skip("no JPEGs in the corpus")
	}
	return files
}

func readFile(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// sameImage reports how a and b differ: type, subsampling, bounds or any
// sample within the bounds. It returns nil if they are identical.
func sameImage(a, b image.Image) error {
	if fmt.Sprintf("%T", a) != fmt.Sprintf("%T", b) {
		return fmt.Errorf("types differ: %T vs %T", a, b)
	}
	if !a.Bounds().Eq(b.Bounds()) {
		return fmt.Errorf("bounds differ: %v vs %v", a.Bounds(), b.Bounds())
	}
	r := a.Bounds()
	rowsEqual := func(name string, pa, pb []byte, sa, sb, oa, ob, n, rows int) error {
		for y := 0; y < rows; y++ {
			ra := pa[oa+y*sa : oa+y*sa+n]
			rb := pb[ob+y*sb : ob+y*sb+n]
			if !bytes.Equal(ra, rb) {
				for x := range ra {
					if ra[x] != rb[x] {
						return fmt.Errorf("%s differs at row %d, byte %d: %d vs %d", name, y, x, ra[x], rb[x])
					}
				}
			}
		}
		return nil
	}
	switch a := a.(type) {
	case *image.YCbCr:
		b := b.(*image.YCbCr)
		if a.SubsampleRatio != b.SubsampleRatio {
			return fmt.Errorf("subsample ratios differ: %v vs %v", a.SubsampleRatio, b.SubsampleRatio)
		}
		if err := rowsEqual("Y", a.Y, b.Y, a.YStride, b.YStride, a.YOffset(r.Min.X, r.Min.Y), b.YOffset(r.Min.X, r.Min.Y), r.Dx(), r.Dy()); err != nil {
			return err
		}
		cr := chromaRect(a)
		for _, p := range [][2][]byte{{a.Cb, b.Cb}, {a.Cr, b.Cr}} {
			if err := rowsEqual("chroma", p[0], p[1], a.CStride, b.CStride, a.COffset(r.Min.X, r.Min.Y), b.COffset(r.Min.X, r.Min.Y), cr.Dx(), cr.Dy()); err != nil {
				return err
			}
		}
	case *image.Gray:
		b := b.(*image.Gray)
		return rowsEqual("Gray", a.Pix, b.Pix, a.Stride, b.Stride, a.PixOffset(r.Min.X, r.Min.Y), b.PixOffset(r.Min.X, r.Min.Y), r.Dx(), r.Dy())
	case *image.CMYK:
		b := b.(*image.CMYK)
		return rowsEqual("CMYK", a.Pix, b.Pix, a.Stride, b.Stride, a.PixOffset(r.Min.X, r.Min.Y), b.PixOffset(r.Min.X, r.Min.Y), 4*r.Dx(), r.Dy())
	case *image.RGBA:
		b := b.(*image.RGBA)
		return rowsEqual("RGBA", a.Pix, b.Pix, a.Stride, b.Stride, a.PixOffset(r.Min.X, r.Min.Y), b.PixOffset(r.Min.X, r.Min.Y), 4*r.Dx(), r.Dy())
	default:
		return fmt.Errorf("unexpected image type %T", a)
	}
	return nil
}

// chromaRect is the rectangle of chroma samples covering m's bounds.
func chromaRect(m *image.YCbCr) image.Rectangle {
	r := m.Rect
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		return image.Rect(r.Min.X/2, r.Min.Y, (r.Max.X+1)/2, r.Max.Y)
	case image.YCbCrSubsampleRatio420:
		return image.Rect(r.Min.X/2, r.Min.Y/2, (r.Max.X+1)/2, (r.Max.Y+1)/2)
	case image.YCbCrSubsampleRatio440:
		return image.Rect(r.Min.X, r.Min.Y/2, r.Max.X, (r.Max.Y+1)/2)
	case image.YCbCrSubsampleRatio411:
		return image.Rect(r.Min.X/4, r.Min.Y, (r.Max.X+3)/4, r.Max.Y)
	case image.YCbCrSubsampleRatio410:
		return image.Rect(r.Min.X/4, r.Min.Y/2, (r.Max.X+3)/4, (r.Max.Y+1)/2)
	}
	return r
}

// toRGBA converts m to non-premultiplied 8-bit RGBA, as image/draw would.
func toRGBA(m image.Image) *image.RGBA {
	r := m.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := 0; y < r.Dy(); y++ {
		for x := 0; x < r.Dx(); x++ {
			c := color.RGBAModel.Convert(m.At(r.Min.X+x, r.Min.Y+y)).(color.RGBA)
			i := out.PixOffset(x, y)
			out.Pix[i+0], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = c.R, c.G, c.B, c.A
		}
	}
	return out
}

// boxDown averages denom x denom groups of m's pixels (partial groups at the
// right and bottom edges average what there is), giving a
// ceil(w/denom) x ceil(h/denom) image.
func boxDown(m *image.RGBA, denom int) *image.RGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	ow, oh := (w+denom-1)/denom, (h+denom-1)/denom
	out := image.NewRGBA(image.Rect(0, 0, ow, oh))
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			var sum [4]int
			n := 0
			for y := oy * denom; y < min(h, (oy+1)*denom); y++ {
				for x := ox * denom; x < min(w, (ox+1)*denom); x++ {
					i := m.PixOffset(x, y)
					for c := 0; c < 4; c++ {
						sum[c] += int(m.Pix[i+c])
					}
					n++
				}
			}
			i := out.PixOffset(ox, oy)
			for c := 0; c < 4; c++ {
				out.Pix[i+c] = uint8((sum[c] + n/2) / n)
			}
		}
	}
	return out
}

// psnr returns the PSNR in dB of the RGB channels of a against b, which
// must have the same size.
func psnr(a, b *image.RGBA) float64 {
	var se float64
	n := 0
	for y := 0; y < a.Rect.Dy(); y++ {
		for x := 0; x < a.Rect.Dx(); x++ {
			i, j := a.PixOffset(x, y), b.PixOffset(x, y)
			for c := 0; c < 3; c++ {
				d := float64(a.Pix[i+c]) - float64(b.Pix[j+c])
				se += d * d
				n++
			}
		}
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(se/float64(n)))
}

// componentPlanes returns the visible part of every component plane of a
// decoder after decoding (before any color conversion), as (pixels,
// stride, width, height).
func componentPlanes(d *decoder) (planes [maxComponents]struct {
	pix          []byte
	stride, w, h int
}, n int) {
	hmax, vmax := 1, 1
	for _, c := range d.comp[:d.nComp] {
		hmax, vmax = max(hmax, c.h), max(vmax, c.v)
	}
	denom := 1 << d.shift
	for i, c := range d.comp[:d.nComp] {
		cw := (d.width*c.h + hmax - 1) / hmax
		ch := (d.height*c.v + vmax - 1) / vmax
		p := &planes[i]
		p.pix, p.stride = d.planes[i].pix, d.planes[i].stride
		p.w, p.h = (cw+denom-1)/denom, (ch+denom-1)/denom
	}
	return planes, d.nComp
}

// planePSNR compares every component plane of a decoder at scale 1/denom
// with the full-size planes of a decoder at scale 1 averaged over denom x
// denom boxes, over the samples whose boxes are entirely inside the
// component (the edge samples also average the encoder's padding). It
// returns the lowest per-plane PSNR.
func planePSNR(full, scaled *decoder) float64 {
	fp, n := componentPlanes(full)
	sp, _ := componentPlanes(scaled)
	denom := 1 << scaled.shift
	worst := math.Inf(1)
	for c := 0; c < n; c++ {
		f, s := fp[c], sp[c]
		var se float64
		cnt := 0
		for oy := 0; oy < f.h/denom; oy++ {
			for ox := 0; ox < f.w/denom; ox++ {
				sum := 0
				for y := oy * denom; y < (oy+1)*denom; y++ {
					for x := ox * denom; x < (ox+1)*denom; x++ {
						sum += int(f.pix[y*f.stride+x])
					}
				}
				avg := float64(sum) / float64(denom*denom)
				d := float64(s.pix[oy*s.stride+ox]) - avg
				se += d * d
				cnt++
			}
		}
		if cnt == 0 {
			continue
		}
		p := math.Inf(1)
		if se > 0 {
			p = 10 * math.Log10(255*255/(se/float64(cnt)))
		}
		worst = min(worst, p)
	}
	return worst
}
