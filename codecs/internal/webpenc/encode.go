//go:build cgo

package webpenc

/*
#cgo CFLAGS: -I${SRCDIR}/include
#include <stdlib.h>
#include <string.h>
#include <webp/encode.h>

typedef struct {
	int lossless, method, threads, exact, sharp_yuv, in_place;
	int filter_strength, segments, sns_strength, preprocessing; // -1: libwebp's default
	float quality;
} imgprep_webp_opts;

// swap_rb exchanges the first and third byte of every pixel: RGBA <-> BGRA,
// which is libwebp's ARGB in a little-endian uint32.
static void swap_rb(uint8_t* pix, int w, int h, int stride) {
	for (int y = 0; y < h; y++) {
		uint8_t* p = pix + (size_t)y * stride;
		for (int x = 0; x < w; x++, p += 4) {
			uint8_t t = p[0];
			p[0] = p[2];
			p[2] = t;
		}
	}
}

// imgprep_webp_encode encodes w x h pixels of 8-bit RGBA (rgbx: alpha
// ignored) into a malloc'ed buffer. It returns 0 or an error code: -1..-3
// for a bad configuration, 100+WebPEncodingError otherwise. With in_place
// (lossless and exact only, on a little-endian machine) the encoder reads
// the pixels where they are, reordered to BGRA for the call.
static int imgprep_webp_encode(const uint8_t* pix, int w, int h, int stride, int rgbx,
		imgprep_webp_opts o, uint8_t** out, size_t* size) {
	WebPConfig c;
	WebPPicture p;
	WebPMemoryWriter mw;
	int ok;
	if (!WebPConfigInit(&c)) return -1;
	c.lossless = o.lossless;
	c.quality = o.quality;
	c.method = o.method;
	c.thread_level = o.threads;
	c.exact = o.exact;
	c.use_sharp_yuv = o.sharp_yuv;
	if (o.filter_strength >= 0) c.filter_strength = o.filter_strength;
	if (o.segments > 0) c.segments = o.segments;
	if (o.sns_strength >= 0) c.sns_strength = o.sns_strength;
	if (o.preprocessing >= 0) c.preprocessing = o.preprocessing;
	if (!WebPValidateConfig(&c)) return -2;
	if (!WebPPictureInit(&p)) return -3;
	p.use_argb = o.lossless;
	p.width = w;
	p.height = h;
	WebPMemoryWriterInit(&mw);
	p.writer = WebPMemoryWrite;
	p.custom_ptr = &mw;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (o.in_place && o.lossless && o.exact && stride % 4 == 0) {
		// With exact set, WebPEncode only reads the ARGB samples: the
		// lossless encoder copies them before it transforms anything.
		uint8_t* px = (uint8_t*)pix;
		swap_rb(px, w, h, stride);
		p.argb = (uint32_t*)px;
		p.argb_stride = stride / 4;
		ok = WebPEncode(&c, &p);
		swap_rb(px, w, h, stride);
		goto done;
	}
#endif
	ok = rgbx ? WebPPictureImportRGBX(&p, pix, stride) : WebPPictureImportRGBA(&p, pix, stride);
	if (ok) ok = WebPEncode(&c, &p);
done:;
	int code = p.error_code;
	WebPPictureFree(&p);
	if (!ok) {
		WebPMemoryWriterClear(&mw);
		return 100 + (code ? code : VP8_ENC_ERROR_OUT_OF_MEMORY);
	}
	*out = mw.mem;
	*size = mw.size;
	return 0;
}
*/
import "C"

import (
	"fmt"
	"unsafe"

	// libwebp's code, compiled by chai2010/webp, is what this package calls.
	_ "github.com/chai2010/webp"
)

// Available reports whether this build has libwebp (it needs cgo).
const Available = true

// Encode encodes w x h pixels of 8-bit non-premultiplied RGBA (stride bytes
// per row) with the given settings. With opaque set the alpha bytes are
// ignored and the file has no alpha.
func Encode(pix []byte, w, h, stride int, opaque bool, o Options) ([]byte, error) {
	if w <= 0 || h <= 0 || stride < 4*w || len(pix) < (h-1)*stride+4*w {
		return nil, fmt.Errorf("webpenc: bad image %dx%d, stride %d, %d bytes", w, h, stride, len(pix))
	}
	co := C.imgprep_webp_opts{
		lossless: cbool(o.Lossless), method: C.int(o.Method), threads: cbool(o.Threads),
		exact: cbool(o.Exact), sharp_yuv: cbool(o.SharpYUV), in_place: cbool(o.InPlace),
		filter_strength: C.int(o.FilterStrength - 1), segments: C.int(o.Segments),
		sns_strength: C.int(o.SNSStrength - 1), preprocessing: C.int(o.Preprocessing - 1),
		quality: C.float(o.Quality),
	}
	var out *C.uint8_t
	var size C.size_t
	rc := C.imgprep_webp_encode((*C.uint8_t)(unsafe.Pointer(&pix[0])), C.int(w), C.int(h), C.int(stride),
		cbool(opaque), co, &out, &size)
	if rc != 0 {
		return nil, fmt.Errorf("webpenc: libwebp failed (code %d)", int(rc))
	}
	defer C.free(unsafe.Pointer(out))
	return C.GoBytes(unsafe.Pointer(out), C.int(size)), nil
}

func cbool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}
