package uploadtest

import (
	"context"
	"errors"
	"fmt"
	"image"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/driver"
)

const confPrompt = "paint the transparent area magenta"

// gptSide is the side of square GPT inputs: the default output size of a
// square input, so the fake edits without a resize and the returned
// pixels can be compared exactly.
const gptSide = 1024

func (c *conformance) cases() []confCase {
	return []confCase{
		{"one-image", c.oneImage},
		{"several-images", c.severalImages},
		{"several-images-repeated-field", c.repeatedField},
		{"mask", c.mask},
		{"mask-dall-e-2", c.maskDallE2},
		{"params", c.params},
		{"result-url", c.resultURL},
		{"result-url-dall-e-2", c.resultURLDallE2},
		{"result-data-url-b64", c.dataURLB64},
		{"usage-revised-prompt", c.usage},
		{"rejected-before-sending", c.rejected},
		{"preview", c.preview},
		{"429-retry-after", c.rateLimited},
		{"5xx-exhausted", c.serverErrors},
		{"400-not-retried", c.badRequest},
		{"moderation-not-retried", c.moderation},
		{"401-auth", c.auth},
		{"truncated-body", c.truncated},
		{"truncated-error-body", c.truncatedError},
		{"malformed-json", c.malformed},
		{"attempt-timeout", c.timeout},
		{"connection-reset", c.reset},
		{"cancel", c.cancel},
		{"cancel-while-polling", c.cancelPolling},
		{"async-by-default-server", c.asyncByDefault},
		{"async-task", c.asyncTask},
		{"async-task-failed", c.asyncFailed},
		{"stream-partials", c.streamPartials},
		{"stream-error-event", c.streamError},
	}
}

// holeRequest is a GPT edit of a 1024 px picture with a transparent hole
// and no mask.
func holeRequest(model string) *upload.Request {
	return &upload.Request{Model: model, Prompt: confPrompt,
		Images: []upload.File{{Name: "photos/in.png", Data: SamplePNG(gptSide, gptSide, true)}}}
}

// smallRequest is a valid GPT edit whose answer is not inspected (an
// input of the output size: the cheapest edit for the fake).
func smallRequest() *upload.Request {
	return &upload.Request{Model: "gpt-image-1", Prompt: confPrompt,
		Images: []upload.File{{Name: "in.png", Data: SamplePNG(gptSide, gptSide, false)}}}
}

// checkOne asserts that exactly one edit request arrived and that it is
// req as the driver must send it.
func (r *rig) checkOne(req *upload.Request) RecordedRequest {
	r.t.Helper()
	edits := r.srv.Edits()
	if len(edits) != 1 {
		r.t.Fatalf("%d edit requests arrived, want 1", len(edits))
	}
	caps := r.c.caps
	mo, _ := driver.Option[upload.MultipartOptions](r.cfg)
	CheckEdit(r.t, edits[0], req, caps.Encoding, caps.Async, WireParams(req, caps.AlwaysStream), WantFiles(req, caps.Encoding, mo.ImageField))
	return edits[0]
}

// attempts asserts the number of edit requests the server received. An
// attempt the client abandoned is recorded once the server has noticed,
// which may be just after Edit returned: the count may take a moment.
func (r *rig) attempts(want int) {
	r.t.Helper()
	deadline := time.Now().Add(time.Second)
	n := len(r.srv.Edits())
	for n < want && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
		n = len(r.srv.Edits())
	}
	if n != want {
		r.t.Errorf("%d edit requests arrived, want %d", n, want)
	}
}

