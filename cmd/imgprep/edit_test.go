package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/raster"
	"github.com/imgprep/imgprep/internal/testimg"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

// testKey is distinctive so that any leak is found in the outputs.
const testKey = "sk-imgprep-TEST-3f9c1d7e5b2a4c6e8d0f"

// editRun is one in-process 'imgprep edit' run against a fake server.
type editRun struct {
	t    *testing.T
	vars map[string]string
	tty  bool
}

// newEditRun starts a fake server requiring testKey and returns it with a
// runner whose environment points at it.
func newEditRun(t *testing.T, o uploadtest.Options) (*uploadtest.Server, *editRun) {
	t.Helper()
	o.APIKey = testKey
	srv := uploadtest.NewServer(t, o)
	return srv, &editRun{t: t, vars: map[string]string{"IMGPREP_BASE_URL": srv.URL, "IMGPREP_API_KEY": testKey}}
}

// run runs the command (bounded by a timeout) and checks that the key
// appears neither on stdout nor on stderr.
func (r *editRun) run(args ...string) (code int, stdout, stderr string) {
	r.t.Helper()
	var out, errb bytes.Buffer
	env := &cliEnv{stdout: &out, stderr: &errb, getenv: func(k string) string { return r.vars[k] }, stderrTTY: r.tty}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code = run(ctx, env, append([]string{"edit"}, args...))
	if s := out.String() + errb.String(); strings.Contains(s, testKey) || strings.Contains(s, testKey[8:]) {
		r.t.Errorf("the API key leaked into the output:\n%s", s)
	}
	return code, out.String(), errb.String()
}

// report runs the command with --json, requires exit 0 and decodes the report.
func (r *editRun) report(args ...string) editReport {
	r.t.Helper()
	code, out, stderr := r.run(append([]string{"--json"}, args...)...)
	if code != exitOK {
		r.t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep editReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		r.t.Fatalf("report: %v\n%s", err, out)
	}
	return rep
}

