// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package jpeg is a JPEG decoder that can scale the image down by 1/2, 1/4
// or 1/8 while decoding, in the DCT domain, the way libjpeg's
// scale_num/scale_denom does.
//
// It is derived from the Go standard library's image/jpeg decoder (see the
// NOTICE and LICENSE files in this directory) and decodes the same subset of
// JPEG: 8-bit baseline, extended sequential and progressive Huffman-coded
// images with 1, 3 or 4 components. At scale 1/1 its output is identical,
// pixel for pixel, to image/jpeg's whenever image/jpeg decodes the image.
// (The one difference: restart intervals in a non-interleaved scan of a
// component with several blocks per MCU, such as Y in a 4:2:0 progressive
// image, are counted in blocks as the specification says, where image/jpeg
// fails.) Errors are image/jpeg's FormatError and UnsupportedError types,
// or the reader's; input that ends early gives io.ErrUnexpectedEOF, or,
// within entropy-coded data, an error that is both image/jpeg's
// FormatError("short Huffman data") and io.ErrUnexpectedEOF.
//
// Downscaling replaces the 8x8 inverse DCT of every block by a reduced one
// that produces the box average of each 2x2 (1/2), 4x4 (1/4) or 8x8 (1/8)
// group of pixels directly from the coefficients, so the work and the
// memory of the output image shrink with the square of the scale. The
// entropy decoding still has to visit every coefficient. Progressive
// images keep their coefficients in memory until the last scan, as they
// must, but only those that the reduced inverse DCT uses, as int16, plus
// a 64-bit mask per block: 136 bytes per 8x8 block at 1/1 (image/jpeg: 256),
// 106 at 1/2, 58 at 1/4 and 10 at 1/8.
//
// JPEG is defined in ITU-T T.81: https://www.w3.org/Graphics/JPEG/itu-t81.pdf.
package jpeg // import "github.com/imgprep/imgprep/internal/jpeg"

import (
	"fmt"
	"image"
	"image/color"
	stdjpeg "image/jpeg"
	"io"
)

// formatError and unsupportedError are image/jpeg's error types, so that
// callers can treat errors from this package and from image/jpeg alike.
type (
	formatError      = stdjpeg.FormatError
	unsupportedError = stdjpeg.UnsupportedError
)

var errUnsupportedSubsamplingRatio = unsupportedError("luma/chroma subsampling ratio")

// shortDataError reports that the input ended in the middle of
// entropy-coded data. It is image/jpeg's FormatError("short Huffman data")
// and also matches io.ErrUnexpectedEOF.
type shortDataError struct{}

func (shortDataError) Error() string { return formatError("short Huffman data").Error() }

func (shortDataError) Unwrap() []error {
	return []error{formatError("short Huffman data"), io.ErrUnexpectedEOF}
}

var errShortHuffmanData error = shortDataError{}

// Component specification, specified in section B.2.2.
type component struct {
	h  int   // Horizontal sampling factor.
	v  int   // Vertical sampling factor.
	c  uint8 // Component identifier.
	tq uint8 // Quantization table destination selector.
}

const (
	dcTable = 0
	acTable = 1
	maxTc   = 1
	maxTh   = 3
	maxTq   = 3

	maxComponents = 4
)

const (
	sof0Marker = 0xc0 // Start Of Frame (Baseline Sequential).
	sof1Marker = 0xc1 // Start Of Frame (Extended Sequential).
	sof2Marker = 0xc2 // Start Of Frame (Progressive).
	dhtMarker  = 0xc4 // Define Huffman Table.
	rst0Marker = 0xd0 // ReSTart (0).
	rst7Marker = 0xd7 // ReSTart (7).
	soiMarker  = 0xd8 // Start Of Image.
	eoiMarker  = 0xd9 // End Of Image.
	sosMarker  = 0xda // Start Of Scan.
	dqtMarker  = 0xdb // Define Quantization Table.
	driMarker  = 0xdd // Define Restart Interval.
	comMarker  = 0xfe // COMment.
	// "APPlication specific" markers aren't part of the JPEG spec per se,
	// but in practice, their use is described at
	// https://www.sno.phy.queensu.ca/~phil/exiftool/TagNames/JPEG.html
	app0Marker  = 0xe0
	app14Marker = 0xee
	app15Marker = 0xef
)

