package imgprep_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"image"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/imgprep/imgprep"
	"github.com/imgprep/imgprep/codecs"
)

func dataURL(ct string, b []byte) string {
	return "data:" + ct + ";base64," + base64.StdEncoding.EncodeToString(b)
}

func TestTransportJSONOfficialAndRelay(t *testing.T) {
	srv, tp, client := newTransportClient(t, imgprep.TransportOptions{})
	png16 := testdata(t, "png-16bit-rgba.png")
	body := `{"model": "gpt-image-1", "prompt": "x", "n": 1, "images": [{"image_url": "` + dataURL("application/octet-stream", png16) +
		`"}, {"image_url": "` + dataURL("image/png", sample(t, "cmyk.jpg")) + `"}], "mask": {"image_url": "` +
		dataURL("image/png", holeMask(t, 50, 30, image.Rect(0, 0, 25, 15))) + `"}}`
	if status, resp := post(t, client, srv.URL, "application/json", []byte(body)); status != http.StatusOK {
		t.Fatalf("status %d: %s", status, resp)
	}
	var sent struct {
		Model  string
		N      json.Number
		Images []struct {
			ImageURL string `json:"image_url"`
		}
		Mask struct {
			ImageURL string `json:"image_url"`
		}
	}
	if err := json.Unmarshal(tp.reqs[0].body, &sent); err != nil {
		t.Fatal(err)
	}
	if sent.Model != "gpt-image-1" || sent.N != "1" || len(sent.Images) != 2 {
		t.Fatalf("sent %+v", sent)
	}
	for i, want := range []string{"data:image/png;base64,", "data:image/jpeg;base64,"} {
		if !strings.HasPrefix(sent.Images[i].ImageURL, want) {
			t.Errorf("image %d sent as %.40s, want %s", i, sent.Images[i].ImageURL, want)
		}
	}
	if !strings.HasPrefix(sent.Mask.ImageURL, "data:image/png;base64,") {
		t.Errorf("mask sent as %.40s", sent.Mask.ImageURL)
	}
	// Relay form: "image": "<base64>" stays plain base64, prepared.
	srv2, tp2, client2 := newTransportClient(t, imgprep.TransportOptions{})
	relay := `{"model":"gpt-image-1","prompt":"x","image":"` + base64.StdEncoding.EncodeToString(png16) + `"}`
	if status, resp := post(t, client2, srv2.URL, "application/json", []byte(relay)); status != http.StatusOK {
		t.Fatalf("relay: status %d: %s", status, resp)
	}
	var r struct{ Image string }
	json.Unmarshal(tp2.reqs[0].body, &r)
	b, err := base64.StdEncoding.DecodeString(r.Image)
	if err != nil || codecs.Sniff(b) != codecs.PNG || bytes.Equal(b, png16) {
		t.Errorf("relay image: %v, %s, changed %v", err, codecs.Sniff(b), !bytes.Equal(b, png16))
	}
}

func TestTransportParamPolicy(t *testing.T) {
	body := func() (string, []byte) {
		return multipartBody(t, field("model", "dall-e-2"), field("prompt", "x"), field("background", "transparent"),
			octets("image", "g.png", sample(t, "gopher_alpha.png")))
	}
	// Forward (default): sent as is, the server answers.
	srv, tp, client := newTransportClient(t, imgprep.TransportOptions{})
	ct, b := body()
	if status, _ := post(t, client, srv.URL, ct, b); status != http.StatusBadRequest || !bytes.Contains(tp.reqs[0].body, []byte("transparent")) {
		t.Errorf("forward: status %d", status)
	}
	// Drop: removed, the edit succeeds.
	srv, tp, client = newTransportClient(t, imgprep.TransportOptions{Params: imgprep.ParamsDrop})
	ct, b = body()
	if status, resp := post(t, client, srv.URL, ct, b); status != http.StatusOK || bytes.Contains(tp.reqs[0].body, []byte("transparent")) {
		t.Errorf("drop: status %d %s", status, resp)
	}
	// Refuse: a 400 naming the parameter; nothing sent.
	srv, tp, client = newTransportClient(t, imgprep.TransportOptions{Params: imgprep.ParamsRefuse})
	ct, b = body()
	status, resp := post(t, client, srv.URL, ct, b)
	msg, _, param, code := apiError(t, resp)
	if status != http.StatusBadRequest || param != "background" || code != "unknown_parameter" || !strings.Contains(msg, "dall-e-2") || len(tp.reqs) != 0 {
		t.Errorf("refuse: status %d %q %q %q, %d sent", status, msg, param, code, len(tp.reqs))
	}
}

