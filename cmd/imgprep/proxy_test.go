package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"image"
	"image/draw"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/imgprep/imgprep/internal/testimg"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

func TestProxyFixesEdits(t *testing.T) {
	up := newUpstream(t, uploadtest.Options{})
	p := startProxy(t, map[string]string{"IMGPREP_BASE_URL": up.URL})

	// dall-e-2 takes square RGBA PNGs only: a 75x100 RGB PNG is squared.
	ct, body := multipartBody(t, []string{"model", "dall-e-2", "prompt", "a hat", "response_format", "b64_json"},
		part{"image", "small.png", "image/png", testimg.EncodePNG(t, testimg.Gradient(75, 100, false))})
	if resp := post(t, p.base+"/images/edits", ct, body); resp.StatusCode != http.StatusOK {
		t.Fatalf("dall-e-2: %d %s", resp.StatusCode, readAll(t, resp))
	}
	f := up.Edits()[0].Files[0]
	if f.Width != f.Height || !f.HasAlpha || f.Format != "png" || f.ContentType != "image/png" || !strings.HasSuffix(f.Filename, ".png") {
		t.Errorf("dall-e-2 image arrived as %+v", f)
	}

	// A compliant JPEG sent as nameless octets arrives byte-identical,
	// labelled image/jpeg with a .jpg name.
	jpg := testimg.EncodeJPEG(t, testimg.Gradient(640, 480, false), 90)
	ct, body = multipartBody(t, []string{"model", "gpt-image-1", "prompt", "a hat"},
		part{"image", "", "application/octet-stream", jpg})
	if resp := post(t, p.base+"/images/edits", ct, body); resp.StatusCode != http.StatusOK {
		t.Fatalf("octets: %d %s", resp.StatusCode, readAll(t, resp))
	}
	h, data := up.body(t, 1).filePart(t, "image")
	if !bytes.Equal(data, jpg) || h.Get("Content-Type") != "image/jpeg" || !strings.Contains(h.Get("Content-Disposition"), `.jpg"`) {
		t.Errorf("octets arrived as %v, identical %v", h, bytes.Equal(data, jpg))
	}

	// A truncated JPEG is answered with a 400 API error; nothing is sent.
	ct, body = multipartBody(t, []string{"model", "gpt-image-1", "prompt", "a hat"},
		part{"image", "cut.jpg", "image/jpeg", jpg[:len(jpg)/2]})
	resp := post(t, p.base+"/images/edits", ct, body)
	var doc struct {
		Error struct{ Message, Type, Code string }
	}
	if err := json.Unmarshal(readAll(t, resp), &doc); err != nil || resp.StatusCode != http.StatusBadRequest || doc.Error.Code == "" || !strings.Contains(doc.Error.Message, "cut.jpg") {
		t.Errorf("truncated: %d %+v %v", resp.StatusCode, doc, err)
	}
	if n := len(up.Edits()); n != 2 {
		t.Errorf("%d edits reached the server, want 2", n)
	}
	p.stop(t)
	log := p.stderr.String()
	for _, want := range []string{"model=dall-e-2 changes=\"image 75x100 png -> ", "image labelled image/jpeg image.jpg", "status=400", "refused="} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

func TestProxyPassesThroughOtherRequests(t *testing.T) {
	up := newUpstream(t, uploadtest.Options{})
	p := startProxy(t, map[string]string{"IMGPREP_BASE_URL": up.URL})
	for _, path := range []string{"/models", "/no/such/route"} {
		direct := do(t, must(http.NewRequest("GET", up.URL+path, nil)))
		proxied := do(t, must(http.NewRequest("GET", p.base+path, nil)))
		db, pb := readAll(t, direct), readAll(t, proxied)
		if direct.StatusCode != proxied.StatusCode || !bytes.Equal(db, pb) || direct.Header.Get("Content-Type") != proxied.Header.Get("Content-Type") {
			t.Errorf("%s: direct %d %q, proxied %d %q", path, direct.StatusCode, db, proxied.StatusCode, pb)
		}
	}
	// Outside /v1 only the health route answers.
	resp := do(t, must(http.NewRequest("GET", p.root+healthPath, nil)))
	if b := readAll(t, resp); resp.StatusCode != 200 || strings.TrimSpace(string(b)) != `{"status":"ok"}` {
		t.Errorf("health: %d %q", resp.StatusCode, b)
	}
	for _, path := range []string{"/models", "/v1x/models", "/"} {
		if resp := do(t, must(http.NewRequest("GET", p.root+path, nil))); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, resp.StatusCode)
		}
	}
	if n := len(up.Requests()); n != 2 { // /no/such/route, direct and proxied; /models is the wrapper's
		t.Errorf("%d requests reached the fake server, want 2", n)
	}
}

