package codecs

// VP8X feature flags.
const (
	vp8xAnimation = 1 << 1
	vp8xEXIF      = 1 << 3
	vp8xAlpha     = 1 << 4
	vp8xICC       = 1 << 5
)

// webpFrame locates the first frame of an animated WebP inside the file.
type webpFrame struct {
	x, y, w, h int    // placement on the canvas
	alph       []byte // ALPH chunk payload, nil if none
	image      []byte // VP8 or VP8L chunk payload
	lossless   bool   // image is VP8L
}

// riffChunk is one chunk of a RIFF container.
type riffChunk struct {
	id   string
	data []byte
}

// riffChunks splits b (the bytes after a RIFF form type) into chunks. It
// reports whether the data ended inside a chunk.
func riffChunks(b []byte, fn func(c riffChunk) bool) (truncated bool) {
	for pos := 0; pos < len(b); {
		if pos+8 > len(b) {
			return true
		}
		id := string(b[pos : pos+4])
		n := le32(b[pos+4:])
		if uint64(n) > uint64(len(b)-pos-8) {
			return true
		}
		if !fn(riffChunk{id, b[pos+8 : pos+8+int(n)]}) {
			return false
		}
		pos += 8 + int(n) + int(n&1)
	}
	return false
}

// probeWebP parses the RIFF container, the VP8/VP8L/VP8X headers and, for
// extended files, the chunk list (ICCP, ANIM/ANMF, ALPH, EXIF).
func probeWebP(b []byte) (Info, probeMeta, error) {
	info := Info{Format: WebP, BitDepth: 8}
	var meta probeMeta
	size := le32(b[4:])
	if size < 12 {
		return info, meta, newErr(WebP, ErrCorrupt, "bad RIFF size %d", size)
	}
	body := b[12:]
	truncated := uint64(size)+8 > uint64(len(b))
	if !truncated {
		body = b[12 : 8+size]
	}
	var (
		first     = true
		simple    bool
		bsW, bsH  int // bitstream dims of a still image
		haveImage bool
		alph      []byte
		exifSeen  bool
		alphaFlag bool
		err       error
	)
	cut := riffChunks(body, func(c riffChunk) bool {
		if first {
			first = false
			switch c.id {
			case "VP8 ", "VP8L":
				var alpha bool
				info.Width, info.Height, alpha, err = webpBitstreamHeader(c.id, c.data)
				info.HasAlpha = alpha
				info.Color = webpColor(c.id, alpha)
				simple = true
				return false // simple format: nothing else matters
			case "VP8X":
				if len(c.data) < 10 {
					err = newErr(WebP, ErrCorrupt, "short VP8X chunk")
					return false
				}
				flags := c.data[0]
				info.Width, info.Height = le24(c.data[4:])+1, le24(c.data[7:])+1
				alphaFlag = flags&vp8xAlpha != 0
				info.HasAlpha = alphaFlag
				info.HasICC = flags&vp8xICC != 0
				meta.webpAnim = flags&vp8xAnimation != 0
				return true
			default:
				err = newErr(WebP, ErrCorrupt, "first chunk %q is not VP8, VP8L or VP8X", c.id)
				return false
			}
		}
		switch c.id {
		case "ICCP":
			info.HasICC = true
		case "EXIF":
			if !exifSeen {
				exifSeen = true
				info.Orientation = exifOrientation(c.data)
			}
		case "ANMF":
			info.Frames++
			if info.Frames == 1 && meta.webpAnim {
				meta.webpFrame, err = parseANMF(c.data)
				if err == nil {
					info.Color = webpColor(ternary(meta.webpFrame.lossless, "VP8L", "VP8 "), meta.webpFrame.alph != nil)
				}
			}
		case "ALPH":
			if !haveImage {
				alph = c.data
			}
		case "VP8 ", "VP8L":
			if !haveImage && !meta.webpAnim {
				var alpha bool
				bsW, bsH, alpha, err = webpBitstreamHeader(c.id, c.data)
				haveImage = true
				meta.webpFrame = webpFrame{w: bsW, h: bsH, image: c.data, lossless: c.id == "VP8L"}
				if c.id == "VP8 " {
					meta.webpFrame.alph = alph
					// x/image/webp insists that the VP8X alpha flag and the
					// ALPH chunk agree; libwebp does not. Such files are
					// decoded through a consistent re-wrapped copy.
					meta.webpRewrap = alphaFlag != (alph != nil)
				}
				info.HasAlpha = info.HasAlpha || alpha || (c.id == "VP8 " && alph != nil)
				info.Color = webpColor(c.id, info.HasAlpha)
			}
		}
		return err == nil
	})
	switch {
	case err != nil:
		return info, meta, err
	case cut || truncated:
		if first && len(body) >= 8 { // learn the size from the partial first chunk
			switch id := string(body[:4]); id {
			case "VP8 ", "VP8L":
				info.Width, info.Height, info.HasAlpha, _ = webpBitstreamHeader(id, body[8:])
			case "VP8X":
				if len(body) >= 18 {
					info.Width, info.Height = le24(body[12:])+1, le24(body[15:])+1
				}
			}
		}
		return info, meta, newErr(WebP, ErrTruncated, "data ends inside a chunk")
	case first:
		return info, meta, newErr(WebP, ErrCorrupt, "no chunks")
	}
	if simple {
		return info, meta, nil
	}
	if meta.webpAnim {
		if info.Frames == 0 {
			return info, meta, newErr(WebP, ErrCorrupt, "animation without frames")
		}
		f := meta.webpFrame
		if f.x+f.w > info.Width || f.y+f.h > info.Height {
			return info, meta, newErr(WebP, ErrCorrupt, "first frame exceeds the canvas")
		}
		info.Animated = info.Frames > 1
		return info, meta, nil
	}
	if !haveImage {
		return info, meta, newErr(WebP, ErrCorrupt, "no image data (VP8 or VP8L chunk)")
	}
	if bsW != info.Width || bsH != info.Height {
		return info, meta, newErr(WebP, ErrCorrupt, "VP8X canvas %dx%d does not match the bitstream %dx%d",
			info.Width, info.Height, bsW, bsH)
	}
	return info, meta, nil
}

