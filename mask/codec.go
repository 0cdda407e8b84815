package mask

import (
	"image"
	"image/draw"

	"github.com/imgprep/imgprep/codecs"
)

// Decode reads a mask file (any format codecs decodes; masks painted in
// other tools are often JPEG) and applies the file's own EXIF orientation,
// so the result is upright as displayed. Interpret the image with FromAny,
// FromImage or FromAlpha. Errors match ErrFormat and wrap the codecs error.
func Decode(b []byte) (image.Image, error) {
	img, info, err := codecs.Decode(b, codecs.DecodeOptions{})
	if err != nil {
		return nil, &Error{Kind: ErrFormat, Err: err,
			Reason: "cannot read the mask: " + trimPrefix(err.Error()) + "; save it as PNG"}
	}
	if info.Orientation < 2 {
		return img, nil
	}
	b0 := img.Bounds()
	n := image.NewNRGBA(image.Rect(0, 0, b0.Dx(), b0.Dy()))
	draw.Draw(n, n.Rect, img, b0.Min, draw.Src)
	return orient(n, info.Orientation), nil
}

// trimPrefix drops the "codecs: " prefix of a wrapped message.
func trimPrefix(s string) string {
	const p = "codecs: "
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

// orient applies EXIF orientation o (2..8) to src (Rect at the origin).
func orient(src *image.NRGBA, o int) *image.NRGBA {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		for x := range dw {
			var sx, sy int // stored pixel shown at upright (x, y)
			switch o {
			case 2:
				sx, sy = w-1-x, y
			case 3:
				sx, sy = w-1-x, h-1-y
			case 4:
				sx, sy = x, h-1-y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, h-1-x
			case 7:
				sx, sy = w-1-y, h-1-x
			case 8:
				sx, sy = w-1-y, x
			default:
				sx, sy = x, y
			}
			copy(dst.Pix[y*dst.Stride+4*x:y*dst.Stride+4*x+4], src.Pix[sy*src.Stride+4*sx:])
		}
	}
	return dst
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
		return nil, &Error{Kind: ErrFormat, Err: err, Reason: "cannot encode the mask: " + trimPrefix(err.Error())}
	}
	return b, nil
}
