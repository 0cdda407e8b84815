package finish_test

import (
	"context"
	"fmt"
	"os"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/finish"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
)

// Map an edit result back onto the user's photo: prepare an EXIF-rotated
// 1800x1200 photo for dall-e-2 (1024x1024, padded), take the model's
// 1024x1024 answer (here: the prepared image itself), and restore it to the
// original's upright size as a JPEG at output_compression 80.
func ExampleFinish() {
	original, err := os.ReadFile("../testdata/sample/landscape_o6.jpg")
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _ := model.Lookup("dall-e-2")
	prepared, err := pipeline.PrepareOne(context.Background(), pipeline.Input{Name: "photo.jpg", Data: original}, p, pipeline.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	answer := prepared.Data // what the server would return, 1024x1024
	compression := 80
	res, err := finish.Finish(context.Background(), answer, prepared.Plan, finish.Options{
		Restore: true, SaveFormat: codecs.JPEG, SaveCompression: &compression})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Format, res.Width, res.Height)
	// Output:
	// jpeg 1800 1200
}
