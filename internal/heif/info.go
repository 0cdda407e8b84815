package heif

import (
	"fmt"

	"github.com/imgprep/imgprep/codecs"
)

// Info summarises a parsed file as codecs.Probe reports it: the size after
// the clean aperture, in stored orientation, with the irot/imir
// equivalent as Orientation.
func Info(f *File, format codecs.Format) codecs.Info {
	img := f.Primary
	info := codecs.Info{
		Format: format, Width: f.Layout.Crop.Dx(), Height: f.Layout.Crop.Dy(),
		BitDepth: img.Bits, HasAlpha: img.Alpha != nil, HasICC: img.ICC,
		Orientation: f.Layout.Orientation, Transform: f.Layout.Desc,
		Images: f.Images, Frames: 1, Color: codecs.ColorYCbCr,
	}
	switch {
	case img.Mono && img.Alpha != nil:
		info.Color = codecs.ColorGrayAlpha
	case img.Mono:
		info.Color = codecs.ColorGray
	case img.NCLX != nil && img.NCLX.Matrix == 0:
		info.Color = codecs.ColorRGB
		if img.Alpha != nil {
			info.Color = codecs.ColorRGBA
		}
	}
	return info
}

// CheckLimit holds the decoded size to the pixel limit (codecs'
// DecodeOptions.MaxPixels: 0 the default, negative none): the coded
// extents, before the clean aperture cuts them, and a grid's tiles.
func CheckLimit(f *File, format codecs.Format, maxPixels int64) error {
	limit := maxPixels
	if limit == 0 {
		limit = codecs.DefaultMaxPixels
	}
	if limit < 0 {
		return nil
	}
	img := f.Primary
	w, h := int64(img.Width), int64(img.Height)
	if g := img.Grid; g != nil {
		w, h = int64(g.Cols*g.TileW), int64(g.Rows*g.TileH)
	}
	if w*h > limit {
		return &codecs.FormatError{Format: format, Kind: codecs.ErrTooLarge,
			Reason: fmt.Sprintf("%dx%d coded pixels (%.1f megapixels) above the %.1f megapixel limit; downscale it first",
				w, h, float64(w*h)/1e6, float64(limit)/1e6)}
	}
	return nil
}
