package codecs

import "bytes"

// JPEG markers used by the probe.
const (
	jpegSOF0  = 0xc0 // baseline
	jpegSOF1  = 0xc1 // extended sequential, Huffman
	jpegSOF2  = 0xc2 // progressive, Huffman
	jpegDHT   = 0xc4
	jpegJPG   = 0xc8
	jpegDAC   = 0xcc
	jpegRST0  = 0xd0
	jpegRST7  = 0xd7
	jpegSOI   = 0xd8
	jpegEOI   = 0xd9
	jpegSOS   = 0xda
	jpegAPP0  = 0xe0
	jpegAPP1  = 0xe1
	jpegAPP2  = 0xe2
	jpegAPP14 = 0xee
	jpegTEM   = 0x01
)

// probeJPEG walks the marker segments from SOI to the first SOS: SOFn for
// size, precision, components and coding; APP0 JFIF, APP1 Exif, APP2 ICC and
// APP14 Adobe for the colour model and orientation. Entropy-coded data is not
// read.
func probeJPEG(b []byte) (Info, probeMeta, error) {
	info := Info{Format: JPEG}
	var meta probeMeta
	var (
		sof, jfif, adobe, exifSeen bool
		transform                  byte
		compIDs                    []byte
		unsupported                string
	)
	pos := 2
	for {
		// Find the next marker; tolerate extraneous bytes and fill bytes
		// before it, as libjpeg and image/jpeg do.
		for pos < len(b) && b[pos] != 0xff {
			pos++
		}
		for pos < len(b) && b[pos] == 0xff {
			pos++
		}
		if pos >= len(b) {
			return info, meta, newErr(JPEG, ErrTruncated, "data ends before the first scan")
		}
		marker := b[pos]
		pos++
		switch {
		case marker == jpegTEM, marker >= jpegRST0 && marker <= jpegRST7, marker == jpegSOI, marker == 0:
			continue // no length field
		case marker == jpegEOI:
			return info, meta, newErr(JPEG, ErrCorrupt, "EOI before the first scan")
		}
		if pos+2 > len(b) {
			return info, meta, newErr(JPEG, ErrTruncated, "data ends inside a marker segment")
		}
		n := be16(b[pos:])
		if n < 2 {
			return info, meta, newErr(JPEG, ErrCorrupt, "marker segment length %d", n)
		}
		if pos+n > len(b) {
			return info, meta, newErr(JPEG, ErrTruncated, "marker segment 0x%02x runs past the end of the data", marker)
		}
		seg := b[pos+2 : pos+n]
		pos += n

		switch {
		case marker == jpegSOS:
			if !sof {
				return info, meta, newErr(JPEG, ErrCorrupt, "scan before frame header (no SOF)")
			}
			info.Color = jpegColor(len(compIDs), compIDs, jfif, adobe, transform)
			if unsupported != "" {
				return info, meta, newErr(JPEG, ErrUnsupported, "%s", unsupported)
			}
			meta.jpegDecode = info.BitDepth == 8
			meta.jpegScan = pos - n
			return info, meta, nil
		case marker >= 0xc0 && marker <= 0xcf && marker != jpegDHT && marker != jpegJPG && marker != jpegDAC:
			if sof {
				return info, meta, newErr(JPEG, ErrCorrupt, "multiple SOF markers")
			}
			sof = true
			if len(seg) < 6 {
				return info, meta, newErr(JPEG, ErrCorrupt, "short SOF segment")
			}
			nc := int(seg[5])
			if len(seg) < 6+3*nc {
				return info, meta, newErr(JPEG, ErrCorrupt, "SOF segment too short for %d components", nc)
			}
			info.BitDepth = int(seg[0])
			info.Height, info.Width = be16(seg[1:]), be16(seg[3:])
			info.Progressive = marker == jpegSOF2 || marker == 0xc6 || marker == 0xca || marker == 0xce
			for i := 0; i < nc; i++ {
				compIDs = append(compIDs, seg[6+3*i])
			}
			switch {
			case info.Width == 0:
				return info, meta, newErr(JPEG, ErrCorrupt, "zero width")
			case nc == 0:
				return info, meta, newErr(JPEG, ErrCorrupt, "no components")
			case marker == 0xc3 || marker == 0xc7 || marker == 0xcb || marker == 0xcf:
				unsupported = "lossless JPEG is not supported; convert to PNG first"
			case marker > jpegSOF2:
				unsupported = "arithmetic-coded or hierarchical JPEG is not supported; re-encode it as baseline JPEG"
			case info.Height == 0:
				unsupported = "height defined by a DNL marker is not supported"
			case nc != 1 && nc != 3 && nc != 4:
				unsupported = "JPEG with an unusual number of components is not supported"
			}
		case marker == jpegAPP0:
			if bytes.HasPrefix(seg, []byte("JFIF\x00")) {
				jfif = true
			}
		case marker == jpegAPP1:
			// XMP (and other APP1 payloads) may precede the Exif one: only
			// the first Exif segment counts.
			if !exifSeen && (bytes.HasPrefix(seg, []byte("Exif\x00")) ||
				bytes.HasPrefix(seg, []byte("II*\x00")) || bytes.HasPrefix(seg, []byte("MM\x00*"))) {
				exifSeen = true
				info.Orientation = exifOrientation(seg)
			}
		case marker == jpegAPP2:
			if bytes.HasPrefix(seg, []byte("ICC_PROFILE\x00")) {
				info.HasICC = true
			}
		case marker == jpegAPP14:
			if len(seg) >= 12 && bytes.HasPrefix(seg, []byte("Adobe")) {
				adobe, transform = true, seg[11]
			}
		}
	}
}

// jpegColor derives the colour model the way image/jpeg (and libjpeg) do.
func jpegColor(nc int, ids []byte, jfif, adobe bool, transform byte) ColorModel {
	switch nc {
	case 1:
		return ColorGray
	case 3:
		switch {
		case jfif:
			return ColorYCbCr
		case adobe:
			if transform == 0 {
				return ColorRGB
			}
			return ColorYCbCr
		case ids[0] == 'R' && ids[1] == 'G' && ids[2] == 'B':
			return ColorRGB
		}
		return ColorYCbCr
	case 4:
		if adobe && transform != 0 {
			return ColorYCCK
		}
		return ColorCMYK
	}
	return ColorUnknown
}
