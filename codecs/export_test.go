package codecs

import (
	"image"
	"io"
)

// WithJPEGDecoder returns opts with the JPEG decoder replaced by f, for a
// test of how Decode treats a decoder's results.
func WithJPEGDecoder(opts DecodeOptions, f func(r io.Reader, denom int) (image.Image, error)) DecodeOptions {
	opts.jpegDecoder = &f
	return opts
}

// WithStdPNG returns opts decoding PNGs with image/png only, the reference
// for codecs/internal/pngdec.
func WithStdPNG(opts DecodeOptions) DecodeOptions {
	opts.stdPNG = true
	return opts
}
