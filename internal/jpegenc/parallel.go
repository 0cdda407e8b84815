// Package jpegenc is image/jpeg's baseline encoder (4:2:0, the same
// tables and output for the same pixels), made parallel: every row of MCUs
// is a restart interval (DRI), so rows are entropy-coded independently on
// all cores and joined with RST markers. It also reads *image.NRGBA
// directly (image/jpeg boxes every pixel of any type but *image.RGBA,
// *image.YCbCr and *image.Gray through At).
package jpegenc

import (
	"errors"
	"image"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
)

// Encode writes m as a baseline JPEG at quality 1..100, like
// image/jpeg.Encode. Translucent pixels come out as if composited onto
// black (premultiplied colour), as with image/jpeg.
func Encode(w io.Writer, m image.Image, quality int) error {
	s, err := NewStream(m, quality)
	if err != nil {
		return err
	}
	return s.Finish(w)
}

// Stream encodes an image whose rows become final top to bottom while it
// is produced (by a resize running under a decode): Advance entropy-codes
// the rows of MCUs that are complete, on the calling goroutine; Finish
// codes the rest on up to GOMAXPROCS goroutines and writes the file. The
// bytes are Encode's, however the work was split.
type Stream struct {
	m          image.Image
	e          encoder // the tables
	gray       bool
	mcu, rows  int
	head       encoder // rows [0, next), each after its RST marker, in head.out
	next       int
	nComponent int
}

// NewStream prepares the encoding of m at quality 1..100. m's pixels are
// read only by Advance and Finish.
func NewStream(m image.Image, quality int) (*Stream, error) {
	b := m.Bounds()
	if b.Dx() >= 1<<16 || b.Dy() >= 1<<16 {
		return nil, errors.New("jpeg: image is too large to encode")
	}
	s := &Stream{m: m, mcu: 16, nComponent: 3}
	if _, ok := m.(*image.Gray); ok {
		s.gray, s.mcu, s.nComponent = true, 8, 1
	}
	s.rows = (b.Dy() + s.mcu - 1) / s.mcu
	quality = min(max(quality, 1), 100)
	scale := 200 - quality*2
	if quality < 50 {
		scale = 5000 / quality
	}
	var q [nQuantIndex][blockSize]byte
	for i := range q {
		for j := range q[i] {
			x := (int(unscaledQuant[i][j])*scale + 50) / 100
			q[i][j] = uint8(min(max(x, 1), 255))
		}
	}
	s.e.setQuant(q)
	s.head = s.chunkEncoder()
	return s, nil
}

// Advance reports that the first n rows of the image are final, and
// entropy-codes every row of MCUs they complete that is not coded yet.
func (s *Stream) Advance(n int) {
	dy := s.m.Bounds().Dy()
	for s.next < s.rows && n >= min((s.next+1)*s.mcu, dy) {
		s.writeRow(&s.head, s.next)
		s.next++
	}
}

// chunkEncoder returns an encoder with the stream's tables.
func (s *Stream) chunkEncoder() encoder {
	return encoder{quant: s.e.quant, recip: s.e.recip}
}

// writeRow codes the row of MCUs r after its restart marker, and pads its
// last byte (every row is a restart interval; DC predictors restart at 0).
func (s *Stream) writeRow(ce *encoder, r int) {
	if r > 0 {
		ce.write([]byte{0xff, rst0Marker + uint8((r-1)&7)})
	}
	ce.writeRow(s.m, s.m.Bounds().Min.Y+r*s.mcu, s.gray)
	ce.emit(0x7f, 7) // pad the row's last byte with 1s
	ce.bits, ce.nBits = 0, 0
}

// Finish codes the rows Advance has not, in chunks on up to GOMAXPROCS
// goroutines, and writes the whole file to w (all of m's rows must be
// final).
func (s *Stream) Finish(w io.Writer) error {
	_, err := w.Write(s.Bytes())
	return err
}

// Bytes is Finish returning the file.
func (s *Stream) Bytes() []byte {
	rest := s.codeRest()
	size := len(s.head.out) + 1024
	for _, o := range rest {
		size += len(o)
	}
	e := encoder{quant: s.e.quant, out: make([]byte, 0, size)}
	b := s.m.Bounds()
	e.write([]byte{0xff, 0xd8})
	e.writeDQT()
	e.writeSOF0(b.Size(), s.nComponent)
	e.writeDHT(s.nComponent)
	perRow := (b.Dx() + s.mcu - 1) / s.mcu
	e.write([]byte{0xff, driMarker, 0, 4, uint8(perRow >> 8), uint8(perRow)})
	if s.gray {
		e.write(sosHeaderY)
	} else {
		e.write(sosHeaderYCbCr)
	}
	e.write(s.head.out)
	for _, o := range rest {
		e.write(o)
	}
	e.write([]byte{0xff, 0xd9})
	return e.out
}

// codeRest codes rows [next, rows) in chunks on all cores and returns the
// chunks in order.
func (s *Stream) codeRest() [][]byte {
	left := s.rows - s.next
	if left <= 0 {
		return nil
	}
	procs := runtime.GOMAXPROCS(0)
	chunks := min(left, 4*procs)
	out := make([][]byte, chunks)
	var next atomic.Int32
	work := func() {
		for {
			c := int(next.Add(1) - 1)
			if c >= chunks {
				return
			}
			ce := s.chunkEncoder()
			for r := s.next + c*left/chunks; r < s.next+(c+1)*left/chunks; r++ {
				s.writeRow(&ce, r)
			}
			out[c] = ce.out
		}
	}
	var wg sync.WaitGroup
	for range min(procs, chunks) - 1 {
		wg.Add(1)
		go func() { defer wg.Done(); work() }()
	}
	work()
	wg.Wait()
	return out
}