// See https://www.sno.phy.queensu.ca/~phil/exiftool/TagNames/JPEG.html#Adobe
const (
	adobeTransformUnknown = 0
	adobeTransformYCbCr   = 1
	adobeTransformYCbCrK  = 2
)

// unzig maps from the zig-zag ordering to the natural ordering. For example,
// unzig[3] is the column and row of the fourth element in zig-zag order. The
// value is 16, which means first column (16%8 == 0) and third row (16/8 == 2).
var unzig = [blockSize]uint8{
	0, 1, 8, 16, 9, 2, 3, 10,
	17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34,
	27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36,
	29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46,
	53, 60, 61, 54, 47, 55, 62, 63,
}

// plane is one component's sample array in the output image.
type plane struct {
	pix    []byte
	stride int
}

type decoder struct {
	r    io.Reader
	bits bitReader
	// bytes is a byte buffer, similar to a bufio.Reader, except that it
	// has to be able to unread more than 1 byte, due to byte stuffing.
	// Byte stuffing is specified in section F.1.2.3.
	bytes struct {
		// buf[i:j] are the buffered bytes read from the underlying
		// io.Reader that haven't yet been passed further on.
		buf  [8192]byte
		i, j int
		// nUnreadable is the number of bytes to back up i after
		// overshooting. It can be 0, 1 or 2.
		nUnreadable int
	}
	width, height int

	// shift is log2 of the scale denominator (0 to 3): every 8x8 block is
	// decoded to 8>>shift x 8>>shift samples.
	shift uint

	img1        *image.Gray
	img3        *image.YCbCr
	blackPix    []byte
	blackStride int
	planes      [maxComponents]plane

	ri    int // Restart Interval.
	nComp int

	// As per section 4.5, there are four modes of operation (selected by the
	// SOF? markers): sequential DCT, progressive DCT, lossless and
	// hierarchical, although this implementation does not support the latter
	// two non-DCT modes. Sequential DCT is further split into baseline and
	// extended, as per section 4.11.
	baseline    bool
	progressive bool

	jfif                bool
	adobeTransformValid bool
	adobeTransform      uint8
	eobRun              uint16 // End-of-Band run, specified in section G.1.2.2.

	comp       [maxComponents]component
	progCoeffs [maxComponents]coefBuf // Saved state between progressive-mode scans.
	huff       [maxTc + 1][maxTh + 1]huffman
	quant      [maxTq + 1]block // Quantization tables, in zig-zag order.
	tmp        [2 * blockSize]byte
	blk        block   // Scratch coefficient block.
	patches    patches // Progressive coefficients that overflowed int16.

	// blockRestarts records that a scan counted restart intervals in
	// blocks where image/jpeg doesn't (see decodeScan).
	blockRestarts bool

	// progress, when set, is told about rows that become final (see
	// DecodeProgress); streaming is set during the scan that reports rows,
	// streamed once such a scan has begun, streamImg is the image it fills.
	progress  *Progress
	streaming bool
	streamed  bool
	streamImg image.Image
	staleSent bool

	// verifier, when set, makes the decoder check the scans instead of
	// decoding them (see Verify).
	verifier *verifier
	// pending[i] is the mask of the zig-zag positions of component i whose
	// coefficients the reconstruction at d.shift uses and no scan has
	// completed yet (see trackScan); pendingSet once it is initialized.
	// scanChanges is set when the current scan carries coefficients that
	// the reconstruction uses. progDone is set when the image has been
	// reconstructed from complete coefficients while streaming.
	pending     [maxComponents]uint64
	pendingSet  bool
	scanChanges bool
	progDone    bool
	recon       *reconWorker // reconstructs while streaming a progressive image
}

