package imgprep

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/imgprep/imgprep/internal/testimg"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
)

// TestPreparationsBounded counts the preparations running at once across
// concurrent requests: never more than Concurrency, and with a larger
// bound they do overlap (so the count can see a missing bound).
func TestPreparationsBounded(t *testing.T) {
	photo := testimg.EncodeJPEG(t, testimg.Gradient(400, 300, false), 90)
	for _, n := range []int{1, 3} {
		tr := NewTransport(roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Body: io.NopCloser(bytes.NewReader(nil)), Header: http.Header{}, Request: r}, nil
		}), TransportOptions{Concurrency: n}).(*transport)
		var running, peak atomic.Int32
		tr.prepareOne = func(ctx context.Context, in pipeline.Input, p *model.Profile, o pipeline.Options) (*pipeline.Prepared, error) {
			now := running.Add(1)
			for old := peak.Load(); now > old && !peak.CompareAndSwap(old, now); old = peak.Load() {
			}
			time.Sleep(20 * time.Millisecond)
			defer running.Add(-1)
			return pipeline.PrepareOne(ctx, in, p, o)
		}
		var wg sync.WaitGroup
		for range 6 {
			wg.Go(func() {
				resp, err := tr.RoundTrip(editRequest("dall-e-2", photo, nil))
				if err != nil || resp.StatusCode != 200 {
					t.Errorf("round trip: %v %v", resp, err)
					return
				}
				resp.Body.Close()
			})
		}
		wg.Wait()
		if p := int(peak.Load()); p > n || (n > 1 && p < 2) {
			t.Errorf("Concurrency %d: %d preparations ran at once", n, p)
		}
	}
}

// countingBody counts the bodies that have been read from.
type countingBody struct {
	r       io.Reader
	started *atomic.Int32
	once    sync.Once
}

func (b *countingBody) Read(p []byte) (int, error) {
	b.once.Do(func() { b.started.Add(1) })
	return b.r.Read(p)
}

// TestBufferedBodiesBounded: while preparations are held up, at most
// MaxBuffered edit bodies are read; the others wait unread and complete
// once the way is free.
func TestBufferedBodiesBounded(t *testing.T) {
	photo := testimg.EncodeJPEG(t, testimg.Gradient(64, 48, false), 90)
	tr := NewTransport(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Body: io.NopCloser(bytes.NewReader(nil)), Header: http.Header{}, Request: r}, nil
	}), TransportOptions{Concurrency: 1, MaxBuffered: 2}).(*transport)
	hold := make(chan struct{})
	tr.prepareOne = func(ctx context.Context, in pipeline.Input, p *model.Profile, o pipeline.Options) (*pipeline.Prepared, error) {
		<-hold
		return pipeline.PrepareOne(ctx, in, p, o)
	}
	var started atomic.Int32
	var wg sync.WaitGroup
	for range 5 {
		req := editRequest("gpt-image-1", photo, func(r io.Reader) io.Reader { return &countingBody{r: r, started: &started} })
		wg.Go(func() {
			if resp, err := tr.RoundTrip(req); err != nil || resp.StatusCode != 200 {
				t.Errorf("round trip: %v %v", resp, err)
			}
		})
	}
	deadline := time.Now().Add(2 * time.Second)
	for started.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // time for a third body to be read, were it allowed
	if n := started.Load(); n != 2 {
		t.Errorf("%d bodies read while the preparations were held, want 2", n)
	}
	close(hold)
	wg.Wait()
	if n := started.Load(); n != 5 {
		t.Errorf("%d bodies read in the end, want 5", n)
	}
}

// editRequest is a multipart edit request for model with one image, its
// body wrapped by wrap when given.
func editRequest(modelName string, image []byte, wrap func(io.Reader) io.Reader) *http.Request {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("model", modelName)
	fw, _ := w.CreateFormFile("image", "p.jpg")
	fw.Write(image)
	w.Close()
	var body io.Reader = &buf
	if wrap != nil {
		body = wrap(body)
	}
	req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/v1/images/edits", body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return req
}
