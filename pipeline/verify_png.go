package pipeline

import "github.com/imgprep/imgprep/codecs"

// verifyPNG is verifyDecode for a PNG: codecs.VerifyPNG checks the chunks'
// CRCs and inflates the zlib stream (its Adler-32, length and filter
// bytes) without unfiltering or keeping the pixels, with Decode's errors.
func verifyPNG(data []byte, o Options) error {
	return codecs.VerifyPNG(data, codecs.DecodeOptions{MaxPixels: o.maxPixels()})
}
