// Package testimg builds small test images: EXIF-oriented JPEGs with
// markers, incompressible noise, and helpers to compare pixels; and
// WaitGoroutines, for tests of code that starts goroutines. For tests only.
package testimg

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
)

// MarkerImage returns an upright w x h image: mid-grey with a red block in
// the top-left quarter's corner (x < w/4, y < h/4) and a blue block in the
// bottom-right corner (x >= 3w/4, y >= 3h/4).
func MarkerImage(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{128, 128, 128, 255}
			switch {
			case x < w/4 && y < h/4:
				c = color.NRGBA{255, 0, 0, 255}
			case x >= 3*w/4 && y >= 3*h/4:
				c = color.NRGBA{0, 0, 255, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// StoreForOrientation returns the stored pixels that display as upright
// when EXIF orientation o is applied (the inverse of the orientation).
func StoreForOrientation(up *image.NRGBA, o int) *image.NRGBA {
	w, h := up.Bounds().Dx(), up.Bounds().Dy()
	sw, sh := w, h
	if o >= 5 {
		sw, sh = h, w
	}
	st := image.NewNRGBA(image.Rect(0, 0, sw, sh))
	for sy := range sh {
		for sx := range sw {
			var x, y int // upright position displaying stored (sx, sy)
			switch o {
			case 2:
				x, y = w-1-sx, sy
			case 3:
				x, y = w-1-sx, h-1-sy
			case 4:
				x, y = sx, h-1-sy
			case 5:
				x, y = sy, sx
			case 6:
				x, y = w-1-sy, sx
			case 7:
				x, y = w-1-sy, h-1-sx
			case 8:
				x, y = sy, h-1-sx
			default:
				x, y = sx, sy
			}
			st.SetNRGBA(sx, sy, up.NRGBAAt(x, y))
		}
	}
	return st
}

// ExifAPP1 builds a JPEG APP1 segment carrying only IFD0 Orientation.
func ExifAPP1(o int) []byte {
	var tiff bytes.Buffer
	tiff.WriteString("II*\x00")
	binary.Write(&tiff, binary.LittleEndian, uint32(8))
	binary.Write(&tiff, binary.LittleEndian, uint16(1)) // one entry
	binary.Write(&tiff, binary.LittleEndian, []uint16{0x0112, 3})
	binary.Write(&tiff, binary.LittleEndian, uint32(1))
	binary.Write(&tiff, binary.LittleEndian, []uint16{uint16(o), 0})
	binary.Write(&tiff, binary.LittleEndian, uint32(0)) // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// OrientedJPEG encodes an upright image as a JPEG whose stored pixels are
// rotated so that EXIF orientation o displays it upright.
func OrientedJPEG(t testing.TB, up *image.NRGBA, o int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, StoreForOrientation(up, o), &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	out := append([]byte{}, b[:2]...)
	out = append(out, ExifAPP1(o)...)
	return append(out, b[2:]...)
}

// EncodePNG encodes img with image/png.
func EncodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// NoiseRGBA is incompressible: random colour and alpha in every pixel.
func NoiseRGBA(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.Uint32())
	}
	return img
}

// Near reports whether two colours differ by at most tol per channel.
func Near(a, b color.NRGBA, tol int) bool {
	d := func(x, y uint8) bool { v := int(x) - int(y); return v <= tol && v >= -tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}

// DecodePNG decodes a PNG into NRGBA, failing t when it is not one.
func DecodePNG(t testing.TB, b []byte) *image.NRGBA {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("output is not a PNG: %v", err)
	}
	out := image.NewNRGBA(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			out.Set(x, y, img.At(x, y))
		}
	}
	return out
}

// WaitGoroutines waits (up to 5 s) for the number of goroutines to come
// back to at most n, and fails t with every goroutine's stack if it does
// not: a streamed decode or resize must not leave goroutines behind.
func WaitGoroutines(t testing.TB, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, want <= %d:\n%s", runtime.NumGoroutine(), n, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
