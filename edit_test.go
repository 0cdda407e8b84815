package imgprep_test

import (
	"bytes"
	"errors"
	"image"
	"strings"
	"testing"

	"github.com/imgprep/imgprep"
	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/finish"
	"github.com/imgprep/imgprep/internal/testimg"
	"github.com/imgprep/imgprep/mask"
	"github.com/imgprep/imgprep/pipeline"
	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

// jobFor is a job sending to srv with the default driver, retry waits
// recorded instead of slept.
func jobFor(srv *uploadtest.Server, modelName string, images ...imgprep.Image) imgprep.Job {
	return imgprep.Job{Model: modelName, Prompt: "paint it", Images: images,
		Config: upload.Config{BaseURL: srv.URL, Sleep: (&uploadtest.Sleeper{}).Sleep}}
}

// picture is a w x h opaque PNG input named name.
func picture(t *testing.T, name string, w, h int) imgprep.Image {
	return imgprep.Image{Name: name, Data: testimg.EncodePNG(t, uploadtest.Picture(w, h, false))}
}

// editBounds is the bounding box of m's editable (alpha < 255) pixels.
func editBounds(m *image.NRGBA) image.Rectangle {
	var r image.Rectangle
	for y := range m.Rect.Dy() {
		for x := range m.Rect.Dx() {
			if m.NRGBAAt(x, y).A < 255 {
				r = r.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return r
}

func TestEditDallE2ShapeMask(t *testing.T) {
	srv := uploadtest.NewServer(t, uploadtest.Options{})
	job := jobFor(srv, "dall-e-2", picture(t, "tall.png", 75, 100))
	rect := image.Rect(10, 20, 40, 60) // upright coordinates of the original
	job.Mask = &imgprep.MaskSpec{Shapes: []mask.Shape{mask.Rect{X: 10, Y: 20, W: 30, H: 40}}}
	res, err := imgprep.Edit(sdkContext(t), job)
	if err != nil {
		t.Fatal(err)
	}
	edits := srv.Edits()
	if len(edits) != 1 || len(edits[0].Files) != 2 {
		t.Fatalf("server saw %+v", edits)
	}
	img, m := edits[0].Files[0], edits[0].Files[1]
	if img.Field != "image" || img.Format != "png" || !img.HasAlpha || img.Width != img.Height || img.Width < 100 {
		t.Errorf("image arrived as %+v, want a square RGBA png", img)
	}
	if m.Field != "mask" || m.Format != "png" || !m.HasAlpha || m.Width != img.Width || m.Height != img.Height {
		t.Errorf("mask arrived as %+v, want a png the image's size", m)
	}
	pr := res.Prepared
	pl := pr.Inputs[0].Plan
	if pr.Mask == nil || !bytes.Equal(pr.Mask.Data, pr.Request.Mask.Data) || int64(len(pr.Mask.Data)) != m.Size {
		t.Fatalf("the mask sent is not the Result's")
	}
	if got, want := editBounds(testimg.DecodePNG(t, pr.Mask.Data)), pl.RectToPrepared(rect); got != want {
		t.Errorf("mask edits %v, want %v (the shape through the plan)", got, want)
	}
	// The fake server painted the mask's area: the output shows it there.
	if len(res.Outputs) != 1 || res.Outputs[0].Width != img.Width || res.Outputs[0].Format != codecs.PNG {
		t.Fatalf("outputs %+v", res.Outputs)
	}
	out := testimg.DecodePNG(t, res.Outputs[0].Data)
	c := pl.RectToPrepared(rect).Min.Add(image.Pt(2, 2))
	if !testimg.Near(out.NRGBAAt(c.X, c.Y), uploadtest.EditColor, 8) {
		t.Errorf("output at %v = %v, want the edit colour", c, out.NRGBAAt(c.X, c.Y))
	}
}

func TestEditFinishRestoreComposite(t *testing.T) {
	srv := uploadtest.NewServer(t, uploadtest.Options{})
	in := picture(t, "tall.png", 75, 100)
	rect := image.Rect(10, 20, 40, 60)
	for _, tc := range []struct {
		name string
		o    finish.Options
		w, h int
	}{
		{"restore", finish.Options{Restore: true}, 75, 100},
		{"restore size", finish.Options{Restore: true, RestoreSize: pipeline.Size{W: 150, H: 200}}, 150, 200},
		{"composite", finish.Options{Composite: true, SaveFormat: codecs.PNG}, 75, 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			job := jobFor(srv, "dall-e-2", in)
			job.Mask = &imgprep.MaskSpec{Shapes: []mask.Shape{mask.Rect{X: 10, Y: 20, W: 30, H: 40}}}
			job.Finish = &tc.o
			res, err := imgprep.Edit(sdkContext(t), job)
			if err != nil {
				t.Fatal(err)
			}
			o := res.Outputs[0]
			if o.Err != nil || o.Width != tc.w || o.Height != tc.h || o.Format != codecs.PNG {
				t.Fatalf("output %dx%d %s (%v), want %dx%d png", o.Width, o.Height, o.Format, o.Err, tc.w, tc.h)
			}
			if !tc.o.Composite {
				return
			}
			got, orig := testimg.DecodePNG(t, o.Data), uploadtest.Picture(75, 100, false)
			for _, p := range []image.Point{{2, 2}, {70, 95}, {5, 30}, {45, 40}} {
				if got.NRGBAAt(p.X, p.Y) != orig.NRGBAAt(p.X, p.Y) {
					t.Errorf("pixel %v changed outside the mask", p)
				}
			}
			if p := rect.Min.Add(image.Pt(15, 20)); !testimg.Near(got.NRGBAAt(p.X, p.Y), uploadtest.EditColor, 8) {
				t.Errorf("pixel %v = %v, want the edit", p, got.NRGBAAt(p.X, p.Y))
			}
		})
	}
}

func TestEditDallE2CompositeThroughTransparency(t *testing.T) {
	srv := uploadtest.NewServer(t, uploadtest.Options{})
	in := imgprep.Image{Name: "hole.png", Data: testimg.EncodePNG(t, uploadtest.Picture(256, 256, true))}
	job := jobFor(srv, "dall-e-2", in)
	job.Finish = &finish.Options{Composite: true}
	res, err := imgprep.Edit(sdkContext(t), job)
	if err != nil {
		t.Fatal(err)
	}
	if res.Prepared.Mask != nil || len(srv.Edits()[0].Files) != 1 {
		t.Fatalf("a mask was sent")
	}
	got := testimg.DecodePNG(t, res.Outputs[0].Data)
	hole := uploadtest.HoleRect(256, 256)
	if c := got.NRGBAAt(hole.Min.X+4, hole.Min.Y+4); !testimg.Near(c, uploadtest.EditColor, 8) {
		t.Errorf("the hole is %v, want the edit colour", c)
	}
	if c, want := got.NRGBAAt(200, 200), uploadtest.Picture(256, 256, true).NRGBAAt(200, 200); c != want {
		t.Errorf("outside the hole %v, want the original %v", c, want)
	}
}

func TestEditGPTTwoImages(t *testing.T) {
	srv := uploadtest.NewServer(t, uploadtest.Options{})
	photo := imgprep.Image{Name: "photo.jpg", Data: testimg.EncodeJPEG(t, uploadtest.Picture(1600, 1200, false), 90)}
	job := jobFor(srv, "gpt-image-1", picture(t, "a.png", 300, 200), photo)
	job.Params = imgprep.Params{N: 2, Quality: "low"}
	res, err := imgprep.Edit(sdkContext(t), job)
	if err != nil {
		t.Fatal(err)
	}
	e := srv.Edits()
	if len(e) != 1 || len(e[0].Files) != 2 || e[0].Field("n") != "2" || e[0].Field("quality") != "low" || e[0].Field("model") != "gpt-image-1" {
		t.Fatalf("server saw %+v", e)
	}
	if f := e[0].Files[1]; f.Field != "image[]" || f.Filename != "photo.jpg" || f.Format != "jpeg" {
		t.Errorf("second image arrived as %+v", f)
	}
	if len(res.Outputs) != 2 || len(res.Prepared.Inputs) != 2 || res.Usage == nil || len(res.RevisedPrompts) != 2 {
		t.Fatalf("result %+v", res)
	}
	for i, o := range res.Outputs {
		if o.Width == 0 || o.Format != codecs.PNG || !bytes.Equal(o.Data, res.Response.Images[i].Data) {
			t.Errorf("output %d: %dx%d %s", i, o.Width, o.Height, o.Format)
		}
	}
	if res.Prepared.Inputs[1].Plan == nil || res.Retries != 0 {
		t.Errorf("no plan for the second input, or %d retries", res.Retries)
	}
}

func TestEditRejectsBeforeSending(t *testing.T) {
	srv := uploadtest.NewServer(t, uploadtest.Options{})
	good := picture(t, "good.png", 64, 64)
	jpg := testimg.EncodeJPEG(t, uploadtest.Picture(400, 300, false), 90)
	truncated := imgprep.Image{Name: "cut.jpg", Data: jpg[:len(jpg)/2]}
	for _, tc := range []struct {
		name  string
		job   func(imgprep.Job) imgprep.Job
		check func(t *testing.T, err error)
	}{
		{"truncated input", func(j imgprep.Job) imgprep.Job {
			j.Images = append(j.Images, truncated)
			return j
		}, func(t *testing.T, err error) {
			var ie *pipeline.InputError
			if !errors.As(err, &ie) || ie.Index != 1 || ie.Name != "cut.jpg" || !strings.Contains(err.Error(), "cut.jpg") {
				t.Errorf("error %v does not name input 1, cut.jpg", err)
			}
		}},
		{"parameter the model does not take", func(j imgprep.Job) imgprep.Job {
			j.Params.ResponseFormat = "url"
			return j
		}, func(t *testing.T, err error) {
			var pe *upload.ParamError
			if !errors.As(err, &pe) || pe.Param != "response_format" || !errors.Is(err, upload.ErrInvalidRequest) {
				t.Errorf("error %v, want an upload.ParamError for response_format", err)
			}
		}},
		{"mask file that does not decode", func(j imgprep.Job) imgprep.Job {
			j.Mask = &imgprep.MaskSpec{Name: "m.png", Data: []byte("not an image")}
			return j
		}, func(t *testing.T, err error) {
			var me *imgprep.MaskError
			if !errors.As(err, &me) || me.Name != "m.png" || !errors.Is(err, mask.ErrFormat) || !strings.Contains(err.Error(), "mask m.png: ") {
				t.Errorf("error %v does not name the mask", err)
			}
		}},
		{"mask for a model that takes none", func(j imgprep.Job) imgprep.Job {
			j.Model = "flux-kontext-pro"
			j.Mask = &imgprep.MaskSpec{Shapes: []mask.Shape{mask.Rect{W: 5, H: 5}}}
			return j
		}, func(t *testing.T, err error) {
			var me *imgprep.MaskError
			if !errors.As(err, &me) || !errors.Is(err, pipeline.ErrMaskUnsupported) {
				t.Errorf("error %v, want a MaskError matching ErrMaskUnsupported", err)
			}
		}},
		{"mask of another aspect", func(j imgprep.Job) imgprep.Job {
			j.Mask = &imgprep.MaskSpec{Name: "wide.png", Data: uploadtest.SampleMask(200, 100)}
			return j
		}, func(t *testing.T, err error) {
			if !errors.Is(err, mask.ErrSize) || !strings.Contains(err.Error(), "wide.png") {
				t.Errorf("error %v, want mask.ErrSize naming wide.png", err)
			}
		}},
		{"no image", func(j imgprep.Job) imgprep.Job {
			j.Images = nil
			return j
		}, wantJobError("Images")},
		{"unknown model", func(j imgprep.Job) imgprep.Job {
			j.Model = "no-such-model"
			return j
		}, wantJobError("Model")},
		{"unknown driver", func(j imgprep.Job) imgprep.Job {
			j.Driver = "carrier-pigeon"
			return j
		}, wantJobError("Driver")},
		{"composite without an edit area", func(j imgprep.Job) imgprep.Job {
			j.Finish = &finish.Options{Composite: true}
			return j
		}, func(t *testing.T, err error) {
			wantJobError("Finish")(t, err)
			if !errors.Is(err, finish.ErrNeedMask) {
				t.Errorf("error %v does not match finish.ErrNeedMask", err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := imgprep.Edit(sdkContext(t), tc.job(jobFor(srv, "gpt-image-1", good)))
			if err == nil || res != nil {
				t.Fatalf("Edit = %v, %v; want an error", res, err)
			}
			tc.check(t, err)
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("the server saw %d requests", n)
	}
}

func wantJobError(field string) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var je *imgprep.JobError
		if !errors.As(err, &je) || je.Field != field || !errors.Is(err, imgprep.ErrInvalidJob) {
			t.Errorf("error %v, want a JobError for %s", err, field)
		}
	}
}

func TestEditRetries(t *testing.T) {
	srv := uploadtest.NewServer(t, uploadtest.Options{})
	srv.Inject(uploadtest.Fault{Status: 429, RetryAfterMs: "5"})
	job := jobFor(srv, "gpt-image-1", picture(t, "a.png", 64, 64))
	var events []upload.RetryEvent
	job.Config.OnRetry = func(ev upload.RetryEvent) { events = append(events, ev) }
	res, err := imgprep.Edit(sdkContext(t), job)
	if err != nil {
		t.Fatal(err)
	}
	if res.Retries != 1 || len(events) != 1 || !errors.Is(events[0].Err, upload.ErrRateLimit) || len(srv.Edits()) != 2 {
		t.Errorf("retries %d, events %+v, %d edits", res.Retries, events, len(srv.Edits()))
	}
	// Rate limited for good: the upload error passes through as it is.
	job.Config.Retry = upload.RetryPolicy{MaxRetries: 1}
	srv.Inject(uploadtest.Fault{Status: 429}, uploadtest.Fault{Status: 429})
	_, err = imgprep.Edit(sdkContext(t), job)
	var ae *upload.APIError
	if !errors.Is(err, upload.ErrRateLimit) || !errors.As(err, &ae) || ae.Attempts != 2 {
		t.Errorf("error %v, want an upload.APIError matching ErrRateLimit after 2 attempts", err)
	}
}

func TestEditWithoutFinishReturnsTheServersBytes(t *testing.T) {
	srv := uploadtest.NewServer(t, uploadtest.Options{})
	// A JPEG original and a PNG answer: finishing would convert; nil
	// Finish must not.
	photo := imgprep.Image{Name: "photo.jpg", Data: testimg.EncodeJPEG(t, uploadtest.Picture(512, 512, false), 90)}
	res, err := imgprep.Edit(sdkContext(t), jobFor(srv, "gpt-image-1", photo))
	if err != nil {
		t.Fatal(err)
	}
	o := res.Outputs[0]
	if !bytes.Equal(o.Data, res.Response.Images[0].Data) || o.Format != codecs.PNG || o.Warnings != nil || o.Err != nil {
		t.Errorf("output %s %dx%d, want the server's PNG untouched", o.Format, o.Width, o.Height)
	}
}

func TestPrepareDumpSendsNothing(t *testing.T) {
	srv := uploadtest.NewServer(t, uploadtest.Options{})
	job := jobFor(srv, "gpt-image-1", picture(t, "a.png", 64, 64))
	job.Driver = upload.JSONDriver
	job.Params.Moderation = "low" // JSON bodies only: validated for the driver's encoding
	pr, err := imgprep.Prepare(sdkContext(t), job)
	if err != nil {
		t.Fatal(err)
	}
	dump, err := pr.Dump(sdkContext(t))
	if err != nil || !strings.Contains(dump, "POST "+srv.URL+"/images/edits") || !strings.Contains(dump, `"moderation": "low"`) {
		t.Errorf("dump (%v):\n%s", err, dump)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("the server saw %d requests", n)
	}
	res, err := pr.Send(sdkContext(t))
	if err != nil || len(res.Outputs) != 1 || !srv.Edits()[0].JSON {
		t.Errorf("Send: %v", err)
	}
}

func TestMaskBuilder(t *testing.T) {
	file := uploadtest.SampleMask(200, 100) // opaque black, MaskRect transparent
	spec := &imgprep.MaskSpec{Name: "m.png", Data: file}
	b, err := spec.Compile()
	if err != nil {
		t.Fatal(err)
	}
	if w, h := b.FileSize(); w != 200 || h != 100 || b.Source() != mask.SourceAlpha {
		t.Errorf("file %dx%d read as %q", w, h, b.Source())
	}
	// Alone, the file keeps its size (the plan scales it in one pass).
	if m, err := b.Build(400, 200); err != nil || m.Rect.Dx() != 200 {
		t.Errorf("file alone: %v, %v", m.Rect, err)
	}
	// With a shape, the union on the upright grid, then inverted.
	spec.Shapes, spec.Invert = []mask.Shape{mask.Rect{X: 0, Y: 0, W: 20, H: 20}}, true
	b, _ = spec.Compile()
	m, err := b.Build(400, 200)
	if err != nil || m.Rect.Dx() != 400 || m.AlphaAt(5, 5).A != 255 || m.AlphaAt(300, 20).A != 0 {
		t.Errorf("union inverted: %v %v", m.Rect, err)
	}
	if _, err := b.Build(300, 300); !errors.Is(err, mask.ErrSize) {
		t.Errorf("another aspect: %v", err)
	}
	if _, err := (&imgprep.MaskSpec{Options: mask.Options{Feather: -1}}).Compile(); err == nil {
		t.Error("negative feather accepted")
	}
}

func TestImageFrom(t *testing.T) {
	data := testimg.EncodePNG(t, uploadtest.Picture(8, 8, false))
	im, err := imgprep.ImageFrom("x.png", bytes.NewReader(data))
	if err != nil || im.Name != "x.png" || !bytes.Equal(im.Data, data) {
		t.Errorf("ImageFrom = %q %d bytes, %v", im.Name, len(im.Data), err)
	}
}
