// Package avif registers an AVIF (AV1) decoder with codecs:
//
//	import _ "github.com/imgprep/imgprep/codecs/avif"
//
// after which codecs.Probe, codecs.Decode and everything built on them read
// AVIF files: 8- to 12-bit, with alpha, grids, the primary image only,
// irot and imir reported as the equivalent EXIF orientation and the clean
// aperture (clap) applied.
//
// The headers are read by imgprep's own parser (internal/heif), which
// checks the pixel limit before anything is decoded. The pixels are
// decoded by the system's libheif (1.14 or later, with its AV1 decoder:
// dav1d or libaom) when the binary can load it, as libvips does, for
// 8-bit images; otherwise, and for deeper ones, by libavif 1.1.1 with
// libaom 3.10 (gen2brain/avif v0.4.4's WebAssembly build), run by wazero
// and compiled once per process (see codecs/wasm for a cache between
// processes), about five times slower. Path says which. Both convert YUV
// to RGB with the nclx colour box's matrix and range (else the AV1
// sequence header's) and leave the transforms to the caller, which they
// are.
//
// Licences: libavif and libaom are BSD-2-Clause (libaom with the AOMedia
// patent licence) and libyuv BSD-3-Clause; see NOTICE.
package avif

import (
	"fmt"
	"image"
	"image/draw"
	"runtime"
	"sync/atomic"

	"github.com/imgprep/imgprep/codecs/internal/libheif"

	_ "embed" // the module

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/heif"
	"github.com/imgprep/imgprep/internal/wasmrt"
)

// decodeWasm is libavif with libaom's and dav1d's decoders compiled to
// WebAssembly with decode.c's decode function: lib/decode.wasm.gz,
// lib/decode.c and lib/Makefile.decode as github.com/gen2brain/avif v0.4.4
// ships them (its Go package is not imported: its init dlopens a system
// libavif.so). See lib/LICENSE.* and NOTICE.
//
//go:embed lib/decode.wasm.gz
var decodeWasm []byte

var module = wasmrt.NewModule("libavif", func() []byte { return decodeWasm }, "decode")

// Warm compiles the WebAssembly module now (about half a second without a
// compilation cache). It does nothing when the system library is used.
func Warm() error {
	if native() != nil {
		return nil
	}
	return module.Warm()
}

var wasmOnly atomic.Bool

// UseWASM makes the decoder use the WebAssembly build even when the system
// has libheif: for a build whose output must not depend on the system,
// and to measure the two. Call it before the first decode.
func UseWASM() { wasmOnly.Store(true) }

// native returns the system library, or nil.
func native() *libheif.Lib {
	if wasmOnly.Load() {
		return nil
	}
	return libheif.Load()
}

// Path says how AV1 is decoded in this process: "wasm" (libavif 1.1.1
// and libaom 3.10 in wazero) or "system libheif 1.x" (8-bit images; deeper
// ones in wasm).
func Path() string {
	if l := native(); l != nil {
		return "system libheif " + l.Version()
	}
	return "wasm"
}

func init() {
	codecs.RegisterDecoder(codecs.AVIF, decoder{})
}

type decoder struct{}

// Probe reads the boxes only.
func (decoder) Probe(data []byte) (codecs.Info, error) {
	f, err := heif.Parse(data, codecs.AVIF)
	if err != nil {
		return codecs.Info{Format: codecs.AVIF}, err
	}
	return heif.Info(f, codecs.AVIF), nil
}

// Decode decodes the primary image in stored orientation.
func (decoder) Decode(data []byte, opts codecs.DecodeOptions) (image.Image, error) {
	f, err := heif.Parse(data, codecs.AVIF)
	if err != nil {
		return nil, err
	}
	if err := heif.CheckLimit(f, codecs.AVIF, opts.MaxPixels); err != nil {
		return nil, err
	}
	var img image.Image
	if l := native(); l != nil && f.Primary.Bits <= 8 {
		img, err = decodeNative(l, data, f)
	} else {
		img, err = decodeFile(data, f)
	}
	if err != nil {
		return nil, err
	}
	if crop := f.Layout.Crop; crop != img.Bounds() {
		img = cut(img, crop)
	}
	return img, nil
}

