package imgprep_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	openai "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	goopenai "github.com/sashabaranov/go-openai"

	"github.com/imgprep/imgprep"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

// The real SDK modules talk through the transport to the fake server, which
// must accept what arrives.

func sdkContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func openaiGoClient(srv *uploadtest.Server, opts ...option.RequestOption) openai.Client {
	return openai.NewClient(append([]option.RequestOption{option.WithBaseURL(srv.URL), option.WithAPIKey("sk-test"), option.WithMaxRetries(0)}, opts...)...)
}

func TestOpenAIGoDallE2ThroughHTTPClientAndMiddleware(t *testing.T) {
	for name, opt := range map[string]option.RequestOption{
		"WithHTTPClient": option.WithHTTPClient(&http.Client{Transport: imgprep.NewTransport(nil, imgprep.TransportOptions{})}),
		"WithMiddleware": option.WithMiddleware(imgprep.Middleware(imgprep.TransportOptions{})),
	} {
		t.Run(name, func(t *testing.T) {
			srv := uploadtest.NewServer(t, uploadtest.Options{})
			client := openaiGoClient(srv, opt)
			resp, err := client.Images.Edit(sdkContext(t), openai.ImageEditParams{
				Image:          openai.ImageEditParamsImageUnion{OfFile: bytes.NewReader(photo12(t))},
				Mask:           bytes.NewReader(holeMask(t, 3024, 4032, image.Rect(0, 0, 3024, 1008))),
				Prompt:         "a hat",
				Model:          openai.ImageModelDallE2,
				ResponseFormat: openai.ImageEditParamsResponseFormatB64JSON,
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Data) != 1 || resp.Data[0].B64JSON == "" {
				t.Fatalf("response %+v", resp)
			}
			checkSquareArrival(t, srv.Edits()[0], 1024)
		})
	}
}

func TestOpenAIGoAwkwardInputsAndTruncated(t *testing.T) {
	srv := uploadtest.NewServer(t, uploadtest.Options{})
	client := openaiGoClient(srv, option.WithHTTPClient(&http.Client{Transport: imgprep.NewTransport(nil, imgprep.TransportOptions{})}))
	webp := losslessAlphaWebP(t)
	_, err := client.Images.Edit(sdkContext(t), openai.ImageEditParams{
		Image: openai.ImageEditParamsImageUnion{OfFileArray: []io.Reader{
			bytes.NewReader(sample(t, "cmyk.jpg")), bytes.NewReader(testdata(t, "png-16bit-rgba.png")), bytes.NewReader(webp)}},
		Prompt: "x",
		Model:  openai.ImageModelGPTImage1,
	})
	if err != nil {
		t.Fatal(err)
	}
	files := srv.Edits()[0].Files
	if len(files) != 3 {
		t.Fatalf("%d parts arrived", len(files))
	}
	for i, want := range []string{"image/jpeg", "image/png", "image/webp"} {
		if files[i].ContentType != want || files[i].Format != strings.TrimPrefix(want, "image/") {
			t.Errorf("part %d arrived as %+v, want %s", i, files[i], want)
		}
	}
	jpeg := sample(t, "landscape_o6.jpg")
	_, err = client.Images.Edit(sdkContext(t), openai.ImageEditParams{
		Image:  openai.ImageEditParamsImageUnion{OfFile: bytes.NewReader(jpeg[:len(jpeg)/2])},
		Prompt: "x",
		Model:  openai.ImageModelDallE2,
	})
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || apiErr.Code != "invalid_image_format" || apiErr.Param != "image" {
		t.Fatalf("truncated JPEG: %v", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("the truncated JPEG reached the server (%d requests)", n)
	}
}

func TestGoOpenAIDallE2(t *testing.T) {
	srv := uploadtest.NewServer(t, uploadtest.Options{})
	cfg := goopenai.DefaultConfig("sk-test")
	cfg.BaseURL = srv.URL
	cfg.HTTPClient = &http.Client{Transport: imgprep.NewTransport(nil, imgprep.TransportOptions{})}
	client := goopenai.NewClientWithConfig(cfg)
	for i, c := range []struct {
		image, mask []byte
		side        int
	}{
		{photo12(t), holeMask(t, 3024, 4032, image.Rect(0, 0, 3024, 1008)), 1024},              // 12 MP, EXIF 6, full-size mask
		{sample(t, "gopher_alpha.png"), holeMask(t, 75, 100, image.Rect(10, 10, 40, 40)), 256}, // 75x100: not square, below the smallest side
	} {
		resp, err := client.CreateEditImage(sdkContext(t), goopenai.ImageEditRequest{
			Image: bytes.NewReader(c.image), Mask: bytes.NewReader(c.mask), Prompt: "a hat",
			Model: goopenai.CreateImageModelDallE2, N: 1, Size: goopenai.CreateImageSize256x256,
			ResponseFormat: goopenai.CreateImageResponseFormatB64JSON,
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Data) != 1 || resp.Data[0].B64JSON == "" {
			t.Fatalf("response %+v", resp)
		}
		checkSquareArrival(t, srv.Edits()[i], c.side)
	}
	// A truncated input: go-openai raises its API error, nothing is sent.
	_, err := client.CreateEditImage(sdkContext(t), goopenai.ImageEditRequest{
		Image: bytes.NewReader(sample(t, "gopher_alpha.png")[:500]), Prompt: "x", Model: goopenai.CreateImageModelDallE2,
	})
	var apiErr *goopenai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != http.StatusBadRequest || apiErr.Type != "invalid_request_error" {
		t.Fatalf("truncated: %v", err)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d requests reached the server", n)
	}
}

// checkSquareArrival checks that the server got a side x side RGBA PNG
// labelled image/png with a .png name, and a mask of the same size.
func checkSquareArrival(t *testing.T, rec uploadtest.RecordedRequest, side int) {
	t.Helper()
	img, m := fileOf(t, rec, "image"), fileOf(t, rec, "mask")
	if img.ContentType != "image/png" || img.Format != "png" || img.Width != side || img.Height != side || !img.HasAlpha || !strings.HasSuffix(img.Filename, ".png") {
		t.Errorf("image arrived as %+v, want a %dx%d RGBA png labelled image/png", img, side, side)
	}
	if m.ContentType != "image/png" || m.Format != "png" || m.Width != side || m.Height != side || !m.HasAlpha {
		t.Errorf("mask arrived as %+v", m)
	}
}