func TestEditDallE2RestoreComposite(t *testing.T) {
	srv, r := newEditRun(t, uploadtest.Options{})
	dir := t.TempDir()
	rep := r.report("--model", "dall-e-2", "--prompt", "paint it magenta", "--mask-rect", "600,400,300,200",
		"--restore", "--composite", "--save-format", "png", "-o", dir, sample("landscape_o6.jpg"))
	if len(rep.Outputs) != 1 || rep.Uploader != "openai-multipart" || rep.Mask == nil || len(rep.Inputs) != 1 {
		t.Fatalf("report %+v", rep)
	}
	o := rep.Outputs[0]
	if o.Path != filepath.Join(dir, "landscape_o6-1.png") || o.Width != 1800 || o.Height != 1200 || o.Format != "png" {
		t.Fatalf("output %+v", o)
	}
	edits := srv.Edits()
	if len(edits) != 1 || len(edits[0].Files) != 2 || edits[0].Files[0].Field != "image" || edits[0].Files[1].Field != "mask" {
		t.Fatalf("server saw %+v", edits)
	}
	got := testimg.DecodePNG(t, mustRead(t, o.Path))
	orig, info, err := codecs.Decode(mustRead(t, sample("landscape_o6.jpg")), codecs.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	up := raster.Orient(raster.ToNRGBA(orig), info.Orientation)
	for _, p := range []image.Point{{10, 10}, {1790, 1190}, {590, 390}, {905, 500}, {300, 1000}} {
		if got.NRGBAAt(p.X, p.Y) != up.NRGBAAt(p.X, p.Y) {
			t.Errorf("pixel %v changed outside the mask", p)
		}
	}
	for _, p := range []image.Point{{750, 500}, {610, 410}, {890, 590}} {
		if !testimg.Near(got.NRGBAAt(p.X, p.Y), color.NRGBA{255, 0, 255, 255}, 8) {
			t.Errorf("pixel %v = %v, want the magenta edit", p, got.NRGBAAt(p.X, p.Y))
		}
	}
	// A second run refuses to clobber before anything is sent.
	code, _, stderr := r.run("--model", "dall-e-2", "--prompt", "again", "--mask-rect", "600,400,300,200", "-o", dir, sample("landscape_o6.jpg"))
	if code != exitRejected || !strings.Contains(stderr, "--force") || len(srv.Edits()) != 1 {
		t.Errorf("clobber: exit %d, %d edits, %q", code, len(srv.Edits()), stderr)
	}
}

func TestEditGPTTwoImages(t *testing.T) {
	srv, r := newEditRun(t, uploadtest.Options{})
	dir := t.TempDir()
	rep := r.report("--model", "gpt-image-1", "--prompt", "merge them", "-n", "2", "--quality", "low",
		"-o", dir, sample("gopher_alpha.png"), sample("landscape_o6.jpg"))
	edits := srv.Edits()
	if len(edits) != 1 || len(edits[0].Files) != 2 || edits[0].Field("n") != "2" || edits[0].Field("quality") != "low" {
		t.Fatalf("server saw %+v", edits)
	}
	for _, f := range edits[0].Files {
		if f.Field != "image[]" {
			t.Errorf("file part %q, want image[]", f.Field)
		}
	}
	if len(rep.Outputs) != 2 || len(rep.Inputs) != 2 || rep.Usage == nil || len(rep.RevisedPrompts) != 2 {
		t.Fatalf("report %+v", rep)
	}
	for i, o := range rep.Outputs {
		want := filepath.Join(dir, "gopher_alpha-"+string(rune('1'+i))+".png")
		if o.Path != want || o.Width == 0 || o.Bytes != len(mustRead(t, want)) {
			t.Errorf("output %d: %+v", i, o)
		}
	}
	// Human summary without --json.
	code, out, stderr := r.run("--model", "gpt-image-1", "--prompt", "x", "--image-field", "image", "--force", "-o", dir, sample("gopher_alpha.png"), sample("gopher_alpha.png"))
	if code != exitOK || !strings.Contains(out, "gopher_alpha-1.png: png") || !strings.Contains(out, "usage:") {
		t.Errorf("summary: exit %d %q %q", code, out, stderr)
	}
	if f := srv.Edits()[1].Files; f[0].Field != "image" || f[1].Field != "image" {
		t.Errorf("--image-field image: %+v", f)
	}
}

func TestEditStreamPartials(t *testing.T) {
	srv, r := newEditRun(t, uploadtest.Options{})
	r.tty = true
	dir := t.TempDir()
	code, out, stderr := r.run("--json", "--verbose", "--model", "gpt-image-1", "--prompt", "x", "--stream", "--partial-images", "2",
		"--save-partials", "-o", dir, sample("gopher_alpha.png"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep editReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Uploader != "openai-stream" || len(rep.Partials) != 2 || len(rep.Outputs) != 1 || srv.Edits()[0].Field("stream") != "true" {
		t.Fatalf("report %+v", rep)
	}
	for _, p := range rep.Partials {
		if _, err := os.Stat(p); err != nil || !strings.Contains(p, "gopher_alpha-partial-") {
			t.Errorf("partial %s: %v", p, err)
		}
	}
	if !strings.Contains(stderr, "\rimgprep: edit: ") || !strings.Contains(stderr, "2 partial images received") || !strings.HasSuffix(stderr, "\n") {
		t.Errorf("progress line: %q", stderr)
	}
	for _, want := range []string{"Authorization: Bearer [REDACTED]", `field stream = "true"`, `"type": "image_edit.completed"`, "base64 characters elided>"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("--verbose lacks %q", want)
		}
	}
}

// TestEditInterrupted: cancelling the context (SIGINT in main) stops a
// slow call at once with one line and exit 1, writing nothing.
func TestEditInterrupted(t *testing.T) {
	srv, r := newEditRun(t, uploadtest.Options{})
	srv.Inject(uploadtest.Fault{Delay: 10 * time.Second})
	dir := t.TempDir()
	var out, errb bytes.Buffer
	env := &cliEnv{stdout: &out, stderr: &errb, getenv: func(k string) string { return r.vars[k] }}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	code := run(ctx, env, []string{"edit", "--model", "gpt-image-1", "--prompt", "x", "-o", dir, sample("gopher_alpha.png")})
	if code != exitRejected || errb.String() != "imgprep: edit: interrupted\n" || time.Since(start) > 5*time.Second {
		t.Errorf("exit %d after %s: %q", code, time.Since(start), errb.String())
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("files written: %v", left)
	}
}

func TestEditAsyncPolls(t *testing.T) {
	srv, r := newEditRun(t, uploadtest.Options{TaskSteps: 2})
	r.vars["IMGPREP_POLL_INTERVAL"] = "10ms"
	rep := r.report("--model", "gpt-image-1", "--prompt", "x", "--async", "-o", t.TempDir(), sample("gopher_alpha.png"))
	if rep.Uploader != "async-task" || len(rep.Outputs) != 1 || rep.Outputs[0].Width == 0 {
		t.Fatalf("report %+v", rep)
	}
	polls := 0
	for _, q := range srv.Requests() {
		if strings.Contains(q.Path, "/tasks/") {
			polls++
		}
	}
	if e := srv.Edits(); len(e) != 1 || e[0].Query != "async=true" || polls != 3 {
		t.Errorf("edits %+v, %d polls", e, polls)
	}
}

func TestEditRetriesAndFailures(t *testing.T) {
	t.Run("429 then success", func(t *testing.T) {
		srv, r := newEditRun(t, uploadtest.Options{})
		srv.Inject(uploadtest.Fault{Status: 429, RetryAfter: "1"})
		rep := r.report("--model", "gpt-image-1", "--prompt", "x", "-o", t.TempDir(), sample("gopher_alpha.png"))
		if rep.Retries.Count != 1 || rep.Retries.WaitSeconds != 1 || len(srv.Edits()) != 2 {
			t.Errorf("retries %+v, %d edits", rep.Retries, len(srv.Edits()))
		}
	})
	t.Run("rate limited for good", func(t *testing.T) {
		srv, r := newEditRun(t, uploadtest.Options{})
		r.vars["IMGPREP_RETRIES"] = "2"
		r.tty = true
		for range 3 {
			srv.Inject(uploadtest.Fault{Status: 429, RetryAfterMs: "5"})
		}
		code, _, stderr := r.run("--verbose", "--model", "gpt-image-1", "--prompt", "x", "-o", t.TempDir(), sample("gopher_alpha.png"))
		if code != exitRejected || !strings.Contains(stderr, "imgprep: edit: rate limited after 2 retries: 429") ||
			!strings.Contains(stderr, "attempt 2 failed") || !strings.Contains(stderr, "2 retries (waited 10ms") {
			t.Errorf("exit %d %q", code, stderr)
		}
	})
	t.Run("401", func(t *testing.T) {
		srv, r := newEditRun(t, uploadtest.Options{})
		r.vars["IMGPREP_API_KEY"] = testKey + "-wrong"
		code, _, stderr := r.run("--model", "gpt-image-1", "--prompt", "x", "-o", t.TempDir(), sample("gopher_alpha.png"))
		if code != exitRejected || !strings.HasPrefix(stderr, "imgprep: edit: auth: 401") || strings.Count(stderr, "\n") != 1 || len(srv.Edits()) != 1 {
			t.Errorf("exit %d %q", code, stderr)
		}
	})
	t.Run("unknown parameter", func(t *testing.T) {
		srv, r := newEditRun(t, uploadtest.Options{})
		for _, args := range [][]string{
			{"--model", "gpt-image-1", "--response-format", "url"},
			{"--model", "dall-e-2", "--quality", "high"},
			{"--model", "flux-kontext-pro", "--size", "1024x1024"},
		} {
			code, _, stderr := r.run(append(args, "--prompt", "x", "-o", t.TempDir(), sample("gopher_alpha.png"))...)
			model, param := args[1], strings.ReplaceAll(strings.TrimPrefix(args[2], "--"), "-", "_")
			if code != exitUsage || !strings.Contains(stderr, model) || !strings.Contains(stderr, param) {
				t.Errorf("%q: exit %d %q", args, code, stderr)
			}
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("server saw %d requests", n)
		}
	})
}

func TestEditDryRun(t *testing.T) {
	srv, r := newEditRun(t, uploadtest.Options{})
	dir := filepath.Join(t.TempDir(), "out")
	code, out, stderr := r.run("--dry-run", "--model", "gpt-image-1", "--prompt", "make it blue", "--mask-rect", "1,1,50,50",
		"--output-format", "jpeg", "--output-compression", "50", "--field", "relay_flag=on", "-o", dir, sample("gopher_alpha.png"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"POST " + srv.URL + "/images/edits", "Authorization: Bearer [REDACTED]",
		`field prompt = "make it blue"`, `field output_compression = "50"`, `field relay_flag = "on"`,
		`file  image filename="gopher_alpha.png" content-type=image/png`, `file  mask filename="mask.png"`} {
		if !strings.Contains(out, want) {
			t.Errorf("dump lacks %q:\n%s", want, out)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("server saw %d requests", n)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("dry run created %s", dir)
	}
	// No key needed; JSON body uploader elides the base64.
	delete(r.vars, "IMGPREP_API_KEY")
	code, out, _ = r.run("--dry-run", "--uploader", "openai-json", "--model", "gpt-image-1", "--prompt", "x", sample("gopher_alpha.png"))
	if code != exitOK || strings.Contains(out, "Authorization") || !strings.Contains(out, "base64 chars elided") {
		t.Errorf("keyless JSON dry run: exit %d\n%s", code, out)
	}
	// The uploader's encoding decides what validates: moderation needs JSON.
	code, out, stderr = r.run("--dry-run", "--uploader", "openai-json", "--model", "gpt-image-1", "--prompt", "x", "--moderation", "low", sample("gopher_alpha.png"))
	if code != exitOK || !strings.Contains(out, `"moderation": "low"`) {
		t.Errorf("JSON dry run with moderation: exit %d %s\n%s", code, stderr, out)
	}
}

func TestEditUsageErrors(t *testing.T) {
	srv, r := newEditRun(t, uploadtest.Options{})
	g := sample("gopher_alpha.png")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--model", "flux-kontext-pro", "--prompt", "x", "--mask-rect", "1,1,10,10", g}, exitRejected, "takes no mask"},
		{[]string{"--model", "gpt-image-1", g}, exitUsage, "--prompt is required"},
		{[]string{"--model", "gpt-image-1", "--prompt", "x", "--moderation", "low", g}, exitUsage, "only accepted in a JSON body"},
		{[]string{"--model", "dall-e-2", "--prompt", "x", g, g}, exitUsage, "takes at most 1"},
		{[]string{"--model", "gpt-image-1", "--prompt", "x", "--async", "--stream", g}, exitUsage, "exclude each other"},
		{[]string{"--model", "gpt-image-1", "--prompt", "x", "--composite", g}, exitUsage, "--composite needs the mask"},
		{[]string{"--model", "gpt-image-1", "--prompt", "x", "--upload-format", "bmp", g}, exitUsage, "--upload-format"},
		{[]string{"--model", "gpt-image-1", "--prompt", "x", "--field", "novalue", g}, exitUsage, "KEY=VALUE"},
		{[]string{"--model", "gpt-image-1", "--prompt", "x", "--uploader", "carrier-pigeon", g}, exitUsage, "forgotten import"},
		{[]string{"--model", "gpt-image-1", "--prompt", "x", "missing.png"}, exitRejected, "missing.png"},
	} {
		code, _, stderr := r.run(append(tc.args, "-o", t.TempDir())...)
		if code != tc.code || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: exit %d, want %d with %q: %q", tc.args, code, tc.code, tc.want, stderr)
		}
	}
	// A renamed flag is an unknown flag (the flag package prints the usage)
	// followed by the new name.
	for old, want := range map[string]string{"--prep-format": "use --upload-format", "--format": "--save-format", "--compression": "use --save-compression"} {
		code, _, stderr := r.run("--model", "gpt-image-1", "--prompt", "x", old, "1", g, "-o", t.TempDir())
		if code != exitUsage || !strings.Contains(stderr, old+" was renamed: ") || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, want a hint %q: %q", old, code, want, stderr)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("server saw %d requests", n)
	}
}

func TestEditConfigFromEnvironment(t *testing.T) {
	srv := uploadtest.NewServer(t, uploadtest.Options{APIKey: testKey})
	r := &editRun{t: t, vars: map[string]string{"OPENAI_BASE_URL": srv.URL, "OPENAI_API_KEY": testKey, "IMGPREP_BASE_URL": " "}}
	rep := r.report("--model", "gpt-image-1", "--prompt", "x", "-o", t.TempDir(), sample("gopher_alpha.png"))
	if len(rep.Outputs) != 1 || len(srv.Edits()) != 1 || !srv.Edits()[0].Authorization {
		t.Fatalf("fallbacks: %+v", rep)
	}
	r.vars = map[string]string{"IMGPREP_BASE_URL": srv.URL, "IMGPREP_API_KEY": testKey, "IMGPREP_TIMEOUT": testKey}
	code, _, stderr := r.run("--model", "gpt-image-1", "--prompt", "x", sample("gopher_alpha.png"))
	if code != exitUsage || !strings.Contains(stderr, "IMGPREP_TIMEOUT") {
		t.Errorf("bad timeout: exit %d %q", code, stderr)
	}
	r.vars = map[string]string{"IMGPREP_BASE_URL": srv.URL}
	code, _, stderr = r.run("--model", "gpt-image-1", "--prompt", "x", sample("gopher_alpha.png"))
	if code != exitUsage || !strings.Contains(stderr, "set IMGPREP_API_KEY or OPENAI_API_KEY") {
		t.Errorf("no key: exit %d %q", code, stderr)
	}
	if len(srv.Edits()) != 1 {
		t.Errorf("server saw %d edits", len(srv.Edits()))
	}
}
