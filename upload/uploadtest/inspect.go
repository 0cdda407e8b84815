package uploadtest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/webp"

	"github.com/imgprep/imgprep/codecs"
)

// imageInfo is what the header of an input says, read with the standard
// library's decoders (independently of package codecs' own probe).
type imageInfo struct {
	Format        codecs.Format
	Width, Height int
	// Mode is the Pillow-style mode the real API reports in its messages:
	// "RGBA", "RGB", "LA", "L", "P", "1", "I;16", "CMYK".
	Mode     string
	HasAlpha bool
	Valid    bool // the header decoded
}

var errNotImage = errors.New("not a png, jpeg or webp image")

// inspect sniffs the format and reads the header.
func inspect(data []byte) (imageInfo, error) {
	info := imageInfo{Format: codecs.Sniff(data)}
	var (
		cfg image.Config
		err error
	)
	r := bytes.NewReader(data)
	switch info.Format {
	case codecs.PNG:
		if cfg, err = png.DecodeConfig(r); err == nil {
			info.Mode, info.HasAlpha = pngMode(data)
		}
	case codecs.JPEG:
		if cfg, err = jpeg.DecodeConfig(r); err == nil {
			switch cfg.ColorModel {
			case color.GrayModel:
				info.Mode = "L"
			case color.CMYKModel:
				info.Mode = "CMYK"
			default:
				info.Mode = "RGB"
			}
		}
	case codecs.WebP:
		if cfg, err = webp.DecodeConfig(r); err == nil {
			info.Mode, info.HasAlpha = "RGB", webpAlpha(data)
			if info.HasAlpha {
				info.Mode = "RGBA"
			}
		}
	default:
		return info, errNotImage
	}
	if err != nil {
		return info, err
	}
	info.Width, info.Height, info.Valid = cfg.Width, cfg.Height, true
	return info, nil
}

// decode fully decodes data of a sniffed format.
func decode(data []byte, f codecs.Format) (image.Image, error) {
	r := bytes.NewReader(data)
	switch f {
	case codecs.PNG:
		return png.Decode(r)
	case codecs.JPEG:
		return jpeg.Decode(r)
	case codecs.WebP:
		return webp.Decode(r)
	}
	return nil, errNotImage
}

// pngMode maps the IHDR colour type and bit depth to a Pillow mode and
// reports an alpha channel or a tRNS chunk.
func pngMode(b []byte) (mode string, alpha bool) {
	if len(b) < 26 {
		return "", false
	}
	depth, ct := b[24], b[25]
	switch ct {
	case 0:
		switch depth {
		case 1:
			mode = "1"
		case 16:
			mode = "I;16"
		default:
			mode = "L"
		}
	case 2:
		mode = "RGB"
	case 3:
		mode = "P"
	case 4:
		mode, alpha = "LA", true
	case 6:
		mode, alpha = "RGBA", true
	}
	return mode, alpha || pngHasTRNS(b)
}

// pngHasTRNS walks the chunks before the first IDAT looking for tRNS.
func pngHasTRNS(b []byte) bool {
	for off := 8; off+8 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[off:]))
		switch string(b[off+4 : off+8]) {
		case "tRNS":
			return true
		case "IDAT", "IEND":
			return false
		}
		if n < 0 || off+12+n < off {
			return false
		}
		off += 12 + n
	}
	return false
}

// webpAlpha reads the VP8X alpha flag or the VP8L alpha_is_used bit.
func webpAlpha(b []byte) bool {
	if len(b) < 25 {
		return false
	}
	switch string(b[12:16]) {
	case "VP8X":
		return b[20]&0x10 != 0
	case "VP8L":
		return binary.LittleEndian.Uint32(b[21:25])>>28&1 == 1
	}
	return false
}
