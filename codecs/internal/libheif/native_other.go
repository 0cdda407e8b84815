//go:build !((linux || darwin || freebsd) && !nodynamic)

package libheif

// Lib is absent from this build: Load always returns nil.
type Lib struct {
	version       string
	planeReadonly func(uintptr, int32, *int32) *byte
	width, height func(uintptr, int32) int32
	colorspace    func(uintptr) int32
	chromaFormat  func(uintptr) int32
}

func open() *Lib { return nil }

func (*Lib) decode([]byte, int32, int32, func(uintptr) error) error { return ErrDecode }

func bytesAt(*byte, int) []byte { return nil }
