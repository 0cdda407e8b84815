// Package heic registers an HEIC/HEIF (HEVC) decoder with codecs:
//
//	import _ "github.com/imgprep/imgprep/codecs/heic"
//
// after which codecs.Probe, codecs.Decode and everything built on them
// (pipeline, the CLI) read HEIC files: 8- to 12-bit, 4:0:0 to 4:4:4,
// single images and grids (as cameras write them), with their alpha plane,
// the primary image only (thumbnails and other auxiliary images are
// ignored), irot and imir reported as the equivalent EXIF orientation and
// the clean aperture (clap) applied.
//
// The headers are read by imgprep's own parser (internal/heif): the pixel
// limit is checked from the ispe properties before anything is decoded.
// Only the HEVC decoding is done by libde265 through libheif: each coded
// item (a tile, the alpha plane) is handed to libheif as a minimal file of
// its own, and the tiles are placed, the colours converted (YCbCr matrix
// and range from the nclx colour box, else the HEVC VUI) and the alpha
// applied here. libheif runs as WebAssembly in wazero (gen2brain/heic
// v0.4.5's build of libheif 1.18.2 and libde265 1.0.15, compiled once per
// process; see codecs/wasm for a cache between processes), or, when the
// system has libheif.so.1 and the binary may load it, natively (about
// three times faster); Path says which.
//
// Licences: libheif and libde265 are LGPL-3.0; a binary that includes
// this package includes them. See NOTICE and the README.
package heic

import (
	"image"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/heif"
)

func init() {
	codecs.RegisterDecoder(codecs.HEIC, decoder{})
}

type decoder struct{}

// Probe reads the boxes only.
func (decoder) Probe(data []byte) (codecs.Info, error) {
	f, err := heif.Parse(data, codecs.HEIC)
	if err != nil {
		return codecs.Info{Format: codecs.HEIC}, err
	}
	return heif.Info(f, codecs.HEIC), nil
}

// Decode decodes the primary image in stored orientation.
func (decoder) Decode(data []byte, opts codecs.DecodeOptions) (image.Image, error) {
	f, err := heif.Parse(data, codecs.HEIC)
	if err != nil {
		return nil, err
	}
	if err := heif.CheckLimit(f, codecs.HEIC, opts.MaxPixels); err != nil {
		return nil, err
	}
	return decode(f)
}
