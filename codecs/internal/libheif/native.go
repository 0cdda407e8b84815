//go:build (linux || darwin || freebsd) && !nodynamic

package libheif

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"unsafe"

	"github.com/ebitengine/purego"
)

// Lib is the system's libheif. Only the calls needed to decode a file's
// primary image are bound.
type Lib struct {
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

// names are tried in order; the versioned name is what distributions
// install without their -dev package.
var names = map[string][]string{
	"linux":   {"libheif.so.1", "libheif.so"},
	"freebsd": {"libheif.so.1", "libheif.so"},
	"darwin":  {"libheif.1.dylib", "/opt/homebrew/lib/libheif.1.dylib", "/usr/local/lib/libheif.1.dylib"},
}

// open loads the system library, or returns nil.
func open() *Lib {
	if !dynamicBinary() {
		return nil
	}
	var h uintptr
	var err error
	for _, name := range names[runtime.GOOS] {
		if h, err = purego.Dlopen(name, purego.RTLD_NOW|purego.RTLD_GLOBAL); err == nil {
			break
		}
	}
	if h == 0 {
		return nil
	}
	l := &Lib{}
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

// decode decodes file's primary image in colourspace cs and chroma ch,
// 8-bit, without its transformations, and hands it to use.
func (l *Lib) decode(file []byte, cs, ch int32, use func(img uintptr) error) error {
	if len(file) == 0 {
		return ErrDecode
	}
	ctx := l.contextAlloc()
	if ctx == 0 {
		return ErrDecode
	}
	defer l.contextFree(ctx)
	if uint32(l.readMemory(ctx, &file[0], uint64(len(file)), 0)) != 0 {
		return ErrDecode
	}
	var handle uintptr
	if uint32(l.primaryHandle(ctx, &handle)) != 0 {
		return ErrDecode
	}
	defer l.handleRelease(handle)
	opts := l.optionsAlloc()
	if opts == nil {
		return ErrDecode
	}
	defer l.optionsFree(opts)
	// struct heif_decoding_options: version and ignore_transformations
	// (uint8 at 0 and 1), four pointers, then convert_hdr_to_8bit at
	// offset 40 (since version 1).
	*(*uint8)(unsafe.Add(opts, 1)) = 1
	*(*uint8)(unsafe.Add(opts, 40)) = 1
	var img uintptr
	if uint32(l.decodeImage(handle, &img, cs, ch, opts)) != 0 || img == 0 {
		return ErrDecode
	}
	defer l.imageRelease(img)
	return use(img)
}

func bytesAt(p *byte, n int) []byte { return unsafe.Slice(p, n) }
