package codecs

import (
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"io"
)

// decodeGIF decodes the first frame and, when it does not cover the logical
// screen, places it on a transparent screen-sized canvas.
func decodeGIF(r io.Reader, info *Info) (image.Image, error) {
	img, err := gif.Decode(r)
	if err != nil {
		return nil, err
	}
	frame, ok := img.(*image.Paletted)
	screen := image.Rect(0, 0, info.Width, info.Height)
	if !ok || frame.Rect == screen {
		return img, nil
	}
	info.HasAlpha = true
	return onCanvas(frame, screen), nil
}

// onCanvas places a paletted frame on a transparent canvas, keeping the
// paletted type when the palette has (or has room for) a transparent entry.
func onCanvas(frame *image.Paletted, screen image.Rectangle) image.Image {
	pal := frame.Palette
	ti := -1
	for i, c := range pal {
		if _, _, _, a := c.RGBA(); a == 0 {
			ti = i
			break
		}
	}
	if ti < 0 && len(pal) < 256 {
		pal = append(pal[:len(pal):len(pal)], color.NRGBA{})
		ti = len(pal) - 1
	}
	r := frame.Rect.Intersect(screen)
	if ti < 0 {
		canvas := image.NewNRGBA(screen)
		draw.Draw(canvas, r, frame, r.Min, draw.Src)
		return canvas
	}
	canvas := image.NewPaletted(screen, pal)
	if ti != 0 {
		for i := range canvas.Pix {
			canvas.Pix[i] = uint8(ti)
		}
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		copy(canvas.Pix[canvas.PixOffset(r.Min.X, y):canvas.PixOffset(r.Max.X, y)],
			frame.Pix[frame.PixOffset(r.Min.X, y):])
	}
	return canvas
}
