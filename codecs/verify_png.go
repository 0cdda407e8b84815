package codecs

import "github.com/imgprep/imgprep/codecs/internal/pngdec"

// verifyPNG is Verify for a PNG: it checks that the file decodes, as
// Decode with opts would (same error kinds), without decoding its pixels
// where it can: the chunk list with every CRC, and the inflated IDAT
// stream (its Adler-32, its exact length, its filter bytes) through a
// 32 KiB buffer. Interlaced images, palette images that could index past
// their PLTE and damaged files are decoded whole with Decode, which gives
// the error.
func verifyPNG(b []byte, opts DecodeOptions) error {
	if pngdec.Verify(b) == nil {
		return nil
	}
	_, _, err := Decode(b, opts)
	return err
}
