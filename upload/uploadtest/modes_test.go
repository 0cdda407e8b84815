package uploadtest_test

import (
	"bufio"
	"encoding/json"
	"image"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/upload/uploadtest"
)

// TestURLResult: response_format=url (and dall-e-2's default) returns a URL
// on the same server that serves the PNG without auth.
func TestURLResult(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{APIKey: testKey})
	for _, rf := range []string{"url", ""} {
		f := newForm().field("model", "dall-e-2").field("prompt", "p").field("n", "2")
		if rf != "" {
			f.field("response_format", rf)
		}
		f.png("image", pngBytes(t, gradient(512, 512, true)))
		r := okForm(t, s, f)
		if len(r.Data) != 2 || r.Data[0].B64JSON != "" || !strings.HasPrefix(r.Data[0].URL, s.Root+"/files/") ||
			!strings.HasSuffix(r.Data[0].URL, ".png") || r.Data[0].URL == r.Data[1].URL {
			t.Fatalf("response_format=%q: %+v", rf, r.Data)
		}
		resp, err := http.Get(r.Data[1].URL)
		if err != nil {
			t.Fatal(err)
		}
		img, format, err := image.Decode(resp.Body)
		resp.Body.Close()
		if err != nil || format != "png" || resp.Header.Get("Content-Type") != "image/png" || img.Bounds().Dx() != 512 {
			t.Fatalf("download: %v %s %v", err, format, resp.Header)
		}
	}
	resp, err := http.Get(s.Root + "/files/file-nope.png")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown file: %d", resp.StatusCode)
	}
}

func TestURLResultsOption(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{URLResults: true})
	r := okForm(t, s, newForm().field("model", "gpt-image-1").field("prompt", "p").
		png("image", pngBytes(t, gradient(32, 32, false))))
	if r.Data[0].URL == "" || r.Data[0].B64JSON != "" {
		t.Errorf("URLResults: %+v", r.Data)
	}
}

type taskResp struct {
	TaskID   string `json:"task_id"`
	Status   string `json:"status"`
	Progress int    `json:"progress"`
	Data     []struct {
		B64JSON string `json:"b64_json"`
		URL     string `json:"url"`
	} `json:"data"`
	Error *struct {
		Message string `json:"message"`
		Code    string `json:"code"`
	} `json:"error"`
}

func poll(t *testing.T, s *uploadtest.Server, id string) (int, taskResp) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/tasks/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+testKey)
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tr taskResp
	_ = json.NewDecoder(resp.Body).Decode(&tr)
	return resp.StatusCode, tr
}

// TestAsync: ?async=true returns a task id; polls report queued,
// processing, then succeeded with data, or failed with FailTask.
func TestAsync(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		opts  uploadtest.Options
		query string
		want  []string
	}{
		{"query", uploadtest.Options{APIKey: testKey}, "async=true", []string{"queued", "processing", "succeeded"}},
		{"default async, 3 steps", uploadtest.Options{APIKey: testKey, AsyncByDefault: true, TaskSteps: 3},
			"", []string{"queued", "processing", "processing", "succeeded"}},
		{"immediate", uploadtest.Options{APIKey: testKey, AsyncByDefault: true, TaskSteps: -1}, "", []string{"succeeded"}},
		{"failing", uploadtest.Options{APIKey: testKey, FailTask: "content moderated"}, "async=true",
			[]string{"queued", "processing", "failed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := uploadtest.NewServer(t, tc.opts)
			body, ct := dalle2Form(t).done()
			resp, b := post(t, s, tc.query, ct, body)
			var sub taskResp
			if err := json.Unmarshal(b, &sub); err != nil || resp.StatusCode != 200 || sub.Status != "queued" ||
				!strings.HasPrefix(sub.TaskID, "task_") {
				t.Fatalf("submit: %d %s", resp.StatusCode, b)
			}
			var last taskResp
			for i, want := range tc.want {
				code, tr := poll(t, s, sub.TaskID)
				if code != 200 || tr.Status != want || tr.TaskID != sub.TaskID {
					t.Fatalf("poll %d: %d %+v, want %s", i+1, code, tr, want)
				}
				last = tr
			}
			switch last.Status {
			case "succeeded":
				if len(last.Data) != 1 || last.Progress != 100 {
					t.Fatalf("succeeded without data: %+v", last)
				}
				decodeB64Image(t, last.Data[0].B64JSON)
			case "failed":
				if last.Error == nil || last.Error.Message != "content moderated" {
					t.Fatalf("failed task error %+v", last.Error)
				}
			}
		})
	}
	s := uploadtest.NewServer(t, uploadtest.Options{APIKey: testKey})
	if code, _ := poll(t, s, "task_missing"); code != http.StatusNotFound {
		t.Errorf("unknown task: %d", code)
	}
}

type sseEvent struct {
	name string
	data map[string]any
}

// readSSE parses a text/event-stream body.
func readSSE(t *testing.T, r io.Reader) []sseEvent {
	t.Helper()
	var evs []sseEvent
	var cur sseEvent
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			cur.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &cur.data); err != nil {
				t.Fatalf("event %s: bad data: %v", cur.name, err)
			}
		case line == "" && cur.name != "":
			evs = append(evs, cur)
			cur = sseEvent{}
		}
	}
	return evs
}

// TestStream: stream=true yields partial_images partial events, then the
// completed event with usage; FailTask ends the stream with an error event.
func TestStream(t *testing.T) {
	t.Parallel()
	for _, fail := range []string{"", "upstream exploded"} {
		s := uploadtest.NewServer(t, uploadtest.Options{FailTask: fail})
		body, ct := newForm().field("model", "gpt-image-1").field("prompt", "p").field("stream", "true").
			field("partial_images", "2").png("image", pngBytes(t, gradient(32, 32, false))).done()
		resp, err := s.Client().Post(s.URL+"/images/edits", ct, strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Header.Get("Content-Type") != "text/event-stream" {
			t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
		}
		evs := readSSE(t, resp.Body)
		resp.Body.Close()
		if len(evs) != 3 {
			t.Fatalf("fail=%q: %d events", fail, len(evs))
		}
		for i, ev := range evs[:2] {
			if ev.name != "image_edit.partial_image" || ev.data["type"] != ev.name || ev.data["partial_image_index"] != float64(i) {
				t.Errorf("partial %d: %s %v", i, ev.name, ev.data["partial_image_index"])
			}
		}
		last := evs[2]
		if fail != "" {
			e, _ := last.data["error"].(map[string]any)
			if last.name != "error" || e["message"] != fail {
				t.Errorf("error event %s %v", last.name, last.data)
			}
			continue
		}
		if last.name != "image_edit.completed" || last.data["usage"] == nil || last.data["size"] != "1024x1024" {
			t.Fatalf("completed event %s %v", last.name, last.data["size"])
		}
		decodeB64Image(t, last.data["b64_json"].(string))
	}
}
