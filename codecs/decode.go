package codecs

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"strings"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
	"golang.org/x/image/webp"
)

// DefaultMaxPixels is the pixel limit Decode applies when
// DecodeOptions.MaxPixels is 0: 100 megapixels.
const DefaultMaxPixels int64 = 100_000_000

// DecodeOptions controls Decode. The zero value is ready to use.
type DecodeOptions struct {
	// MaxPixels limits the declared width*height, checked from the header
	// before any pixel is allocated. 0 means DefaultMaxPixels; negative
	// means no limit.
	MaxPixels int64
	// RejectAnimated makes Decode return ErrAnimated for an animated image
	// (APNG with more than one frame, animated GIF, animated WebP). By
	// default the first frame is decoded, composited on the full canvas;
	// callers decide policy from Info.Animated.
	RejectAnimated bool
	// ScaleDenom, when 2, 4 or 8 and the image is a JPEG, allows the decoder
	// to return an image downscaled by up to that factor (DCT-domain
	// scaling). Other values decode at full size.
	ScaleDenom int

	internalOptions // for this module only (decode_jpeg.go)
}

// Decode identifies b by its magic bytes, probes it (enforcing the pixel and
// animation limits from the header), then decodes it.
//
// The image comes back in its native Go type (*image.YCbCr, *image.Gray,
// *image.NRGBA, *image.NRGBA64, *image.Paletted, *image.CMYK, ...) with
// bounds starting at (0, 0). EXIF orientation is not applied;
// Info.Orientation says what the caller must do. For animated images the
// first frame is returned (for APNG, the default image). The returned Info
// is the probe's, with HasAlpha set when compositing a frame onto its canvas
// left transparent areas.
//
// Errors are *FormatError matching ErrEmpty, ErrUnknownFormat,
// ErrUnsupported, ErrCorrupt, ErrTruncated, ErrTooLarge or ErrAnimated.
// Decode never panics: a panic inside a third-party decoder is reported as
// ErrCorrupt.
func Decode(b []byte, opts DecodeOptions) (image.Image, Info, error) {
	info, meta, err := decodeProbe(b, opts)
	if err != nil {
		return nil, info, err
	}
	img, scaled, err := decodeFormat(b, &info, meta, opts)
	img, err = decodeResult(img, scaled, err, info, opts)
	return img, info, err
}

// decodeProbe probes b and enforces the pixel and animation limits.
func decodeProbe(b []byte, opts DecodeOptions) (Info, probeMeta, error) {
	info, meta, err := probe(b)
	if err != nil {
		return info, meta, err
	}
	limit := opts.MaxPixels
	if limit == 0 {
		limit = DefaultMaxPixels
	}
	if limit > 0 && info.Pixels() > limit {
		return info, meta, newErr(info.Format, ErrTooLarge,
			"%dx%d is %.1f megapixels, above the %.1f megapixel limit; downscale it first",
			info.Width, info.Height, float64(info.Pixels())/1e6, float64(limit)/1e6)
	}
	if opts.RejectAnimated && info.Animated {
		return info, meta, newErr(info.Format, ErrAnimated,
			"%d frames; export a single frame first", info.Frames)
	}
	return info, meta, nil
}

// decodeResult turns what decodeFormat returned into Decode's result.
func decodeResult(img image.Image, scaled bool, err error, info Info, opts DecodeOptions) (image.Image, error) {
	if err != nil {
		return nil, classify(info.Format, err)
	}
	if !boundsOK(img.Bounds(), info, scaled, opts.ScaleDenom) {
		return nil, newErr(info.Format, ErrCorrupt,
			"decoded bounds %v do not match the declared %dx%d", img.Bounds(), info.Width, info.Height)
	}
	return img, nil
}

// decodeFormat runs the format's decoder, turning a panic into ErrCorrupt.
func decodeFormat(b []byte, info *Info, meta probeMeta, opts DecodeOptions) (img image.Image, scaled bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, scaled = nil, false
			err = newErr(info.Format, ErrCorrupt, "decoder panic: %v", r)
		}
	}()
	r := bytes.NewReader(b)
	switch info.Format {
	case PNG:
		img, err = decodePNG(b, meta, opts)
	case JPEG:
		img, scaled, err = decodeJPEG(b, *info, meta, opts)
	case GIF:
		img, err = decodeGIF(r, info)
	case WebP:
		if meta.webpAnim || meta.webpRewrap {
			img, err = decodeWebPFrame(meta.webpFrame, info)
		} else {
			img, err = webp.Decode(r)
		}
	case BMP:
		img, err = bmp.Decode(r)
	case TIFF:
		img, err = tiff.Decode(r)
	case HEIC, AVIF:
		if d := registered(info.Format); d != nil {
			img, err = d.Decode(b, opts)
		} else {
			err = notRegistered(info.Format)
		}
	default:
		err = newErr(info.Format, ErrUnsupported, "no decoder")
	}
	if err == nil && img == nil {
		err = newErr(info.Format, ErrCorrupt, "decoder returned no image")
	}
	return img, scaled, err
}

// boundsOK checks the decoded bounds against the header: exact, or for a
// scaled JPEG within the allowed reduction.
func boundsOK(r image.Rectangle, info Info, scaled bool, denom int) bool {
	if r.Min != (image.Point{}) {
		return false
	}
	w, h := r.Dx(), r.Dy()
	if !scaled {
		return w == info.Width && h == info.Height
	}
	return w <= info.Width && h <= info.Height &&
		w >= (info.Width+denom-1)/denom && h >= (info.Height+denom-1)/denom
}

// checkPaletteRange rejects a paletted PNG whose pixels index past its PLTE
// entries (image/png silently extends the palette with opaque black).
func checkPaletteRange(img image.Image, entries int) error {
	p, ok := img.(*image.Paletted)
	if !ok || entries == 0 || len(p.Palette) <= entries {
		return nil
	}
	for _, v := range p.Pix {
		if int(v) >= entries {
			return newErr(PNG, ErrCorrupt, "pixel index %d outside the %d-entry palette", v, entries)
		}
	}
	return nil
}

// classify wraps a decoder error as a *FormatError of the right kind.
func classify(f Format, err error) error {
	if fe, ok := err.(*FormatError); ok {
		return fe
	}
	kind := ErrCorrupt
	msg := err.Error()
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || containsAny(msg, "unexpected EOF", "short Huffman data"):
		// image/jpeg reports EOF inside entropy-coded data as "short Huffman data".
		kind = ErrTruncated
	case isUnsupported(err) || isStdUnsupported(err):
		kind = ErrUnsupported
	}
	return &FormatError{Format: f, Kind: kind, Reason: msg, Err: err}
}

// isStdUnsupported matches image/png and image/jpeg UnsupportedError.
func isStdUnsupported(err error) bool {
	switch err.(type) {
	case png.UnsupportedError, jpeg.UnsupportedError:
		return true
	}
	return false
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
