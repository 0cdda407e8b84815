package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

// batchInputs writes n small distinct JPEGs in-00.jpg ... into dir and,
// when bad, a truncated one, bad.jpg, in the middle of the list.
func batchInputs(t *testing.T, dir string, n int, bad bool) []string {
	t.Helper()
	var files []string
	for i := range n {
		img := image.NewRGBA(image.Rect(0, 0, 48, 32))
		for p := range img.Pix {
			img.Pix[p] = uint8(i*9 + p%7)
		}
		img.Set(i, 0, color.RGBA{255, 0, 0, 255})
		var b bytes.Buffer
		if err := jpeg.Encode(&b, img, nil); err != nil {
			t.Fatal(err)
		}
		files = append(files, writeTestFile(t, filepath.Join(dir, fmt.Sprintf("in-%02d.jpg", i)), b.Bytes()))
		if bad && i == n/2 {
			files = append(files, writeTestFile(t, filepath.Join(dir, "bad.jpg"), b.Bytes()[:b.Len()/2]))
		}
	}
	return files
}

// batchRunLines runs edit with args and decodes its JSON lines.
func (r *editRun) batch(ctx context.Context, args ...string) (int, []batchLine, batchSummaryLine, string) {
	r.t.Helper()
	var out, errb bytes.Buffer
	env := &cliEnv{stdout: &out, stderr: &errb, getenv: func(k string) string { return r.vars[k] }, stderrTTY: r.tty}
	code := run(ctx, env, append([]string{"edit", "--json"}, args...))
	if strings.Contains(out.String()+errb.String(), testKey) {
		r.t.Errorf("the API key leaked")
	}
	var lines []batchLine
	var sum batchSummaryLine
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var probe struct{ Type string }
		if err := json.Unmarshal(sc.Bytes(), &probe); err != nil {
			r.t.Fatalf("not a JSON line: %q", sc.Text())
		}
		switch probe.Type {
		case "job":
			var l batchLine
			json.Unmarshal(sc.Bytes(), &l)
			lines = append(lines, l)
		case "summary":
			json.Unmarshal(sc.Bytes(), &sum)
		default:
			r.t.Fatalf("line of type %q: %s", probe.Type, sc.Text())
		}
	}
	return code, lines, sum, errb.String()
}

// servedBy counts the server's successful edits per uploaded file name.
func servedBy(srv *uploadtest.Server) map[string]int {
	m := map[string]int{}
	for _, e := range srv.Edits() {
		if e.Status == 200 && len(e.Files) > 0 {
			m[e.Files[0].Filename]++
		}
	}
	return m
}

// checkOutputs requires every file in dir to be a complete image (no
// temporary or cut file), the resume record aside, and returns their count.
func checkOutputs(t *testing.T, dir string) int {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Name() == recordName {
			continue
		}
		if strings.HasSuffix(e.Name(), ".tmp") || strings.HasPrefix(e.Name(), ".") {
			t.Errorf("partial file left: %s", e.Name())
			continue
		}
		if _, _, err := codecs.Decode(mustRead(t, filepath.Join(dir, e.Name())), codecs.DecodeOptions{}); err != nil {
			t.Errorf("%s is not a complete image: %v", e.Name(), err)
		}
		n++
	}
	return n
}

func batchCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestEditEachRateLimitedRelay is the case: 25 inputs, one a
// truncated JPEG, --each --jobs 6 against a relay that takes 3 at once
// (429 + Retry-After above) and answers every 7th request 503: the 24
// good inputs are edited exactly once, the bad one is reported (JSON line
// and stderr) and never sent, never more than 6 in flight, exit 1, no
// partial files.
func TestEditEachRateLimitedRelay(t *testing.T) {
	srv, r := newEditRun(t, uploadtest.Options{MaxInFlight: 3, RateLimitRetryAfter: 60 * time.Millisecond, FailEvery: 7, Latency: 20 * time.Millisecond})
	in, out := t.TempDir(), t.TempDir()
	files := batchInputs(t, in, 24, true)
	code, lines, sum, stderr := r.batch(batchCtx(t), append([]string{"--each", "--jobs", "6", "--model", "gpt-image-1", "--quality", "low",
		"--prompt", "paint it", "-o", out}, files...)...)
	if code != exitRejected {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr)
	}
	if len(lines) != 25 || sum.Jobs != 25 || sum.OK != 24 || sum.Failed != 1 || sum.NotStarted != 0 || sum.Usage.TotalTokens == 0 {
		t.Fatalf("%d lines, summary %+v\n%s", len(lines), sum, stderr)
	}
	for _, l := range lines {
		bad := strings.HasSuffix(l.Inputs[0], "bad.jpg")
		switch {
		case bad && (l.Status != "error" || l.Category != "input" || l.Attempts != 0 || !strings.Contains(l.Error, "bad.jpg")):
			t.Errorf("bad input's line %+v", l)
		case !bad && (l.Status != "ok" || len(l.Outputs) != 1 || l.Outputs[0].Bytes == 0 || l.Outputs[0].Format != "png" || l.Usage == nil):
			t.Errorf("good input's line %+v", l)
		}
	}
	if !strings.Contains(stderr, "bad.jpg") || !strings.Contains(stderr, "1 job failed") {
		t.Errorf("stderr does not list the failed job:\n%s", stderr)
	}
	got := servedBy(srv)
	for _, f := range files {
		want := 1
		if strings.HasSuffix(f, "bad.jpg") {
			want = 0
		}
		if n := got[filepath.Base(f)]; n != want {
			t.Errorf("%s edited %d times, want %d", filepath.Base(f), n, want)
		}
	}
	for _, e := range srv.Edits() {
		if e.Files[0].Filename == "bad.jpg" {
			t.Error("the truncated JPEG was sent")
		}
	}
	if p := srv.PeakInFlight(); p > 6 {
		t.Errorf("%d requests in flight at once, want at most 6", p)
	}
	if n := checkOutputs(t, out); n != 24 {
		t.Errorf("%d outputs, want 24", n)
	}
	t.Logf("%d requests, %d rate limits, %d retries, %.1fs\n%s\nfirst line: %+v", len(srv.Edits()), sum.RateLimits, sum.Retries, sum.Seconds, stderr, lines[0])
}

// TestEditEachRealRetryAfter: the relay's plain "Retry-After: 1" pauses
// every worker for the whole second, and every job still gets through.
func TestEditEachRealRetryAfter(t *testing.T) {
	srv, r := newEditRun(t, uploadtest.Options{MaxInFlight: 1, Latency: 50 * time.Millisecond})
	in, out := t.TempDir(), t.TempDir()
	files := batchInputs(t, in, 3, false)
	start := time.Now()
	code, lines, sum, stderr := r.batch(batchCtx(t), append([]string{"--each", "--jobs", "2", "--model", "gpt-image-1", "--prompt", "p", "-o", out}, files...)...)
	if code != exitOK || sum.OK != 3 || len(lines) != 3 {
		t.Fatalf("exit %d, summary %+v\n%s", code, sum, stderr)
	}
	limited := 0
	for _, e := range srv.Edits() {
		if e.Status == 429 {
			limited++
		}
	}
	if limited == 0 || sum.RateLimits != limited || time.Since(start) < time.Second {
		t.Errorf("%d 429s (governor %d) in %v: want at least one, and a 1 s pause", limited, sum.RateLimits, time.Since(start))
	}
	for _, f := range files {
		if n := servedBy(srv)[filepath.Base(f)]; n != 1 {
			t.Errorf("%s edited %d times", f, n)
		}
	}
}

