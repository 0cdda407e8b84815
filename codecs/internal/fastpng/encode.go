// Package fastpng is a fast 8-bit PNG encoder: cheap filter selection,
// klauspost/compress deflate and, optionally, deflate of row chunks in
// parallel joined (pigz style, with sync flushes) into one zlib stream.
package fastpng

import (
	"encoding/binary"
	"errors"
	"image"
	"io"
)

// Options controls Encode.
type Options struct {
	// Level trades speed for size: 1 is the fastest, 3 the smallest
	// (close to image/png's default compression); 0, and any value out of
	// range, is the default: adaptive filters scored on a sample of each
	// row and flate level 6, as small as level 2 and about as fast as
	// image/png BestSpeed run on one core.
	Level int
	// KeepAlpha always writes RGBA, even for an opaque image (which is
	// otherwise written as RGB).
	KeepAlpha bool
	// Parallel compresses chunks of rows on up to GOMAXPROCS goroutines.
	Parallel bool
}

// params are the encoder settings a level stands for.
type params struct {
	flate  int // klauspost/compress flate level
	filter int // fixed PNG filter type, or filterAdaptive
	sample int // filterAdaptive scores every sample-th run of bytes
}

// Level settings, measured single-threaded on a 1024x1024 RGBA photo /
// the 3840x2160 RGB screenshot (image/png: BestSpeed 70 ms, 1.39 MB /
// 183 ms, 1.92 MB; Default 388 ms, 1.18 MB / 317 ms, 1.77 MB):
// 1: 18 ms, 1.33 MB / 54 ms, 1.92 MB; 2: 42 ms, 1.18 MB / 147 ms, 1.91 MB;
// 3: 231 ms, 1.17 MB / 238 ms, 1.78 MB.
//
// Level 0 is flate level 6 since it was measured (BenchmarkSettings) on the
// dall-e-2 canvases (1024x1024 RGBA, transparent padding) against libvips'
// default (zlib 6, no filter): flate 3 left the Leica photo at 675,358
// bytes (1.19x libvips' 569,729) and the screenshot at 376,013 (1.17x
// 320,565); flate 6 makes them 596,879 (1.05x) and 354,359 (1.11x), the S7
// photo 1,188,666 instead of 1,284,722 (libvips 1,475,063), for 10-60% more
// deflate CPU (Leica 23 -> 36 ms, S7 39 -> 42 ms, screenshot 14 -> 17 ms).
// Flate 4 costs what 3 does and is in between on RGBA, but no smaller on
// the 1536x1152 RGB photo (2,477,392 vs 2,464,298; 6: 2,420,432); flate 7
// is 2-4x slower for 1-2% less.
func (o Options) params() params {
	switch o.Level {
	case 1:
		return params{flate: 2, filter: ftUp, sample: 1}
	case 2:
		return params{flate: 6, filter: filterAdaptive, sample: 1}
	case 3:
		return params{flate: 8, filter: filterAdaptive, sample: 1}
	}
	return params{flate: 6, filter: filterAdaptive, sample: 4}
}

// Encode writes img to w as an 8-bit, non-interlaced PNG: *image.Gray as
// grey (colour type 0), *image.NRGBA as RGBA (type 6), or as RGB (type 2)
// when every pixel is opaque and opts.KeepAlpha is not set. Any other image
// is converted to NRGBA first. The output decodes with image/png to exactly
// the same pixels.
func Encode(w io.Writer, img image.Image, opts Options) error {
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 || int64(b.Dx()) > 1<<31-1 || int64(b.Dy()) > 1<<31-1 {
		return errors.New("fastpng: invalid image size " + b.Size().String())
	}
	r := newRows(img, opts.KeepAlpha)
	cw := &chunkWriter{w: w}
	if _, err := io.WriteString(w, "\x89PNG\r\n\x1a\n"); err != nil {
		return err
	}
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(r.w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(r.h))
	ihdr[8], ihdr[9] = 8, byte(r.colorType) // depth; compression, filter, interlace 0
	cw.chunk("IHDR", ihdr[:])
	idat := &idatWriter{cw: cw, buf: make([]byte, 0, idatSize)}
	if err := writeZlib(idat, r, opts.params(), opts.Parallel); err != nil {
		return err
	}
	idat.flush()
	cw.chunk("IEND", nil)
	return cw.err
}
