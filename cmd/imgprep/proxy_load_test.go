package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imgprep/imgprep/internal/jpegenc"
	"github.com/imgprep/imgprep/internal/testimg"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

// clientColor is client i's own colour: 32 colours at least 60 apart.
func clientColor(i int) color.NRGBA {
	return color.NRGBA{uint8(40 + i%4*60), uint8(40 + i/4%4*60), uint8(40 + i/16*150), 255}
}

// clientPhoto is a 12 MP phone photo (stored 4032x3024, EXIF orientation
// 6) whose centre is a block of client i's colour. It is filled and
// encoded the fast way (jpegenc reads NRGBA directly, on all cores).
func clientPhoto(t *testing.T, i int) []byte {
	st := image.NewNRGBA(image.Rect(0, 0, 4032, 3024))
	fill(st, st.Rect, color.NRGBA{128, 128, 128, 255})
	fill(st, image.Rect(0, 0, 1008, 756), color.NRGBA{255, 0, 0, 255}) // a corner, so orientation shows
	fill(st, image.Rect(1416, 912, 2616, 2112), clientColor(i))
	var buf bytes.Buffer
	if err := jpegenc.Encode(&buf, st, 85); err != nil {
		t.Error(err)
	}
	b := buf.Bytes()
	return slices.Concat(b[:2], testimg.ExifAPP1(6), b[2:])
}

// fill paints r of img with c.
func fill(img *image.NRGBA, r image.Rectangle, c color.NRGBA) {
	row := img.Pix[img.PixOffset(r.Min.X, r.Min.Y):img.PixOffset(r.Max.X, r.Min.Y)]
	for x := 0; x < len(row); x += 4 {
		row[x], row[x+1], row[x+2], row[x+3] = c.R, c.G, c.B, c.A
	}
	for y := r.Min.Y + 1; y < r.Max.Y; y++ {
		copy(img.Pix[img.PixOffset(r.Min.X, y):], row)
	}
}

// TestProxyConcurrentClients sends 32 concurrent dall-e-2 edits of 12 MP
// photos through one proxy: each client gets its own picture back (the
// fake edit inverts what it keeps), none is lost or mixed up, while the
// transport prepares at most --concurrency images at once.
func TestProxyConcurrentClients(t *testing.T) {
	if testing.Short() {
		t.Skip("32 12 MP photos: skipped with -short")
	}
	const n = 32
	bodies, types := make([][]byte, n), make([]string, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			types[i], bodies[i] = multipartBody(t, []string{"model", "dall-e-2", "prompt", fmt.Sprintf("client %d", i), "response_format", "b64_json"},
				part{"image", fmt.Sprintf("photo%d.jpg", i), "image/jpeg", clientPhoto(t, i)})
		})
	}
	wg.Wait()
	up := newUpstream(t, uploadtest.Options{})
	p := startProxy(t, map[string]string{"IMGPREP_BASE_URL": up.URL}, "--concurrency", "2")
	start := make(chan struct{})
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = clientEdit(p.base, i, types[i], bodies[i])
		})
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	t.Logf("%d concurrent 12 MP edits in %v", n, time.Since(t0).Round(time.Millisecond))
	for i, err := range errs {
		if err != nil {
			t.Errorf("client %d: %v", i, err)
		}
	}
	edits := up.Edits()
	if len(edits) != n {
		t.Fatalf("%d edits reached the server, want %d", len(edits), n)
	}
	prompts := map[string]bool{}
	for _, e := range edits {
		f := e.Files[0]
		if f.Width != 1024 || f.Height != 1024 || !f.HasAlpha || f.ContentType != "image/png" {
			t.Errorf("%s arrived as %+v", e.Field("prompt"), f)
		}
		prompts[e.Field("prompt")] = true
	}
	if len(prompts) != n {
		t.Errorf("%d distinct prompts arrived, want %d", len(prompts), n)
	}
	if got := strings.Count(p.stderr.String(), "changes=\"image 4032x3024 jpeg -> 1024x1024 png\""); got != n {
		t.Errorf("%d log lines of prepared edits, want %d", got, n)
	}
}

