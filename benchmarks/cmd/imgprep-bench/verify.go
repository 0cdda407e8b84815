package main

import (
	"bytes"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/raster"
)

// expectation is what every tool's output must be for a job, so that no
// tool wins by doing less.
type expectation struct {
	format codecs.Format
	w, h   int  // exact size, or the long side's size with slack 1 on the short side
	slack  bool // the short side may differ by one pixel (rounding)
	alpha  bool // the output must have an alpha channel
	same   bool // passthrough: the output must be the input's bytes
}

// dalle2Expect: a 1024x1024 PNG with alpha.
func dalle2Expect(input) expectation {
	return expectation{format: codecs.PNG, w: 1024, h: 1024, alpha: true}
}

// gptExpect: the upright image with its longer side 1536.
func gptExpect(in input) expectation {
	uw, uh := in.info.UprightSize()
	s := 1536 / float64(max(uw, uh))
	return expectation{format: outFormat(in), w: int(math.Round(float64(uw) * s)),
		h: int(math.Round(float64(uh) * s)), slack: true, alpha: in.info.HasAlpha}
}

// webpExpect: gptExpect's size, as WebP.
func webpExpect(in input) expectation {
	e := gptExpect(in)
	e.format = codecs.WebP
	return e
}

// passExpect: the input itself.
func passExpect(in input) expectation {
	return expectation{format: in.info.Format, w: in.info.Width, h: in.info.Height, same: true}
}

// outputFile returns the one file a run wrote into dir (hidden files, such
// as an atomic writer's leftovers, do not count).
func outputFile(dir string) (string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var found []string
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), ".") && e.Type().IsRegular() {
			found = append(found, filepath.Join(dir, e.Name()))
		}
	}
	if len(found) != 1 {
		return "", fmt.Errorf("want one output file in %s, found %d", dir, len(found))
	}
	return found[0], nil
}

// verify checks an output against the expectation and returns its size.
func verify(path string, in input, e expectation) (int64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	if e.same {
		orig, err := os.ReadFile(in.path)
		if err != nil {
			return 0, err
		}
		if !bytes.Equal(orig, data) {
			return 0, fmt.Errorf("%s: not the input's bytes", path)
		}
		return int64(len(data)), nil
	}
	info, err := codecs.Probe(data)
	if err != nil {
		return 0, fmt.Errorf("%s: %v", path, err)
	}
	w, h := info.UprightSize()
	okSize := w == e.w && h == e.h
	if e.slack {
		okSize = abs(w-e.w) <= 1 && abs(h-e.h) <= 1 && max(w, h) == max(e.w, e.h)
	}
	switch {
	case info.Format != e.format:
		return 0, fmt.Errorf("%s: %s, want %s", path, info.Format, e.format)
	case !okSize:
		return 0, fmt.Errorf("%s: %dx%d upright, want %dx%d", path, w, h, e.w, e.h)
	case e.alpha && !info.HasAlpha:
		return 0, fmt.Errorf("%s: no alpha channel", path)
	case info.Orientation > 1:
		return 0, fmt.Errorf("%s: still carries EXIF orientation %d", path, info.Orientation)
	}
	return int64(len(data)), nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// agreement returns the PSNR (dB) between two outputs over their common
// area, on premultiplied RGBA: a check that two tools made the same
// picture (a wrong orientation or padding shows as ~10 dB).
func agreement(a, b string) (float64, error) {
	ia, err := decodeFile(a)
	if err != nil {
		return 0, err
	}
	ib, err := decodeFile(b)
	if err != nil {
		return 0, err
	}
	w, h := min(ia.Rect.Dx(), ib.Rect.Dx()), min(ia.Rect.Dy(), ib.Rect.Dy())
	var sum float64
	for y := 0; y < h; y++ {
		pa, pb := ia.Pix[y*ia.Stride:], ib.Pix[y*ib.Stride:]
		for x := 0; x < 4*w; x += 4 {
			aa, ab := float64(pa[x+3]), float64(pb[x+3])
			for c := 0; c < 3; c++ {
				d := (float64(pa[x+c])*aa - float64(pb[x+c])*ab) / 255
				sum += d * d
			}
			sum += (aa - ab) * (aa - ab)
		}
	}
	mse := sum / float64(4*w*h)
	if mse == 0 {
		return math.Inf(1), nil
	}
	return 10 * math.Log10(255*255/mse), nil
}

// decodeFile decodes an output to upright NRGBA.
func decodeFile(path string) (*image.NRGBA, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	img, info, err := codecs.Decode(data, codecs.DecodeOptions{})
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return raster.Orient(raster.ToNRGBA(img), info.Orientation), nil
}
