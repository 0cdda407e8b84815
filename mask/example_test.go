package mask_test

import (
	"fmt"

	"github.com/imgprep/imgprep/mask"
)

// Build a mask that edits a rectangle and an ellipse, encode it as the
// edit API wants, and validate it against the image's size.
func Example() {
	m := mask.FromShapes(1024, 1024, []mask.Shape{
		mask.Rect{X: 100, Y: 100, W: 300, H: 200},
		mask.Ellipse{CX: 700, CY: 700, RX: 150, RY: 100},
	}, mask.Options{Grow: 4, Feather: 8})

	// alpha 0 = edit, 255 = keep.
	fmt.Println(m.AlphaAt(250, 200).A, m.AlphaAt(10, 10).A)

	png, err := mask.Encode(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := mask.Validate(png, 1024, 1024, 4_000_000)
	fmt.Printf("%dx%d editable %.1f%% %v\n", r.Width, r.Height, 100*r.Editable, err)

	_, err = mask.Validate(png, 1536, 1024, 4_000_000)
	fmt.Println(err)
	// Output:
	// 0 255
	// 1024x1024 editable 10.1% <nil>
	// mask: mask is 1024x1024 but the image is 1536x1024: the edit API needs exactly the image's size; rebuild the mask at 1536x1024 or prepare it together with the image
}

// A painting from another tool (white = edit) becomes an OpenAI mask.
func ExampleFromImage() {
	m := mask.FromImage(painting(), mask.ImageOptions{})
	fmt.Println(m.Pix)
	m = mask.FromImage(painting(), mask.ImageOptions{Invert: true})
	fmt.Println(m.Pix)
	// Output:
	// [255 191 63 0]
	// [0 64 192 255]
}
