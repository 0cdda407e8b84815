package imgprep_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/imgprep/imgprep"
	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

// tinyPNG is a small square image with a transparent corner (dall-e-2's
// edit area), distinct per seed.
func tinyPNG(t testing.TB, seed int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 16, 16))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	img.SetNRGBA(0, 0, color.NRGBA{uint8(seed), 0, 0, 255})
	img.SetNRGBA(15, 15, color.NRGBA{})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// rawBatch is a batch whose jobs send one ready request each through an
// uploader with its own retries off, straight at the fake server.
type rawBatch struct {
	t    *testing.T
	srv  *uploadtest.Server
	up   upload.Uploader
	b    *imgprep.Batch
	reqs map[string]*upload.Request

	mu      sync.Mutex
	results []imgprep.BatchResult
	retries []imgprep.BatchRetry
}

func newRawBatch(t *testing.T, so uploadtest.Options, bo imgprep.BatchOptions, key string) *rawBatch {
	t.Helper()
	so.APIKey = "sk-right-key-0123456789"
	srv := uploadtest.NewServer(t, so)
	up, err := upload.Open("", upload.Config{BaseURL: srv.URL, APIKey: key, Timeout: 20 * time.Second, Retry: upload.RetryPolicy{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	r := &rawBatch{t: t, srv: srv, up: up, reqs: map[string]*upload.Request{}}
	bo.OnResult = func(res imgprep.BatchResult) { r.results = append(r.results, res) } // serialised by the batch
	bo.OnRetry = func(ev imgprep.BatchRetry) { r.retries = append(r.retries, ev) }
	if r.b, err = imgprep.NewBatch(bo); err != nil {
		t.Fatal(err)
	}
	return r
}

// jobs makes n jobs, in-00.png ... each with its own request (dall-e-2
// at 256x256: the fake edit is cheap).
func (r *rawBatch) jobs(n int) []imgprep.BatchJob {
	var out []imgprep.BatchJob
	for i := range n {
		name := fmt.Sprintf("in-%02d.png", i)
		r.reqs[name] = &upload.Request{Model: "dall-e-2", Prompt: "p", Size: "256x256", ResponseFormat: "b64_json", Images: []upload.File{{Name: name, Data: tinyPNG(r.t, i)}}}
		out = append(out, imgprep.BatchJob{Key: name, Inputs: []string{name}})
	}
	return out
}

// send is the BatchFunc: one request per attempt through Batch.Do.
func (r *rawBatch) send(ctx context.Context, job imgprep.BatchJob) imgprep.BatchResult {
	req := r.reqs[job.Key]
	var resp *upload.Response
	n, err := r.b.Do(ctx, func(ctx context.Context) error {
		var err error
		resp, err = r.up.Edit(ctx, req)
		return err
	})
	res := imgprep.BatchResult{Attempts: n, Err: err}
	if err == nil {
		res.Usage = resp.Usage
		res.Outputs = []imgprep.BatchOutput{{Path: job.Key, Bytes: len(resp.Images[0].Data)}}
	}
	return res
}

func (r *rawBatch) run(jobs []imgprep.BatchJob) imgprep.BatchSummary {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return r.b.Run(ctx, slices.Values(jobs), r.send)
}

// served counts the server's successful edits per input file name.
func served(srv *uploadtest.Server) map[string]int {
	m := map[string]int{}
	for _, e := range srv.Edits() {
		if e.Status == 200 && len(e.Files) > 0 {
			m[e.Files[0].Filename]++
		}
	}
	return m
}

// TestBatchRateLimitedRelay: 25 jobs on 6 workers against a relay that
// takes 3 at once (429 + Retry-After above) and fails every 7th request
// with 503: every job is edited exactly once, none fails, never more than
// 6 in flight, and the governor did shrink the window.
func TestBatchRateLimitedRelay(t *testing.T) {
	t.Parallel()
	r := newRawBatch(t, uploadtest.Options{MaxInFlight: 3, RateLimitRetryAfter: 40 * time.Millisecond, FailEvery: 7, Latency: 30 * time.Millisecond},
		imgprep.BatchOptions{Workers: 6, Retry: upload.RetryPolicy{BaseDelay: 5 * time.Millisecond, MaxDelay: 20 * time.Millisecond}}, "sk-right-key-0123456789")
	sum := r.run(r.jobs(25))
	if sum.Jobs != 25 || sum.OK != 25 || sum.Failed+sum.Canceled+sum.Skipped != 0 || sum.Stopped != nil {
		for _, res := range r.results {
			if res.Err != nil {
				t.Logf("%s: %s %v", res.Key, res.Category, res.Err)
			}
		}
		t.Fatalf("summary %+v", sum)
	}
	for name := range r.reqs {
		if n := served(r.srv)[name]; n != 1 {
			t.Errorf("%s edited %d times, want exactly once (%v)", name, n, served(r.srv))
		}
	}
	st := r.b.Governor().State()
	if p := r.srv.PeakInFlight(); p > 6 || st.Peak > 6 {
		t.Errorf("peak in flight: server %d, governor %d; want at most 6", p, st.Peak)
	}
	edits := r.srv.Edits()
	var limited, failed int
	for _, e := range edits {
		switch e.Status {
		case 429:
			limited++
		case 503:
			failed++
		}
	}
	if failed == 0 || sum.Attempts != len(edits) || sum.Retries != len(edits)-25 {
		t.Errorf("%d edits (%d 429, %d 503), %d attempts and %d retries counted", len(edits), limited, failed, sum.Attempts, sum.Retries)
	}
	if limited > 0 && st.RateLimits != limited {
		t.Errorf("governor saw %d rate limits, the server sent %d", st.RateLimits, limited)
	}
	// The shared governor keeps the collisions few: far fewer 429s than the
	// per-process retry loop of the issue, where every worker kept colliding.
	if limited > 25 {
		t.Errorf("%d rate-limited answers for 25 jobs: the workers keep colliding", limited)
	}
	t.Logf("%d requests: %d 429, %d 503; window %d, %d retries reported", len(edits), limited, failed, st.Window, len(r.retries))
}

// TestBatchAuthStops: a 401 stops the batch: no job is sent after it.
func TestBatchAuthStops(t *testing.T) {
	t.Parallel()
	r := newRawBatch(t, uploadtest.Options{Latency: 20 * time.Millisecond}, imgprep.BatchOptions{Workers: 3}, "sk-wrong-key-0123456789")
	sum := r.run(r.jobs(12))
	if !errors.Is(sum.Stopped, upload.ErrAuth) || !errors.Is(r.b.Err(), upload.ErrAuth) {
		t.Fatalf("stopped by %v", sum.Stopped)
	}
	if n := len(r.srv.Edits()); n > 3 {
		t.Errorf("%d requests sent; after the first 401 none should start (3 workers)", n)
	}
	if sum.Jobs > 6 || sum.OK != 0 || sum.Failed == 0 {
		t.Errorf("summary %+v: the batch took jobs after the stop", sum)
	}
	for _, res := range r.results {
		switch {
		case res.Status == imgprep.BatchError && res.Category != "auth",
			res.Status == imgprep.BatchCanceled && (res.Category != "stopped" || !errors.Is(res.Err, imgprep.ErrBatchStopped)):
			t.Errorf("%s: %s %s %v", res.Key, res.Status, res.Category, res.Err)
		}
	}
}

// TestBatchFailuresStayWithTheirJob: a 400 fails its job only; a 503 that
// does not pass fails after the policy's retries; a duplicate key is not
// sent.
func TestBatchFailuresStayWithTheirJob(t *testing.T) {
	t.Parallel()
	r := newRawBatch(t, uploadtest.Options{}, imgprep.BatchOptions{Workers: 1, Retry: upload.RetryPolicy{MaxRetries: 2},
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }}, "sk-right-key-0123456789")
	r.srv.Inject(uploadtest.Fault{Status: 400}, uploadtest.Fault{Status: 503}, uploadtest.Fault{Status: 503}, uploadtest.Fault{Status: 503})
	jobs := r.jobs(3)
	jobs = append(jobs, jobs[2])
	sum := r.run(jobs)
	if sum.OK != 1 || sum.Failed != 3 {
		t.Fatalf("summary %+v", sum)
	}
	want := []struct {
		category string
		attempts int
	}{{"bad_request", 1}, {"server", 3}, {"", 1}, {"duplicate", 0}}
	for i, res := range r.results {
		if res.Index != i || res.Category != want[i].category || res.Attempts != want[i].attempts {
			t.Errorf("job %d: %+v, want %+v", i, res, want[i])
		}
	}
	if len(r.retries) != 2 || r.retries[0].RateLimited || r.retries[1].Attempt != 2 {
		t.Errorf("retries %+v", r.retries)
	}
}

// TestBatchWaitTooLong: a Retry-After above MaxRetryAfter stops the batch
// rather than fail every job one after the other.
func TestBatchWaitTooLong(t *testing.T) {
	t.Parallel()
	r := newRawBatch(t, uploadtest.Options{}, imgprep.BatchOptions{Workers: 1}, "sk-right-key-0123456789")
	r.srv.Inject(uploadtest.Fault{Status: 429, RetryAfter: "3600"})
	sum := r.run(r.jobs(3))
	var wt *imgprep.WaitTooLongError
	if !errors.As(sum.Stopped, &wt) || wt.Wait != time.Hour || sum.Jobs != 1 || len(r.srv.Edits()) != 1 {
		t.Fatalf("summary %+v", sum)
	}
}

// TestBatchDrain: after Drain no job starts; those in flight end.
func TestBatchDrain(t *testing.T) {
	t.Parallel()
	r := newRawBatch(t, uploadtest.Options{Latency: 150 * time.Millisecond}, imgprep.BatchOptions{Workers: 2}, "sk-right-key-0123456789")
	jobs := r.jobs(10)
	time.AfterFunc(200*time.Millisecond, r.b.Drain) // during the second pair
	sum := r.run(jobs)
	if !errors.Is(sum.Stopped, imgprep.ErrDrained) || sum.OK < 2 || sum.OK > 4 || sum.Failed != 0 {
		t.Fatalf("summary %+v", sum)
	}
	if n := len(served(r.srv)); n != sum.OK || len(r.srv.Edits()) != sum.OK {
		t.Errorf("%d served, %d sent, %d ok", n, len(r.srv.Edits()), sum.OK)
	}
	if _, err := r.b.Do(context.Background(), func(context.Context) error { return nil }); !errors.Is(err, imgprep.ErrBatchStopped) {
		t.Errorf("Do after Drain: %v", err)
	}
}
