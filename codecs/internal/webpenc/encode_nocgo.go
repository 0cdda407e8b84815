//go:build !cgo

package webpenc

import "errors"

// Available reports whether this build has libwebp (it needs cgo).
const Available = false

// Encode fails: this build has no cgo, hence no libwebp.
func Encode(pix []byte, w, h, stride int, opaque bool, o Options) ([]byte, error) {
	return nil, errors.New("webpenc: built without cgo")
}
