package uploadtest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/imgprep/imgprep/upload/uploadtest"
)

// send posts a valid dall-e-2 edit and returns the response, its body and
// the error of reading it (the body is closed).
func send(t *testing.T, s *uploadtest.Server, c *http.Client, hdr ...string) (*http.Response, []byte, error) {
	t.Helper()
	body, ct := dalle2Form(t).done()
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/images/edits", bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+testKey)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestFaults(t *testing.T) {
	t.Parallel()
	type check func(t *testing.T, resp *http.Response, body []byte, err error, elapsed time.Duration)
	status := func(code int, errType, errCode string) check {
		return func(t *testing.T, resp *http.Response, body []byte, err error, _ time.Duration) {
			if err != nil || resp.StatusCode != code {
				t.Fatalf("got %v / %v, want %d", resp, err, code)
			}
			if errType == "" {
				return
			}
			e := decodeErr(t, body)
			if e.Error.Type != errType || str(e.Error.Code) != errCode {
				t.Errorf("error type/code %s/%s, want %s/%s", e.Error.Type, str(e.Error.Code), errType, errCode)
			}
		}
	}
	tests := []struct {
		name  string
		fault uploadtest.Fault
		check check
	}{
		{"429 with Retry-After", uploadtest.Fault{Status: 429, RetryAfter: "2", RetryAfterMs: "1500"},
			func(t *testing.T, resp *http.Response, body []byte, err error, d time.Duration) {
				status(429, "requests", "rate_limit_exceeded")(t, resp, body, err, d)
				if resp.Header.Get("Retry-After") != "2" || resp.Header.Get("Retry-After-Ms") != "1500" {
					t.Errorf("retry headers %v", resp.Header)
				}
			}},
		{"500", uploadtest.Fault{Status: 500}, status(500, "server_error", "<null>")},
		{"503", uploadtest.Fault{Status: 503}, status(503, "server_error", "<null>")},
		{"moderation", uploadtest.Fault{Code: "moderation_blocked"}, status(400, "image_generation_user_error", "moderation_blocked")},
		{"slow", uploadtest.Fault{Delay: 300 * time.Millisecond},
			func(t *testing.T, resp *http.Response, body []byte, err error, d time.Duration) {
				status(200, "", "")(t, resp, body, err, d)
				if d < 300*time.Millisecond {
					t.Errorf("answered after %v", d)
				}
			}},
		{"truncated body", uploadtest.Fault{Truncate: true},
			func(t *testing.T, resp *http.Response, body []byte, err error, _ time.Duration) {
				if resp == nil || resp.StatusCode != 200 || !errors.Is(err, io.ErrUnexpectedEOF) || len(body) == 0 {
					t.Fatalf("got %v, %d bytes, err %v; want a 200 cut short", resp, len(body), err)
				}
			}},
		{"truncated error", uploadtest.Fault{Status: 500, Truncate: true},
			func(t *testing.T, resp *http.Response, body []byte, err error, _ time.Duration) {
				if resp == nil || resp.StatusCode != 500 || !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Fatalf("got %v, err %v", resp, err)
				}
			}},
		{"malformed JSON", uploadtest.Fault{Body: "{not json"},
			func(t *testing.T, resp *http.Response, body []byte, err error, d time.Duration) {
				status(200, "", "")(t, resp, body, err, d)
				if json.Valid(body) {
					t.Errorf("body is valid JSON: %s", body)
				}
			}},
		{"connection reset", uploadtest.Fault{Reset: true},
			func(t *testing.T, resp *http.Response, _ []byte, err error, _ time.Duration) {
				if err == nil {
					t.Fatalf("no error, status %d", resp.StatusCode)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := uploadtest.NewServer(t, uploadtest.Options{APIKey: testKey})
			s.Inject(tc.fault)
			c := &http.Transport{DisableKeepAlives: true}
			start := time.Now()
			resp, body, err := send(t, s, &http.Client{Transport: c})
			tc.check(t, resp, body, err, time.Since(start))
			// the queue is drained: the next request is normal
			if resp, body, err := send(t, s, s.Client()); err != nil || resp.StatusCode != 200 {
				t.Fatalf("after fault: %v %v %.200s", resp, err, body)
			}
			if n := len(s.Edits()); n != 2 {
				t.Errorf("recorded %d edits, want 2", n)
			}
		})
	}
}

func TestFaultQueueAndHeader(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{APIKey: testKey})
	s.Inject(uploadtest.Fault{Status: 429}, uploadtest.Fault{}, uploadtest.Fault{Status: 502})
	// the header fault takes precedence and does not consume the queue
	resp, _, err := send(t, s, s.Client(), uploadtest.FaultHeader, "503, retry-after=1")
	if err != nil || resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "1" {
		t.Fatalf("header fault: %v %v", resp, err)
	}
	for i, want := range []int{429, 200, 502, 200} {
		resp, body, err := send(t, s, s.Client())
		if err != nil || resp.StatusCode != want {
			t.Fatalf("request %d: %v %v %.200s, want %d", i, resp, err, body, want)
		}
	}
	resp, body, _ := send(t, s, s.Client(), uploadtest.FaultHeader, "bogus")
	if resp.StatusCode != 400 {
		t.Errorf("bad header: %d %s", resp.StatusCode, body)
	}
}

// TestClientGivesUpOnSlowServer: a client timeout shorter than a Delay
// fault fails, and the server does not hang on it.
func TestClientGivesUpOnSlowServer(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{})
	s.Inject(uploadtest.Fault{Delay: time.Minute})
	c := s.Client()
	c.Timeout = 200 * time.Millisecond
	if _, _, err := send(t, s, c); err == nil {
		t.Fatal("no timeout")
	}
}

func TestStreamTruncated(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{})
	s.Inject(uploadtest.Fault{Truncate: true})
	body, ct := newForm().field("model", "gpt-image-1").field("prompt", "p").field("stream", "true").
		field("partial_images", "1").png("image", pngBytes(t, gradient(16, 16, false))).done()
	resp, err := s.Client().Post(s.URL+"/images/edits", ct, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil || !bytes.Contains(b, []byte("image_edit.partial_image")) {
		t.Fatalf("stream not cut after the partial: err %v, %d bytes", err, len(b))
	}
}