func TestProxyStreamsEvents(t *testing.T) {
	up := newUpstream(t, uploadtest.Options{})
	up.gate = make(chan struct{})
	p := startProxy(t, map[string]string{"IMGPREP_BASE_URL": up.URL})
	ct, body := multipartBody(t, []string{"model", "gpt-image-1", "prompt", "a hat", "stream", "true", "partial_images", "2"},
		part{"image", "g.png", "image/png", testimg.EncodePNG(t, testimg.Gradient(64, 64, true))})
	resp := post(t, p.base+"/images/edits", ct, body)
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header)
	}
	r := bufio.NewReader(resp.Body)
	// The upstream holds the stream after its first event until the gate
	// opens: the event must arrive before that.
	if ev := readEvent(t, r); ev != "image_edit.partial_image" {
		t.Fatalf("first event %q", ev)
	}
	close(up.gate)
	var rest []string
	for ev := readEvent(t, r); ev != ""; ev = readEvent(t, r) {
		rest = append(rest, ev)
	}
	if strings.Join(rest, ",") != "image_edit.partial_image,image_edit.completed" {
		t.Errorf("then %q", rest)
	}
}

// readEvent reads one SSE event and returns its type ("" at the end).
func readEvent(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	var typ string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return typ
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" && typ != "" {
			return typ
		}
		if v, ok := strings.CutPrefix(line, "event: "); ok {
			typ = v
		}
	}
}

// photo12 returns a 12 MP phone photo stored 4032x3024 with EXIF
// orientation 6, and a mask for its upright 3024x4032 picture (made once).
func photo12(t testing.TB) (img, mask []byte) {
	photoCache.Lock()
	defer photoCache.Unlock()
	if photoCache.img == nil {
		photoCache.img = testimg.OrientedJPEG(t, testimg.MarkerImage(3024, 4032), 6)
		m := image.NewNRGBA(image.Rect(0, 0, 3024, 4032))
		for i := range m.Pix {
			m.Pix[i] = 255
		}
		draw.Draw(m, image.Rect(0, 0, 1000, 1000), image.Transparent, image.Point{}, draw.Src)
		photoCache.mask = testimg.EncodePNG(t, m)
	}
	return photoCache.img, photoCache.mask
}

var photoCache struct {
	sync.Mutex
	img, mask []byte
}

var logLine = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z POST /v1/images/edits model=dall-e-2 changes="image 4032x3024 jpeg -> 1024x1024 png; mask 3024x4032 -> 1024x1024 png" status=200 ms=\d+$`)

func TestProxyLogLine(t *testing.T) {
	up := newUpstream(t, uploadtest.Options{})
	p := startProxy(t, map[string]string{"IMGPREP_BASE_URL": up.URL})
	img, m := photo12(t)
	ct, body := multipartBody(t, []string{"model", "dall-e-2", "prompt", "a hat", "response_format", "b64_json"},
		part{"image", "photo.jpg", "image/jpeg", img}, part{"mask", "mask.png", "image/png", m})
	resp := post(t, p.base+"/images/edits?api-key=query-secret-1", ct, body, "X-Custom", "header-secret-2", "Authorization", "Bearer header-secret-3")
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, readAll(t, resp))
	}
	readAll(t, resp)
	p.stop(t)
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(p.stderr.String()), "\n") {
		if !strings.HasPrefix(l, "imgprep proxy:") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !logLine.MatchString(lines[0]) {
		t.Errorf("log lines %q, want one matching %s", lines, logLine)
	}
	for _, s := range []string{"secret-1", "secret-2", "secret-3"} {
		if strings.Contains(p.stderr.String(), s) {
			t.Errorf("%s in the log", s)
		}
	}
}
