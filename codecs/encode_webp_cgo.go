//go:build cgo

package codecs

import (
	"image"

	"github.com/imgprep/imgprep/codecs/internal/webpenc"
	"github.com/imgprep/imgprep/internal/raster"
)

// LossyWebPAvailable reports whether this build can encode lossy WebP
// (it needs cgo for libwebp).
func LossyWebPAvailable() bool { return true }

// WebP settings, chosen by measurement (codecs/internal/webpenc's
// BenchmarkWebP; 2 cores, libwebp 1.4.0).
//
// Lossy, method 2 instead of libwebp's default 4: on the 12 MP photo
// prepared at 1536x1152, q80, 58 ms instead of 153 ms for 103,680 bytes
// instead of 100,442 (libvips' default, method 4: 121,220), PSNR 39.0 dB
// vs 39.2 dB against the canvas. Methods 3-6 add the costly RD
// optimisation; 0-1 are 20-35% bigger for 10-20 ms less. Threads do not
// pay for the lossy encoder at method 2.
//
// Lossless, effort 26 and method 1 instead of libwebp's default effort
// 75, method 4 (as libvips): effort 26 is the lowest whose LZ77 window
// reaches 64 rows back (25: 16) for the same time. On the 3840x2160
// screenshot 0.96 s instead of 2.7 s for 1,028,874 bytes instead of
// 1,019,528 (libvips 1,019,740; nativewebp 3.3 s, 1,225,308); at 1536x864,
// 0.21 s instead of 0.82 s for 336,602 bytes instead of 316,520 (libvips
// 321,730; effort 25: 382,828; effort 51: 316,714 in 0.31 s). Method 0 is
// 1.7x bigger. Threads do not pay at method 1 (one entropy trial).
var (
	webpLossy    = webpenc.Options{Method: 2}
	webpLossless = webpenc.Options{Lossless: true, Quality: 26, Method: 1, Exact: true}
)

// encodeWebPLossy encodes with libwebp (the code chai2010/webp compiles)
// at webpLossy's settings. Translucent pixels are passed non-premultiplied.
func encodeWebPLossy(img image.Image, quality int) ([]byte, error) {
	o := webpLossy
	o.Quality = float32(quality)
	return encodeLibwebp(img, o, false)
}

// encodeWebPLossless encodes with libwebp at webpLossless' settings,
// keeping the colour of transparent pixels (exact). With scratch, the
// pixels are encoded in place (see EncodeOptions.ScratchPixels): on the
// 1536x864 screenshot, 38 MB at the encoder's peak instead of 43.
func encodeWebPLossless(img image.Image, scratch bool) ([]byte, error) {
	return encodeLibwebp(img, webpLossless, scratch)
}

// encodeLibwebp encodes img as NRGBA (RGBX when opaque) with libwebp and
// turns a panic into ErrEncode. Lossless encodes a converted copy, or
// with scratch the caller's pixels, in place.
func encodeLibwebp(img image.Image, o webpenc.Options, scratch bool) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, newErr(WebP, ErrEncode, "libwebp encoder panic: %v", r)
		}
	}()
	n, copied := asNRGBA(img)
	o.InPlace = o.Lossless && (copied || scratch)
	out, err = webpenc.Encode(n.Pix, n.Rect.Dx(), n.Rect.Dy(), n.Stride, raster.Opaque(n), o)
	if err != nil {
		return nil, encodeErr(WebP, err)
	}
	return out, nil
}
