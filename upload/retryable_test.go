package upload_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

// TestRetryable: the policy's rule, for a caller that retries attempts
// itself, on the errors of an uploader whose own retries are off.
func TestRetryable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault uploadtest.Fault
		retry bool
		wait  time.Duration
	}{
		{"429 with Retry-After-Ms", uploadtest.Fault{Status: 429, RetryAfter: "1", RetryAfterMs: "250"}, true, 250 * time.Millisecond},
		{"503", uploadtest.Fault{Status: 503}, true, 0},
		{"503 with Retry-After", uploadtest.Fault{Status: 503, RetryAfter: "2"}, true, 2 * time.Second},
		{"408", uploadtest.Fault{Status: 408}, true, 0},
		{"reset", uploadtest.Fault{Reset: true}, true, 0},
		{"stalled answer", uploadtest.Fault{Delay: 5 * time.Second}, true, 0},
		{"400", uploadtest.Fault{Status: 400}, false, 0},
		{"401", uploadtest.Fault{Status: 401}, false, 0},
		{"moderation", uploadtest.Fault{Code: "moderation_blocked"}, false, 0},
		{"insufficient quota", uploadtest.Fault{Status: 429, Code: "insufficient_quota"}, false, 0},
		{"truncated", uploadtest.Fault{Truncate: true}, false, 0},
		{"malformed", uploadtest.Fault{Body: "{not json"}, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := uploadtest.NewServer(t, uploadtest.Options{})
			s.Inject(tc.fault)
			up, err := upload.Open("", upload.Config{BaseURL: s.URL, Timeout: 200 * time.Millisecond, Retry: upload.RetryPolicy{MaxRetries: -1}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = up.Edit(context.Background(), gptRequest(t))
			if err == nil {
				t.Fatal("no error")
			}
			if retry, wait := upload.Retryable(err); retry != tc.retry || wait != tc.wait {
				t.Fatalf("Retryable(%v) = %v, %v; want %v, %v", err, retry, wait, tc.retry, tc.wait)
			}
			if n := len(s.Edits()); n != 1 {
				t.Errorf("%d attempts with retries off", n)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := uploadtest.NewServer(t, uploadtest.Options{})
	up, _ := upload.Open("", upload.Config{BaseURL: s.URL})
	if _, err := up.Edit(ctx, gptRequest(t)); err == nil || func() bool { r, _ := upload.Retryable(err); return r }() {
		t.Errorf("a cancelled call: %v retryable", err)
	}
	for _, err := range []error{nil, errors.New("other"), &upload.DownloadError{Err: &upload.APIError{StatusCode: 503}}} {
		if r, _ := upload.Retryable(err); r {
			t.Errorf("Retryable(%v) = true", err)
		}
	}
}
