package pipeline_test

import (
	"context"
	"fmt"
	"os"

	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
)

// Prepare an EXIF-rotated phone photo for dall-e-2: it comes out as a
// square RGBA PNG under 4 MB, and the plan records where the photo sits.
func ExamplePrepareOne() {
	data, err := os.ReadFile("../testdata/sample/landscape_o6.jpg")
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _ := model.Lookup("dall-e-2")
	res, err := pipeline.PrepareOne(context.Background(), pipeline.Input{Name: "landscape_o6.jpg", Data: data}, p, pipeline.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Format, res.Width, res.Height, res.Passthrough)
	fmt.Printf("orientation %d, content %+v\n", res.Plan.Orientation, res.Plan.Content)
	// Output:
	// png 1024 1024 false
	// orientation 6, content {X:0 Y:170 W:1024 H:683}
}

// A plan is decided from the header alone and maps coordinates between the
// original and the prepared image.
func ExampleNewPlan() {
	p, _ := model.Lookup("dall-e-2")
	pl, _ := pipeline.NewPlan(jpegInfo(4032, 3024, 1), 3_000_000, p, pipeline.Options{})
	x, y := pl.ToPrepared(2016, 1512) // the photo's centre
	fmt.Println(pl.Canvas, pl.Content, x, y)
	// Output:
	// {1024 1024} {0 128 1024 768} 512 512
}

// Several images for one gpt-image request are prepared concurrently.
func ExamplePrepare() {
	data, _ := os.ReadFile("../testdata/sample/gopher_alpha.png")
	p, _ := model.Lookup("gpt-image-1")
	res, err := pipeline.Prepare(context.Background(), []pipeline.Input{{Name: "a.png", Data: data}, {Name: "b.png", Data: data}}, p, pipeline.Options{})
	fmt.Println(len(res), err, res[0].Passthrough)
	// Output:
	// 2 <nil> true
}