// fill fills up the d.bytes.buf buffer from the underlying io.Reader. It
// should only be called when there are no unread bytes in d.bytes.
func (d *decoder) fill() error {
	if d.bytes.i != d.bytes.j {
		panic("jpeg: fill called when unread bytes exist")
	}
	// Move the last 2 bytes to the start of the buffer, in case we need
	// to call unreadByteStuffedByte.
	if d.bytes.j > 2 {
		d.bytes.buf[0] = d.bytes.buf[d.bytes.j-2]
		d.bytes.buf[1] = d.bytes.buf[d.bytes.j-1]
		d.bytes.i, d.bytes.j = 2, 2
	}
	// Fill in the rest of the buffer.
	n, err := d.r.Read(d.bytes.buf[d.bytes.j:])
	d.bytes.j += n
	if n > 0 {
		return nil
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// readByte returns the next byte, whether buffered or not buffered. It does
// not care about byte stuffing.
func (d *decoder) readByte() (x byte, err error) {
	for d.bytes.i == d.bytes.j {
		if err = d.fill(); err != nil {
			return 0, err
		}
	}
	x = d.bytes.buf[d.bytes.i]
	d.bytes.i++
	d.bytes.nUnreadable = 0
	return x, nil
}

// errMissingFF00 means that the entropy-coded data ran into an 0xff byte (a
// marker byte) that wasn't the expected byte-stuffed sequence 0xff, 0x00.
var errMissingFF00 = formatError("missing 0xff00 sequence")

// readFull reads exactly len(p) bytes into p. It does not care about byte
// stuffing.
func (d *decoder) readFull(p []byte) error {
	// The bit reader never overshoots (it stops in front of markers), so
	// unlike image/jpeg there is nothing to unread here.
	d.bytes.nUnreadable = 0
	for {
		n := copy(p, d.bytes.buf[d.bytes.i:d.bytes.j])
		p = p[n:]
		d.bytes.i += n
		if len(p) == 0 {
			break
		}
		if err := d.fill(); err != nil {
			return err
		}
	}
	return nil
}

// ignore ignores the next n bytes.
func (d *decoder) ignore(n int) error {
	d.bytes.nUnreadable = 0
	for {
		m := d.bytes.j - d.bytes.i
		if m > n {
			m = n
		}
		d.bytes.i += m
		n -= m
		if n == 0 {
			break
		}
		if err := d.fill(); err != nil {
			return err
		}
	}
	return nil
}

// Specified in section B.2.2.
func (d *decoder) processSOF(n int) error {
	if d.nComp != 0 {
		return formatError("multiple SOF markers")
	}
	switch n {
	case 6 + 3*1: // Grayscale image.
		d.nComp = 1
	case 6 + 3*3: // YCbCr or RGB image.
		d.nComp = 3
	case 6 + 3*4: // YCbCrK or CMYK image.
		d.nComp = 4
	default:
		return unsupportedError("number of components")
	}
	if err := d.readFull(d.tmp[:n]); err != nil {
		return err
	}
	// We only support 8-bit precision.
	if d.tmp[0] != 8 {
		return unsupportedError("precision")
	}
	d.height = int(d.tmp[1])<<8 + int(d.tmp[2])
	d.width = int(d.tmp[3])<<8 + int(d.tmp[4])
	if int(d.tmp[5]) != d.nComp {
		return formatError("SOF has wrong length")
	}

	for i := 0; i < d.nComp; i++ {
		d.comp[i].c = d.tmp[6+3*i]
		// Section B.2.2 states that "the value of C_i shall be different from
		// the values of C_1 through C_(i-1)".
		for j := 0; j < i; j++ {
			if d.comp[i].c == d.comp[j].c {
				return formatError("repeated component identifier")
			}
		}

		d.comp[i].tq = d.tmp[8+3*i]
		if d.comp[i].tq > maxTq {
			return formatError("bad Tq value")
		}

		hv := d.tmp[7+3*i]
		h, v := int(hv>>4), int(hv&0x0f)
		if h < 1 || 4 < h || v < 1 || 4 < v {
			return formatError("luma/chroma subsampling ratio")
		}
		if h == 3 || v == 3 {
			return errUnsupportedSubsamplingRatio
		}
		switch d.nComp {
		case 1:
			// If a JPEG image has only one component, section A.2 says "this data
			// is non-interleaved by definition" and section A.2.2 says "[in this
			// case...] the order of data units within a scan shall be left-to-right
			// and top-to-bottom... regardless of the values of H_1 and V_1". Section
			// 4.8.2 also says "[for non-interleaved data], the MCU is defined to be
			// one data unit". Similarly, section A.1.1 explains that it is the ratio
			// of H_i to max_j(H_j) that matters, and similarly for V. For grayscale
			// images, H_1 is the maximum H_j for all components j, so that ratio is
			// always 1. The component's (h, v) is effectively always (1, 1): even if
			// the nominal (h, v) is (2, 1), a 20x5 image is encoded in three 8x8
			// MCUs, not two 16x8 MCUs.
			h, v = 1, 1

		case 3:
			// For YCbCr images, we only support 4:4:4, 4:4:0, 4:2:2, 4:2:0,
			// 4:1:1 or 4:1:0 chroma subsampling ratios. This implies that the
			// (h, v) values for the Y component are either (1, 1), (1, 2),
			// (2, 1), (2, 2), (4, 1) or (4, 2), and the Y component's values
			// must be a multiple of the Cb and Cr component's values. We also
			// assume that the two chroma components have the same subsampling
			// ratio.
			switch i {
			case 0: // Y.
				// We have already verified, above, that h and v are both
				// either 1, 2 or 4, so invalid (h, v) combinations are those
				// with v == 4.
				if v == 4 {
					return errUnsupportedSubsamplingRatio
				}
			case 1: // Cb.
				if d.comp[0].h%h != 0 || d.comp[0].v%v != 0 {
					return errUnsupportedSubsamplingRatio
				}
			case 2: // Cr.
				if d.comp[1].h != h || d.comp[1].v != v {
					return errUnsupportedSubsamplingRatio
				}
			}

		case 4:
			// For 4-component images (either CMYK or YCbCrK), we only support two
			// hv vectors: [0x11 0x11 0x11 0x11] and [0x22 0x11 0x11 0x22].
			// Theoretically, 4-component JPEG images could mix and match hv values
			// but in practice, those two combinations are the only ones in use,
			// and it simplifies the applyBlack code below if we can assume that:
			//	- for CMYK, the C and K channels have full samples, and if the M
			//	  and Y channels subsample, they subsample both horizontally and
			//	  vertically.
			//	- for YCbCrK, the Y and K channels have full samples.
			switch i {
			case 0:
				if hv != 0x11 && hv != 0x22 {
					return errUnsupportedSubsamplingRatio
				}
			case 1, 2:
				if hv != 0x11 {
					return errUnsupportedSubsamplingRatio
				}
			case 3:
				if d.comp[0].h != h || d.comp[0].v != v {
					return errUnsupportedSubsamplingRatio
				}
			}
		}

		d.comp[i].h = h
		d.comp[i].v = v
	}
	return nil
}

// Specified in section B.2.4.1.
func (d *decoder) processDQT(n int) error {
loop:
	for n > 0 {
		n--
		x, err := d.readByte()
		if err != nil {
			return err
		}
		tq := x & 0x0f
		if tq > maxTq {
			return formatError("bad Tq value")
		}
		switch x >> 4 {
		default:
			return formatError("bad Pq value")
		case 0:
			if n < blockSize {
				break loop
			}
			n -= blockSize
			if err := d.readFull(d.tmp[:blockSize]); err != nil {
				return err
			}
			for i := range d.quant[tq] {
				d.quant[tq][i] = int32(d.tmp[i])
			}
		case 1:
			if n < 2*blockSize {
				break loop
			}
			n -= 2 * blockSize
			if err := d.readFull(d.tmp[:2*blockSize]); err != nil {
				return err
			}
			for i := range d.quant[tq] {
				d.quant[tq][i] = int32(d.tmp[2*i])<<8 | int32(d.tmp[2*i+1])
			}
		}
	}
	if n != 0 {
		return formatError("DQT has wrong length")
	}
	return nil
}

// Specified in section B.2.4.4.
func (d *decoder) processDRI(n int) error {
	if n != 2 {
		return formatError("DRI has wrong length")
	}
	if err := d.readFull(d.tmp[:2]); err != nil {
		return err
	}
	d.ri = int(d.tmp[0])<<8 + int(d.tmp[1])
	return nil
}

func (d *decoder) processApp0Marker(n int) error {
	if n < 5 {
		return d.ignore(n)
	}
	if err := d.readFull(d.tmp[:5]); err != nil {
		return err
	}
	n -= 5

	d.jfif = d.tmp[0] == 'J' && d.tmp[1] == 'F' && d.tmp[2] == 'I' && d.tmp[3] == 'F' && d.tmp[4] == '\x00'

	if n > 0 {
		return d.ignore(n)
	}
	return nil
}

func (d *decoder) processApp14Marker(n int) error {
	if n < 12 {
		return d.ignore(n)
	}
	if err := d.readFull(d.tmp[:12]); err != nil {
		return err
	}
	n -= 12

	if d.tmp[0] == 'A' && d.tmp[1] == 'd' && d.tmp[2] == 'o' && d.tmp[3] == 'b' && d.tmp[4] == 'e' {
		d.adobeTransformValid = true
		d.adobeTransform = d.tmp[11]
	}

	if n > 0 {
		return d.ignore(n)
	}
	return nil
}

// decode reads a JPEG image from r and returns it as an image.Image.
func (d *decoder) decode(r io.Reader, configOnly bool) (image.Image, error) {
	d.r = r

	// Check for the Start Of Image marker.
	if err := d.readFull(d.tmp[:2]); err != nil {
		return nil, err
	}
	if d.tmp[0] != 0xff || d.tmp[1] != soiMarker {
		return nil, formatError("missing SOI marker")
	}

	// Process the remaining segments until the End Of Image marker.
	for {
		err := d.readFull(d.tmp[:2])
		if err != nil {
			return nil, err
		}
		for d.tmp[0] != 0xff {
			// Strictly speaking, this is a format error. However, libjpeg is
			// liberal in what it accepts. As of version 9, next_marker in
			// jdmarker.c treats this as a warning (JWRN_EXTRANEOUS_DATA) and
			// continues to decode the stream. Even before next_marker sees
			// extraneous data, jpeg_fill_bit_buffer in jdhuff.c reads as many
			// bytes as it can, possibly past the end of a scan's data. It
			// effectively puts back any markers that it overscanned (e.g. an
			// "\xff\xd9" EOI marker), but it does not put back non-marker data,
			// and thus it can silently ignore a small number of extraneous
			// non-marker bytes before next_marker has a chance to see them (and
			// print a warning).
			//
			// We are therefore also liberal in what we accept. Extraneous data
			// is silently ignored.
			//
			// This is similar to, but not exactly the same as, the restart
			// mechanism within a scan (the RST[0-7] markers).
			//
			// Note that extraneous 0xff bytes in e.g. SOS data are escaped as
			// "\xff\x00", and so are detected a little further down below.
			d.tmp[0] = d.tmp[1]
			d.tmp[1], err = d.readByte()
			if err != nil {
				return nil, err
			}
		}
		marker := d.tmp[1]
		if marker == 0 {
			// Treat "\xff\x00" as extraneous data.
			continue
		}
		for marker == 0xff {
			// Section B.1.1.2 says, "Any marker may optionally be preceded by any
			// number of fill bytes, which are bytes assigned code X'FF'".
			marker, err = d.readByte()
			if err != nil {
				return nil, err
			}
		}
		if marker == eoiMarker { // End Of Image.
			break
		}
		if rst0Marker <= marker && marker <= rst7Marker {
			// Figures B.2 and B.16 of the specification suggest that restart markers should
			// only occur between Entropy Coded Segments and not after the final ECS.
			// However, some encoders may generate incorrect JPEGs with a final restart
			// marker. That restart marker will be seen here instead of inside the processSOS
			// method, and is ignored as a harmless error. Restart markers have no extra data,
			// so we check for this before we read the 16-bit length of the segment.
			continue
		}

		// Read the 16-bit length of the segment. The value includes the 2 bytes for the
		// length itself, so we subtract 2 to get the number of remaining bytes.
		if err = d.readFull(d.tmp[:2]); err != nil {
			return nil, err
		}
		n := int(d.tmp[0])<<8 + int(d.tmp[1]) - 2
		if n < 0 {
			return nil, formatError("short segment length")
		}

		switch marker {
		case sof0Marker, sof1Marker, sof2Marker:
			d.baseline = marker == sof0Marker
			d.progressive = marker == sof2Marker
			err = d.processSOF(n)
			if configOnly && d.jfif {
				return nil, err
			}
		case dhtMarker:
			if configOnly {
				err = d.ignore(n)
			} else {
				err = d.processDHT(n)
			}
		case dqtMarker:
			if configOnly {
				err = d.ignore(n)
			} else {
				err = d.processDQT(n)
			}
		case sosMarker:
			if configOnly {
				return nil, nil
			}
			err = d.processSOS(n)
		case driMarker:
			if configOnly {
				err = d.ignore(n)
			} else {
				err = d.processDRI(n)
			}
		case app0Marker:
			err = d.processApp0Marker(n)
		case app14Marker:
			err = d.processApp14Marker(n)
		default:
			if app0Marker <= marker && marker <= app15Marker || marker == comMarker {
				err = d.ignore(n)
			} else if marker < 0xc0 { // See Table B.1 "Marker code assignments".
				err = formatError("unknown marker")
			} else {
				err = unsupportedError("unknown marker")
			}
		}
		if err != nil {
			return nil, err
		}
	}

	if d.verifier != nil {
		return nil, d.verifyResult()
	}
	if d.progressive {
		if !d.progDone {
			d.reconstructRows(&d.progCoeffs, &d.blk, 0, d.mcuRows())
		}
		// The coefficients are no longer needed.
		d.progCoeffs = [maxComponents]coefBuf{}
	}
	img, err := d.result()
	if d.streamed && err == nil && img != d.streamImg {
		// A marker after the scan changed the colour model.
		d.stale()
	}
	return img, err
}

// result returns the decoded image, converted as image/jpeg does.
func (d *decoder) result() (image.Image, error) {
	if d.img1 != nil {
		return d.img1, nil
	}
	if d.img3 != nil {
		if d.blackPix != nil {
			return d.applyBlack()
		} else if d.isRGB() {
			return d.convertToRGB()
		}
		return d.img3, nil
	}
	return nil, formatError("missing SOS marker")
}

// applyBlack combines d.img3 and d.blackPix into a CMYK image. The formula
// used depends on whether the JPEG image is stored as CMYK or YCbCrK,
// indicated by the APP14 (Adobe) metadata.
//
// Adobe CMYK JPEG images are inverted, where 255 means no ink instead of full
// ink, so we apply "v = 255 - v" at various points. Note that a double
// inversion is a no-op, so inversions might be implicit in the code below.
func (d *decoder) applyBlack() (image.Image, error) {
	if !d.adobeTransformValid {
		return nil, unsupportedError("unknown color model: 4-component JPEG doesn't have Adobe APP14 metadata")
	}

	// If the 4-component JPEG image isn't explicitly marked as "Unknown (RGB
	// or CMYK)" as per
	// https://www.sno.phy.queensu.ca/~phil/exiftool/TagNames/JPEG.html#Adobe
	// we assume that it is YCbCrK. This matches libjpeg's jdapimin.c.
	if d.adobeTransform != adobeTransformUnknown {
		// Convert the YCbCr part of the YCbCrK to RGB, invert the RGB to get
		// CMY, and patch in the original K. The RGB to CMY inversion cancels
		// out the 'Adobe inversion' described in the applyBlack doc comment
		// above, so in practice, only the fourth channel (black) is inverted.
		//
		// image/jpeg uses image/internal/imageutil.DrawYCbCr here, which is
		// an inlined color.YCbCrToRGB.
		bounds := d.img3.Bounds()
		img := image.NewRGBA(bounds)
		for iBase, y := 0, bounds.Min.Y; y < bounds.Max.Y; iBase, y = iBase+img.Stride, y+1 {
			for i, x := iBase, bounds.Min.X; x < bounds.Max.X; i, x = i+4, x+1 {
				yi := d.img3.YOffset(x, y)
				ci := d.img3.COffset(x, y)
				r, g, b := color.YCbCrToRGB(d.img3.Y[yi], d.img3.Cb[ci], d.img3.Cr[ci])
				img.Pix[i+0] = r
				img.Pix[i+1] = g
				img.Pix[i+2] = b
				img.Pix[i+3] = 255 - d.blackPix[(y-bounds.Min.Y)*d.blackStride+(x-bounds.Min.X)]
			}
		}
		return &image.CMYK{
			Pix:    img.Pix,
			Stride: img.Stride,
			Rect:   img.Rect,
		}, nil
	}

	// The first three channels (cyan, magenta, yellow) of the CMYK
	// were decoded into d.img3, but each channel was decoded into a separate
	// []byte slice, and some channels may be subsampled. We interleave the
	// separate channels into an image.CMYK's single []byte slice containing 4
	// contiguous bytes per pixel.
	bounds := d.img3.Bounds()
	img := image.NewCMYK(bounds)

	translations := [4]struct {
		src    []byte
		stride int
	}{
		{d.img3.Y, d.img3.YStride},
		{d.img3.Cb, d.img3.CStride},
		{d.img3.Cr, d.img3.CStride},
		{d.blackPix, d.blackStride},
	}
	for t, translation := range translations {
		subsample := d.comp[t].h != d.comp[0].h || d.comp[t].v != d.comp[0].v
		for iBase, y := 0, bounds.Min.Y; y < bounds.Max.Y; iBase, y = iBase+img.Stride, y+1 {
			sy := y - bounds.Min.Y
			if subsample {
				sy /= 2
			}
			for i, x := iBase+t, bounds.Min.X; x < bounds.Max.X; i, x = i+4, x+1 {
				sx := x - bounds.Min.X
				if subsample {
					sx /= 2
				}
				img.Pix[i] = 255 - translation.src[sy*translation.stride+sx]
			}
		}
	}
	return img, nil
}

func (d *decoder) isRGB() bool {
	if d.jfif {
		return false
	}
	if d.adobeTransformValid && d.adobeTransform == adobeTransformUnknown {
		// https://www.sno.phy.queensu.ca/~phil/exiftool/TagNames/JPEG.html#Adobe
		// says that 0 means Unknown (and in practice RGB) and 1 means YCbCr.
		return true
	}
	return d.comp[0].c == 'R' && d.comp[1].c == 'G' && d.comp[2].c == 'B'
}

func (d *decoder) convertToRGB() (image.Image, error) {
	cScale := d.comp[0].h / d.comp[1].h
	bounds := d.img3.Bounds()
	img := image.NewRGBA(bounds)
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		po := img.PixOffset(bounds.Min.X, y)
		yo := d.img3.YOffset(bounds.Min.X, y)
		co := d.img3.COffset(bounds.Min.X, y)
		for i, iMax := 0, bounds.Max.X-bounds.Min.X; i < iMax; i++ {
			img.Pix[po+4*i+0] = d.img3.Y[yo+i]
			img.Pix[po+4*i+1] = d.img3.Cb[co+i/cScale]
			img.Pix[po+4*i+2] = d.img3.Cr[co+i/cScale]
			img.Pix[po+4*i+3] = 255
		}
	}
	return img, nil
}

// DecodeScaled decodes a JPEG, scaling by 1/denom in the DCT domain (denom 1,
// 2, 4 or 8). The result size is ceil(w/denom) x ceil(h/denom), exactly as
// libjpeg computes it. Returned types as image/jpeg: *image.YCbCr (with the
// same subsampling ratio), *image.Gray, *image.CMYK (CMYK/YCCK as image/jpeg
// does), and *image.RGBA for RGB-coded JPEGs.
//
// With denom 1 the result is identical to image/jpeg.Decode's. With denom
// 2, 4 and 8 every output sample is the average of a 2x2, 4x4 or 8x8 group of
// full-size samples of the same component, computed from the DCT
// coefficients (8x8 uses the DC coefficient alone, as libjpeg does); only the
// scaled image is allocated.
//
// Errors are image/jpeg's FormatError and UnsupportedError, or the reader's
// error; input that ends early gives an error that matches
// io.ErrUnexpectedEOF. DecodeScaled does not panic on malformed input.
func DecodeScaled(r io.Reader, denom int) (image.Image, error) {
	img, _, err := decodeScaled(r, denom)
	return img, err
}

// Progress receives the rows of an image as they are decoded
// (DecodeProgress).
type Progress struct {
	// Start is called, at most once, for a Y'CbCr or grayscale image that
	// the decode is to return as img, when the scan begins that fills it
	// top to bottom, one row of MCUs at a time: for a sequential image,
	// the first scan if it carries every component; for a progressive
	// one, the scan that completes the coefficients used at the scale
	// decoded (usually the last scan; at 1/8, the last DC scan), during
	// which each row of MCUs is reconstructed once the scan has passed
	// it. It is not called otherwise: for sequential images coded in
	// several scans, progressive ones that lack coefficients, RGB, CMYK
	// and YCCK ones.
	Start func(img image.Image)
	// Rows is called after Start, from the decoding goroutine (for a
	// progressive image, from one that the decoder starts and waits for;
	// never concurrently), every time rows [0, n) of img (and the chroma
	// samples they use) are final; n grows up to img's height. A non-nil
	// error stops the decode, which then returns it.
	Rows func(n int) error
	// Stale is called if rows reported final change afterwards (a corrupt
	// file with another scan, or, for a progressive image, another scan
	// with coefficients the scale uses) or the image returned is not img (a marker
	// after the scan changed the colour model). Whatever was computed from
	// the rows must then be computed again from the returned image.
	Stale func()
}

// DecodeProgress is DecodeScaled, reporting rows of images as they
// become final (see Progress.Start) to p (which may be nil), so that a consumer running
// in another goroutine can read them while the decode goes on. The result
// is the same as DecodeScaled's.
func DecodeProgress(r io.Reader, denom int, p *Progress) (image.Image, error) {
	img, _, err := decodeScaledProgress(r, denom, p)
	return img, err
}

// decodeScaled is DecodeScaled, also returning the decoder for the tests.
func decodeScaled(r io.Reader, denom int) (img image.Image, d *decoder, err error) {
	return decodeScaledProgress(r, denom, nil)
}

func decodeScaledProgress(r io.Reader, denom int, p *Progress) (img image.Image, d *decoder, err error) {
	var shift uint
	switch denom {
	case 1:
		shift = 0
	case 2:
		shift = 1
	case 4:
		shift = 2
	case 8:
		shift = 3
	default:
		return nil, nil, fmt.Errorf("jpeg: unsupported scale denominator %d (want 1, 2, 4 or 8)", denom)
	}
	d = new(decoder)
	d.shift = shift
	d.progress = p
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, internalError(p)
		}
	}()
	img, err = d.decode(r, false)
	return img, d, err
}