// checkEditPixels asserts the fake's edit of in, decided pixel by pixel
// here rather than by the server's code: with a mask, EditColor exactly
// where the mask's alpha is 0 and in's pixel elsewhere; without one,
// EditColor where in's alpha is 0 and the inverted colour elsewhere.
func checkEditPixels(t testing.TB, img upload.Image, in, mask *image.NRGBA) {
	t.Helper()
	if img.Format != codecs.PNG || img.Data == nil {
		t.Fatalf("returned image: format %q, %d bytes; want a PNG", img.Format, len(img.Data))
	}
	dec, err := DecodeImage(img.Data)
	if err != nil {
		t.Fatalf("returned image does not decode: %v", err)
	}
	if dec.Bounds().Size() != in.Rect.Size() {
		t.Fatalf("returned image is %v, want %v", dec.Bounds().Size(), in.Rect.Size())
	}
	got := toNRGBA(dec)
	bad, first := 0, ""
	for y := range in.Rect.Dy() {
		for x := range in.Rect.Dx() {
			p := in.NRGBAAt(x, y)
			want := p
			switch {
			case mask != nil && mask.NRGBAAt(x, y).A == 0, mask == nil && p.A == 0:
				want = EditColor
			case mask == nil:
				want.R, want.G, want.B = 255-p.R, 255-p.G, 255-p.B
			}
			if g := got.NRGBAAt(x, y); g != want {
				if bad == 0 {
					first = fmt.Sprintf("(%d,%d) is %v, want %v", x, y, g, want)
				}
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("returned image: %d pixels differ from the expected edit; first %s", bad, first)
	}
}

func (c *conformance) oneImage(t *testing.T) {
	r := c.rig(t, Options{}, nil)
	req := holeRequest("gpt-image-1")
	resp := r.mustEdit(req)
	r.checkOne(req)
	if len(resp.Images) != 1 {
		t.Fatalf("%d images, want 1", len(resp.Images))
	}
	checkEditPixels(t, resp.Images[0], Picture(gptSide, gptSide, true), nil)
}

// severalRequest is three inputs, PNG (with a hole), JPEG and WebP.
func severalRequest() *upload.Request {
	return &upload.Request{Model: "gpt-image-1.5", Prompt: confPrompt, Images: []upload.File{
		{Name: "a.png", Data: SamplePNG(gptSide, gptSide, true)},
		{Name: "b.jpg", Data: SampleJPEG(64, 48)},
		{Data: SampleWebP(32, 32)},
	}}
}

func (c *conformance) severalImages(t *testing.T) {
	opts := Options{}
	if c.caps.Encoding == upload.Multipart {
		opts.MultipartFieldImage = "image[]" // the server insists on the default
	}
	r := c.rig(t, opts, nil)
	req := severalRequest()
	resp := r.mustEdit(req)
	r.checkOne(req)
	checkEditPixels(t, resp.Images[0], Picture(gptSide, gptSide, true), nil)
}

func (c *conformance) repeatedField(t *testing.T) {
	r := c.rig(t, Options{MultipartFieldImage: "image"}, func(cfg *upload.Config) {
		cfg.Options = append(cfg.Options, upload.MultipartOptions{ImageField: "image"})
	})
	req := severalRequest()
	resp := r.mustEdit(req)
	r.checkOne(req)
	checkEditPixels(t, resp.Images[0], Picture(gptSide, gptSide, true), nil)
}

func (c *conformance) mask(t *testing.T) {
	r := c.rig(t, Options{}, nil)
	req := &upload.Request{Model: "gpt-image-1.5", Prompt: confPrompt,
		Images: []upload.File{{Name: "in.png", Data: SamplePNG(gptSide, gptSide, false)}},
		Mask:   &upload.File{Name: "mask.png", Data: SampleMask(gptSide, gptSide)}}
	resp := r.mustEdit(req)
	r.checkOne(req)
	checkEditPixels(t, resp.Images[0], Picture(gptSide, gptSide, false), MaskImage(gptSide, gptSide))
}

func (c *conformance) maskDallE2(t *testing.T) {
	r := c.rig(t, Options{StrictSquareSides: true}, nil)
	req := &upload.Request{Model: "dall-e-2", Prompt: confPrompt, Size: "256x256", ResponseFormat: "b64_json",
		Images: []upload.File{{Name: "in.png", Data: SamplePNG(256, 256, false)}},
		Mask:   &upload.File{Name: "mask.png", Data: SampleMask(256, 256)}}
	resp := r.mustEdit(req)
	r.checkOne(req)
	checkEditPixels(t, resp.Images[0], Picture(256, 256, false), MaskImage(256, 256))
}

// params sends, for every registered model, one request with every
// parameter the model accepts set to a valid value.
func (c *conformance) params(t *testing.T) {
	for _, p := range model.Profiles() {
		c.run(t, p.Name, func(t *testing.T) { c.paramsFor(t, p) })
	}
}

// ParamsRequest builds a request for p with every parameter p accepts set
// to a valid value (moderation only when enc is a JSON encoding, stream and
// partial_images only when stream is true), inputs the model takes (a
// square RGBA PNG for square models, two images where more than one is
// taken, a mask where one is taken). skipped names the accepted
// parameters left out and why.
func ParamsRequest(p *model.Profile, enc upload.Encoding, stream bool) (req *upload.Request, skipped map[string]string) {
	side := gptSide // a square input of the output size is not resized
	if p.Square {
		side = 256
		if len(p.SquareSides) > 0 {
			side = slices.Min(p.SquareSides)
		}
	}
	req = &upload.Request{Model: p.Name, Prompt: confPrompt}
	switch {
	case p.Accepts(codecs.PNG):
		req.Images = append(req.Images, upload.File{Name: "in.png", Data: SamplePNG(side, side, true)})
	case p.Accepts(codecs.JPEG):
		req.Images = append(req.Images, upload.File{Name: "in.jpg", Data: SampleJPEG(side, side)})
	default:
		req.Images = append(req.Images, upload.File{Name: "in.webp", Data: SampleWebP(side, side)})
	}
	if p.MaxImages > 1 && p.Accepts(codecs.JPEG) {
		req.Images = append(req.Images, upload.File{Name: "second.jpg", Data: SampleJPEG(64, 48)})
	}
	if p.Mask {
		req.Mask = &upload.File{Name: "mask.png", Data: SampleMask(side, side)}
	}
	skipped = map[string]string{}
	pick := func(name string, prefer ...string) string {
		for _, v := range prefer {
			if p.ParamAllowed(name, v) {
				return v
			}
		}
		if vals := p.Params[name]; len(vals) > 0 {
			return vals[0]
		}
		return prefer[0]
	}
	for _, name := range sortedKeys(p.Params) {
		if slices.Contains(p.JSONOnlyParams, name) && enc == upload.Multipart {
			skipped[name] = "accepted in a JSON body only"
			continue
		}
		var v string
		switch name {
		case "n":
			v = "1"
			if p.MaxN >= 2 && p.ParamAllowed("n", "2") {
				v = "2"
			}
		case "size":
			v = pick(name, fmt.Sprintf("%dx%d", side, side), "1024x1024")
		case "quality":
			v = pick(name, "high")
		case "background":
			v = pick(name, "transparent")
		case "output_format":
			v = pick(name, "webp", "jpeg")
		case "output_compression":
			continue // set below, once output_format is known
		case "input_fidelity":
			v = pick(name, "high")
		case "moderation":
			v = pick(name, "low")
		case "response_format":
			v = pick(name, "url")
		case "user":
			v = "conformance-user-1"
		case "aspect_ratio":
			v = pick(name, "1:1") // ~1 MP square: no resize
		case "stream", "partial_images":
			if !stream {
				skipped[name] = "the driver does not stream"
				continue
			}
			name, v = "partial_images", "2"
		default:
			v = pick(name, "x")
		}
		if !SetParam(req, name, v) {
			if req.Extra == nil {
				req.Extra = map[string]string{}
			}
			req.Extra[name] = v
		}
	}
	if p.TakesParam("output_compression") {
		if f := req.OutputFormat; f == "jpeg" || f == "webp" {
			SetParam(req, "output_compression", "80")
		} else {
			skipped["output_compression"] = "needs output_format jpeg or webp"
		}
	}
	if req.Background == "transparent" && req.OutputFormat == "jpeg" {
		req.Background = pick("background", "auto")
	}
	return req, skipped
}

func (c *conformance) paramsFor(t *testing.T, p *model.Profile) {
	req, skipped := ParamsRequest(p, c.caps.Encoding, c.caps.Stream && !c.caps.Async)
	for _, k := range sortedKeys(skipped) {
		t.Logf("%s: %s not sent: %s", p.Name, k, skipped[k])
	}
	var partials []upload.PartialImage
	req.OnPartial = func(pi upload.PartialImage) { partials = append(partials, pi) }
	r := c.rig(t, Options{StrictSquareSides: true}, nil)
	resp := r.mustEdit(req)
	r.checkOne(req)
	n := max(req.N, 1)
	if len(resp.Images) != n {
		t.Errorf("%d images, want %d", len(resp.Images), n)
	}
	wantFormat := codecs.PNG // the fake sends webp output as PNG
	if req.OutputFormat == "jpeg" {
		wantFormat = codecs.JPEG
	}
	for i, img := range resp.Images {
		if img.Format != wantFormat {
			t.Errorf("image %d: format %q, want %q", i, img.Format, wantFormat)
		}
		if req.ResponseFormat == "url" && img.URL == "" {
			t.Errorf("image %d: response_format=url but no URL", i)
		}
		dec, err := DecodeImage(img.Data)
		if err != nil {
			t.Errorf("image %d does not decode: %v", i, err)
			continue
		}
		var w, h int
		if _, err := fmt.Sscanf(req.Size, "%dx%d", &w, &h); err == nil && dec.Bounds().Size() != image.Pt(w, h) {
			t.Errorf("image %d is %v, want size %s", i, dec.Bounds().Size(), req.Size)
		}
	}
	if req.PartialImages != nil && len(partials) != *req.PartialImages {
		t.Errorf("%d partial images, want %d", len(partials), *req.PartialImages)
	}
}

func (c *conformance) resultURL(t *testing.T) {
	r := c.rig(t, Options{URLResults: true}, nil)
	req := holeRequest("gpt-image-1")
	req.N = 2
	resp := r.mustEdit(req)
	r.checkOne(req)
	if len(resp.Images) != 2 {
		t.Fatalf("%d images, want 2", len(resp.Images))
	}
	for _, img := range resp.Images {
		if !strings.HasPrefix(img.URL, r.srv.Root+"/files/") {
			t.Errorf("image URL %q, want one of the server's /files/", img.URL)
		}
		checkEditPixels(t, img, Picture(gptSide, gptSide, true), nil)
	}
	r.downloads(2)
}

// downloads asserts the number of result downloads.
func (r *rig) downloads(want int) {
	r.t.Helper()
	n := 0
	for _, q := range r.srv.Requests() {
		if q.Method == http.MethodGet && strings.HasPrefix(q.Path, "/files/") {
			n++
		}
	}
	if n != want {
		r.t.Errorf("%d result downloads, want %d", n, want)
	}
}

func (c *conformance) resultURLDallE2(t *testing.T) {
	r := c.rig(t, Options{StrictSquareSides: true}, nil)
	// No response_format: dall-e-2 answers with a URL by default.
	req := &upload.Request{Model: "dall-e-2", Prompt: confPrompt, Size: "256x256", User: "conformance-user-2",
		Images: []upload.File{{Name: "in.png", Data: SamplePNG(256, 256, true)}}}
	resp := r.mustEdit(req)
	r.checkOne(req)
	if resp.Images[0].URL == "" {
		t.Error("no URL in the dall-e-2 answer")
	}
	checkEditPixels(t, resp.Images[0], Picture(256, 256, true), nil)
	r.downloads(1)
}

func (c *conformance) dataURLB64(t *testing.T) {
	r := c.rig(t, Options{DataURLPrefix: true}, nil)
	req := holeRequest("gpt-image-1")
	resp := r.mustEdit(req)
	r.checkOne(req)
	checkEditPixels(t, resp.Images[0], Picture(gptSide, gptSide, true), nil)
}

func (c *conformance) usage(t *testing.T) {
	r := c.rig(t, Options{}, nil)
	req := holeRequest("gpt-image-1")
	req.Quality = "low"
	resp := r.mustEdit(req)
	r.checkOne(req)
	u := resp.Usage
	if u == nil {
		t.Fatal("no usage")
	}
	if u.InputTokens <= 0 || u.OutputTokens <= 0 || u.TotalTokens != u.InputTokens+u.OutputTokens ||
		u.InputTokensDetails.TextTokens+u.InputTokensDetails.ImageTokens != u.InputTokens {
		t.Errorf("usage %+v is not consistent", *u)
	}
	if c.caps.Async {
		t.Log("quality, size and output_format not checked: the fake's task answers carry created, data and usage only")
	} else if resp.Quality != "low" || resp.Size != "1024x1024" || resp.OutputFormat != "png" || resp.Created <= 0 {
		t.Errorf("echoed settings quality %q size %q output_format %q created %d", resp.Quality, resp.Size, resp.OutputFormat, resp.Created)
	}
	if c.caps.AlwaysStream {
		t.Log("revised_prompt not checked: image_edit.completed events carry none")
		return
	}
	if got := resp.Images[0].RevisedPrompt; got != confPrompt {
		t.Errorf("revised_prompt %q, want %q", got, confPrompt)
	}
}

func (c *conformance) rejected(t *testing.T) {
	r := c.rig(t, Options{}, nil)
	for _, tc := range []struct {
		param string
		req   *upload.Request
	}{
		{"response_format", &upload.Request{Model: "gpt-image-1", Prompt: confPrompt, ResponseFormat: "b64_json", Images: smallRequest().Images}},
		{"input_fidelity", &upload.Request{Model: "gpt-image-1-mini", Prompt: confPrompt, InputFidelity: "high", Images: smallRequest().Images}},
	} {
		_, err := r.edit(tc.req)
		var pe *upload.ParamError
		if !errors.As(err, &pe) || pe.Param != tc.param || pe.Model != tc.req.Model || !errors.Is(err, upload.ErrInvalidRequest) {
			t.Errorf("%s for %s: err %v, want a *ParamError naming both", tc.param, tc.req.Model, err)
		}
	}
	if n := len(r.srv.Requests()); n != 0 {
		t.Errorf("%d requests reached the server; invalid requests must be refused before sending", n)
	}
}

func (c *conformance) preview(t *testing.T) {
	r := c.rig(t, Options{}, nil)
	pv, ok := r.up.(upload.Previewer)
	if !ok {
		t.Fatalf("%s does not implement upload.Previewer (needed for --dry-run)", c.driver)
	}
	hr, body, err := pv.Preview(context.Background(), holeRequest("gpt-image-1"))
	if err != nil {
		t.Fatal(err)
	}
	want := r.srv.URL + "/images/edits"
	if c.caps.Async {
		want += "?async=true"
	}
	if hr.Method != http.MethodPost || hr.URL.String() != want || len(body) == 0 {
		t.Errorf("preview %s %s with %d body bytes, want POST %s", hr.Method, hr.URL, len(body), want)
	}
	dump := upload.DumpRequest(hr, body)
	if strings.Contains(dump, confKey) || !strings.Contains(dump, "Bearer [REDACTED]") {
		t.Errorf("dump shows the key or no redacted Authorization:\n%.2000s", dump)
	}
	if n := len(r.srv.Requests()); n != 0 {
		t.Errorf("Preview sent %d requests", n)
	}
}

func (c *conformance) rateLimited(t *testing.T) {
	r := c.rig(t, Options{}, nil)
	r.srv.Inject(Fault{Status: 429, RetryAfter: "2"}, Fault{Status: 429, RetryAfterMs: "1500", RetryAfter: "9"})
	r.mustEdit(smallRequest())
	r.attempts(3)
	if w := r.retryWaits(); !slices.Equal(w, []time.Duration{2 * time.Second, 1500 * time.Millisecond}) {
		t.Errorf("waits %v, want [2s 1.5s] from Retry-After and Retry-After-Ms", w)
	}
	ev := r.retryEvents()
	if len(ev) != 2 {
		t.Fatalf("%d OnRetry events, want 2", len(ev))
	}
	for i, e := range ev {
		if e.Attempt != i+1 || !e.RetryAfter || !errors.Is(e.Err, upload.ErrRateLimit) {
			t.Errorf("OnRetry event %d: %+v", i, e)
		}
	}
}

func (c *conformance) serverErrors(t *testing.T) {
	r := c.rig(t, Options{}, nil)
	r.srv.Inject(Fault{Status: 500}, Fault{Status: 502}, Fault{Status: 503})
	_, err := r.edit(smallRequest())
	ae := asAPIError(err)
	if ae == nil || !errors.Is(err, upload.ErrServer) {
		t.Fatalf("err %v, want an ErrServer *APIError", err)
	}
	mr := r.cfg.Retry.MaxRetries
	if ae.Attempts != mr+1 || ae.StatusCode != 503 || !strings.Contains(err.Error(), fmt.Sprintf("after %d attempts", mr+1)) {
		t.Errorf("APIError status %d attempts %d (%v), want 503 after %d", ae.StatusCode, ae.Attempts, err, mr+1)
	}
	r.attempts(mr + 1)
	w := r.retryWaits()
	if len(w) != mr || w[0] < 50*time.Millisecond || w[0] > 100*time.Millisecond || w[1] < 100*time.Millisecond || w[1] > 200*time.Millisecond {
		t.Errorf("backoff waits %v, want equal-jitter 50-100ms then 100-200ms", w)
	}
}

// notRetried asserts err matches every target after one attempt and no wait.
func (r *rig) notRetried(err error, targets ...error) {
	r.t.Helper()
	for _, target := range targets {
		if !errors.Is(err, target) {
			r.t.Errorf("err %v is not %v", err, target)
		}
	}
	r.attempts(1)
	if w := r.retryWaits(); len(w) != 0 {
		r.t.Errorf("waited %v; the error must not be retried", w)
	}
}

func (c *conformance) badRequest(t *testing.T) {
	r := c.rig(t, Options{}, nil)
	r.srv.Inject(Fault{Status: 400, Code: "invalid_value"})
	_, err := r.edit(smallRequest())
	r.notRetried(err, upload.ErrBadRequest)
	if ae := asAPIError(err); ae == nil || ae.StatusCode != 400 || ae.Code != "invalid_value" || ae.Attempts != 1 {
		t.Errorf("err %#v, want a 400 invalid_value *APIError", ae)
	}
}

func (c *conformance) moderation(t *testing.T) {
	r := c.rig(t, Options{}, nil)
	r.srv.Inject(Fault{Code: "moderation_blocked"})
	_, err := r.edit(smallRequest())
	r.notRetried(err, upload.ErrModeration)
}

func (c *conformance) auth(t *testing.T) {
	const wrong = "sk-conformance-WRONG-55aa66bb77"
	r := c.rig(t, Options{}, func(cfg *upload.Config) { cfg.APIKey = wrong })
	_, err := r.edit(smallRequest())
	r.notRetried(err, upload.ErrAuth)
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err)} {
		if strings.Contains(s, wrong) || strings.Contains(s, confKey) {
			t.Errorf("the error shows an API key: %s", s)
		}
	}
	if e := r.srv.Edits(); len(e) == 1 && !e[0].Authorization {
		t.Error("no Authorization header was sent")
	}
}

