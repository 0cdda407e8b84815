package codecs

import (
	"bytes"
	"compress/zlib"
	"hash/crc32"
	"io"
)

// pngMaxDim is the PNG limit on width and height (2^31-1).
const pngMaxDim = 1<<31 - 1

// maxRawProfile bounds the inflated size of an ImageMagick "Raw profile"
// text chunk that Probe reads for EXIF (a compressed-metadata bomb guard).
const maxRawProfile = 256 << 10

// probePNG parses the signature, IHDR and the chunk list (headers only for
// IDAT) up to IEND.
func probePNG(b []byte) (Info, probeMeta, error) {
	info := Info{Format: PNG}
	var meta probeMeta
	if len(b) < 8+8+13+4 {
		return info, meta, newErr(PNG, ErrTruncated, "header ends before IHDR is complete")
	}
	if be32(b[8:]) != 13 || string(b[12:16]) != "IHDR" {
		return info, meta, newErr(PNG, ErrCorrupt, "first chunk is not a 13-byte IHDR")
	}
	if crc32.ChecksumIEEE(b[12:29]) != be32(b[29:]) {
		return info, meta, newErr(PNG, ErrCorrupt, "IHDR CRC mismatch")
	}
	ihdr := b[16:29]
	w, h := be32(ihdr[0:]), be32(ihdr[4:])
	depth, ctype := int(ihdr[8]), ihdr[9]
	if w == 0 || h == 0 {
		return info, meta, newErr(PNG, ErrCorrupt, "zero width or height")
	}
	if w > pngMaxDim || h > pngMaxDim {
		return info, meta, newErr(PNG, ErrCorrupt, "width or height above 2^31-1")
	}
	info.Width, info.Height, info.BitDepth = int(w), int(h), depth
	if !pngDepthOK(ctype, depth) {
		return info, meta, newErr(PNG, ErrCorrupt, "invalid colour type %d with bit depth %d", ctype, depth)
	}
	if ihdr[10] != 0 || ihdr[11] != 0 || ihdr[12] > 1 {
		return info, meta, newErr(PNG, ErrCorrupt, "invalid compression, filter or interlace method")
	}
	info.Progressive = ihdr[12] == 1
	info.Color = [...]ColorModel{0: ColorGray, 2: ColorRGB, 3: ColorPalette, 4: ColorGrayAlpha, 6: ColorRGBA}[ctype]
	info.HasAlpha = ctype == 4 || ctype == 6

	var (
		seenIDAT, seenPLTE bool
		exifOr, rawOr      int
		apng               bool // valid acTL before IDAT
		fcTL               int  // frame control chunks seen
	)
	for pos := 33; ; {
		if pos+8 > len(b) {
			return info, meta, newErr(PNG, ErrTruncated, "data ends before IEND")
		}
		n := be32(b[pos:])
		typ := string(b[pos+4 : pos+8])
		if n > pngMaxDim {
			return info, meta, newErr(PNG, ErrCorrupt, "chunk length out of range")
		}
		if !pngChunkTypeOK(typ) {
			return info, meta, newErr(PNG, ErrCorrupt, "invalid chunk type %q", typ)
		}
		if int64(n) > int64(len(b)-pos-12) {
			return info, meta, newErr(PNG, ErrTruncated, "%s chunk runs past the end of the data", typ)
		}
		end := pos + 12 + int(n)
		data := b[pos+8 : end-4]
		crcOK := func() bool { return crc32.ChecksumIEEE(b[pos+4:end-4]) == be32(b[end-4:]) }
		switch typ {
		case "IHDR":
			return info, meta, newErr(PNG, ErrCorrupt, "duplicate IHDR")
		case "PLTE":
			if !crcOK() {
				return info, meta, newErr(PNG, ErrCorrupt, "PLTE CRC mismatch")
			}
			if n == 0 || n%3 != 0 || n > 3*256 {
				return info, meta, newErr(PNG, ErrCorrupt, "bad PLTE length %d", n)
			}
			if !seenPLTE {
				meta.pngPalette = int(n / 3)
			}
			seenPLTE = true
		case "tRNS":
			if !seenIDAT && crcOK() {
				info.HasAlpha = true
			}
		case "acTL":
			// num_frames must be 1..2^31-1; libpng ignores the acTL otherwise.
			if !seenIDAT && n == 8 && crcOK() {
				f := be32(data)
				apng = f > 0 && f <= pngMaxDim
			}
		case "fcTL":
			fcTL++
		case "iCCP":
			if !seenIDAT {
				info.HasICC = true
			}
		case "eXIf":
			if exifOr == 0 && crcOK() {
				exifOr = exifOrientation(data)
			}
		case "tEXt", "zTXt":
			if rawOr == 0 && bytes.HasPrefix(data, []byte("Raw profile type ")) && crcOK() {
				rawOr = rawProfileOrientation(typ, data)
			}
		case "IDAT":
			seenIDAT = true
		case "IEND":
			if !seenIDAT {
				return info, meta, newErr(PNG, ErrCorrupt, "no IDAT chunk")
			}
			if ctype == 3 && !seenPLTE {
				return info, meta, newErr(PNG, ErrCorrupt, "palette image without PLTE")
			}
			if apng && fcTL > 0 {
				// Frames counts the frame control chunks actually present,
				// which is what APNG decoders play.
				info.Frames, info.Animated = fcTL, fcTL > 1
			}
			info.Orientation = exifOr
			if info.Orientation == 0 {
				info.Orientation = rawOr
			}
			return info, meta, nil
		}
		pos = end
	}
}

