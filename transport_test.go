package imgprep_test

import (
	"bytes"
	"image"
	"net/http"
	"strings"
	"testing"

	"github.com/imgprep/imgprep"
	"github.com/imgprep/imgprep/internal/testimg"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

func newTransportClient(t *testing.T, o imgprep.TransportOptions) (*uploadtest.Server, *tap, *http.Client) {
	t.Helper()
	srv := uploadtest.NewServer(t, uploadtest.Options{})
	tp := &tap{}
	return srv, tp, &http.Client{Transport: imgprep.NewTransport(tp, o)}
}

func TestTransportDallE2PhotoAndFullSizeMask(t *testing.T) {
	srv, tp, client := newTransportClient(t, imgprep.TransportOptions{})
	// The mask is in the upright photo's coordinates (3024x4032): the top
	// quarter is to be edited.
	hole := image.Rect(0, 0, 3024, 1008)
	ct, body := multipartBody(t, field("model", "dall-e-2"), field("prompt", "a hat"),
		octets("image", "IMG_0001.JPG", photo12(t)), octets("mask", "mask.png", holeMask(t, 3024, 4032, hole)),
		field("response_format", "b64_json"))
	status, resp := post(t, client, srv.URL, ct, body)
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, resp)
	}
	rec := srv.Edits()[0]
	img, m := fileOf(t, rec, "image"), fileOf(t, rec, "mask")
	if img.Format != "png" || img.ContentType != "image/png" || img.Filename != "IMG_0001.png" || img.Width != 1024 || img.Height != 1024 || !img.HasAlpha {
		t.Errorf("image arrived as %+v, want a 1024x1024 RGBA png labelled image/png", img)
	}
	if m.Format != "png" || m.ContentType != "image/png" || m.Width != 1024 || m.Height != 1024 || !m.HasAlpha {
		t.Errorf("mask arrived as %+v", m)
	}
	// Upright 3024x4032 fits as 768x1024 at x=128: the hole covers the
	// top quarter of the content, the padding is kept.
	sent := tp.sentParts(t)
	mask := testimg.DecodePNG(t, sent["mask"])
	for _, c := range []struct {
		x, y int
		a    uint8
	}{{512, 100, 0}, {200, 240, 0}, {512, 300, 255}, {60, 100, 255}, {1000, 100, 255}, {512, 900, 255}} {
		if a := mask.NRGBAAt(c.x, c.y).A; a != c.a {
			t.Errorf("mask alpha at (%d,%d) = %d, want %d", c.x, c.y, a, c.a)
		}
	}
	// Upright: red block top-left of the content.
	pic := testimg.DecodePNG(t, sent["image"])
	if c := pic.NRGBAAt(128+40, 40); c.R < 200 || c.B > 60 {
		t.Errorf("image not upright: %v at the content's top-left", c)
	}
}

func TestTransportMaskInStoredOrientation(t *testing.T) {
	srv, tp, client := newTransportClient(t, imgprep.TransportOptions{})
	// A mask drawn on the stored 4032x3024 pixels: its left column strip
	// is the upright top strip after orientation 6 (90° clockwise).
	ct, body := multipartBody(t, field("model", "dall-e-2"), field("prompt", "x"),
		octets("image", "p.jpg", photo12(t)), octets("mask", "m.png", holeMask(t, 4032, 3024, image.Rect(0, 0, 1008, 3024))))
	if status, resp := post(t, client, srv.URL, ct, body); status != http.StatusOK {
		t.Fatalf("status %d: %s", status, resp)
	}
	mask := testimg.DecodePNG(t, tp.sentParts(t)["mask"])
	if mask.NRGBAAt(512, 100).A != 0 || mask.NRGBAAt(512, 900).A != 255 {
		t.Errorf("the stored-orientation mask was not rotated like the image")
	}
}