func (c *conformance) truncated(t *testing.T) {
	r := c.rig(t, Options{}, nil)
	r.srv.Inject(Fault{Truncate: true})
	_, err := r.edit(smallRequest())
	// Policy: a 200 cut short is not retried: the server did (and billed)
	// the edit, and a second attempt would pay for it again.
	r.notRetried(err, upload.ErrMalformedResponse)
}

func (c *conformance) truncatedError(t *testing.T) {
	r := c.rig(t, Options{}, nil)
	r.srv.Inject(Fault{Status: 503, Truncate: true})
	r.mustEdit(smallRequest()) // a cut 503 is still a 503: retried
	r.attempts(2)
}

func (c *conformance) malformed(t *testing.T) {
	r := c.rig(t, Options{}, nil)
	r.srv.Inject(Fault{Body: "{not json"})
	_, err := r.edit(smallRequest())
	r.notRetried(err, upload.ErrMalformedResponse)
}

func (c *conformance) timeout(t *testing.T) {
	r := c.rig(t, Options{}, func(cfg *upload.Config) {
		cfg.Timeout = 50 * time.Millisecond
		cfg.Retry.MaxRetries = 1
	})
	r.srv.Inject(Fault{Delay: 250 * time.Millisecond}, Fault{Delay: 250 * time.Millisecond})
	start := time.Now()
	_, err := r.edit(smallRequest())
	if !errors.Is(err, upload.ErrTimeout) || errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want ErrTimeout", err)
	}
	r.attempts(2) // attempts that timed out are retried
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
	if !strings.Contains(err.Error(), "after 2 attempts") {
		t.Errorf("error %q does not count the attempts", err)
	}
}

