package codecs

import (
	"image"
	"io"

	"github.com/imgprep/imgprep/codecs/internal/fastpng"
)

// encodePNG writes img as an 8-bit PNG at effort level 0..3 (see
// EncodeOptions.PNGLevel) with our own encoder: image/png's default level
// is ~6x slower than BestSpeed, and BestSpeed still spends most of its time
// in compress/flate and in per-row filter trials; fastpng uses
// klauspost/compress and deflates row chunks in parallel.
func encodePNG(w io.Writer, img image.Image, level int, keepAlpha bool) error {
	return fastpng.Encode(w, img, fastpng.Options{Level: pngLevels[level], KeepAlpha: keepAlpha, Parallel: true})
}

// pngLevels maps EncodeOptions.PNGLevel to fastpng levels.
var pngLevels = [4]int{0: 0, 1: 1, 2: 2, 3: 3}