// parseANMF reads an ANMF frame header and its ALPH and VP8/VP8L sub-chunks,
// checking that the bitstream matches the declared frame size.
func parseANMF(d []byte) (webpFrame, error) {
	var f webpFrame
	if len(d) < 16 {
		return f, newErr(WebP, ErrCorrupt, "short ANMF chunk")
	}
	f.x, f.y = 2*le24(d[0:]), 2*le24(d[3:])
	f.w, f.h = le24(d[6:])+1, le24(d[9:])+1
	var err error
	cut := riffChunks(d[16:], func(c riffChunk) bool {
		switch c.id {
		case "ALPH":
			if f.alph == nil {
				f.alph = c.data
			}
		case "VP8 ", "VP8L":
			var w, h int
			w, h, _, err = webpBitstreamHeader(c.id, c.data)
			if err == nil && (w != f.w || h != f.h) {
				err = newErr(WebP, ErrCorrupt, "frame bitstream %dx%d does not match ANMF %dx%d", w, h, f.w, f.h)
			}
			f.image, f.lossless = c.data, c.id == "VP8L"
			return false
		}
		return true
	})
	switch {
	case err != nil:
		return f, err
	case f.image == nil && cut:
		return f, newErr(WebP, ErrTruncated, "data ends inside the first frame")
	case f.image == nil:
		return f, newErr(WebP, ErrCorrupt, "first frame has no image data")
	}
	if f.lossless {
		f.alph = nil // VP8L carries its own alpha
	}
	return f, nil
}

// webpBitstreamHeader reads the dimensions from a VP8 key frame header or a
// VP8L header; alpha is the VP8L alpha_is_used hint.
func webpBitstreamHeader(id string, d []byte) (w, h int, alpha bool, err error) {
	if id == "VP8L" {
		if len(d) < 5 {
			return 0, 0, false, newErr(WebP, ErrTruncated, "short VP8L header")
		}
		if d[0] != 0x2f {
			return 0, 0, false, newErr(WebP, ErrCorrupt, "bad VP8L signature")
		}
		bits := le32(d[1:])
		if bits>>29 != 0 {
			return 0, 0, false, newErr(WebP, ErrCorrupt, "unknown VP8L version")
		}
		return int(bits&0x3fff) + 1, int(bits>>14&0x3fff) + 1, bits>>28&1 == 1, nil
	}
	if len(d) < 10 {
		return 0, 0, false, newErr(WebP, ErrTruncated, "short VP8 header")
	}
	if d[0]&1 != 0 {
		return 0, 0, false, newErr(WebP, ErrCorrupt, "VP8 frame is not a key frame")
	}
	if d[3] != 0x9d || d[4] != 0x01 || d[5] != 0x2a {
		return 0, 0, false, newErr(WebP, ErrCorrupt, "bad VP8 start code")
	}
	w, h = le16(d[6:])&0x3fff, le16(d[8:])&0x3fff
	if w == 0 || h == 0 {
		return 0, 0, false, newErr(WebP, ErrCorrupt, "zero width or height")
	}
	return w, h, false, nil
}

// webpColor names the colour model of a VP8 (lossy) or VP8L (lossless) image.
func webpColor(id string, alpha bool) ColorModel {
	switch {
	case id == "VP8L" && alpha:
		return ColorRGBA
	case id == "VP8L":
		return ColorRGB
	}
	return ColorYCbCr
}

func ternary[T any](c bool, a, b T) T {
	if c {
		return a
	}
	return b
}