// clientEdit sends client i's photo and checks that the result's centre
// is the inverse of its own colour and nobody else's.
func clientEdit(base string, i int, contentType string, body []byte) error {
	resp, err := testClient.Post(base+"/images/edits", contentType, bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var doc struct {
		Data []struct {
			B64JSON       string `json:"b64_json"`
			RevisedPrompt string `json:"revised_prompt"`
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != http.StatusOK || len(doc.Data) != 1 {
		return fmt.Errorf("status %d, %v, %d results", resp.StatusCode, err, len(doc.Data))
	}
	if want := fmt.Sprintf("client %d", i); doc.Data[0].RevisedPrompt != want {
		return fmt.Errorf("revised_prompt %q, want %q", doc.Data[0].RevisedPrompt, want)
	}
	b, err := base64.StdEncoding.DecodeString(doc.Data[0].B64JSON)
	if err != nil {
		return err
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return err
	}
	c := color.NRGBAModel.Convert(img.At(512, 512)).(color.NRGBA)
	if got := nearestClient(c); got != i {
		return fmt.Errorf("result centre %v is client %d's picture", c, got)
	}
	return nil
}

// nearestClient is the client whose inverted colour is nearest c.
func nearestClient(c color.NRGBA) int {
	best, bestD := -1, 1<<30
	for i := range 32 {
		w := clientColor(i)
		d := sq(255-int(w.R)-int(c.R)) + sq(255-int(w.G)-int(c.G)) + sq(255-int(w.B)-int(c.B))
		if d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

func sq(x int) int { return x * x }

// TestProxyAdmission: with one body admitted at a time, concurrent edits
// and a refused one all complete (a refusal releases its slot).
func TestProxyAdmission(t *testing.T) {
	up := newUpstream(t, uploadtest.Options{Latency: 50 * time.Millisecond})
	p := startProxy(t, map[string]string{"IMGPREP_BASE_URL": up.URL}, "--concurrency", "1", "--max-buffered", "1")
	ct, body := smallEdit(t)
	cut := testimg.EncodeJPEG(t, testimg.Gradient(64, 64, false), 90)
	bct, bad := multipartBody(t, []string{"model", "gpt-image-1", "prompt", "a hat"}, part{"image", "cut.jpg", "image/jpeg", cut[:len(cut)/2]})
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range codes {
		wg.Go(func() {
			c, b := ct, body
			if i%4 == 0 {
				c, b = bct, bad
			}
			resp, err := testClient.Post(p.base+"/images/edits", c, bytes.NewReader(b))
			if err == nil {
				resp.Body.Close()
				codes[i] = resp.StatusCode
			}
		})
	}
	wg.Wait()
	for i, c := range codes {
		if want := map[bool]int{true: 400, false: 200}[i%4 == 0]; c != want {
			t.Errorf("request %d: %d, want %d", i, c, want)
		}
	}
	// A body still uploading holds the one slot; a request without a body
	// is not admitted at all, so it passes meanwhile.
	pr, pw := io.Pipe()
	slow := make(chan int, 1)
	go func() {
		resp, err := testClient.Post(p.base+"/images/edits", ct, pr)
		if err != nil {
			slow <- -1
			return
		}
		resp.Body.Close()
		slow <- resp.StatusCode
	}()
	pw.Write(body[:100])
	if resp := do(t, must(http.NewRequest("GET", p.base+"/models", nil))); resp.StatusCode != 200 {
		t.Errorf("GET while a body uploads: %d", resp.StatusCode)
	}
	pw.Write(body[100:])
	pw.Close()
	if st := <-slow; st != 200 {
		t.Errorf("the slow upload got %d", st)
	}
	if code, _, stderr := runProxyCmd(t, nil, "--listen", "127.0.0.1:0", "--max-buffered", "-2"); code != exitUsage || !strings.Contains(stderr, "--max-buffered") {
		t.Errorf("--max-buffered -2: %d %q", code, stderr)
	}
}