// TestEditEachInterruptThenResume: a run cancelled after a few jobs ends
// with exit 1 and no partial file; --resume then does the rest, and no
// input written by the first run is sent again.
func TestEditEachInterruptThenResume(t *testing.T) {
	srv, r := newEditRun(t, uploadtest.Options{Latency: 250 * time.Millisecond})
	in, out := t.TempDir(), t.TempDir()
	files := batchInputs(t, in, 10, false)
	args := append([]string{"--each", "--jobs", "2", "--model", "gpt-image-1", "--prompt", "p", "--grace", "5s", "-o", out}, files...)
	ctx, cancel := context.WithCancel(batchCtx(t))
	time.AfterFunc(600*time.Millisecond, cancel)
	code, lines, sum, stderr := r.batch(ctx, args...)
	if code != exitRejected || !strings.Contains(stderr, "interrupted") || !strings.Contains(stderr, "--resume") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	first := checkOutputs(t, out)
	if first == 0 || first == 10 || sum.OK != first || sum.Failed != 0 {
		t.Fatalf("first run wrote %d outputs, summary %+v (want some, not all)\n%s", first, sum, stderr)
	}
	sentFirst := len(srv.Edits())
	if sentFirst != first {
		t.Errorf("%d requests for %d outputs: an in-flight request was lost", sentFirst, first)
	}
	code, lines, sum, stderr = r.batch(batchCtx(t), append([]string{"--resume"}, args...)...)
	if code != exitOK || sum.Skipped != first || sum.OK != 10-first {
		t.Fatalf("resume: exit %d, summary %+v\n%s", code, sum, stderr)
	}
	for _, l := range lines {
		if l.Status == "skipped" && (len(l.Outputs) != 1 || l.Outputs[0].Format != "png") {
			t.Errorf("skipped line %+v", l)
		}
	}
	for _, f := range files {
		if n := servedBy(srv)[filepath.Base(f)]; n != 1 {
			t.Errorf("%s edited %d times, want once across both runs", f, n)
		}
	}
	if n := checkOutputs(t, out); n != 10 {
		t.Errorf("%d outputs after resuming, want 10", n)
	}
	// Without --resume the finished outputs are not overwritten.
	code, _, sum, stderr = r.batch(batchCtx(t), args...)
	if code != exitRejected || sum.Failed != 10 || !strings.Contains(stderr, "--resume") || len(srv.Edits()) != 10 {
		t.Errorf("a third run without --resume: exit %d, %+v, %d edits\n%s", code, sum, len(srv.Edits()), stderr)
	}
}

// TestEditManifest: per-line images, prompt, parameters, mask and output
// names; a bad manifest sends nothing.
func TestEditManifest(t *testing.T) {
	srv, r := newEditRun(t, uploadtest.Options{})
	dir, out := t.TempDir(), t.TempDir()
	batchInputs(t, dir, 3, false)
	manifest := strings.Join([]string{
		`{"images": ["in-00.jpg"], "prompt": "first", "output": "banners/one"}`,
		`{"images": ["in-01.jpg"], "params": {"n": 2, "quality": "high"}, "mask": {"rect": [[0, 0, 10, 10]]}}`,
		`{"images": ["in-02.jpg", "in-00.jpg"], "prompt": "third", "output": "three.png"}`,
	}, "\n")
	mf := writeTestFile(t, filepath.Join(dir, "jobs.jsonl"), []byte(manifest))
	code, lines, sum, stderr := r.batch(batchCtx(t), "--manifest", mf, "--model", "gpt-image-1", "--prompt", "default", "-o", out)
	if code != exitOK || sum.OK != 3 {
		t.Fatalf("exit %d, %+v\n%s", code, sum, stderr)
	}
	for _, want := range []string{"banners/one.png", "in-01-1.png", "in-01-2.png", "three.png"} {
		if _, err := os.Stat(filepath.Join(out, want)); err != nil {
			t.Errorf("output %s: %v", want, err)
		}
	}
	byPrompt := map[string]int{}
	for _, e := range srv.Edits() {
		byPrompt[e.Field("prompt")]++
		if e.Field("prompt") == "default" && (e.Field("n") != "2" || e.Field("quality") != "high" || len(e.Files) != 2 || e.Files[1].Field != "mask") {
			t.Errorf("line 2 sent %+v", e)
		}
		if e.Field("prompt") == "third" && len(e.Files) != 2 {
			t.Errorf("line 3 sent %d files", len(e.Files))
		}
	}
	if byPrompt["first"] != 1 || byPrompt["default"] != 1 || byPrompt["third"] != 1 || len(lines) != 3 || lines[0].Line == 0 {
		t.Errorf("prompts %v, lines %+v", byPrompt, lines)
	}
	writeTestFile(t, filepath.Join(dir, "notamask.png"), []byte("not an image"))
	bad := writeTestFile(t, filepath.Join(dir, "bad.jsonl"), []byte(manifest+"\n"+`{"images": ["in-00.jpg"], "output": "../x"}`+"\n"+`{"images": ["nope.jpg"]}`+
		"\n"+`{"images": ["in-01.jpg"], "mask": "notamask.png", "output": "m"}`))
	code, _, _, stderr = r.batch(batchCtx(t), "--manifest", bad, "--model", "gpt-image-1", "--prompt", "p", "-o", t.TempDir())
	if code != exitUsage || !strings.Contains(stderr, "line 4:") || !strings.Contains(stderr, "line 5:") || !strings.Contains(stderr, "line 6: mask") ||
		!strings.Contains(stderr, "3 bad lines") || len(srv.Edits()) != 3 {
		t.Errorf("bad manifest: exit %d, %d edits\n%s", code, len(srv.Edits()), stderr)
	}
	clash := writeTestFile(t, filepath.Join(dir, "clash.jsonl"), []byte(`{"images": ["in-00.jpg"], "output": "x"}`+"\n"+`{"images": ["in-01.jpg"], "output": "X.png"}`))
	code, _, _, stderr = r.batch(batchCtx(t), "--manifest", clash, "--model", "gpt-image-1", "--prompt", "p", "-o", t.TempDir())
	if code != exitUsage || !strings.Contains(stderr, "claimed by") || len(srv.Edits()) != 3 {
		t.Errorf("clashing outputs: exit %d\n%s", code, stderr)
	}
}

