//go:build !cgo

package codecs

import "image"

// LossyWebPAvailable reports whether this build can encode lossy WebP
// (it needs cgo for libwebp).
func LossyWebPAvailable() bool { return false }

// encodeWebPLossy is unavailable without cgo.
func encodeWebPLossy(image.Image, int) ([]byte, error) {
	return nil, &FormatError{Format: WebP, Kind: ErrEncode,
		Reason: "lossy webp needs a cgo build (CGO_ENABLED=1); use lossless or another format"}
}