func (c *conformance) reset(t *testing.T) {
	r := c.rig(t, Options{}, nil)
	r.srv.Inject(Fault{Reset: true})
	r.mustEdit(smallRequest())
	r.attempts(2)
	ev := r.retryEvents()
	if len(ev) != 1 || !errors.Is(ev[0].Err, upload.ErrNetwork) || ev[0].RetryAfter {
		t.Errorf("OnRetry events %+v, want one ErrNetwork backoff", ev)
	}
}

// cancelWhen runs Edit with a context cancelled once ready reports true
// (checked every 2 ms) and returns the error and how long Edit took to
// return after the cancellation.
func (r *rig) cancelWhen(req *upload.Request, ready func() bool) (error, time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cancelled := make(chan time.Time, 1)
	done := make(chan struct{})
	defer close(done)
	go func() {
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if ready() {
					cancelled <- time.Now()
					cancel()
					return
				}
			}
		}
	}()
	_, err := r.up.Edit(ctx, req)
	end := time.Now()
	select {
	case at := <-cancelled:
		return err, end.Sub(at)
	default:
		r.t.Fatalf("Edit returned before the cancellation: %v", err)
		return err, 0
	}
}

func (c *conformance) cancel(t *testing.T) {
	r := c.rig(t, Options{}, nil)
	r.srv.Inject(Fault{Delay: 280 * time.Millisecond})
	// cancel while the server sits on the request
	err, after := r.cancelWhen(smallRequest(), func() bool { return len(r.srv.Edits()) > 0 })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if after > 200*time.Millisecond {
		t.Errorf("Edit returned %v after the cancellation", after)
	}
	r.attempts(1)
}

