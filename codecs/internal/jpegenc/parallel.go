// Package jpegenc is image/jpeg's baseline encoder (4:2:0, the same
// tables and output for the same pixels), made parallel: every row of MCUs
// is a restart interval (DRI), so rows are entropy-coded independently on
// all cores and joined with RST markers. It also reads *image.NRGBA
// directly (image/jpeg boxes every pixel of any type but *image.RGBA,
// *image.YCbCr and *image.Gray through At).
package jpegenc

import (
	"bufio"
	"bytes"
	"errors"
	"image"
	"image/color"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
)

// Encode writes m as a baseline JPEG at quality 1..100, like
// image/jpeg.Encode. Translucent pixels come out as if composited onto
// black (premultiplied colour), as with image/jpeg.
func Encode(w io.Writer, m image.Image, quality int) error {
	b := m.Bounds()
	if b.Dx() >= 1<<16 || b.Dy() >= 1<<16 {
		return errors.New("jpeg: image is too large to encode")
	}
	var e encoder
	if ww, ok := w.(writer); ok {
		e.w = ww
	} else {
		e.w = bufio.NewWriter(w)
	}
	quality = min(max(quality, 1), 100)
	scale := 200 - quality*2
	if quality < 50 {
		scale = 5000 / quality
	}
	for i := range e.quant {
		for j := range e.quant[i] {
			x := (int(unscaledQuant[i][j])*scale + 50) / 100
			e.quant[i][j] = uint8(min(max(x, 1), 255))
		}
	}
	nComponent := 3
	if _, ok := m.(*image.Gray); ok {
		nComponent = 1
	}
	e.write([]byte{0xff, 0xd8})
	e.writeDQT()
	e.writeSOF0(b.Size(), nComponent)
	e.writeDHT(nComponent)
	e.writeScan(m)
	e.write([]byte{0xff, 0xd9})
	e.flush()
	return e.err
}

// bufWriter is an in-memory writer for one chunk of rows.
type bufWriter struct{ bytes.Buffer }

func (*bufWriter) Flush() error { return nil }

// writeScan writes DRI, SOS and the entropy-coded rows, encoded in chunks
// on up to GOMAXPROCS goroutines.
func (e *encoder) writeScan(m image.Image) {
	b := m.Bounds()
	_, gray := m.(*image.Gray)
	mcu := 16
	if gray {
		mcu = 8
	}
	rows := (b.Dy() + mcu - 1) / mcu
	perRow := (b.Dx() + mcu - 1) / mcu
	e.write([]byte{0xff, driMarker, 0, 4, uint8(perRow >> 8), uint8(perRow)})
	if gray {
		e.write(sosHeaderY)
	} else {
		e.write(sosHeaderYCbCr)
	}
	procs := runtime.GOMAXPROCS(0)
	chunks := min(rows, 4*procs)
	out := make([][]byte, chunks)
	var next atomic.Int32
	work := func() {
		for {
			c := int(next.Add(1) - 1)
			if c >= chunks {
				return
			}
			ce := encoder{quant: e.quant}
			bw := new(bufWriter)
			ce.w = bw
			for r := c * rows / chunks; r < (c+1)*rows/chunks; r++ {
				if r > 0 {
					ce.write([]byte{0xff, rst0Marker + uint8((r-1)&7)})
				}
				ce.writeRow(m, b.Min.Y+r*mcu, gray)
				ce.emit(0x7f, 7) // pad the row's last byte with 1s
				ce.bits, ce.nBits = 0, 0
			}
			out[c] = bw.Bytes()
		}
	}
	var wg sync.WaitGroup
	for range min(procs, chunks) - 1 {
		wg.Add(1)
		go func() { defer wg.Done(); work() }()
	}
	work()
	wg.Wait()
	for _, o := range out {
		e.write(o)
	}
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
// pixels exactly as color.NRGBA.RGBA does.
func nrgbaToYCbCr(m *image.NRGBA, p image.Point, yBlock, cbBlock, crBlock *block) {
	b := m.Bounds()
	for j := 0; j < 8; j++ {
		sj := min(p.Y+j, b.Max.Y-1)
		offset := (sj-b.Min.Y)*m.Stride - b.Min.X*4
		for i := 0; i < 8; i++ {
			sx := min(p.X+i, b.Max.X-1)
			pix := m.Pix[offset+sx*4 : offset+sx*4+4 : offset+sx*4+4]
			r, g, bb := pix[0], pix[1], pix[2]
			if a := uint32(pix[3]); a != 0xff {
				r = uint8(uint32(r) * 0x101 * a / 0xff >> 8)
				g = uint8(uint32(g) * 0x101 * a / 0xff >> 8)
				bb = uint8(uint32(bb) * 0x101 * a / 0xff >> 8)
			}
			yy, cb, cr := color.RGBToYCbCr(r, g, bb)
			yBlock[8*j+i] = int32(yy)
			cbBlock[8*j+i] = int32(cb)
			crBlock[8*j+i] = int32(cr)
		}
	}
}