// TestEditEachAuthStops: a wrong key stops the batch after the first
// answers; the remaining jobs are not sent.
func TestEditEachAuthStops(t *testing.T) {
	srv, r := newEditRun(t, uploadtest.Options{Latency: 20 * time.Millisecond})
	r.vars["IMGPREP_API_KEY"] = "sk-wrong-0123456789abcdef"
	in, out := t.TempDir(), t.TempDir()
	files := batchInputs(t, in, 12, false)
	code, _, sum, stderr := r.batch(batchCtx(t), append([]string{"--each", "--jobs", "3", "--model", "gpt-image-1", "--prompt", "p", "-o", out}, files...)...)
	if code != exitRejected || !strings.Contains(sum.Stopped, "401") || !strings.Contains(stderr, "stopped") {
		t.Fatalf("exit %d, %+v\n%s", code, sum, stderr)
	}
	if n := len(srv.Edits()); n > 3 || sum.NotStarted < 6 {
		t.Errorf("%d requests sent, %d jobs not started", n, sum.NotStarted)
	}
}

// TestEditEachProgressLine: on a terminal one progress line is kept up
// to date (done/total, in flight and the governor's limit, the rate, the
// ETA) and ended before the summary.
func TestEditEachProgressLine(t *testing.T) {
	_, r := newEditRun(t, uploadtest.Options{Latency: 50 * time.Millisecond})
	r.tty = true
	in, out := t.TempDir(), t.TempDir()
	files := batchInputs(t, in, 3, false)
	code, _, _, stderr := r.batch(batchCtx(t), append([]string{"--each", "--jobs", "2", "--model", "gpt-image-1", "--prompt", "p", "-o", out}, files...)...)
	if code != exitOK {
		t.Fatalf("exit %d\n%q", code, stderr)
	}
	for _, want := range []string{"\rimgprep: edit: 1/3 done; ", "in flight (limit 2 of 2)", "/s, ETA ", "3/3 done"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("progress line lacks %q:\n%q", want, stderr)
		}
	}
	if !strings.HasSuffix(stderr, "\n") {
		t.Errorf("progress line not ended: %q", stderr)
	}
}

// TestEditShard: the shards of a list are disjoint and cover it.
func TestEditShard(t *testing.T) {
	srv, r := newEditRun(t, uploadtest.Options{})
	in, out := t.TempDir(), t.TempDir()
	files := batchInputs(t, in, 5, false)
	total := 0
	for _, k := range []string{"1/2", "2/2"} {
		code, lines, _, stderr := r.batch(batchCtx(t), append([]string{"--each", "--shard", k, "--model", "gpt-image-1", "--prompt", "p", "-o", out}, files...)...)
		if code != exitOK {
			t.Fatalf("shard %s: exit %d\n%s", k, code, stderr)
		}
		total += len(lines)
	}
	if total != 5 || len(srv.Edits()) != 5 || checkOutputs(t, out) != 5 {
		t.Errorf("%d jobs in the shards, %d edits", total, len(srv.Edits()))
	}
}
