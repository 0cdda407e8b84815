package mask_test

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/imgprep/imgprep/mask"
)

func TestEncodeRoundTrip(t *testing.T) {
	m := mask.FromShapes(300, 200, []mask.Shape{
		mask.Ellipse{CX: 150, CY: 100, RX: 80, RY: 50},
	}, mask.Options{Feather: 6})
	b, err := mask.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	if ct := b[25]; ct != 6 { // IHDR colour type
		t.Fatalf("colour type %d, want 6 (RGBA)", ct)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	n, ok := img.(*image.NRGBA)
	if !ok {
		t.Fatalf("decoded as %T", img)
	}
	for i, a := range m.Pix {
		p := n.Pix[4*i : 4*i+4]
		if p[0] != 0 || p[1] != 0 || p[2] != 0 || p[3] != a {
			t.Fatalf("pixel %d = %v, want black with alpha %d", i, p, a)
		}
	}
	back := mask.FromAlpha(img)
	if !bytes.Equal(back.Pix, m.Pix) {
		t.Fatal("round trip changed the mask")
	}
	// Empty masks encode too, as small files.
	b, err = mask.Encode(mask.New(1024, 1024))
	if err != nil || len(b) > 10_000 {
		t.Errorf("all-keep 1024x1024: %d bytes, %v", len(b), err)
	}
}

func TestDecodeAppliesOrientation(t *testing.T) {
	// Stored 4x2 white on the left column only; orientation 6 shows it
	// upright as 2x4 with white along the top row.
	st := image.NewGray(image.Rect(0, 0, 4, 2))
	st.SetGray(0, 0, color.Gray{255})
	st.SetGray(0, 1, color.Gray{255})
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, st, &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	data := append(append(append([]byte{}, b[:2]...), exif(6)...), b[2:]...)
	img, err := mask.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if s := img.Bounds().Size(); s != image.Pt(2, 4) {
		t.Fatalf("upright size %v, want 2x4", s)
	}
	m := mask.FromImage(img, mask.ImageOptions{Threshold: 128})
	if at(m, 0, 0) != 0 || at(m, 1, 0) != 0 || at(m, 0, 3) != 255 {
		t.Errorf("orientation not applied: %v", m.Pix)
	}
	if _, err := mask.Decode([]byte("not an image")); err == nil {
		t.Error("garbage decoded")
	}
}

// exif returns a JPEG APP1 segment with only IFD0 Orientation = o.
func exif(o int) []byte {
	var t bytes.Buffer
	t.WriteString("II*\x00")
	binary.Write(&t, binary.LittleEndian, []uint32{8})
	binary.Write(&t, binary.LittleEndian, []uint16{1, 0x0112, 3})
	binary.Write(&t, binary.LittleEndian, []uint32{1})
	binary.Write(&t, binary.LittleEndian, []uint16{uint16(o), 0})
	binary.Write(&t, binary.LittleEndian, []uint32{0})
	p := append([]byte("Exif\x00\x00"), t.Bytes()...)
	return append([]byte{0xFF, 0xE1, byte((len(p) + 2) >> 8), byte(len(p) + 2)}, p...)
}

func TestResizeAndFit(t *testing.T) {
	m := mask.FromShapes(400, 300, []mask.Shape{mask.Rect{X: 100, Y: 60, W: 200, H: 120}}, mask.Options{})
	small := mask.Resize(m, 100, 75)
	if small.Rect.Dx() != 100 || small.Rect.Dy() != 75 {
		t.Fatalf("size %v", small.Rect)
	}
	// The rectangle maps to [25,75) x [15,45) exactly.
	for y := range 75 {
		for x := range 100 {
			in := x >= 25 && x < 75 && y >= 15 && y < 45
			if a := at(small, x, y); (in && a != 0) || (!in && a != 255) {
				t.Fatalf("(%d,%d) = %d", x, y, a)
			}
		}
	}
	if _, err := mask.Fit(m, 800, 600); err != nil {
		t.Errorf("same aspect rejected: %v", err)
	}
	if f, err := mask.Fit(m, 4000, 2990); err != nil || f.Rect.Dx() != 4000 {
		t.Errorf("aspect within 1%% rejected: %v", err)
	}
	_, err := mask.Fit(m, 300, 300)
	var se *mask.SizeError
	if !asSizeError(err, &se) || !se.Scaling || !containsAll(err.Error(), "400x300", "300x300") {
		t.Errorf("aspect mismatch: %v", err)
	}
}
