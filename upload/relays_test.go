package upload_test

// The five relay documents this project started from, each reproduced
// against the fake server in its documented shape. Every test asserts the
// exact fields and files the server received (written out literally here,
// not derived from the request) and what came back.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/async"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

// relay is a fake server and an uploader for it.
type relay struct {
	t     *testing.T
	srv   *uploadtest.Server
	up    upload.Uploader
	sleep *uploadtest.Sleeper
}

// newRelay starts the fake with opts (and the test key) and opens driver
// against it.
func newRelay(t *testing.T, driver string, opts uploadtest.Options, mod func(*upload.Config)) *relay {
	t.Helper()
	opts.APIKey = testKey
	srv := uploadtest.NewServer(t, opts)
	sl := &uploadtest.Sleeper{}
	cfg := upload.Config{BaseURL: srv.URL, APIKey: testKey, Sleep: sl.Sleep, Timeout: 10 * time.Second,
		Options:         []any{async.Options{PollInterval: 10 * time.Millisecond, PollTimeout: 10 * time.Second}},
		DownloadTimeout: 10 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	up, err := upload.Open(driver, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &relay{t: t, srv: srv, up: up, sleep: sl}
}

func (r *relay) edit(req *upload.Request) (*upload.Response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return r.up.Edit(ctx, req)
}

func (r *relay) mustEdit(req *upload.Request) *upload.Response {
	r.t.Helper()
	resp, err := r.edit(req)
	if err != nil {
		r.t.Fatalf("Edit: %v", err)
	}
	return resp
}

// only returns the one edit request the server received.
func (r *relay) only() uploadtest.RecordedRequest {
	r.t.Helper()
	edits := r.srv.Edits()
	if len(edits) != 1 {
		r.t.Fatalf("%d edit requests, want 1", len(edits))
	}
	return edits[0]
}

// count returns the number of requests whose path starts with prefix.
func (r *relay) count(method, prefix string) int {
	n := 0
	for _, q := range r.srv.Requests() {
		if q.Method == method && strings.HasPrefix(q.Path, prefix) {
			n++
		}
	}
	return n
}

// mp is a multipart file as it must arrive.
func mp(field string, data []byte) uploadtest.WantFile {
	return uploadtest.WantFile{Field: field, ContentType: codecs.Sniff(data).MIMEType(), Multipart: true, Data: data}
}

// dims decodes the size of an image.
func dims(t *testing.T, img upload.Image) image.Point {
	t.Helper()
	dec, err := uploadtest.DecodeImage(img.Data)
	if err != nil {
		t.Fatalf("returned image (%q, %d bytes) does not decode: %v", img.Format, len(img.Data), err)
	}
	return dec.Bounds().Size()
}

// checkMasked asserts the fake's masked edit of Picture(w, h) with
// MaskImage(w, h).
func checkMasked(t *testing.T, img upload.Image, w, h int) {
	t.Helper()
	dec, err := uploadtest.DecodeImage(img.Data)
	if err != nil {
		t.Fatal(err)
	}
	want := uploadtest.ExpectedEdit(uploadtest.Picture(w, h, false), uploadtest.MaskImage(w, h))
	if d := uploadtest.DiffImages(dec, want); d != "" {
		t.Errorf("masked edit: %s", d)
	}
}

// TestRelayQuickRouter: multipart image + prompt + model for gpt-image-1,
// gpt-image-1-all, flux-kontext-pro and flux-kontext-max, with n, quality
// and (FLUX) aspect_ratio 21:9 .. 9:21.
func TestRelayQuickRouter(t *testing.T) {
	t.Run("gpt-image", func(t *testing.T) {
		for _, model := range []string{"gpt-image-1", "gpt-image-1-all"} {
			r := newRelay(t, "openai-multipart", uploadtest.Options{}, nil)
			img := uploadtest.SamplePNG(1024, 1024, true)
			req := &upload.Request{Model: model, Prompt: "turn the cat into a tiger", N: 2, Quality: "high",
				Images: []upload.File{{Name: "cat.png", Data: img}}}
			resp := r.mustEdit(req)
			uploadtest.CheckEdit(t, r.only(), req, upload.Multipart, false,
				map[string]string{"n": "2", "quality": "high"}, []uploadtest.WantFile{mp("image", img)})
			if len(resp.Images) != 2 {
				t.Errorf("%s: %d images, want 2", model, len(resp.Images))
			}
		}
	})
	t.Run("flux", func(t *testing.T) {
		// Every documented ratio passes validation; three go to the server
		// (each answer is a ~1 MP image, which the fake takes a while to make).
		documented := []string{"21:9", "16:9", "4:3", "3:2", "1:1", "2:3", "3:4", "9:16", "9:21"}
		for _, model := range []string{"flux-kontext-pro", "flux-kontext-max"} {
			for _, ar := range documented {
				req := &upload.Request{Model: model, Prompt: "p", AspectRatio: ar, Images: []upload.File{{Data: uploadtest.SampleJPEG(64, 64)}}}
				if err := req.Validate(nil, upload.Multipart); err != nil {
					t.Errorf("%s aspect_ratio %s: %v", model, ar, err)
				}
			}
			for _, ar := range []string{"21:9", "1:1", "9:21"} {
				r := newRelay(t, "openai-multipart", uploadtest.Options{}, nil)
				img := uploadtest.SampleJPEG(256, 256)
				req := &upload.Request{Model: model, Prompt: "make it a watercolour", N: 1, Quality: "high", AspectRatio: ar,
					Images: []upload.File{{Name: "photo.jpeg", Data: img}}}
				resp := r.mustEdit(req)
				uploadtest.CheckEdit(t, r.only(), req, upload.Multipart, false,
					map[string]string{"n": "1", "quality": "high", "aspect_ratio": ar}, []uploadtest.WantFile{mp("image", img)})
				var a, b float64
				if _, err := fmt.Sscanf(ar, "%g:%g", &a, &b); err != nil {
					t.Fatal(err)
				}
				got := dims(t, resp.Images[0])
				if ratio := float64(got.X) / float64(got.Y); math.Abs(ratio-a/b) > 0.03 {
					t.Errorf("%s %s: returned %v (ratio %.3f)", model, ar, got, ratio)
				}
			}
		}
		// Outside 3:7 .. 7:3, and n > 1: refused before sending.
		for _, req := range []*upload.Request{
			{Model: "flux-kontext-pro", Prompt: "p", AspectRatio: "12:5", Images: []upload.File{{Data: uploadtest.SampleJPEG(64, 64)}}},
			{Model: "flux-kontext-max", Prompt: "p", N: 2, Images: []upload.File{{Data: uploadtest.SampleJPEG(64, 64)}}},
			{Model: "flux-kontext-max", Prompt: "p", Images: []upload.File{{Data: uploadtest.SampleJPEG(64, 64)}},
				Mask: &upload.File{Data: uploadtest.SampleMask(64, 64)}},
		} {
			r := newRelay(t, "openai-multipart", uploadtest.Options{}, nil)
			_, err := r.edit(req)
			var pe *upload.ParamError
			if !errors.As(err, &pe) || len(r.srv.Requests()) != 0 {
				t.Errorf("%s %+v: err %v after %d requests, want a *ParamError before sending", req.Model, req, err, len(r.srv.Requests()))
			}
		}
	})
	t.Run("json", func(t *testing.T) {
		// {"model": "gpt-image-1", "image": "<base64>", "prompt": "..."}
		r := newRelay(t, "relay-json", uploadtest.Options{}, nil)
		img := uploadtest.SamplePNG(1024, 1024, true)
		req := &upload.Request{Model: "gpt-image-1", Prompt: "add a rainbow", Images: []upload.File{{Data: img}}}
		hr, body, err := r.up.(upload.Previewer).Preview(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatal(err)
		}
		keys := make([]string, 0, len(doc))
		for k := range doc {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, []string{"image", "model", "prompt"}) || doc["model"] != "gpt-image-1" || doc["prompt"] != "add a rainbow" {
			t.Errorf("body keys %v model %v prompt %v", keys, doc["model"], doc["prompt"])
		}
		if s, _ := doc["image"].(string); s != base64.StdEncoding.EncodeToString(img) {
			t.Errorf("image is not the raw base64 of the file: %.40q", s)
		}
		if ct := hr.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
		resp := r.mustEdit(req)
		uploadtest.CheckEdit(t, r.only(), req, upload.RelayJSON, false, map[string]string{},
			[]uploadtest.WantFile{{Field: "image", Data: img}})
		if len(resp.Images) != 1 {
			t.Errorf("%d images", len(resp.Images))
		}
	})
}

// TestRelayMixrouterMask: gpt-image-1.5 with a mask, multipart image, mask,
// prompt, model, n, size.
func TestRelayMixrouterMask(t *testing.T) {
	r := newRelay(t, "openai-multipart", uploadtest.Options{}, nil)
	img, mask := uploadtest.SamplePNG(1024, 1536, false), uploadtest.SampleMask(1024, 1536)
	req := &upload.Request{Model: "gpt-image-1.5", Prompt: "put a hat on the person", N: 2, Size: "1024x1536",
		Images: []upload.File{{Name: "person.png", Data: img}}, Mask: &upload.File{Name: "hat-mask.png", Data: mask}}
	resp := r.mustEdit(req)
	uploadtest.CheckEdit(t, r.only(), req, upload.Multipart, false,
		map[string]string{"n": "2", "size": "1024x1536"}, []uploadtest.WantFile{mp("image", img), mp("mask", mask)})
	if len(resp.Images) != 2 {
		t.Fatalf("%d images, want 2", len(resp.Images))
	}
	for _, im := range resp.Images {
		checkMasked(t, im, 1024, 1536)
	}
}

// TestRelayZhongzhuanDallE2: a square PNG under 4 MB, mask, prompt of at
// most 1000 characters, n, size 256/512/1024, response_format=url (the
// results downloaded), user.
func TestRelayZhongzhuanDallE2(t *testing.T) {
	prompt := strings.Repeat("é", 1000) // 1000 characters, 2000 bytes
	img, mask := uploadtest.SamplePNG(512, 512, false), uploadtest.SampleMask(512, 512)
	for _, size := range []string{"256x256", "512x512", "1024x1024"} {
		r := newRelay(t, "openai-multipart", uploadtest.Options{StrictSquareSides: true}, nil)
		req := &upload.Request{Model: "dall-e-2", Prompt: prompt, N: 2, Size: size, ResponseFormat: "url", User: "zz-user-42",
			Images: []upload.File{{Name: "square.png", Data: img}}, Mask: &upload.File{Name: "mask.png", Data: mask}}
		resp := r.mustEdit(req)
		uploadtest.CheckEdit(t, r.only(), req, upload.Multipart, false,
			map[string]string{"n": "2", "size": size, "response_format": "url", "user": "zz-user-42"},
			[]uploadtest.WantFile{mp("image", img), mp("mask", mask)})
		if len(resp.Images) != 2 || r.count("GET", "/files/") != 2 {
			t.Fatalf("%s: %d images after %d downloads, want 2 and 2", size, len(resp.Images), r.count("GET", "/files/"))
		}
		for _, im := range resp.Images {
			if im.URL == "" || im.Format != codecs.PNG {
				t.Errorf("%s: image %q format %q", size, im.URL, im.Format)
			}
			side, _ := strconv.Atoi(size[:strings.IndexByte(size, 'x')])
			if got := dims(t, im); got != image.Pt(side, side) {
				t.Errorf("%s: downloaded %v", size, got)
			}
		}
		if size == "512x512" {
			checkMasked(t, resp.Images[0], 512, 512)
		}
	}
	t.Run("refused before sending", func(t *testing.T) {
		big := append(uploadtest.SamplePNG(256, 256, false), make([]byte, 4_000_000)...) // a 4 MB PNG
		for name, req := range map[string]*upload.Request{
			"1001 characters": {Model: "dall-e-2", Prompt: prompt + "x", Images: []upload.File{{Data: img}}},
			"4 MB":            {Model: "dall-e-2", Prompt: "p", Images: []upload.File{{Data: big}}},
			"size 1536x1024":  {Model: "dall-e-2", Prompt: "p", Size: "1536x1024", Images: []upload.File{{Data: img}}},
			"jpeg":            {Model: "dall-e-2", Prompt: "p", Images: []upload.File{{Data: uploadtest.SampleJPEG(256, 256)}}},
			"two images":      {Model: "dall-e-2", Prompt: "p", Images: []upload.File{{Data: img}, {Data: img}}},
		} {
			r := newRelay(t, "openai-multipart", uploadtest.Options{}, nil)
			_, err := r.edit(req)
			if !errors.Is(err, upload.ErrInvalidRequest) || len(r.srv.Requests()) != 0 {
				t.Errorf("%s: err %v after %d requests, want ErrInvalidRequest before sending", name, err, len(r.srv.Requests()))
			}
		}
	})
	t.Run("not square: the server's 400", func(t *testing.T) {
		// Validate checks bytes and formats, not pixels (pipeline.Prepare
		// makes the square); the server's refusal comes back typed and is
		// not retried.
		r := newRelay(t, "openai-multipart", uploadtest.Options{}, nil)
		_, err := r.edit(&upload.Request{Model: "dall-e-2", Prompt: "p", Images: []upload.File{{Data: uploadtest.SamplePNG(256, 128, false)}}})
		var ae *upload.APIError
		if !errors.As(err, &ae) || ae.Code != "invalid_image_size" || !errors.Is(err, upload.ErrBadRequest) || len(r.srv.Edits()) != 1 {
			t.Errorf("err %v after %d requests", err, len(r.srv.Edits()))
		}
	})
}

// TestRelayMixrouterFields: images up to 50 MB in PNG, JPEG or WebP,
// quality, background, input_fidelity, output_format, output_compression,
// stream + partial_images, and ?async=true task polling.
func TestRelayMixrouterFields(t *testing.T) {
	png, jpg, webp := uploadtest.SamplePNG(1024, 1024, true), uploadtest.SampleJPEG(64, 48), uploadtest.SampleWebP(32, 32)
	type variant struct {
		name   string
		req    upload.Request
		fields map[string]string
		format codecs.Format // of the returned image
	}
	one := func(b []byte) []upload.File { return []upload.File{{Data: b}} }
	for _, v := range []variant{
		{"png", upload.Request{Images: one(png)}, map[string]string{}, codecs.PNG},
		{"jpeg", upload.Request{Images: one(jpg)}, map[string]string{}, codecs.PNG},
		{"webp", upload.Request{Images: one(webp)}, map[string]string{}, codecs.PNG},
		{"all three", upload.Request{Images: []upload.File{{Data: png}, {Data: jpg}, {Data: webp}}}, map[string]string{}, codecs.PNG},
		{"jpeg output", upload.Request{Images: one(png), Quality: "high", Background: "opaque", InputFidelity: "high",
			OutputFormat: "jpeg", OutputCompression: intp(60)},
			map[string]string{"quality": "high", "background": "opaque", "input_fidelity": "high", "output_format": "jpeg", "output_compression": "60"}, codecs.JPEG},
		{"transparent webp", upload.Request{Images: one(png), Quality: "low", Background: "transparent", InputFidelity: "low",
			OutputFormat: "webp", OutputCompression: intp(80)},
			map[string]string{"quality": "low", "background": "transparent", "input_fidelity": "low", "output_format": "webp", "output_compression": "80"}, codecs.PNG},
		{"medium auto png", upload.Request{Images: one(png), Quality: "medium", Background: "auto", OutputFormat: "png"},
			map[string]string{"quality": "medium", "background": "auto", "output_format": "png"}, codecs.PNG},
	} {
		t.Run(v.name, func(t *testing.T) {
			r := newRelay(t, "openai-multipart", uploadtest.Options{}, nil)
			req := v.req
			req.Model, req.Prompt = "gpt-image-1.5", "studio lighting"
			resp := r.mustEdit(&req)
			var files []uploadtest.WantFile
			for _, f := range req.Images {
				field := "image"
				if len(req.Images) > 1 {
					field = "image[]"
				}
				files = append(files, mp(field, f.Data))
			}
			uploadtest.CheckEdit(t, r.only(), &req, upload.Multipart, false, v.fields, files)
			if len(resp.Images) != 1 {
				t.Fatalf("returned %d images, want 1", len(resp.Images))
			}
			if f := resp.Images[0].Format; f != v.format {
				t.Errorf("returned a %s image, want %s", f, v.format)
			}
		})
	}
	t.Run("stream", func(t *testing.T) {
		r := newRelay(t, "openai-multipart", uploadtest.Options{}, nil)
		var idx []int
		req := &upload.Request{Model: "gpt-image-1.5", Prompt: "studio lighting", Images: one(png), Stream: true, PartialImages: intp(2),
			OnPartial: func(p upload.PartialImage) { idx = append(idx, p.Index) }}
		resp := r.mustEdit(req)
		uploadtest.CheckEdit(t, r.only(), req, upload.Multipart, false,
			map[string]string{"stream": "true", "partial_images": "2"}, []uploadtest.WantFile{mp("image", png)})
		if !slices.Equal(idx, []int{0, 1}) || len(resp.Images) != 1 || resp.Usage == nil {
			t.Errorf("partials %v, %d images, usage %v", idx, len(resp.Images), resp.Usage)
		}
	})
	t.Run("async", func(t *testing.T) {
		r := newRelay(t, "async-task", uploadtest.Options{TaskSteps: 3}, nil)
		req := &upload.Request{Model: "gpt-image-1.5", Prompt: "studio lighting", Images: one(png), Quality: "low"}
		resp := r.mustEdit(req)
		uploadtest.CheckEdit(t, r.only(), req, upload.Multipart, true, map[string]string{"quality": "low"}, []uploadtest.WantFile{mp("image", png)})
		if n := r.count("GET", "/v1/tasks/"); n != 4 || len(resp.Images) != 1 {
			t.Errorf("%d polls, %d images; want 4 polls (queued, 2 x processing, succeeded) and 1 image", n, len(resp.Images))
		}
	})
	t.Run("50 MB", func(t *testing.T) {
		big := make([]byte, 50_000_000) // a PNG padded to exactly 50 MB
		copy(big, png)
		under := &upload.Request{Model: "gpt-image-1.5", Prompt: "p", Images: one(big[:len(big)-1])}
		if err := under.Validate(nil, upload.Multipart); err != nil {
			t.Errorf("49,999,999 bytes: %v", err)
		}
		at := &upload.Request{Model: "gpt-image-1.5", Prompt: "p", Images: one(big)}
		if err := at.Validate(nil, upload.Multipart); !errors.Is(err, upload.ErrInvalidRequest) || !strings.Contains(err.Error(), "50000000") {
			t.Errorf("50,000,000 bytes: %v", err)
		}
	})
}

// TestRelayGPTProto: multipart model, n, size, response_format, user; url
// results; tasks by default, polled until ready.
func TestRelayGPTProto(t *testing.T) {
	t.Run("dall-e-2 url results", func(t *testing.T) {
		r := newRelay(t, "async-task", uploadtest.Options{AsyncByDefault: true, TaskSteps: 1}, nil)
		img := uploadtest.SamplePNG(256, 256, true)
		req := &upload.Request{Model: "dall-e-2", Prompt: "a lighthouse at dusk", N: 3, Size: "256x256", ResponseFormat: "url", User: "gp-user",
			Images: []upload.File{{Name: "in.png", Data: img}}}
		resp := r.mustEdit(req)
		uploadtest.CheckEdit(t, r.only(), req, upload.Multipart, true,
			map[string]string{"n": "3", "size": "256x256", "response_format": "url", "user": "gp-user"}, []uploadtest.WantFile{mp("image", img)})
		if len(resp.Images) != 3 || r.count("GET", "/files/") != 3 || r.count("GET", "/v1/tasks/") != 2 {
			t.Errorf("%d images, %d downloads, %d polls; want 3, 3, 2", len(resp.Images), r.count("GET", "/files/"), r.count("GET", "/v1/tasks/"))
		}
		for _, im := range resp.Images {
			if !strings.HasPrefix(im.URL, r.srv.Root+"/files/") || dims(t, im) != image.Pt(256, 256) {
				t.Errorf("image %q", im.URL)
			}
		}
	})
	t.Run("gpt-image-1 url results", func(t *testing.T) {
		// gptproto answers GPT image models with URLs too; the library
		// sends no response_format to them (the API rejects it).
		r := newRelay(t, "async-task", uploadtest.Options{AsyncByDefault: true, URLResults: true}, nil)
		img := uploadtest.SamplePNG(1024, 1024, true)
		req := &upload.Request{Model: "gpt-image-1", Prompt: "a lighthouse at dusk", N: 2, Size: "1024x1024", User: "gp-user",
			Images: []upload.File{{Data: img}}}
		resp := r.mustEdit(req)
		uploadtest.CheckEdit(t, r.only(), req, upload.Multipart, true,
			map[string]string{"n": "2", "size": "1024x1024", "user": "gp-user"}, []uploadtest.WantFile{mp("image", img)})
		if len(resp.Images) != 2 || r.count("GET", "/files/") != 2 || resp.Usage == nil {
			t.Errorf("%d images, %d downloads, usage %v", len(resp.Images), r.count("GET", "/files/"), resp.Usage)
		}
		req.ResponseFormat = "url"
		_, err := r.edit(req)
		var pe *upload.ParamError
		if !errors.As(err, &pe) || pe.Param != "response_format" || len(r.srv.Edits()) != 1 {
			t.Errorf("response_format for gpt-image-1: %v", err)
		}
	})
	t.Run("sync driver", func(t *testing.T) {
		// A synchronous uploader against an async-by-default relay says
		// which uploader to use instead of returning nothing.
		r := newRelay(t, "openai-multipart", uploadtest.Options{AsyncByDefault: true}, nil)
		_, err := r.edit(&upload.Request{Model: "gpt-image-1", Prompt: "p", Images: []upload.File{{Data: uploadtest.SamplePNG(64, 64, false)}}})
		if !errors.Is(err, upload.ErrNoImage) || !strings.Contains(err.Error(), "async-task") {
			t.Errorf("err %v", err)
		}
	})
}
