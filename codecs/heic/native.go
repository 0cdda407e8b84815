package heic

import "github.com/imgprep/imgprep/codecs/internal/libheif"

// openLibheif returns the system libheif (see codecs/internal/libheif), or
// nil: when there is none, or when UseWASM was called.
func openLibheif() *libheif.Lib {
	if wasmOnly.Load() {
		return nil
	}
	return libheif.Load()
}

// decodeNative decodes one standalone coded item with the system library
// to its planes in chroma format chroma.
func decodeNative(l *libheif.Lib, file []byte, chroma int, into func(*planes) error) error {
	return l.DecodePlanes(file, chroma, func(p *libheif.Planes) error {
		return into(&planes{W: p.W, H: p.H, Chroma: p.Chroma, Y: p.Y, Cb: p.Cb, Cr: p.Cr, YStride: p.YStride, CStride: p.CStride})
	})
}