func (c *conformance) cancelPolling(t *testing.T) {
	r := c.rig(t, Options{TaskSteps: 1 << 20}, nil)
	r.sleep.Max = 5 * time.Millisecond // really wait between polls
	err, after := r.cancelWhen(smallRequest(), func() bool { return r.polls() >= 2 })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if after > 200*time.Millisecond {
		t.Errorf("Edit returned %v after the cancellation", after)
	}
	if r.polls() == 0 {
		t.Error("the task was never polled")
	}
}

func (c *conformance) asyncByDefault(t *testing.T) {
	r := c.rig(t, Options{AsyncByDefault: true}, nil)
	req := holeRequest("gpt-image-1")
	resp, err := r.edit(req)
	r.checkOne(req)
	if c.caps.Async {
		if err != nil {
			t.Fatal(err)
		}
		checkEditPixels(t, resp.Images[0], Picture(gptSide, gptSide, true), nil)
		return
	}
	// A synchronous driver cannot poll: it must say so, not hang or
	// return nothing.
	if !errors.Is(err, upload.ErrNoImage) || !strings.Contains(err.Error(), "async-task") {
		t.Errorf("err %v, want ErrNoImage pointing to the async-task uploader", err)
	}
}

func (c *conformance) asyncTask(t *testing.T) {
	r := c.rig(t, Options{TaskSteps: 2}, nil)
	req := holeRequest("gpt-image-1")
	resp := r.mustEdit(req)
	r.checkOne(req)
	checkEditPixels(t, resp.Images[0], Picture(gptSide, gptSide, true), nil)
	if n := r.polls(); n != 3 {
		t.Errorf("%d polls, want 3 (queued, processing, succeeded)", n)
	}
	if w := r.sleep.Waits(); len(w) != 3 || slices.ContainsFunc(w, func(d time.Duration) bool { return d != confPoll }) {
		t.Errorf("waits %v, want 3 poll intervals of %v", w, confPoll)
	}
	for _, q := range r.srv.Requests() {
		if q.Method == http.MethodGet && !q.Authorization {
			t.Errorf("poll %s without Authorization", q.Path)
		}
	}
}