func TestTransportBodyLimit(t *testing.T) {
	srv, tp, client := newTransportClient(t, imgprep.TransportOptions{MaxBodyBytes: 1000})
	ct, b := multipartBody(t, field("model", "dall-e-2"), field("prompt", "x"), octets("image", "g.png", sample(t, "gopher_alpha.png")))
	status, resp := post(t, client, srv.URL, ct, b)
	_, typ, _, code := apiError(t, resp)
	if status != http.StatusRequestEntityTooLarge || typ != "invalid_request_error" || code != "request_too_large" || len(tp.reqs) != 0 {
		t.Errorf("status %d, code %q, %d sent", status, code, len(tp.reqs))
	}
}

func TestTransportStreamPassesThrough(t *testing.T) {
	srv, _, client := newTransportClient(t, imgprep.TransportOptions{Results: imgprep.ResultOptions{Restore: true}})
	ct, b := multipartBody(t, field("model", "gpt-image-1"), field("prompt", "x"), field("stream", "true"), field("partial_images", "2"),
		octets("image", "g.png", sample(t, "gopher_alpha.png")))
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/images/edits", bytes.NewReader(b))
	req.Header.Set("Content-Type", ct)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if mt := resp.Header.Get("Content-Type"); !strings.HasPrefix(mt, "text/event-stream") {
		t.Fatalf("content type %q", mt)
	}
	var events []string
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		if ev, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
			events = append(events, ev)
		}
	}
	if len(events) != 3 || events[2] != "image_edit.completed" {
		t.Errorf("events %q", events)
	}
}

func TestTransportRestoresResults(t *testing.T) {
	srv, _, client := newTransportClient(t, imgprep.TransportOptions{Results: imgprep.ResultOptions{Restore: true, SaveFormat: codecs.JPEG}})
	ct, b := multipartBody(t, field("model", "dall-e-2"), field("prompt", "x"), field("response_format", "b64_json"),
		octets("image", "g.png", sample(t, "gopher_alpha.png")))
	status, resp := post(t, client, srv.URL, ct, b)
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, resp)
	}
	var doc struct {
		Data []struct {
			B64JSON string `json:"b64_json"`
		}
		OutputFormat string `json:"output_format"`
	}
	json.Unmarshal(resp, &doc)
	img, _ := base64.StdEncoding.DecodeString(doc.Data[0].B64JSON)
	info, err := codecs.Probe(img)
	if err != nil || info.Format != codecs.JPEG || info.Width != 75 || info.Height != 100 || doc.OutputFormat != "jpeg" {
		t.Errorf("result %+v, %v, output_format %q; want a 75x100 jpeg", info, err, doc.OutputFormat)
	}
}

func TestTransportCancelledWhileWaiting(t *testing.T) {
	srv, _, _ := newTransportClient(t, imgprep.TransportOptions{})
	sent := false
	tr := imgprep.NewTransport(roundTrip(func(*http.Request) (*http.Response, error) { sent = true; return nil, io.EOF }), imgprep.TransportOptions{Concurrency: 1})
	ctx, cancel := context.WithCancel(context.Background())
	ct, b := multipartBody(t, field("model", "dall-e-2"), field("prompt", "x"), octets("image", "g.png", sample(t, "gopher_alpha.png")))
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/images/edits", bytes.NewReader(b))
	req.Header.Set("Content-Type", ct)
	cancel()
	if _, err := tr.RoundTrip(req); !errors.Is(err, context.Canceled) || sent {
		t.Errorf("err %v, sent %v", err, sent)
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTransportUnknownModelRelabelsOnly(t *testing.T) {
	var rep imgprep.EditReport
	srv, tp, client := newTransportClient(t, imgprep.TransportOptions{OnEdit: func(r imgprep.EditReport) { rep = r }})
	png := sample(t, "gopher_alpha.png")
	ct, b := multipartBody(t, field("model", "acme-unknown-x"), field("prompt", "x"), octets("image", "", png))
	post(t, client, srv.URL, ct, b)
	if got := tp.sentParts(t)["image"]; !bytes.Equal(got, png) {
		t.Error("an image for an unknown model was changed")
	}
	if len(rep.Warnings) == 0 || !strings.Contains(rep.Warnings[0], "acme-unknown-x") {
		t.Errorf("report %+v", rep)
	}
	if f := fileOf(t, srv.Requests()[0], "image"); f.ContentType != "image/png" || f.Filename != "image.png" {
		t.Errorf("arrived as %+v", f)
	}
}