func corrupt(format string, a ...any) error {
	return &codecs.FormatError{Format: codecs.AVIF, Kind: codecs.ErrCorrupt, Reason: fmt.Sprintf(format, a...)}
}

// decodeNative decodes the whole file with the system libheif, which reads
// grids and alpha itself, to 8-bit non-premultiplied RGBA.
func decodeNative(l *libheif.Lib, data []byte, f *heif.File) (image.Image, error) {
	m, err := l.DecodeRGBA(data)
	if err != nil {
		return nil, corrupt("%v", err)
	}
	if w, h := m.Rect.Dx(), m.Rect.Dy(); w != f.Primary.Width || h != f.Primary.Height {
		return nil, corrupt("libheif reads %dx%d, the header says %dx%d", w, h, f.Primary.Width, f.Primary.Height)
	}
	return m, nil
}

// decodeFile runs libavif on the whole file: it reads grids and alpha
// itself. The result is premultiplied RGBA, 8- or 16-bit.
func decodeFile(data []byte, f *heif.File) (image.Image, error) {
	in, err := module.Instantiate()
	if err != nil {
		return nil, err
	}
	defer in.Close()
	ptr, err := in.Put(data)
	if err != nil {
		return nil, err
	}
	args, err := in.Alloc(16 + 8)
	if err != nil {
		return nil, err
	}
	delay := args + 16
	call := func(configOnly uint64, out uint32) error {
		res, err := in.Call("decode", uint64(ptr), uint64(len(data)), configOnly, 0,
			uint64(args), uint64(args+4), uint64(args+8), uint64(args+12), uint64(delay), uint64(out))
		if err != nil {
			return corrupt("libavif: %v", err)
		}
		if res[0] == 0 {
			return corrupt("libavif could not decode the image")
		}
		return nil
	}
	if err := call(1, 0); err != nil {
		return nil, err
	}
	w, h, depth := int(in.U32(args)), int(in.U32(args+4)), int(in.U32(args+8))
	if w != f.Primary.Width || h != f.Primary.Height {
		return nil, corrupt("libavif reads %dx%d, the header says %dx%d", w, h, f.Primary.Width, f.Primary.Height)
	}
	bpp := 4
	if depth > 8 {
		bpp = 8
	}
	out, err := in.Alloc(w * h * bpp)
	if err != nil {
		return nil, err
	}
	if err := call(0, out); err != nil {
		return nil, err
	}
	pix, err := in.View(out, w*h*bpp)
	if err != nil {
		return nil, err
	}
	r := image.Rect(0, 0, w, h)
	if bpp == 4 {
		m := image.NewRGBA(r)
		copy(m.Pix, pix)
		return m, nil
	}
	// 16-bit samples, little-endian in the module's memory; image.RGBA64
	// is big-endian.
	m := image.NewRGBA64(r)
	n := len(m.Pix) / 2
	bands := runtime.GOMAXPROCS(0)
	done := make(chan struct{}, bands)
	for i := range bands {
		go func() {
			for j := n * i / bands; j < n*(i+1)/bands; j++ {
				m.Pix[2*j], m.Pix[2*j+1] = pix[2*j+1], pix[2*j]
			}
			done <- struct{}{}
		}()
	}
	for range bands {
		<-done
	}
	return m, nil
}

// cut returns the clean aperture crop of img as a new image at the origin.
func cut(img image.Image, crop image.Rectangle) image.Image {
	b := image.Rect(0, 0, crop.Dx(), crop.Dy())
	var dst draw.Image
	switch img.(type) {
	case *image.RGBA64:
		dst = image.NewRGBA64(b)
	case *image.NRGBA:
		dst = image.NewNRGBA(b)
	default:
		dst = image.NewRGBA(b)
	}
	draw.Draw(dst, b, img, crop.Min, draw.Src)
	return dst
}
