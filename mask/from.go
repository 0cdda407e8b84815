package mask

import (
	"image"
	"image/color"
)

// ImageOptions control how FromImage reads a painted mask.
type ImageOptions struct {
	// Invert swaps the meaning: black (or, for FromAny on an image with
	// transparency, opaque) becomes the area to edit.
	Invert bool
	// Threshold, when above 0, makes the mask hard: luminance >= Threshold
	// is edited, the rest kept. 0 keeps grey levels as soft values.
	Threshold uint8
}

// FromImage reads a black-and-white or greyscale painting, the paint-tool
// convention: WHITE = EDIT, black = keep, grey = partly (alpha = 255 -
// luminance). Transparent pixels count as black (kept). With o.Invert,
// black is edited instead. The result has img's size, Rect at the origin.
func FromImage(img image.Image, o ImageOptions) *image.Alpha {
	m := luminance(img)
	for i, l := range m.Pix {
		if o.Threshold > 0 {
			if l >= o.Threshold {
				l = 255
			} else {
				l = 0
			}
		}
		if o.Invert {
			m.Pix[i] = l // black edits: alpha = luminance
		} else {
			m.Pix[i] = 255 - l
		}
	}
	return m
}

// FromAlpha takes img's alpha channel as is, OpenAI's convention:
// transparent (alpha 0) = edit, opaque = keep. Images without alpha give a
// mask that keeps everything. The result has img's size, Rect at the
// origin.
func FromAlpha(img image.Image) *image.Alpha {
	b := img.Bounds()
	m := image.NewAlpha(image.Rect(0, 0, b.Dx(), b.Dy()))
	w := b.Dx()
	switch s := img.(type) {
	case *image.NRGBA:
		return alpha4(m, s.Pix, s.Stride)
	case *image.RGBA:
		return alpha4(m, s.Pix, s.Stride)
	case *image.Alpha:
		return clone(s)
	}
	if o, ok := img.(interface{ Opaque() bool }); ok && o.Opaque() {
		for i := range m.Pix {
			m.Pix[i] = 255
		}
		return m
	}
	for y := range b.Dy() {
		for x := range w {
			_, _, _, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			m.Pix[y*w+x] = uint8(a >> 8)
		}
	}
	return m
}

// alpha4 copies into m (Rect at the origin) the alpha bytes of rows of
// 4-byte pixels with alpha last (NRGBA, RGBA: the alpha channel has the same
// value either way) and returns m.
func alpha4(m *image.Alpha, pix []uint8, stride int) *image.Alpha {
	w := m.Rect.Dx()
	for y := range m.Rect.Dy() {
		src := pix[y*stride:]
		dst := m.Pix[y*w : (y+1)*w]
		for x := range dst {
			dst[x] = src[4*x+3]
		}
	}
	return m
}

// FromTransparency is dall-e-2's legacy convention: without a separate
// mask, the input image's own transparent pixels are the area to edit. It
// is FromAlpha, named for that use.
func FromTransparency(img image.Image) *image.Alpha { return FromAlpha(img) }

// Source says how FromAny read an image.
type Source string

// Sources reported by FromAny.
const (
	// SourceAlpha: the image had transparency; its alpha channel is the
	// mask (transparent = edit), as FromAlpha.
	SourceAlpha Source = "alpha"
	// SourceLuminance: the image was opaque; it is read as a painting
	// (white = edit), as FromImage.
	SourceLuminance Source = "luminance"
)

// FromAny reads a mask file's image without being told its convention:
// an image with any non-opaque pixel is taken as an OpenAI mask (its alpha
// channel, FromAlpha), an opaque one as a painting (white = edit,
// FromImage). o.Invert flips the result either way (for an alpha mask:
// opaque = edit); o.Threshold applies to paintings only.
func FromAny(img image.Image, o ImageOptions) (*image.Alpha, Source) {
	if hasTransparency(img) {
		m := FromAlpha(img)
		if o.Invert {
			m = Invert(m)
		}
		return m, SourceAlpha
	}
	return FromImage(img, o), SourceLuminance
}

// hasTransparency reports whether any pixel of img has alpha below 255.
func hasTransparency(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return !o.Opaque()
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a < 0xffff {
				return true
			}
		}
	}
	return false
}

// luminance returns img's luminance (composited over black) as an Alpha
// of the same size, Rect at the origin.
func luminance(img image.Image) *image.Alpha {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	m := image.NewAlpha(image.Rect(0, 0, w, h))
	switch s := img.(type) {
	case *image.Gray:
		for y := range h {
			copy(m.Pix[y*w:(y+1)*w], s.Pix[y*s.Stride:])
		}
		return m
	case *image.YCbCr:
		for y := range h {
			copy(m.Pix[y*w:(y+1)*w], s.Y[y*s.YStride:])
		}
		return m
	case *image.NRGBA:
		for y := range h {
			src := s.Pix[y*s.Stride:]
			dst := m.Pix[y*w : (y+1)*w]
			for x := range dst {
				p := src[4*x : 4*x+4 : 4*x+4]
				l := (19595*uint32(p[0]) + 38470*uint32(p[1]) + 7471*uint32(p[2]) + 1<<15) >> 16
				dst[x] = uint8((l*uint32(p[3]) + 127) / 255)
			}
		}
		return m
	}
	for y := range h {
		for x := range w {
			g := color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray)
			m.Pix[y*w+x] = g.Y
		}
	}
	return m
}