func (c *conformance) asyncFailed(t *testing.T) {
	const reason = "upstream rejected the image: unsupported content"
	r := c.rig(t, Options{FailTask: reason}, nil)
	_, err := r.edit(smallRequest())
	if !errors.Is(err, upload.ErrTaskFailed) || !strings.Contains(err.Error(), reason) {
		t.Fatalf("err %v, want ErrTaskFailed with the reason", err)
	}
	if ae := asAPIError(err); ae == nil || ae.Code != "task_failed" {
		t.Errorf("err %#v, want an *APIError with Code task_failed", ae)
	}
	r.attempts(1)
	if n := r.polls(); n != 3 {
		t.Errorf("%d polls, want 3", n)
	}
}

func (c *conformance) streamPartials(t *testing.T) {
	r := c.rig(t, Options{}, nil)
	req := holeRequest("gpt-image-1")
	req.Stream, req.PartialImages = true, new(3)
	var got []upload.PartialImage
	req.OnPartial = func(p upload.PartialImage) { got = append(got, p) }
	resp := r.mustEdit(req)
	r.checkOne(req)
	if len(got) != 3 {
		t.Fatalf("%d partial images, want 3", len(got))
	}
	for i, p := range got {
		if p.Index != i || p.Format != codecs.PNG {
			t.Errorf("partial %d: index %d format %q", i, p.Index, p.Format)
		}
		if _, err := DecodeImage(p.Data); err != nil {
			t.Errorf("partial %d does not decode: %v", i, err)
		}
	}
	if len(resp.Images) != 1 {
		t.Fatalf("%d completed images, want 1", len(resp.Images))
	}
	checkEditPixels(t, resp.Images[0], Picture(gptSide, gptSide, true), nil)
	if resp.Usage == nil {
		t.Error("no usage in the completed event")
	}
}

func (c *conformance) streamError(t *testing.T) {
	const reason = "upstream stream failed: overloaded"
	r := c.rig(t, Options{FailTask: reason}, nil)
	req := smallRequest()
	req.Stream, req.PartialImages = true, new(1)
	partials := 0
	req.OnPartial = func(upload.PartialImage) { partials++ }
	_, err := r.edit(req)
	ae := asAPIError(err)
	if ae == nil || !strings.Contains(err.Error(), reason) || !errors.Is(err, upload.ErrServer) {
		t.Fatalf("err %v, want an ErrServer *APIError from the error event", err)
	}
	r.attempts(1) // a stream that failed after its answer started is not retried
	if partials != 1 {
		t.Errorf("%d partial images before the error, want 1", partials)
	}
}
