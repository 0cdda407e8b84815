package codecs

import (
	"bytes"
	"image"
	"io"

	"github.com/imgprep/imgprep/internal/jpeg"
)

// internalOptions are the DecodeOptions that only this module can use:
// JPEGProgress's type lives in an internal package, so that code outside
// the module can only leave it nil, and the test hook is unexported.
type internalOptions struct {
	// JPEGProgress, when not nil, receives the rows of a JPEG as they are
	// decoded: a sequential one's, or a progressive one's during its last
	// scan (internal/codecstream streams decodes with it).
	JPEGProgress *jpeg.Progress
	// PNGProgress, when not nil, receives the rows of a non-interlaced
	// 8-bit or palette PNG as they are decoded (decode_png.go), with the
	// same callbacks.
	PNGProgress *jpeg.Progress
	// stdPNG, set only by tests (export_test.go), decodes every PNG with
	// image/png.
	stdPNG bool
	// jpegDecoder, set only by tests (export_test.go), replaces the JPEG
	// decoder; it is given the scale Decode asks for.
	jpegDecoder *func(r io.Reader, denom int) (image.Image, error)
}

// maxJPEGScans bounds the number of scans (SOS markers) in a JPEG; real
// progressive files have around ten.
const maxJPEGScans = 1000

// decodeJPEG decodes a JPEG with internal/jpeg, downscaled in the DCT
// domain when opts.ScaleDenom asks for it (image/jpeg cannot, and a full
// decode of a 12 MP photo costs several times a 1/2 or 1/4 decode in time
// and memory). That decoder is bit-identical to image/jpeg at full size
// and about twice as fast, so it serves every JPEG. scaled reports whether
// the image may be smaller than the header says.
func decodeJPEG(b []byte, info Info, meta probeMeta, opts DecodeOptions) (img image.Image, scaled bool, err error) {
	if err := checkJPEG(b, info, meta); err != nil {
		return nil, false, err
	}
	d := opts.ScaleDenom
	if d != 2 && d != 4 && d != 8 {
		d = 1
	}
	r := bytes.NewReader(b)
	if opts.jpegDecoder != nil {
		img, err = (*opts.jpegDecoder)(r, d)
	} else {
		img, err = jpeg.DecodeProgress(r, d, opts.JPEGProgress)
	}
	return img, d > 1, err
}

// checkJPEG rejects what the JPEG decoder is not to be given: a precision
// it does not decode, too many scans.
func checkJPEG(b []byte, info Info, meta probeMeta) error {
	if !meta.jpegDecode {
		return newErr(JPEG, ErrUnsupported,
			"%d-bit JPEG is not supported; convert it to 8-bit", info.BitDepth)
	}
	// Every scan makes the decoder walk the whole image: cap their number
	// so a small file cannot buy minutes of CPU. Inside entropy-coded data
	// 0xFF is always stuffed, so FF DA only occurs as a marker.
	if n := bytes.Count(b[meta.jpegScan:], []byte{0xff, jpegSOS}); n > maxJPEGScans {
		return newErr(JPEG, ErrCorrupt, "%d scans, above the limit of %d", n, maxJPEGScans)
	}
	return nil
}