// internalError turns a panic recovered while decoding into a FormatError.
// A panic is a bug, but it can only be triggered by malformed input.
func internalError(p any) error {
	return formatError(fmt.Sprintf("internal error: %v", p))
}

// DecodeConfig returns the color model and dimensions of a JPEG image
// without decoding the entire image, exactly as image/jpeg.DecodeConfig does.
// The dimensions are the full, unscaled ones.
func DecodeConfig(r io.Reader) (image.Config, error) {
	return decodeConfig(r)
}

func decodeConfig(r io.Reader) (cfg image.Config, err error) {
	defer func() {
		if p := recover(); p != nil {
			cfg, err = image.Config{}, internalError(p)
		}
	}()
	d := new(decoder)
	if _, err := d.decode(r, true); err != nil {
		return image.Config{}, err
	}
	switch d.nComp {
	case 1:
		return image.Config{
			ColorModel: color.GrayModel,
			Width:      d.width,
			Height:     d.height,
		}, nil
	case 3:
		cm := color.YCbCrModel
		if d.isRGB() {
			cm = color.RGBAModel
		}
		return image.Config{
			ColorModel: cm,
			Width:      d.width,
			Height:     d.height,
		}, nil
	case 4:
		return image.Config{
			ColorModel: color.CMYKModel,
			Width:      d.width,
			Height:     d.height,
		}, nil
	}
	return image.Config{}, formatError("missing SOF marker")
}
