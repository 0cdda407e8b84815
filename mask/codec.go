package mask

import (
	"image"
	"image/draw"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/errdetail"
	"github.com/imgprep/imgprep/internal/raster"
)

// Decode reads a mask file (any format codecs decodes; masks painted in
// other tools are often JPEG) and applies the file's own EXIF orientation,
// so the result is upright as displayed. Interpret the image with FromAny,
// FromImage or FromAlpha. Errors match ErrFormat and wrap the codecs error.
func Decode(b []byte) (image.Image, error) {
	img, info, err := codecs.Decode(b, codecs.DecodeOptions{})
	if err != nil {
		return nil, &Error{Kind: ErrFormat, Err: err,
			Reason: "cannot read the mask: " + errdetail.Of(err) + "; save it as PNG"}
	}
	if info.Orientation < 2 {
		return img, nil
	}
	b0 := img.Bounds()
	n := image.NewNRGBA(image.Rect(0, 0, b0.Dx(), b0.Dy()))
	draw.Draw(n, n.Rect, img, b0.Min, draw.Src)
	return raster.Orient(n, info.Orientation), nil
}

// Encode writes m as the PNG the edit API wants: RGBA (colour type 6),
// RGB black, alpha = m (0 = edit). Masks compress well, so the best PNG
// compression is used.
func Encode(m *image.Alpha) ([]byte, error) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	n := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		src := m.Pix[y*m.Stride : y*m.Stride+w]
		dst := n.Pix[y*n.Stride:]
		for x, a := range src {
			dst[4*x+3] = a
		}
	}
	b, err := codecs.EncodeBytes(n, codecs.EncodeOptions{Format: codecs.PNG, PNGLevel: 3, KeepAlpha: true})
	if err != nil {
		return nil, &Error{Kind: ErrFormat, Err: err, Reason: "cannot encode the mask: " + errdetail.Of(err)}
	}
	return b, nil
}
