package codecs

import "bytes"

// Format is an image container format identified from magic bytes.
type Format string

// Known formats. Unknown is the zero value.
const (
	Unknown Format = ""
	PNG     Format = "png"
	JPEG    Format = "jpeg"
	WebP    Format = "webp"
	GIF     Format = "gif"
	BMP     Format = "bmp"
	TIFF    Format = "tiff"
	HEIC    Format = "heic"
	AVIF    Format = "avif"
)

// String returns the format name, or "unknown".
func (f Format) String() string {
	if f == Unknown {
		return "unknown"
	}
	return string(f)
}

// MIMEType returns the media type for f, or "application/octet-stream".
func (f Format) MIMEType() string {
	switch f {
	case PNG, JPEG, WebP, GIF, BMP, TIFF, HEIC, AVIF:
		return "image/" + string(f)
	}
	return "application/octet-stream"
}

// Ext returns the usual file extension for f, with the dot (".jpg" for JPEG).
func (f Format) Ext() string {
	switch f {
	case JPEG:
		return ".jpg"
	case Unknown:
		return ""
	}
	return "." + string(f)
}

// Decodable reports whether Decode supports f: the built-in formats, and
// HEIC and AVIF when a decoder is registered (see RegisterDecoder).
func (f Format) Decodable() bool {
	switch f {
	case PNG, JPEG, WebP, GIF, BMP, TIFF:
		return true
	case HEIC, AVIF:
		return registered(f) != nil
	}
	return false
}

// Encodable reports whether Encode can write f.
func (f Format) Encodable() bool {
	return f == PNG || f == JPEG || f == WebP
}

// ParseFormat maps a user-supplied name ("png", "jpg", "jpeg", "webp", ...)
// to a Format. It returns Unknown for names it does not know.
func ParseFormat(s string) Format {
	switch s {
	case "png", "PNG":
		return PNG
	case "jpg", "jpeg", "JPG", "JPEG":
		return JPEG
	case "webp", "WEBP", "WebP":
		return WebP
	case "gif", "GIF":
		return GIF
	case "bmp", "BMP":
		return BMP
	case "tif", "tiff", "TIF", "TIFF":
		return TIFF
	case "heic", "heif", "HEIC", "HEIF":
		return HEIC
	case "avif", "AVIF":
		return AVIF
	}
	return Unknown
}

// Sniff identifies the container format of b from its leading magic bytes.
// It needs at most the first 32 bytes and never looks at a file name.
func Sniff(b []byte) Format {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return JPEG
	case len(b) >= 12 && bytes.HasPrefix(b, []byte("RIFF")) && string(b[8:12]) == "WEBP":
		return WebP
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return GIF
	case bytes.HasPrefix(b, []byte("BM")) && len(b) >= 14:
		return BMP
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")):
		return TIFF
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		return sniffISOBMFF(b)
	}
	return Unknown
}

// sniffISOBMFF tells HEIC from AVIF by the ftyp major and compatible brands.
func sniffISOBMFF(b []byte) Format {
	n := int(uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]))
	if n < 16 || n > len(b) {
		n = min(len(b), 64)
	}
	var heic bool
	for off := 8; off+4 <= n; off += 4 {
		if off == 12 { // minor version, not a brand
			continue
		}
		switch string(b[off : off+4]) {
		case "avif", "avis":
			return AVIF
		case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1":
			heic = true
		}
	}
	if heic {
		return HEIC
	}
	return Unknown
}
