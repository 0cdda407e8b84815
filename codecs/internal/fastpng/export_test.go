package fastpng

import (
	"image"
	"io"
)

// EncodeWith is Encode (parallel, alpha kept) with the flate level and the
// filter (adaptive, or None on every row) set directly, for the settings
// benchmark.
func EncodeWith(w io.Writer, img image.Image, flate int, adaptive bool) error {
	p := params{flate: flate, filter: ftNone, sample: 1}
	if adaptive {
		p.filter, p.sample = filterAdaptive, 4
	}
	return writeZlib(w, newRows(img, true), p, true)
}
