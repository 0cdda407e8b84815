package pngdec

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"math/rand/v2"
	"reflect"
	"testing"
)

// spec describes a generated test PNG.
type spec struct {
	w, h         int
	depth        int
	ctype        byte
	interlace    byte
	plte, trns   []byte
	filter       int // -1: row y uses filter y%5
	idatSplit    int // IDAT chunk size (0: one chunk)
	smooth       bool
	extraBefore  [][2]string // chunks (type, data) before IDAT
	zlibTrailing []byte      // bytes appended to the zlib stream in the last IDAT
}

// chunk appends one chunk with a correct CRC.
func chunk(dst []byte, typ string, data []byte) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(data)))
	start := len(dst)
	dst = append(dst, typ...)
	dst = append(dst, data...)
	return binary.BigEndian.AppendUint32(dst, crc32.ChecksumIEEE(dst[start:]))
}

// raw returns the stored (unfiltered) rows of s, random or smooth
// content; palette indices stay below the PLTE size.
func (s spec) raw(rng *rand.Rand) [][]byte {
	hd := header{w: s.w, h: s.h, depth: s.depth, ctype: s.ctype}
	rb := hd.rowBytes()
	rows := make([][]byte, s.h)
	for y := range rows {
		r := make([]byte, rb)
		for i := range r {
			if s.smooth {
				r[i] = byte(i/3 + y)
			} else {
				r[i] = byte(rng.UintN(256))
			}
		}
		if s.ctype == ctPalette {
			np := len(s.plte) / 3
			for x := 0; x < s.w; x++ {
				setSample(r, s.depth, x, byte(rng.UintN(uint(np))))
			}
		}
		rows[y] = r
	}
	return rows
}

func setSample(r []byte, depth, x int, v byte) {
	per := 8 / depth
	shift := 8 - depth*(x%per+1)
	mask := byte(1<<depth-1) << shift
	r[x/per] = r[x/per]&^mask | v<<shift
}

// filterRow applies filter ft to cur given prev (unfiltered rows).
func filterRow(ft int, cur, prev []byte, bpp int) []byte {
	out := make([]byte, len(cur))
	for i := range cur {
		var a, b, c int
		if i >= bpp {
			a = int(cur[i-bpp])
			c = int(prev[i-bpp])
		}
		b = int(prev[i])
		var p int
		switch ft {
		case ftSub:
			p = a
		case ftUp:
			p = b
		case ftAverage:
			p = (a + b) / 2
		case ftPaeth:
			p = predict(a, b, c)
		}
		out[i] = cur[i] - byte(p)
	}
	return out
}

// encode writes s as a PNG file.
func (s spec) encode(rng *rand.Rand) []byte {
	hd := header{w: s.w, h: s.h, depth: s.depth, ctype: s.ctype}
	bpp := max(1, hd.bitsPerPixel()/8)
	rows := s.raw(rng)
	var filtered bytes.Buffer
	prev := make([]byte, hd.rowBytes())
	for y, r := range rows {
		ft := s.filter
		if ft < 0 {
			ft = y % 5
		}
		filtered.WriteByte(byte(ft))
		filtered.Write(filterRow(ft, r, prev, bpp))
		prev = r
	}
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	zw.Write(filtered.Bytes())
	zw.Close()
	z.Write(s.zlibTrailing)
	out := []byte(pngSig)
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(s.w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(s.h))
	ihdr = append(ihdr, byte(s.depth), s.ctype, 0, 0, s.interlace)
	out = chunk(out, "IHDR", ihdr)
	for _, c := range s.extraBefore {
		out = chunk(out, c[0], []byte(c[1]))
	}
	if s.plte != nil {
		out = chunk(out, "PLTE", s.plte)
	}
	if s.trns != nil {
		out = chunk(out, "tRNS", s.trns)
	}
	data := z.Bytes()
	step := s.idatSplit
	if step <= 0 {
		step = len(data)
	}
	for len(data) > 0 {
		n := min(step, len(data))
		out = chunk(out, "IDAT", data[:n])
		data = data[n:]
	}
	return chunk(out, "IEND", nil)
}

// specs returns generated specs of every colour type and depth Decode
// handles, every filter, with and without tRNS.
func specs(rng *rand.Rand) []spec {
	pal := func(n int) []byte {
		p := make([]byte, 3*n)
		for i := range p {
			p[i] = byte(rng.UintN(256))
		}
		return p
	}
	var out []spec
	add := func(s spec) {
		for _, f := range []int{-1, ftNone, ftSub, ftUp, ftAverage, ftPaeth} {
			s.filter = f
			out = append(out, s)
		}
	}
	for _, wh := range [][2]int{{1, 1}, {7, 5}, {33, 17}} {
		w, h := wh[0], wh[1]
		for _, d := range []int{1, 2, 4, 8} {
			add(spec{w: w, h: h, depth: d, ctype: ctGray})
			add(spec{w: w, h: h, depth: d, ctype: ctGray, trns: []byte{0, byte(1<<d - 1)}})
			add(spec{w: w, h: h, depth: d, ctype: ctPalette, plte: pal(1 << d)})
			add(spec{w: w, h: h, depth: d, ctype: ctPalette, plte: pal(1<<(d-1) + 1),
				trns: []byte{0, 128, 255}})
		}
		add(spec{w: w, h: h, depth: 8, ctype: ctRGB})
		add(spec{w: w, h: h, depth: 8, ctype: ctRGB, smooth: true, trns: []byte{0, 1, 0, 2, 0, 3}})
		add(spec{w: w, h: h, depth: 8, ctype: ctGrayAlpha})
		add(spec{w: w, h: h, depth: 8, ctype: ctRGBA, idatSplit: 50})
		add(spec{w: w, h: h, depth: 8, ctype: ctRGBA, smooth: true})
	}
	return out
}

// stdDecode is image/png's result for b.
func stdDecode(b []byte) (image.Image, error) {
	return png.Decode(bytes.NewReader(b))
}

// sameImage fails t unless a and b have the same type, bounds, pixels and
// palette.
func sameImage(t *testing.T, name string, got, want image.Image) {
	t.Helper()
	if reflect.TypeOf(got) != reflect.TypeOf(want) {
		t.Fatalf("%s: type %T, image/png %T", name, got, want)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: %T differs from image/png's", name, got)
	}
}

func crc32IEEE(b []byte) uint32 { return crc32.ChecksumIEEE(b) }
