package codecs

// ColorModel names the colour layout stored in the file.
type ColorModel string

// Colour models reported by Probe.
const (
	ColorGray      ColorModel = "gray"
	ColorGrayAlpha ColorModel = "gray-alpha"
	ColorRGB       ColorModel = "rgb"
	ColorRGBA      ColorModel = "rgba"
	ColorPalette   ColorModel = "palette"
	ColorYCbCr     ColorModel = "ycbcr"
	ColorCMYK      ColorModel = "cmyk"
	ColorYCCK      ColorModel = "ycck"
	ColorUnknown   ColorModel = "unknown"
)

// Info is what Probe learns from an image's headers and metadata, without
// decoding pixels.
type Info struct {
	Format Format `json:"format"`
	// Width and Height are the stored dimensions, before EXIF orientation.
	// For GIF the logical screen, for animated WebP the canvas.
	Width  int `json:"width"`
	Height int `json:"height"`
	// HasAlpha is true when the image has an alpha channel or any declared
	// transparency (PNG tRNS, GIF transparent index, WebP ALPH/alpha flag).
	HasAlpha bool `json:"has_alpha"`
	// BitDepth is bits per sample (1, 2, 4, 8 or 16; HEIC and AVIF: 8, 10
	// or 12).
	BitDepth int        `json:"bit_depth"`
	Color    ColorModel `json:"color"`
	// Orientation is the EXIF orientation 1..8 (JPEG APP1, PNG eXIf,
	// WebP EXIF chunk); 1 when absent or out of range. For HEIC and AVIF
	// it is the orientation equivalent to the irot and imir properties,
	// which govern there (their EXIF orientation is informative only).
	Orientation int `json:"orientation"`
	// Transform describes HEIC/AVIF transformative properties in the
	// order they apply, e.g. "irot 90° anti-clockwise, imir left-right"
	// (Width and Height are after any clap crop); "" when there are none.
	Transform string `json:"transform,omitempty"`
	// Images is the number of top-level images in an HEIC or AVIF file
	// (thumbnails, alpha planes and tiles not counted); the primary one
	// is decoded. 0 for other formats.
	Images   int  `json:"images,omitempty"`
	Animated bool `json:"animated,omitempty"`
	// Frames is the declared number of frames (1 for still images, 0 when
	// unknown without a full parse).
	Frames      int  `json:"frames,omitempty"`
	Progressive bool `json:"progressive,omitempty"` // JPEG progressive, PNG interlaced
	HasICC      bool `json:"has_icc,omitempty"`
}

// Pixels returns Width*Height as int64.
func (i Info) Pixels() int64 { return int64(i.Width) * int64(i.Height) }

// Transposed reports whether the EXIF orientation swaps width and height
// (orientations 5 to 8).
func (i Info) Transposed() bool { return i.Orientation >= 5 && i.Orientation <= 8 }

// UprightSize returns the displayed dimensions after applying Orientation.
func (i Info) UprightSize() (w, h int) {
	if i.Transposed() {
		return i.Height, i.Width
	}
	return i.Width, i.Height
}
