package codecs

import "encoding/binary"

// Probe identifies b and reads its headers and metadata: dimensions, alpha,
// bit depth, colour model, EXIF orientation, animation and ICC presence. It
// never decodes or allocates pixels, and its memory use does not depend on the
// declared dimensions, so it is safe on pixel bombs.
//
// Probe also reports structural damage that shows without decoding, such as
// a bad PNG IHDR CRC or a container that ends early (ErrTruncated), but it
// does not verify compressed pixel data: a nil error does not promise that
// Decode succeeds.
//
// Errors are *FormatError and match one of the package sentinels with
// errors.Is. When the format was recognised, the returned Info has Format set
// (and whatever else was learned) even on error, so callers can name it.
func Probe(b []byte) (Info, error) {
	info, _, err := probe(b)
	return info, err
}

// probeMeta carries what Decode needs beyond Info.
type probeMeta struct {
	pngPalette int       // PNG: number of PLTE entries (0 if none)
	jpegDecode bool      // JPEG: the variant is one image/jpeg can decode
	jpegScan   int       // JPEG: offset of the first SOS segment
	webpAnim   bool      // WebP: VP8X animation flag set
	webpRewrap bool      // WebP: still image whose VP8X alpha flag and ALPH disagree
	webpFrame  webpFrame // WebP: first frame (animated) or the still image
}

// probe dispatches on the sniffed format. The parsers are bounds-checked;
// the recover is a last line of defence so Probe never panics.
func probe(b []byte) (info Info, meta probeMeta, err error) {
	defer func() {
		if r := recover(); r != nil {
			info, meta = Info{Format: info.Format}, probeMeta{}
			err = newErr(info.Format, ErrCorrupt, "header parser panic: %v", r)
		}
	}()
	if len(b) == 0 {
		return Info{}, probeMeta{}, newErr(Unknown, ErrEmpty, "no data")
	}
	f := Sniff(b)
	info.Format = f
	switch f {
	case PNG:
		info, meta, err = probePNG(b)
	case JPEG:
		info, meta, err = probeJPEG(b)
	case WebP:
		info, meta, err = probeWebP(b)
	case GIF:
		info, meta, err = probeGIF(b)
	case BMP:
		info, err = probeBMP(b)
	case TIFF:
		info, err = probeTIFF(b)
	case HEIC, AVIF:
		info, err = probeRegistered(f, b)
	default:
		return Info{}, meta, newErr(Unknown, ErrUnknownFormat, "no known signature")
	}
	info.Format = f
	if info.Orientation < 1 || info.Orientation > 8 {
		info.Orientation = 1
	}
	if info.Frames == 0 {
		info.Frames = 1
	}
	return info, meta, err
}

func be16(b []byte) int    { return int(binary.BigEndian.Uint16(b)) }
func be32(b []byte) uint32 { return binary.BigEndian.Uint32(b) }
func le16(b []byte) int    { return int(binary.LittleEndian.Uint16(b)) }
func le24(b []byte) int    { return int(b[0]) | int(b[1])<<8 | int(b[2])<<16 }
func le32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }
