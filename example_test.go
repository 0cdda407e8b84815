package imgprep_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http/httptest"

	"github.com/imgprep/imgprep"
	"github.com/imgprep/imgprep/finish"
	"github.com/imgprep/imgprep/mask"
	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

// photoPNG is a w x h opaque PNG, standing in for the user's file.
func photoPNG(w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	img.SetNRGBA(0, 0, color.NRGBA{0, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// Edit a 300x200 picture with dall-e-2, which takes only squares with an
// alpha channel: Edit pads it to a square RGBA PNG, takes the rectangle
// (given in the picture's own coordinates) through the same plan as the
// mask, and restores the result to the picture's size.
func ExampleEdit() {
	srv := httptest.NewServer(uploadtest.NewHandler(uploadtest.Options{}))
	defer srv.Close()

	res, err := imgprep.Edit(context.Background(), imgprep.Job{
		Model:  "dall-e-2",
		Prompt: "a red balloon in the sky",
		Images: []imgprep.Image{{Name: "street.png", Data: photoPNG(300, 200)}},
		Mask:   &imgprep.MaskSpec{Shapes: []mask.Shape{mask.Rect{X: 100, Y: 20, W: 80, H: 60}}},
		Finish: &finish.Options{Restore: true},
		Config: upload.Config{BaseURL: srv.URL + "/v1", APIKey: "sk-example"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	in := res.Prepared.Inputs[0]
	fmt.Printf("sent %dx%d %s with a %dx%d mask\n", in.Width, in.Height, in.Format, res.Prepared.Mask.Report.Width, res.Prepared.Mask.Report.Height)
	for _, o := range res.Outputs {
		fmt.Printf("output %dx%d %s\n", o.Width, o.Height, o.Format)
	}
	// Output:
	// sent 512x512 png with a 512x512 mask
	// output 300x200 png
}

// Prepare does everything but sending: a dry run shows the request with
// Dump, Send sends it. A parameter the model does not take is refused
// here, before any byte is sent; an input that already complies is sent
// as it is.
func ExamplePrepare() {
	srv := httptest.NewServer(uploadtest.NewHandler(uploadtest.Options{}))
	defer srv.Close()
	job := imgprep.Job{
		Model:  "gpt-image-1",
		Prompt: "make it autumn",
		Images: []imgprep.Image{{Name: "park.png", Data: photoPNG(1600, 900)}},
		Params: imgprep.Params{ResponseFormat: "url"},
		Config: upload.Config{BaseURL: srv.URL + "/v1", APIKey: "sk-example"},
	}
	if _, err := imgprep.Prepare(context.Background(), job); err != nil {
		fmt.Println(err)
	}

	job.Params = imgprep.Params{Quality: "low"}
	pr, err := imgprep.Prepare(context.Background(), job)
	if err != nil {
		fmt.Println(err)
		return
	}
	in := pr.Inputs[0]
	fmt.Printf("prepared %dx%d %s, passthrough %v\n", in.Width, in.Height, in.Format, in.Passthrough)
	res, err := pr.Send(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d output, %d retries\n", len(res.Outputs), res.Retries)
	// Output:
	// upload: model gpt-image-1 does not accept parameter "response_format": GPT image models always return b64_json
	// prepared 1600x900 png, passthrough true
	// 1 output, 0 retries
}
