package finish

import (
	"image"
	"image/color"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/raster"
)

// outputFormat is the requested format, else the original's when
// encodable, else PNG.
func (f *job) outputFormat() codecs.Format {
	if f.o.SaveFormat != codecs.Unknown {
		return f.o.SaveFormat
	}
	if src := f.plan.Source.Format; src.Encodable() && !(src == codecs.WebP && !codecs.LossyWebPAvailable()) {
		return src
	}
	return codecs.PNG
}

// quality maps output_compression (0-100, lower = smaller) to an encoder
// quality; the API's default is 100, which we read as the encoder's q90
// unless asked (q100 files are several times larger for no visible gain).
func (f *job) quality() int {
	if f.o.SaveCompression == nil {
		return 0 // the encoder default, q90
	}
	return min(max(*f.o.SaveCompression, 1), 100)
}

// encode writes img as format: alpha kept by PNG and WebP, flattened onto
// the background for JPEG; output_compression applied to JPEG and WebP.
func (f *job) encode(img *image.NRGBA, format codecs.Format) ([]byte, error) {
	opts := codecs.EncodeOptions{Format: format, Quality: f.quality()}
	switch format {
	case codecs.JPEG:
		if !raster.Opaque(img) {
			bg := color.NRGBA{255, 255, 255, 255}
			if f.o.Fill != nil {
				bg = *f.o.Fill
			}
			img = raster.Flatten(img, bg)
			f.warn("transparency flattened onto #%02x%02x%02x for JPEG", bg.R, bg.G, bg.B)
		}
	case codecs.PNG:
		opts.KeepAlpha = !raster.Opaque(img)
		if f.o.SaveCompression != nil {
			f.warn("output_compression applies to jpeg and webp; png is lossless")
		}
	case codecs.WebP:
		if !codecs.LossyWebPAvailable() {
			opts.Lossless = true
			f.warn("lossy webp needs a cgo build; wrote lossless webp")
		}
	}
	data, err := codecs.EncodeBytes(img, opts)
	if err != nil {
		return nil, err
	}
	if f.o.KeepMetadata {
		data = f.keepMetadata(data, format)
	}
	return data, nil
}
