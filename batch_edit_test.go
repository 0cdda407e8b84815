package imgprep_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/imgprep/imgprep"
	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

// editJobs makes n dall-e-2 jobs (256x256 outputs: a cheap fake edit),
// the one at bad with a truncated image.
func editJobs(t *testing.T, n, bad int) []imgprep.BatchJob {
	var jobs []imgprep.BatchJob
	for i := range n {
		data := tinyPNG(t, i)
		if i == bad {
			data = data[:len(data)/2]
		}
		name := fmt.Sprintf("in-%02d.png", i)
		jobs = append(jobs, imgprep.BatchJob{Key: name, Job: imgprep.Job{Model: "dall-e-2", Prompt: "p",
			Images: []imgprep.Image{{Name: name, Data: data}},
			Params: imgprep.Params{Size: "256x256", ResponseFormat: "b64_json"}}})
	}
	return jobs
}

// TestBatchEditRun: Run with the facade's flow against the rate-limited
// relay: the good jobs are edited once and saved once, the truncated
// image fails as an input and is never sent.
func TestBatchEditRun(t *testing.T) {
	t.Parallel()
	srv := uploadtest.NewServer(t, uploadtest.Options{MaxInFlight: 2, RateLimitRetryAfter: 30 * time.Millisecond, FailEvery: 5})
	var mu sync.Mutex
	saved := map[string]int{}
	var results []imgprep.BatchResult
	b, err := imgprep.NewBatch(imgprep.BatchOptions{Workers: 4, Config: upload.Config{BaseURL: srv.URL},
		Retry:    upload.RetryPolicy{BaseDelay: 5 * time.Millisecond},
		OnResult: func(r imgprep.BatchResult) { results = append(results, r) }})
	if err != nil {
		t.Fatal(err)
	}
	jobs := editJobs(t, 10, 4)
	for i := range jobs {
		jobs[i].Save = func(_ context.Context, res *imgprep.Result) ([]imgprep.BatchOutput, error) {
			mu.Lock()
			defer mu.Unlock()
			saved[jobs[i].Key]++
			return []imgprep.BatchOutput{{Path: jobs[i].Key, Bytes: len(res.Outputs[0].Data), Format: res.Outputs[0].Format.String()}}, nil
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sum := b.Run(ctx, slices.Values(jobs), nil)
	if sum.OK != 9 || sum.Failed != 1 {
		t.Fatalf("summary %+v", sum)
	}
	for _, r := range results {
		switch {
		case r.Key == "in-04.png":
			if r.Status != imgprep.BatchError || r.Category != "input" || r.Attempts != 0 || r.Inputs[0] != "in-04.png" {
				t.Errorf("the truncated image: %+v", r)
			}
		case r.Status != imgprep.BatchOK || saved[r.Key] != 1 || len(r.Outputs) != 1 || r.Result == nil || r.Outputs[0].Format != "png":
			t.Errorf("%s: %+v, saved %d times", r.Key, r, saved[r.Key])
		}
	}
	served := map[string]int{}
	for _, e := range srv.Edits() {
		if e.Status == 200 {
			served[e.Files[0].Filename]++
		}
		if e.Files[0].Filename == "in-04.png" {
			t.Error("the truncated image was sent")
		}
	}
	for _, j := range jobs {
		if want := map[bool]int{true: 0, false: 1}[j.Key == "in-04.png"]; served[j.Key] != want {
			t.Errorf("%s served %d times", j.Key, served[j.Key])
		}
	}
	if p := srv.PeakInFlight(); p > 4 {
		t.Errorf("peak %d in flight with 4 workers", p)
	}
}

// TestBatchEditQueueWorker: many consumer goroutines share one Batch and
// call Edit per message; the governor bounds them together, and an auth
// failure fails every later call at once.
func TestBatchEditQueueWorker(t *testing.T) {
	t.Parallel()
	srv := uploadtest.NewServer(t, uploadtest.Options{APIKey: "sk-right-0123456789", Latency: 30 * time.Millisecond})
	b, err := imgprep.NewBatch(imgprep.BatchOptions{Workers: 3, Config: upload.Config{BaseURL: srv.URL, APIKey: "sk-right-0123456789"}})
	if err != nil {
		t.Fatal(err)
	}
	jobs := editJobs(t, 12, -1)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for _, j := range jobs {
		wg.Go(func() { // 12 consumers at once
			if r := b.Edit(context.Background(), j); r.Err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			} else {
				t.Errorf("%s: %v", j.Key, r.Err)
			}
		})
	}
	wg.Wait()
	if st := b.Governor().State(); ok != 12 || st.Peak > 3 || srv.PeakInFlight() > 3 {
		t.Fatalf("%d ok, governor peak %d, server peak %d; want 12, at most 3", ok, st.Peak, srv.PeakInFlight())
	}

	bad, err := imgprep.NewBatch(imgprep.BatchOptions{Workers: 3, Config: upload.Config{BaseURL: srv.URL, APIKey: "sk-wrong-0123456789"}})
	if err != nil {
		t.Fatal(err)
	}
	before := len(srv.Edits())
	if r := bad.Edit(context.Background(), jobs[0]); r.Category != "auth" {
		t.Fatalf("first call with a wrong key: %+v", r)
	}
	r := bad.Edit(context.Background(), jobs[1])
	if !errors.Is(r.Err, imgprep.ErrBatchStopped) || !errors.Is(r.Err, upload.ErrAuth) || !errors.Is(bad.Err(), upload.ErrAuth) {
		t.Fatalf("a call after the auth failure: %+v", r)
	}
	if n := len(srv.Edits()) - before; n != 1 {
		t.Errorf("%d requests with the wrong key, want 1", n)
	}
}

// Run four edits on two workers that share one rate governor; each result
// is reported as its job ends.
func ExampleBatch() {
	srv := httptest.NewServer(uploadtest.NewHandler(uploadtest.Options{}))
	defer srv.Close()

	var mu sync.Mutex
	ok := 0
	b, err := imgprep.NewBatch(imgprep.BatchOptions{
		Workers: 2,
		Config:  upload.Config{BaseURL: srv.URL + "/v1", APIKey: "sk-example"},
		OnResult: func(r imgprep.BatchResult) {
			mu.Lock()
			defer mu.Unlock()
			if r.Status == imgprep.BatchOK {
				ok++
			}
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	jobs := func(yield func(imgprep.BatchJob) bool) {
		for i := range 4 {
			job := imgprep.Job{Model: "gpt-image-1", Prompt: "a red balloon", Params: imgprep.Params{Quality: "low"},
				Images: []imgprep.Image{{Name: fmt.Sprintf("photo-%d.png", i), Data: photoPNG(300, 200)}}}
			if !yield(imgprep.BatchJob{Key: fmt.Sprint(i), Job: job}) {
				return
			}
		}
	}
	sum := b.Run(context.Background(), jobs, nil)
	fmt.Printf("%d of %d ok, %d reported, %d requests\n", sum.OK, sum.Jobs, ok, sum.Attempts)
	// Output:
	// 4 of 4 ok, 4 reported, 4 requests
}
