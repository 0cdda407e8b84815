package upload_test

// Spec conformance: every request variant the CLI can send for every
// built-in model goes through the multipart and openai-json drivers to
// Steady serving OpenAI's official OpenAPI document
// (../shared/tools/steady.sh, run by .ci/steady), which validates it and
// reports the problems it found in X-Steady-Error-Count (0 = valid) and
// X-Steady-Error-N-{Code,Path,Message}. Steady's answers carry no image,
// so each Edit ends in ErrNoImage (or a 400 for an invalid request); only
// the validator's verdict is asserted here. Response handling is covered
// against the fake server instead.
//
// Skipped unless IMGPREP_STEADY_URL is set (e.g. http://127.0.0.1:4020,
// as steady.sh prints it; a trailing /v1 is accepted too). Variants that
// send repeated "image" parts (MultipartOptions.ImageField "image", for gateways)
// need a second Steady started with STEADY_FORM_ARRAYS=repeat, given in
// IMGPREP_STEADY_REPEAT_URL; the spec's form arrays are image[] (as the
// official SDKs send them), and a brackets-mode Steady reports repeated
// "image" parts as E3023.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

// outOfSpec are the variants the CLI can send that the official spec
// does not describe (relay extensions), by what they are, with the reason.
// They are exercised against the fake server (relays_test.go) instead.
var outOfSpec = map[string]string{
	"flux-kontext-pro":               "a FLUX.1 Kontext model offered by relays; the spec's edit endpoint is for dall-e-2 and GPT image models",
	"flux-kontext-max":               "a FLUX.1 Kontext model offered by relays; the spec's edit endpoint is for dall-e-2 and GPT image models",
	"aspect_ratio":                   "a relay field for FLUX models (QuickRouter); not a field of CreateImageEditRequest",
	"gpt-image-1-all":                "a relay alias of gpt-image-1 (QuickRouter); the spec's model names do not include it",
	"gpt-image-1.5-all":              "a relay alias of gpt-image-1.5; the spec's model names do not include it",
	"response_format for GPT models": "relays such as gptproto document it for GPT image models; the API rejects it (GPT image models always return b64_json) and Validate refuses it; only --field can send it",
	"async=true":                     "the relay task API (mixrouter, gptproto): the spec has no async query parameter and no /tasks endpoint (Steady: E3015)",
	"--field KEY=VALUE":              "relay fields sent verbatim (Request.Extra), by definition outside the spec",
	"relay-json body":                "the relay shape {\"image\": \"<base64>\"} is not EditImageBodyJsonParam (Steady: E3007 missing images)",
}

// notSendable are variants Validate refuses before sending, so they never
// reach any server; listed for completeness.
var notSendable = map[string]string{
	"moderation in multipart":          "the multipart edit endpoint rejects moderation (JSON body only); Validate refuses it",
	"JSON body for dall-e-2":           "EditImageBodyJsonParam takes GPT image models only; Validate refuses it",
	"custom gpt-image-2 sizes in JSON": "EditImageBodyJsonParam's size enum is auto, 1024x1024, 1536x1024, 1024x1536 (the multipart field takes any WxH); Validate refuses others in JSON",
}

// steadyCall is what Steady answered to one request.
type steadyCall struct {
	status int
	header http.Header
	body   []byte
}

// steadyCount is X-Steady-Error-Count, -1 when absent.
func (c steadyCall) count() int {
	v := c.header.Get("X-Steady-Error-Count")
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return n
}

// complaints renders the validator's findings.
func (c steadyCall) complaints() string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d, X-Steady-Error-Count %q, X-Steady-Request-Valid %q\n", c.status,
		c.header.Get("X-Steady-Error-Count"), c.header.Get("X-Steady-Request-Valid"))
	for i := 1; ; i++ {
		p := fmt.Sprintf("X-Steady-Error-%d-", i)
		msg := c.header.Get(p + "Message")
		if msg == "" {
			break
		}
		fmt.Fprintf(&b, "  %s at %s: %s\n", c.header.Get(p+"Code"), c.header.Get(p+"Path"), msg)
	}
	if c.status >= 400 {
		fmt.Fprintf(&b, "  body: %.1500s\n", c.body)
	}
	return b.String()
}