// writeRow encodes the row of MCUs starting at y, DC predictors from 0.
func (e *encoder) writeRow(m image.Image, y int, gray bool) {
	var (
		b                           block
		cb, cr                      [4]block
		prevDCY, prevDCCb, prevDCCr int32
	)
	bounds := m.Bounds()
	if gray {
		g := m.(*image.Gray)
		for x := bounds.Min.X; x < bounds.Max.X; x += 8 {
			grayToY(g, image.Pt(x, y), &b)
			prevDCY = e.writeBlock(&b, 0, prevDCY)
		}
		return
	}
	rgba, _ := m.(*image.RGBA)
	nrgba, _ := m.(*image.NRGBA)
	ycbcr, _ := m.(*image.YCbCr)
	if ycbcr != nil && planar420(ycbcr) {
		e.writeRow420(ycbcr, y)
		return
	}
	for x := bounds.Min.X; x < bounds.Max.X; x += 16 {
		for i := 0; i < 4; i++ {
			p := image.Pt(x+(i&1)*8, y+(i&2)*4)
			switch {
			case rgba != nil:
				rgbaToYCbCr(rgba, p, &b, &cb[i], &cr[i])
			case nrgba != nil:
				nrgbaToYCbCr(nrgba, p, &b, &cb[i], &cr[i])
			case ycbcr != nil:
				yCbCrToYCbCr(ycbcr, p, &b, &cb[i], &cr[i])
			default:
				toYCbCr(m, p, &b, &cb[i], &cr[i])
			}
			prevDCY = e.writeBlock(&b, 0, prevDCY)
		}
		scale(&b, &cb)
		prevDCCb = e.writeBlock(&b, 1, prevDCCb)
		scale(&b, &cr)
		prevDCCr = e.writeBlock(&b, 1, prevDCCr)
	}
}

// nrgbaToYCbCr is rgbaToYCbCr for *image.NRGBA, premultiplying translucent
// pixels exactly as color.NRGBA.RGBA does. Blocks inside the image take a
// path without edge clamping.
func nrgbaToYCbCr(m *image.NRGBA, p image.Point, yBlock, cbBlock, crBlock *block) {
	b := m.Bounds()
	if p.X+8 > b.Max.X || p.Y+8 > b.Max.Y {
		nrgbaEdgeToYCbCr(m, p, yBlock, cbBlock, crBlock)
		return
	}
	for j := 0; j < 8; j++ {
		o := m.PixOffset(p.X, p.Y+j)
		row := m.Pix[o : o+32 : o+32]
		for i := 0; i < 8; i++ {
			pix := row[4*i : 4*i+4 : 4*i+4]
			r, g, bb := int32(pix[0]), int32(pix[1]), int32(pix[2])
			if a := int32(pix[3]); a != 0xff {
				r, g, bb = premul(r, a), premul(g, a), premul(bb, a)
			}
			yBlock[8*j+i], cbBlock[8*j+i], crBlock[8*j+i] = rgbToYCbCr(r, g, bb)
		}
	}
}

// rgbToYCbCr is color.RGBToYCbCr on 8-bit values, inlined: Cb and Cr
// only ever overflow upwards, to 256 (pure blue, pure red), which min
// clamps without a branch.
func rgbToYCbCr(r, g, b int32) (int32, int32, int32) {
	yy := (19595*r + 38470*g + 7471*b + 1<<15) >> 16
	cb := min((-11056*r-21712*g+32768*b+257<<15)>>16, 0xff)
	cr := min((32768*r-27440*g-5328*b+257<<15)>>16, 0xff)
	return yy, cb, cr
}

// premul is color.NRGBA.RGBA's premultiplication of an 8-bit channel c by
// alpha a, back to 8 bits.
func premul(c, a int32) int32 {
	return c * 0x101 * a / 0xff >> 8
}

// nrgbaEdgeToYCbCr is nrgbaToYCbCr for blocks that cross the right or
// bottom edge, which repeat the last column and row.
func nrgbaEdgeToYCbCr(m *image.NRGBA, p image.Point, yBlock, cbBlock, crBlock *block) {
	b := m.Bounds()
	for j := 0; j < 8; j++ {
		sj := min(p.Y+j, b.Max.Y-1)
		offset := (sj-b.Min.Y)*m.Stride - b.Min.X*4
		for i := 0; i < 8; i++ {
			sx := min(p.X+i, b.Max.X-1)
			pix := m.Pix[offset+sx*4 : offset+sx*4+4 : offset+sx*4+4]
			r, g, bb := int32(pix[0]), int32(pix[1]), int32(pix[2])
			if a := int32(pix[3]); a != 0xff {
				r, g, bb = premul(r, a), premul(g, a), premul(bb, a)
			}
			yBlock[8*j+i], cbBlock[8*j+i], crBlock[8*j+i] = rgbToYCbCr(r, g, bb)
		}
	}
}
