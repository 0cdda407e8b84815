package codecs

import (
	"bytes"
	"image"
	"io"

	"github.com/imgprep/imgprep/internal/jpegenc"
)

// defaultQuality is the JPEG and lossy WebP quality used when
// EncodeOptions.Quality is 0.
const defaultQuality = 90

// EncodeOptions controls Encode. Format is required; the other zero values
// are ready to use.
type EncodeOptions struct {
	// Format is PNG, JPEG or WebP.
	Format Format
	// Quality is the JPEG and lossy WebP quality, 1..100; 0 means 90.
	Quality int
	// PNGLevel is the PNG compression effort: 0 is the default (fast, like
	// 1), 1 best speed, 2 zlib's default, 3 best compression.
	PNGLevel int
	// Lossless selects lossless WebP. WebP is libwebp's through cgo;
	// without cgo, lossless is nativewebp (pure Go) and lossy libwebp
	// compiled to WebAssembly.
	Lossless bool
	// KeepAlpha writes an alpha channel even when every pixel is opaque
	// (PNG colour type 6 instead of 2): dall-e-2 rejects RGB PNGs.
	KeepAlpha bool
	// ScratchPixels lets Encode change an *image.NRGBA's pixels while it
	// runs (they are restored before it returns), so nothing may read them
	// meanwhile: lossless WebP (cgo builds) then encodes them where they
	// are instead of from a copy (4 bytes a pixel less at the peak).
	ScratchPixels bool
}

// WebP's bitstreams store dimensions in 14 bits.
const webpMaxDim = 16383

// Encode writes img to w in the format opts.Format.
//
// JPEG has no alpha and Encode does not flatten: the encoder (image/jpeg's,
// made parallel with restart markers) drops the alpha channel, reading
// premultiplied colour (so translucent pixels come out as
// if composited onto black). Callers composite onto a background first. Errors are *FormatError with Kind ErrEncode. Encode
// never panics: an encoder panic (image/png panics on a paletted image
// without a palette, for one) is reported as ErrEncode.
func Encode(w io.Writer, img image.Image, opts EncodeOptions) error {
	if err := checkEncode(img, &opts); err != nil {
		return err
	}
	return encode(w, img, opts)
}

// encode writes img with validated options, turning a panic into ErrEncode.
func encode(w io.Writer, img image.Image, opts EncodeOptions) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = newErr(opts.Format, ErrEncode, "encoder panic: %v", r)
		}
	}()
	switch opts.Format {
	case PNG:
		if err := encodePNG(w, img, opts.PNGLevel, opts.KeepAlpha); err != nil {
			return encodeErr(PNG, err)
		}
		return nil
	case JPEG:
		if err := jpegenc.Encode(w, img, opts.Quality); err != nil {
			return encodeErr(JPEG, err)
		}
		return nil
	}
	// The WebP encoders are given a buffer: nativewebp ignores write
	// errors, and both build the whole file in memory anyway.
	b, err := encodeWebP(img, opts)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return encodeErr(WebP, err)
	}
	return nil
}

// EncodeBytes encodes img as Encode does and returns the file's bytes.
func EncodeBytes(img image.Image, opts EncodeOptions) ([]byte, error) {
	if err := checkEncode(img, &opts); err != nil {
		return nil, err
	}
	if opts.Format == WebP {
		return encodeWebP(img, opts)
	}
	var buf bytes.Buffer
	if err := encode(&buf, img, opts); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// checkEncode validates the arguments and fills in defaults.
func checkEncode(img image.Image, opts *EncodeOptions) error {
	if !opts.Format.Encodable() {
		return newErr(opts.Format, ErrEncode, "cannot encode %s; use png, jpeg or webp", opts.Format)
	}
	if img == nil {
		return newErr(opts.Format, ErrEncode, "nil image")
	}
	if img.Bounds().Empty() {
		return newErr(opts.Format, ErrEncode, "empty image %v", img.Bounds())
	}
	if opts.Quality < 0 || opts.Quality > 100 {
		return newErr(opts.Format, ErrEncode, "quality %d outside 1..100", opts.Quality)
	}
	if opts.Quality == 0 {
		opts.Quality = defaultQuality
	}
	if opts.PNGLevel < 0 || opts.PNGLevel > 3 {
		return newErr(opts.Format, ErrEncode, "PNG level %d outside 0..3", opts.PNGLevel)
	}
	if opts.Format == WebP {
		if b := img.Bounds(); b.Dx() > webpMaxDim || b.Dy() > webpMaxDim {
			return newErr(WebP, ErrEncode, "%dx%d exceeds the WebP limit of %d pixels per side",
				b.Dx(), b.Dy(), webpMaxDim)
		}
	}
	return nil
}

// encodeErr wraps an encoder or writer failure.
func encodeErr(f Format, err error) error {
	return &FormatError{Format: f, Kind: ErrEncode, Reason: err.Error(), Err: err}
}
