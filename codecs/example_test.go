package codecs_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"

	"github.com/imgprep/imgprep/codecs"
)

func ExampleProbe() {
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 640, 480)))

	info, err := codecs.Probe(buf.Bytes())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(info.Format, info.Width, info.Height, info.HasAlpha, info.Orientation)

	_, err = codecs.Probe([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"))
	fmt.Println(errors.Is(err, codecs.ErrUnsupported))
	// Output:
	// png 640 480 true 1
	// true
}

func ExampleDecode() {
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewGray(image.Rect(0, 0, 4000, 3000)))

	img, info, err := codecs.Decode(buf.Bytes(), codecs.DecodeOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%T %v %s\n", img, img.Bounds().Size(), info.Color)

	// The limit is checked from the header, before any pixel is allocated.
	_, _, err = codecs.Decode(buf.Bytes(), codecs.DecodeOptions{MaxPixels: 10_000_000})
	fmt.Println(errors.Is(err, codecs.ErrTooLarge))
	// Output:
	// *image.Gray (4000,3000) gray
	// true
}

func ExampleEncodeBytes() {
	img := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	b, err := codecs.EncodeBytes(img, codecs.EncodeOptions{Format: codecs.WebP, Lossless: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(codecs.Sniff(b))
	// Output: webp
}
