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
// The chunk walk checks every CRC, the zlib stream is inflated by this
// package's inflater (a 64-bit bit buffer, 10-bit primary tables, the
// symbol loop on locals, matches copied 8 bytes at a time: 8-25% faster
// than github.com/klauspost/compress/zlib and 1.3-2.5x compress/flate on
// the bench PNGs, see BenchmarkInflate), which accepts no stream that
// compress/flate rejects (TestInflate, FuzzInflate), and the filters are
// undone in place with fast paths for 3 and 4 bytes per pixel.
package pngdec
