// Package pngdec is a PNG decoder for the common case, and a verifier that
// checks a PNG file's integrity without decoding its pixels.
//
// Decode handles non-interlaced 8-bit (and 1, 2, 4-bit grayscale and
// palette) images and returns exactly what image/png returns for them: the
// same image type, pixels and palette. It accepts only files that
// image/png accepts; for anything else (16-bit or interlaced images, any
// damage, odd chunk order) it returns ErrUnhandled and the caller decodes
// with image/png, which then reports the error.
//
// The chunk walk checks every CRC, the zlib stream is inflated by
// github.com/klauspost/compress/zlib (about 1.6x compress/flate's speed on
// PNG data, see BenchmarkInflate), and the filters are undone in place
// with fast paths for 3 and 4 bytes per pixel.
package pngdec
