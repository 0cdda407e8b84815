package heic

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/imgprep/imgprep/codecs/internal/libheif"

	_ "embed" // the module

	"github.com/imgprep/imgprep/internal/wasmrt"
)

// heifWasm is libheif v1.18.2 and libde265 v1.0.15 compiled to
// WebAssembly with heif.c's decode function: lib/heif.wasm.gz, lib/heif.c
// and lib/Makefile as github.com/gen2brain/heic v0.4.5 ships them (its Go
// package is not imported: its init dlopens a system libheif.so, pulling
// in x265, dav1d and aom on every start where the -dev packages exist, and
// its decoder keeps the module's memory alive with the image). LGPL: see
// lib/LICENSE.* and NOTICE.
//
//go:embed lib/heif.wasm.gz
var heifWasm []byte

var module = wasmrt.NewModule("libheif", func() []byte { return heifWasm }, "decode")

// Warm compiles the WebAssembly module now, so that the first decode does
// not wait for it (about a second without a compilation cache; see
// codecs/wasm). It does nothing when the system library is used.
func Warm() error {
	if native() {
		return nil
	}
	return module.Warm()
}

// libheif's enums as heif.c returns them.
const (
	csYCbCr = 0
	csRGB   = 1
	csMono  = 2

	chroma420 = 1
	chroma422 = 2
	chroma444 = 3
)

// planes is one decoded coded item: 8-bit Y (and Cb, Cr unless mono),
// from either decoder.
type planes = libheif.Planes

// wasmDecoder decodes standalone files, one fresh instance per file: a
// second decode in the same instance fails (out-of-bounds access in
// libheif), and heif.c's decode does not release the decoded image, so an
// instance would leak one picture per call anyway. An instance costs
// about 0.2 ms.
type wasmDecoder struct {
	in    *wasmrt.Instance
	calls int
}

const callsPerInstance = 1

func (d *wasmDecoder) close() {
	if d.in != nil {
		d.in.Close()
		d.in = nil
	}
}

// planeStride is libheif 1.18's row stride for a plane of width w
// (HeifPixelImage::ImagePlane::alloc: the width rounded up to even and to
// at least 64, in bytes rounded up to 16). heif.c copies the planes with
// it but does not return it.
func planeStride(w int) int { return (max(64, (w+1)&^1) + 15) &^ 15 }

// decode decodes one standalone single-item HEIC file; into receives the
// planes while they are still in the instance's memory (valid only during
// the call).
func (d *wasmDecoder) decode(file []byte, into func(*planes) error) error {
	if d.in == nil || d.calls >= callsPerInstance {
		d.close()
		in, err := module.Instantiate()
		if err != nil {
			return err
		}
		d.in, d.calls = in, 0
	}
	d.calls++
	in := d.in
	ptr, err := in.Put(file)
	if err != nil {
		return err
	}
	defer in.Free(ptr)
	args, err := in.Alloc(20)
	if err != nil {
		return err
	}
	defer in.Free(args)
	call := func(configOnly uint64, out uint32) error {
		res, err := in.Call("decode", uint64(ptr), uint64(len(file)), configOnly,
			uint64(args), uint64(args+4), uint64(args+8), uint64(args+12), uint64(args+16), uint64(out))
		if err != nil {
			return fmt.Errorf("libheif: %w", err)
		}
		if res[0] == 0 {
			return errDecode
		}
		return nil
	}
	if err := call(1, 0); err != nil {
		return err
	}
	p := &planes{W: int(in.U32(args)), H: int(in.U32(args + 4))}
	cs, chroma := in.U32(args+8), in.U32(args+12)
	switch {
	case cs == csMono, cs == csYCbCr && chroma == 0: // an alpha plane: YCbCr, monochrome
		p.Chroma = 0
	case cs == csYCbCr && chroma >= chroma420 && chroma <= chroma444:
		p.Chroma = int(chroma)
	default:
		return fmt.Errorf("libheif: colourspace %d, chroma %d", cs, chroma)
	}
	p.YStride = planeStride(p.W)
	size := p.YStride * p.H
	var cw, ch int
	if p.Chroma != 0 {
		cw, ch = p.ChromaSize()
		p.CStride = planeStride(cw)
		size += 2 * p.CStride * ch
	}
	out, err := in.Alloc(size)
	if err != nil {
		return err
	}
	defer in.Free(out)
	if err := call(0, out); err != nil {
		return err
	}
	b, err := in.View(out, size)
	if err != nil {
		return err
	}
	p.Y = b[:p.YStride*p.H]
	if p.Chroma != 0 {
		i := p.YStride * p.H
		p.Cb = b[i : i+p.CStride*ch]
		p.Cr = b[i+p.CStride*ch : i+2*p.CStride*ch]
	}
	return into(p)
}

var errDecode = errors.New("libheif could not decode the HEVC data")

// nativeOnce decides once whether the system library is used.
var (
	nativeOnce sync.Once
	nativeLib  *libheif.Lib
	wasmOnly   atomic.Bool
)

func native() bool {
	nativeOnce.Do(func() { nativeLib = openLibheif() })
	return nativeLib != nil
}

// UseWASM makes the decoder use the WebAssembly build even when the system
// has libheif: for a build whose output must not depend on the system,
// and to measure the two. Call it before the first decode.
func UseWASM() { wasmOnly.Store(true) }

// Path says how HEVC is decoded in this process: "wasm" (libheif 1.18.2
// and libde265 1.0.15 in wazero) or "system libheif 1.x".
func Path() string {
	if native() {
		return "system libheif " + nativeLib.Version()
	}
	return "wasm"
}
