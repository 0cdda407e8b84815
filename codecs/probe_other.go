package codecs

import (
	"bytes"
	"errors"
	"image/color"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// probeBMP uses x/image/bmp's DecodeConfig; BMP headers hold no orientation.
func probeBMP(b []byte) (Info, error) {
	info := Info{Format: BMP, BitDepth: 8}
	cfg, err := bmp.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return info, classify(BMP, err)
	}
	info.Width, info.Height = cfg.Width, cfg.Height
	if info.Width == 0 || info.Height == 0 {
		return info, newErr(BMP, ErrCorrupt, "zero width or height")
	}
	info.Color = ColorRGB
	if _, ok := cfg.ColorModel.(color.Palette); ok {
		info.Color = ColorPalette
	}
	// x/image/bmp keeps alpha only for 32-bit pixels with a header larger
	// than BITMAPINFOHEADER (40 bytes).
	if len(b) >= 30 && le16(b[28:]) == 32 && le32(b[14:]) > 40 {
		info.HasAlpha, info.Color = true, ColorRGBA
	}
	return info, nil
}

// probeTIFF uses x/image/tiff's DecodeConfig, plus IFD0 for the Orientation
// and ExtraSamples (alpha) tags.
func probeTIFF(b []byte) (info Info, err error) {
	info = Info{Format: TIFF}
	defer func() {
		if r := recover(); r != nil {
			err = newErr(TIFF, ErrCorrupt, "header parser panic: %v", r)
		}
	}()
	cfg, err := tiff.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return info, classify(TIFF, err)
	}
	info.Width, info.Height = cfg.Width, cfg.Height
	if info.Width == 0 || info.Height == 0 {
		return info, newErr(TIFF, ErrCorrupt, "zero width or height")
	}
	info.BitDepth = 8
	switch cfg.ColorModel {
	case color.GrayModel:
		info.Color = ColorGray
	case color.Gray16Model:
		info.Color, info.BitDepth = ColorGray, 16
	case color.RGBA64Model, color.NRGBA64Model:
		info.Color, info.BitDepth = ColorRGB, 16
	case color.RGBAModel, color.NRGBAModel:
		info.Color = ColorRGB
	default:
		if _, ok := cfg.ColorModel.(color.Palette); ok {
			info.Color = ColorPalette
		} else {
			info.Color = ColorUnknown
		}
	}
	if t, ok := ifd0Tag(b, tagExtraSamples); ok && (t.val == 1 || t.val == 2) {
		info.HasAlpha = true
		if info.Color == ColorRGB {
			info.Color = ColorRGBA
		}
	}
	if t, ok := ifd0Tag(b, tagOrientation); ok && t.val >= 1 && t.val <= 8 {
		info.Orientation = int(t.val)
	}
	return info, nil
}

// errUnsupportedBMP is x/image/bmp's sentinel, for classify.
var errUnsupportedBMP = bmp.ErrUnsupported

// isUnsupported reports whether a third-party error means "valid but not
// supported" rather than "corrupt".
func isUnsupported(err error) bool {
	var te tiff.UnsupportedError
	return errors.Is(err, errUnsupportedBMP) || errors.As(err, &te)
}
