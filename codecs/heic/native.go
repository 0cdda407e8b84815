//go:build (linux || darwin || freebsd) && !nodynamic

package heic

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"unsafe"

	"github.com/ebitengine/purego"
)

// libheif is the system's libheif, loaded with purego (no cgo). Only the
// calls needed to decode a standalone file to its native planes are bound.
type libheif struct {
	version string

	contextAlloc  func() uintptr
	contextFree   func(uintptr)
	readMemory    func(ctx uintptr, data *byte, size uint64, opts uintptr) uintptr
	primaryHandle func(ctx uintptr, out *uintptr) uintptr
	handleRelease func(uintptr)
	optionsAlloc  func() unsafe.Pointer
	optionsFree   func(unsafe.Pointer)
	decodeImage   func(handle uintptr, out *uintptr, cs, chroma int32, opts unsafe.Pointer) uintptr
	imageRelease  func(uintptr)
	colorspace    func(img uintptr) int32
	chromaFormat  func(img uintptr) int32
	width         func(img uintptr, channel int32) int32
	height        func(img uintptr, channel int32) int32
	planeReadonly func(img uintptr, channel int32, stride *int32) *byte
	versionMajor  func() int32
	versionMinor  func() int32
}

// libheifNames are tried in order; the versioned name is what distributions
// install without their -dev package.
var libheifNames = map[string][]string{
	"linux":   {"libheif.so.1", "libheif.so"},
	"freebsd": {"libheif.so.1", "libheif.so"},
	"darwin":  {"libheif.1.dylib", "/opt/homebrew/lib/libheif.1.dylib", "/usr/local/lib/libheif.1.dylib"},
}

// openLibheif loads the system library, or returns nil: when it is absent
// or older than 1.14, or when UseWASM was called.
func openLibheif() *libheif {
	if wasmOnly.Load() || !dynamicBinary() {
		return nil
	}
	var h uintptr
	var err error
	for _, name := range libheifNames[runtime.GOOS] {
		if h, err = purego.Dlopen(name, purego.RTLD_NOW|purego.RTLD_GLOBAL); err == nil {
			break
		}
	}
	if h == 0 {
		return nil
	}
	l := &libheif{}
	ok := true
	reg := func(fn any, name string) {
		if _, err := purego.Dlsym(h, name); err != nil {
			ok = false
			return
		}
		purego.RegisterLibFunc(fn, h, name)
	}
	reg(&l.versionMajor, "heif_get_version_number_major")
	reg(&l.versionMinor, "heif_get_version_number_minor")
	reg(&l.contextAlloc, "heif_context_alloc")
	reg(&l.contextFree, "heif_context_free")
	reg(&l.readMemory, "heif_context_read_from_memory_without_copy")
	reg(&l.primaryHandle, "heif_context_get_primary_image_handle")
	reg(&l.handleRelease, "heif_image_handle_release")
	reg(&l.optionsAlloc, "heif_decoding_options_alloc")
	reg(&l.optionsFree, "heif_decoding_options_free")
	reg(&l.decodeImage, "heif_decode_image")
	reg(&l.imageRelease, "heif_image_release")
	reg(&l.colorspace, "heif_image_get_colorspace")
	reg(&l.chromaFormat, "heif_image_get_chroma_format")
	reg(&l.width, "heif_image_get_width")
	reg(&l.height, "heif_image_get_height")
	reg(&l.planeReadonly, "heif_image_get_plane_readonly")
	if !ok {
		return nil
	}
	major, minor := l.versionMajor(), l.versionMinor()
	if major != 1 || minor < 14 {
		return nil
	}
	l.version = fmt.Sprintf("%d.%d", major, minor)
	return l
}

// dynamicBinary: purego can only load libraries into a dynamically linked
// process (a CGO_ENABLED=0 build is one when it imports purego, unless
// built with -tags nodynamic).
func dynamicBinary() bool {
	if runtime.GOOS != "linux" {
		return true
	}
	b, err := os.ReadFile("/proc/self/maps")
	return err == nil && (bytes.Contains(b, []byte("/ld-linux")) || bytes.Contains(b, []byte("/ld-musl")))
}

// heif_channel values.
const (
	chanY  = 0
	chanCb = 1
	chanCr = 2
)

// decode decodes one standalone file to its planes in chroma format chroma
// (0 mono, 1-3 YCbCr 4:2:0 to 4:4:4: the coded one), 8-bit.
func (l *libheif) decode(file []byte, chroma int, into func(*planes) error) error {
	ctx := l.contextAlloc()
	if ctx == 0 {
		return errDecode
	}
	defer l.contextFree(ctx)
	if uint32(l.readMemory(ctx, &file[0], uint64(len(file)), 0)) != 0 {
		return errDecode
	}
	var handle uintptr
	if uint32(l.primaryHandle(ctx, &handle)) != 0 {
		return errDecode
	}
	defer l.handleRelease(handle)
	opts := l.optionsAlloc()
	defer l.optionsFree(opts)
	// struct heif_decoding_options: version, ignore_transformations, four
	// pointers, then convert_hdr_to_8bit at offset 40 (since version 1).
	if opts == nil {
		return errDecode
	}
	*(*uint8)(unsafe.Add(opts, 40)) = 1
	var img uintptr
	// The coded colourspace and chroma, so that libheif does not convert
	// (with heif_colorspace_undefined, 1.15 converts to RGB).
	cs, ch := int32(csYCbCr), int32(chroma)
	if chroma == 0 {
		cs, ch = csMono, 0
	}
	if uint32(l.decodeImage(handle, &img, cs, ch, opts)) != 0 || img == 0 {
		return errDecode
	}
	defer l.imageRelease(img)
	p := &planes{w: int(l.width(img, chanY)), h: int(l.height(img, chanY))}
	switch cs, ch := l.colorspace(img), l.chromaFormat(img); {
	case cs == csMono, cs == csYCbCr && ch == 0:
		p.chroma = 0
	case cs == csYCbCr && ch >= chroma420 && ch <= chroma444:
		p.chroma = int(ch)
	default:
		return fmt.Errorf("libheif: colourspace %d, chroma %d", cs, ch)
	}
	var stride int32
	y := l.planeReadonly(img, chanY, &stride)
	if y == nil || p.w <= 0 || p.h <= 0 {
		return errDecode
	}
	p.yStride = int(stride)
	p.y = unsafe.Slice(y, p.yStride*p.h)
	if p.chroma != 0 {
		_, ch := p.chromaSize()
		cb := l.planeReadonly(img, chanCb, &stride)
		cr := l.planeReadonly(img, chanCr, &stride)
		if cb == nil || cr == nil {
			return errDecode
		}
		p.cStride = int(stride)
		p.cb = unsafe.Slice(cb, p.cStride*ch)
		p.cr = unsafe.Slice(cr, p.cStride*ch)
	}
	return into(p)
}