// pngDepthOK reports whether a colour type and bit depth pair is legal.
func pngDepthOK(ctype byte, depth int) bool {
	switch ctype {
	case 0:
		return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16
	case 3:
		return depth == 1 || depth == 2 || depth == 4 || depth == 8
	case 2, 4, 6:
		return depth == 8 || depth == 16
	}
	return false
}

// pngChunkTypeOK reports whether typ is four ASCII letters.
func pngChunkTypeOK(typ string) bool {
	for i := 0; i < len(typ); i++ {
		c := typ[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// rawProfileOrientation reads the EXIF orientation from an ImageMagick
// "Raw profile type exif" (or "APP1") tEXt/zTXt chunk: hex-encoded EXIF.
func rawProfileOrientation(typ string, data []byte) int {
	kw, rest, ok := bytes.Cut(data, []byte{0})
	if !ok {
		return 0
	}
	switch string(kw) {
	case "Raw profile type exif", "Raw profile type APP1":
	default:
		return 0
	}
	text := rest
	if typ == "zTXt" {
		if len(rest) < 1 || rest[0] != 0 {
			return 0
		}
		zr, err := zlib.NewReader(bytes.NewReader(rest[1:]))
		if err != nil {
			return 0
		}
		text, _ = io.ReadAll(io.LimitReader(zr, maxRawProfile))
	}
	return exifOrientation(decodeRawProfile(text))
}

// decodeRawProfile decodes ImageMagick's "\n<name>\n <length>\n<hex lines>"
// layout, ignoring whitespace in the hex part.
func decodeRawProfile(text []byte) []byte {
	text = bytes.TrimLeft(text, " \t\r\n")
	_, text, ok := bytes.Cut(text, []byte("\n")) // name line
	if !ok {
		return nil
	}
	text = bytes.TrimLeft(text, " \t")
	size := 0
	for len(text) > 0 && text[0] >= '0' && text[0] <= '9' && size < maxRawProfile {
		size = size*10 + int(text[0]-'0')
		text = text[1:]
	}
	size = min(size, maxRawProfile/2)
	out := make([]byte, 0, size)
	var hi byte
	half := false
	for _, c := range text {
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			continue
		}
		if !half {
			hi, half = v, true
			continue
		}
		out = append(out, hi<<4|v)
		half = false
		if len(out) == size {
			break
		}
	}
	return out
}
