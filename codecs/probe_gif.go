package codecs

// probeGIF reads the logical screen descriptor and walks the block list,
// skipping colour tables and data sub-blocks without decompressing them, to
// count frames and find transparency.
func probeGIF(b []byte) (Info, probeMeta, error) {
	info := Info{Format: GIF, BitDepth: 8, Color: ColorPalette}
	var meta probeMeta
	if len(b) < 13 {
		return info, meta, newErr(GIF, ErrTruncated, "data ends inside the screen descriptor")
	}
	info.Width, info.Height = le16(b[6:]), le16(b[8:])
	if info.Width == 0 || info.Height == 0 {
		return info, meta, newErr(GIF, ErrCorrupt, "zero width or height")
	}
	pos := 13
	if b[10]&0x80 != 0 {
		pos += 3 << (b[10]&7 + 1)
	}
	// stop ends the walk: once a frame is complete, later damage only
	// loses frames (the first one still decodes), so it is not an error.
	stop := func(kind error, reason string) (Info, probeMeta, error) {
		if info.Frames > 0 {
			info.Animated = info.Frames > 1
			return info, meta, nil
		}
		return info, meta, newErr(GIF, kind, "%s", reason)
	}
	// skipSubBlocks advances past a sub-block chain; false if it runs out.
	skipSubBlocks := func() bool {
		for pos < len(b) {
			n := int(b[pos])
			pos += 1 + n
			if n == 0 {
				return pos <= len(b)
			}
		}
		return false
	}
	for {
		if pos >= len(b) {
			return stop(ErrTruncated, "data ends before the trailer")
		}
		switch b[pos] {
		case 0x21: // extension
			if pos+2 > len(b) {
				return stop(ErrTruncated, "data ends inside an extension")
			}
			if b[pos+1] == 0xf9 && pos+4 <= len(b) && b[pos+2] == 4 && b[pos+3]&1 != 0 {
				info.HasAlpha = true
			}
			pos += 2
			if !skipSubBlocks() {
				return stop(ErrTruncated, "data ends inside an extension")
			}
		case 0x2c: // image descriptor
			if pos+10 > len(b) {
				return stop(ErrTruncated, "data ends inside an image descriptor")
			}
			fx, fy, fw, fh := le16(b[pos+1:]), le16(b[pos+3:]), le16(b[pos+5:]), le16(b[pos+7:])
			if fx+fw > info.Width || fy+fh > info.Height {
				// Go's decoder rejects such files; a frame far outside a
				// small screen is a known decompression-bomb shape.
				return info, meta, newErr(GIF, ErrCorrupt, "frame %d (%dx%d at %d,%d) extends beyond the %dx%d screen",
					info.Frames+1, fw, fh, fx, fy, info.Width, info.Height)
			}
			flags := b[pos+9]
			pos += 10
			if flags&0x80 != 0 {
				pos += 3 << (flags&7 + 1)
			}
			pos++ // LZW minimum code size
			if pos > len(b) || !skipSubBlocks() {
				return stop(ErrTruncated, "data ends inside image data")
			}
			info.Frames++
		case 0x3b: // trailer
			if info.Frames == 0 {
				return info, meta, newErr(GIF, ErrCorrupt, "no image in file")
			}
			info.Animated = info.Frames > 1
			return info, meta, nil
		default:
			return stop(ErrCorrupt, "unknown block type")
		}
	}
}
