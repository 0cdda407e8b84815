package codecs

import (
	"image"
	"io"
)

// SetJPEGScaledDecoder swaps the JPEG scaling hook for a test and returns a
// function restoring the previous one.
func SetJPEGScaledDecoder(f func(r io.Reader, denom int) (image.Image, error)) (restore func()) {
	old := jpegScaledDecoder
	jpegScaledDecoder = f
	return func() { jpegScaledDecoder = old }
}