// steadyRecorder is a RoundTripper that keeps Steady's answers.
type steadyRecorder struct {
	rt    http.RoundTripper
	mu    sync.Mutex
	calls []steadyCall
}

func (s *steadyRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := s.rt.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	s.mu.Lock()
	s.calls = append(s.calls, steadyCall{status: resp.StatusCode, header: resp.Header.Clone(), body: body})
	s.mu.Unlock()
	return resp, nil
}

func (s *steadyRecorder) take() []steadyCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.calls
	s.calls = nil
	return out
}

// steadyBase returns the base URL for the edit endpoint of the Steady at
// raw: Steady serves the spec's paths (/images/edits) at its root, while
// the spec's server URL (and so a user's base URL) ends in /v1.
func steadyBase(t *testing.T, raw string) string {
	t.Helper()
	raw = strings.TrimRight(raw, "/")
	hc := &http.Client{Timeout: 20 * time.Second}
	matches := func(base string) bool {
		resp, err := hc.Post(base+"/images/edits", "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatalf("Steady at %s: %v", base, err)
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		if resp.Header.Get("X-Steady-Error-Count") == "" {
			t.Fatalf("%s does not answer like Steady (no X-Steady-Error-Count header)", base)
		}
		for i := 1; ; i++ { // E2001: path not found
			code := resp.Header.Get(fmt.Sprintf("X-Steady-Error-%d-Code", i))
			if code == "" {
				return true
			}
			if code == "E2001" {
				return false
			}
		}
	}
	if matches(raw) {
		return raw
	}
	if trimmed, ok := strings.CutSuffix(raw, "/v1"); ok && matches(trimmed) {
		t.Logf("Steady serves /images/edits at %s (the spec's paths have no /v1); using that", trimmed)
		return trimmed
	}
	t.Fatalf("Steady at %s does not serve /images/edits", raw)
	return ""
}

// jsonSchemaSizes is EditImageBodyJsonParam's size enum.
var jsonSchemaSizes = []string{"auto", "1024x1024", "1536x1024", "1024x1536"}

// specVariant is one request to validate.
type specVariant struct {
	name       string
	req        *upload.Request
	imageField string // "image": repeated image parts (needs a repeat-mode Steady)
}

// specImages are small files within every model's real limits: a 256 px
// square RGBA PNG for dall-e-2 (its smallest side), 64 px PNG/JPEG/WebP
// for GPT image models, and masks of the same size.
func specImage(p *model.Profile, i int) upload.File {
	if p.Square {
		return upload.File{Name: "square.png", Data: uploadtest.SamplePNG(256, 256, true)}
	}
	switch i % 3 {
	case 1:
		return upload.File{Name: fmt.Sprintf("in%d.jpg", i), Data: uploadtest.SampleJPEG(64, 64)}
	case 2:
		return upload.File{Name: fmt.Sprintf("in%d.webp", i), Data: uploadtest.SampleWebP(64, 64)}
	}
	return upload.File{Name: fmt.Sprintf("in%d.png", i), Data: uploadtest.SamplePNG(64, 64, true)}
}

func specMask(p *model.Profile) *upload.File {
	side := 64
	if p.Square {
		side = 256
	}
	return &upload.File{Name: "mask.png", Data: uploadtest.SampleMask(side, side)}
}

// specValues are the values sent for each parameter: every listed value,
// or representative ones for open parameters.
func specValues(p *model.Profile, name string) []string {
	switch name {
	case "n":
		return []string{"1", strconv.Itoa(p.MaxN)}
	case "user":
		return []string{"user-1234"}
	case "stream":
		return []string{"true"} // the CLI sends stream only as --stream
	case "output_compression":
		return []string{"0", "55", "100"}
	case "partial_images":
		return []string{"0", "1", "2", "3"}
	case "size":
		if len(p.Params[name]) == 0 && p.SizeRule != nil { // gpt-image-2: WxH by rule
			return []string{"auto", "1024x1024", "1536x864", "3840x2160", "1024x3072"}
		}
	}
	return p.Params[name]
}

// specVariants lists the requests to validate for p in enc.
func specVariants(t *testing.T, p *model.Profile, enc upload.Encoding) []specVariant {
	base := func(images int, mask bool) *upload.Request {
		r := &upload.Request{Model: p.Name, Prompt: "A cute baby sea otter wearing a beret"}
		for i := range images {
			r.Images = append(r.Images, specImage(p, i))
		}
		if mask {
			r.Mask = specMask(p)
		}
		return r
	}
	vs := []specVariant{{name: "one image", req: base(1, false)}}
	if enc == upload.Multipart { // --image-field image[] with one file
		vs = append(vs, specVariant{name: "one image in image[]", req: base(1, false), imageField: "image[]"})
	}
	if p.Mask {
		vs = append(vs, specVariant{name: "one image with mask", req: base(1, true)})
	}
	if p.MaxImages > 1 {
		vs = append(vs,
			specVariant{name: "3 images", req: base(3, false)},
			specVariant{name: "3 images with mask", req: base(3, p.Mask)},
			specVariant{name: fmt.Sprintf("%d images", p.MaxImages), req: base(p.MaxImages, false)})
		if enc == upload.Multipart {
			vs = append(vs, specVariant{name: "3 images in repeated image parts", req: base(3, p.Mask), imageField: "image"})
		}
	}
	for _, name := range sortedParamNames(p) {
		if slices.Contains(p.JSONOnlyParams, name) && enc == upload.Multipart {
			continue // notSendable
		}
		for _, v := range specValues(p, name) {
			if name == "size" && enc == upload.JSON && !slices.Contains(jsonSchemaSizes, v) {
				continue // notSendable: custom sizes in JSON
			}
			req := base(1, false)
			if !uploadtest.SetParam(req, name, v) {
				t.Errorf("%s: no spec variant for parameter %q (add it to uploadtest.SetParam)", p.Name, name)
				break
			}
			vs = append(vs, specVariant{name: name + "=" + v, req: req})
			if name == "output_compression" && p.ParamAllowed("output_format", "webp") {
				req := base(1, false)
				req.OutputFormat = "webp"
				uploadtest.SetParam(req, name, v)
				vs = append(vs, specVariant{name: name + "=" + v + " webp", req: req})
			}
		}
	}
	for _, stream := range []bool{false, true} {
		if stream && !p.TakesParam("stream") {
			continue
		}
		req, _ := uploadtest.ParamsRequest(p, enc, stream)
		req.Prompt = "A cute baby sea otter wearing a beret"
		vs = append(vs, specVariant{name: fmt.Sprintf("all parameters (stream %v)", stream), req: req})
	}
	return vs
}

func sortedParamNames(p *model.Profile) []string {
	names := make([]string, 0, len(p.Params))
	for k := range p.Params {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func TestSpec(t *testing.T) {
	raw := os.Getenv("IMGPREP_STEADY_URL")
	if raw == "" {
		t.Skip("IMGPREP_STEADY_URL is not set; .ci/steady starts Steady (../shared/tools/steady.sh) and sets it")
	}
	bases := map[string]string{"brackets": steadyBase(t, raw)}
	if r := os.Getenv("IMGPREP_STEADY_REPEAT_URL"); r != "" {
		bases["repeat"] = steadyBase(t, r)
	}
	rec := &steadyRecorder{rt: http.DefaultTransport.(*http.Transport).Clone()}
	open := func(t *testing.T, driver, base, imageField string) upload.Uploader {
		u, err := upload.Open(driver, upload.Config{BaseURL: base, APIKey: "sk-spec-test-0000000000000000",
			HTTPClient: &http.Client{Transport: rec}, Options: []any{upload.MultipartOptions{ImageField: imageField}}, Timeout: 20 * time.Second,
			Retry: upload.RetryPolicy{MaxRetries: -1}})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}

	t.Run("out of spec", func(t *testing.T) {
		for _, k := range sortedKeysOf(outOfSpec) {
			t.Run(k, func(t *testing.T) { t.Skipf("out of spec: %s", outOfSpec[k]) })
		}
		for _, k := range sortedKeysOf(notSendable) {
			t.Run(k, func(t *testing.T) { t.Skipf("never sent: %s", notSendable[k]) })
		}
	})

	t.Run("validator is live", func(t *testing.T) {
		// A value the spec does not allow, slipped past Validate as an
		// extra field: Steady must complain, or the checks below prove
		// nothing.
		rec.take()
		u := open(t, "openai-multipart", bases["brackets"], "")
		gpt, err := model.Lookup("gpt-image-1")
		if err != nil {
			t.Fatal(err)
		}
		req := &upload.Request{Model: "gpt-image-1", Prompt: "p", Images: []upload.File{specImage(gpt, 0)},
			Extra: map[string]string{"quality": "ultra"}}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, _ = u.Edit(ctx, req)
		calls := rec.take()
		if len(calls) != 1 || calls[0].count() < 1 {
			t.Fatalf("Steady did not flag quality=ultra: %+v", calls)
		}
	})

	sent := 0
	for _, p := range model.Profiles() {
		for _, alias := range p.Aliases {
			if _, ok := outOfSpec[alias]; !ok {
				t.Errorf("alias %s of %s is neither validated nor listed in outOfSpec", alias, p.Name)
			}
		}
		t.Run(p.Name, func(t *testing.T) {
			if why, ok := outOfSpec[p.Name]; ok {
				t.Skipf("out of spec: %s", why)
			}
			for _, d := range []struct {
				driver string
				enc    upload.Encoding
			}{{"openai-multipart", upload.Multipart}, {"openai-json", upload.JSON}} {
				t.Run(d.driver, func(t *testing.T) {
					if d.enc == upload.JSON && !strings.HasPrefix(p.Name, "gpt-image") {
						t.Skipf("never sent: %s", notSendable["JSON body for dall-e-2"])
					}
					for _, v := range specVariants(t, p, d.enc) {
						t.Run(v.name, func(t *testing.T) {
							mode := "brackets"
							if v.imageField == "image" {
								mode = "repeat"
							}
							base, ok := bases[mode]
							if !ok {
								t.Skip("repeated image parts need a Steady with STEADY_FORM_ARRAYS=repeat in IMGPREP_STEADY_REPEAT_URL")
							}
							rec.take()
							u := open(t, d.driver, base, v.imageField)
							ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
							defer cancel()
							_, err := u.Edit(ctx, v.req)
							if errors.Is(err, upload.ErrInvalidRequest) {
								t.Fatalf("Validate refused a variant the test thinks valid: %v", err)
							}
							calls := rec.take()
							if len(calls) != 1 {
								t.Fatalf("%d requests reached Steady (err %v), want 1", len(calls), err)
							}
							sent++
							if c := calls[0]; c.count() != 0 {
								t.Errorf("Steady found the request invalid:\n%s", c.complaints())
							} else if !errors.Is(err, upload.ErrNoImage) {
								t.Errorf("valid request, but Edit returned %v; want ErrNoImage (Steady answers without data)", err)
							}
						})
					}
				})
			}
		})
	}
	t.Logf("%d requests validated by Steady", sent)
}

func sortedKeysOf(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestSizeRules: what Validate does about sizes the spec (or the model's
// rule) does not allow; runs without Steady.
func TestSizeRules(t *testing.T) {
	img := []upload.File{{Data: uploadtest.SamplePNG(64, 64, false)}}
	for _, c := range []struct {
		size string
		enc  upload.Encoding
		ok   bool
	}{
		{"1536x864", upload.Multipart, true},
		{"3840x2160", upload.Multipart, true},
		{"1024x3072", upload.Multipart, true},
		{"auto", upload.Multipart, true},
		{"1024x1024", upload.JSON, true},
		{"1536x864", upload.JSON, false},       // the JSON schema's enum
		{"1000x1000", upload.Multipart, false}, // not multiples of 16
		{"3856x2160", upload.Multipart, false}, // long side over 3840
		{"2176x2176", upload.Multipart, false}, // short side over 2160
		{"1024x3088", upload.Multipart, false}, // beyond 1:3
		{"big", upload.Multipart, false},
	} {
		req := &upload.Request{Model: "gpt-image-2", Prompt: "p", Images: img, Size: c.size}
		err := req.Validate(nil, c.enc)
		var pe *upload.ParamError
		if c.ok != (err == nil) || !c.ok && (!errors.As(err, &pe) || pe.Param != "size") {
			t.Errorf("gpt-image-2 size %s in %s: %v", c.size, c.enc, err)
		}
	}
}
