package codecs

import "github.com/imgprep/imgprep/internal/jpeg"

// Verify checks that Decode with opts would accept b, without keeping its
// pixels, and returns the same errors: *FormatError matching ErrEmpty,
// ErrUnknownFormat, ErrUnsupported, ErrCorrupt, ErrTruncated, ErrTooLarge or
// ErrAnimated.
//
// A sequential JPEG is not decoded: every entropy-coded segment is walked
// with the file's Huffman tables (every code valid, every block of every
// scan present, restart markers in sequence, no data missing), without
// dequantization, inverse DCT or colour conversion, which takes a fraction
// of the time of even a 1/8 decode. It is slightly stricter than Decode on
// damaged data: a run of coefficients past the end of a block, which
// Decode ignores, is ErrCorrupt. A progressive JPEG is decoded at 1/8
// scale. A PNG is not unfiltered: its chunks and their CRCs are checked
// and its zlib stream inflated (Adler-32, exact length, filter bytes)
// through a small window (interlaced images, palettes that could index
// past their PLTE and damaged files are decoded whole, for Decode's
// error). Other formats are decoded, and the image dropped.
func Verify(b []byte, opts DecodeOptions) error {
	info, meta, err := decodeProbe(b, opts)
	if err != nil {
		return err
	}
	if info.Format == PNG {
		return verifyPNG(b, opts)
	}
	if info.Format != JPEG {
		img, scaled, err := decodeFormat(b, &info, meta, opts)
		_, err = decodeResult(img, scaled, err, info, opts)
		return err
	}
	if err := checkJPEG(b, info, meta); err != nil {
		return err
	}
	if err := jpeg.Verify(b); err != nil {
		return classify(JPEG, err)
	}
	return nil
}