func TestTransportAwkwardInputsForGPTImage1(t *testing.T) {
	srv, _, client := newTransportClient(t, imgprep.TransportOptions{})
	webp := losslessAlphaWebP(t)
	ct, body := multipartBody(t, field("model", "gpt-image-1"), field("prompt", "x"),
		octets("image[]", "cmyk.jpg", sample(t, "cmyk.jpg")),
		octets("image[]", "deep.png", testdata(t, "png-16bit-rgba.png")),
		octets("image[]", "alpha.webp", webp))
	if status, resp := post(t, client, srv.URL, ct, body); status != http.StatusOK {
		t.Fatalf("status %d: %s", status, resp)
	}
	files := srv.Edits()[0].Files
	if len(files) != 3 {
		t.Fatalf("%d files arrived", len(files))
	}
	for i, want := range []struct{ format, ct, ext string }{{"jpeg", "image/jpeg", ".jpg"}, {"png", "image/png", ".png"}, {"webp", "image/webp", ".webp"}} {
		f := files[i]
		if f.Format != want.format || f.ContentType != want.ct || !strings.HasSuffix(f.Filename, want.ext) || f.Field != "image[]" {
			t.Errorf("part %d arrived as %+v, want %s labelled %s with %s", i, f, want.format, want.ct, want.ext)
		}
	}
}

func TestTransportTruncatedJPEGNeverSent(t *testing.T) {
	var reports []imgprep.EditReport
	srv, tp, client := newTransportClient(t, imgprep.TransportOptions{OnEdit: func(r imgprep.EditReport) { reports = append(reports, r) }})
	jpeg := sample(t, "landscape_o6.jpg")
	ct, body := multipartBody(t, field("model", "dall-e-2"), field("prompt", "x"), octets("image", "cut.jpg", jpeg[:len(jpeg)/2]))
	status, resp := post(t, client, srv.URL, ct, body)
	msg, typ, param, code := apiError(t, resp)
	if status != http.StatusBadRequest || typ != "invalid_request_error" || param != "image" || code != "invalid_image_format" ||
		!strings.Contains(msg, "cut.jpg") || !strings.Contains(msg, "truncated") {
		t.Errorf("status %d, error %q %q %q %q", status, msg, typ, param, code)
	}
	if len(tp.reqs) != 0 || len(srv.Requests()) != 0 {
		t.Errorf("something was sent: %d requests", len(srv.Requests()))
	}
	if len(reports) != 1 || reports[0].Refused == nil {
		t.Errorf("reports %+v", reports)
	}
}

func TestTransportCompliantForwardedByteIdentical(t *testing.T) {
	srv, tp, client := newTransportClient(t, imgprep.TransportOptions{})
	jpeg := testimg.EncodeJPEG(t, testimg.Gradient(640, 480, false), 90)
	ct, body := multipartBody(t, field("model", "gpt-image-1"), field("prompt", "x"), octets("image", "", jpeg))
	if status, resp := post(t, client, srv.URL, ct, body); status != http.StatusOK {
		t.Fatalf("status %d: %s", status, resp)
	}
	f := fileOf(t, srv.Edits()[0], "image")
	if f.ContentType != "image/jpeg" || f.Filename != "image.jpg" {
		t.Errorf("arrived as %+v", f)
	}
	if got := tp.sentParts(t)["image"]; !bytes.Equal(got, jpeg) {
		t.Errorf("the compliant JPEG was changed (%d -> %d bytes)", len(jpeg), len(got))
	}
}

func TestTransportPassesOtherRequestsThrough(t *testing.T) {
	srv, tp, client := newTransportClient(t, imgprep.TransportOptions{})
	resp, err := client.Get(srv.URL + "/models")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// A non-edit POST with a body is forwarded as it is.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/images/generations", strings.NewReader(`{"prompt":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(tp.reqs) != 2 || string(tp.reqs[1].body) != `{"prompt":"x"}` {
		t.Errorf("tapped %+v", tp.reqs)
	}
}
