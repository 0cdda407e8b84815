package uploadtest_test

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/imgprep/imgprep/upload/uploadtest"
)

// statuses posts a valid edit n times at once and returns the answers'
// statuses and Retry-After / Retry-After-Ms headers, in no order.
func statuses(t *testing.T, s *uploadtest.Server, n int) (codes []int, after, afterMs []string) {
	t.Helper()
	body, ct := dalle2Form(t).done()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodPost, s.URL+"/images/edits", bytes.NewReader(body))
			req.Header.Set("Content-Type", ct)
			resp, err := s.Client().Do(req)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				codes = append(codes, 0)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			codes = append(codes, resp.StatusCode)
			if resp.StatusCode == 429 {
				after, afterMs = append(after, resp.Header.Get("Retry-After")), append(afterMs, resp.Header.Get("Retry-After-Ms"))
			}
		})
	}
	wg.Wait()
	slices.Sort(codes)
	return codes, after, afterMs
}

// TestMaxInFlight: above the cap the relay answers 429 at once with the
// configured Retry-After, records the status, and measures its peak.
func TestMaxInFlight(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		after     time.Duration
		header    string
		headersMs string
	}{
		{"whole seconds", 0, "1", ""},
		{"fraction", 250 * time.Millisecond, "1", "250"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := uploadtest.NewServer(t, uploadtest.Options{MaxInFlight: 2, RateLimitRetryAfter: tc.after, Latency: 700 * time.Millisecond})
			start := time.Now()
			codes, after, afterMs := statuses(t, s, 5)
			if !slices.Equal(codes, []int{200, 200, 429, 429, 429}) {
				t.Fatalf("statuses %v, want two 200 and three 429", codes)
			}
			for i := range after {
				if after[i] != tc.header || afterMs[i] != tc.headersMs {
					t.Errorf("Retry-After %q, Retry-After-Ms %q; want %q, %q", after[i], afterMs[i], tc.header, tc.headersMs)
				}
			}
			if p := s.PeakInFlight(); p < 3 || p > 5 {
				t.Errorf("peak in flight %d, want 3 to 5 (a 429 counts while it is answered)", p)
			}
			var recorded []int
			for _, e := range s.Edits() {
				recorded = append(recorded, e.Status)
			}
			slices.Sort(recorded)
			if !slices.Equal(recorded, codes) {
				t.Errorf("recorded statuses %v, answered %v", recorded, codes)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
			// once the load is gone, the cap lets requests through again
			if codes, _, _ := statuses(t, s, 2); !slices.Equal(codes, []int{200, 200}) {
				t.Errorf("after the burst: %v", codes)
			}
		})
	}
}

// TestFailEvery: every k-th edit under the cap gets the 5xx; a queued
// fault wins over it and is counted like any edit.
func TestFailEvery(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{FailEvery: 3})
	var got []int
	for range 7 {
		resp, _, err := send(t, s, s.Client())
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, resp.StatusCode)
	}
	if want := []int{200, 200, 503, 200, 200, 503, 200}; !slices.Equal(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	s2 := uploadtest.NewServer(t, uploadtest.Options{FailEvery: 2, FailStatus: 502})
	s2.Inject(uploadtest.Fault{Status: 500})
	got = got[:0]
	for range 4 {
		resp, _, _ := send(t, s2, s2.Client())
		got = append(got, resp.StatusCode)
	}
	if want := []int{500, 502, 200, 502}; !slices.Equal(got, want) {
		t.Fatalf("statuses %v, want %v (the queued fault first)", got, want)
	}
}

// TestRecordedStatus: the status is that of an answer sent in full; a
// reset or a cut answer records 0.
func TestRecordedStatus(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{})
	s.Inject(uploadtest.Fault{Reset: true}, uploadtest.Fault{Truncate: true}, uploadtest.Fault{Status: 429}, uploadtest.Fault{})
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for range 4 {
		send(t, s, c)
	}
	var got []int
	for _, e := range s.Edits() {
		got = append(got, e.Status)
	}
	if want := []int{0, 0, 429, 200}; !slices.Equal(got, want) {
		t.Fatalf("recorded %v, want %v", got, want)
	}
}
