package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/imgprep/imgprep/internal/testimg"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

// Real clients in other languages through the proxy: curl as the relay
// documents show it, and the official openai npm SDK.

// external runs name with args under a timeout and returns its stdout.
func external(t *testing.T, env []string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	noSecrets(t, out.String()+errb.String())
	if err != nil && errb.Len() > 0 {
		t.Logf("%s stderr: %s", name, errb.String())
	}
	return out.String(), err
}

// writeFile writes data to dir/name and returns the path.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProxyCurl(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed: the curl-through-the-proxy test needs it")
	}
	up := newUpstream(t, uploadtest.Options{APIKey: proxyKey})
	p := startProxy(t, map[string]string{"IMGPREP_BASE_URL": up.URL, "IMGPREP_API_KEY": proxyKey}, "--inject-key")
	dir := t.TempDir()
	photo, _ := photo12(t)
	photoPath := writeFile(t, dir, "photo.jpg", photo)
	jpg := testimg.EncodeJPEG(t, testimg.Gradient(640, 480, false), 90)
	binPath := writeFile(t, dir, "x.bin", jpg)
	curl := func(args ...string) map[string]any {
		t.Helper()
		out, err := external(t, nil, "curl", append([]string{"-sS", "--noproxy", "*", "--max-time", "60"}, append(args, p.base+"/images/edits")...)...)
		var doc map[string]any
		if err != nil || json.Unmarshal([]byte(out), &doc) != nil {
			t.Fatalf("curl: %v %q", err, out)
		}
		return doc
	}
	// The shape of the relays' documents; curl labels .jpg image/jpeg.
	doc := curl("-F", "image=@"+photoPath, "-F", "prompt=a hat", "-F", "model=dall-e-2", "-F", "n=2", "-F", "size=1024x1024", "-F", "response_format=url")
	if data, _ := doc["data"].([]any); len(data) != 2 || !strings.HasPrefix(data[0].(map[string]any)["url"].(string), "http://127.0.0.1:") {
		t.Errorf("dall-e-2 response %v", doc)
	}
	e := up.Edits()[0]
	if f := e.Files[0]; f.Width != 1024 || f.Height != 1024 || !f.HasAlpha || f.ContentType != "image/png" || f.Filename != "photo.png" || e.Field("n") != "2" || e.Field("response_format") != "url" {
		t.Errorf("dall-e-2 arrived as %+v %v", f, e.Fields)
	}
	// A wrong extension and application/octet-stream: relabelled, bytes kept.
	doc = curl("-F", "image=@"+binPath+";type=application/octet-stream", "-F", "prompt=a hat", "-F", "model=gpt-image-1")
	if data, _ := doc["data"].([]any); len(data) != 1 {
		t.Errorf("gpt-image-1 response %v", doc)
	}
	h, data := up.body(t, 1).filePart(t, "image")
	if !bytes.Equal(data, jpg) || h.Get("Content-Type") != "image/jpeg" || !strings.Contains(h.Get("Content-Disposition"), `filename="x.jpg"`) {
		t.Errorf("x.bin arrived as %v (identical bytes %v)", h, bytes.Equal(data, jpg))
	}
}

// nodeSDKDir is where scripts/setup-tools.sh installs the openai npm SDK.
func nodeSDKDir() string {
	if d := os.Getenv("IMGPREP_NODE_DIR"); d != "" {
		return d
	}
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "imgprep-node")
}

func TestProxyOpenAINodeSDK(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed: the openai npm SDK test needs Node 20+ and scripts/setup-tools.sh")
	}
	dir := nodeSDKDir()
	pkg, err := os.ReadFile(filepath.Join(dir, "node_modules", "openai", "package.json"))
	if err != nil || !strings.Contains(string(pkg), `"version": "5.`) {
		t.Skipf("the openai npm SDK v5 is not installed in %s: run scripts/setup-tools.sh (npm install openai@5)", dir)
	}
	up := newUpstream(t, uploadtest.Options{APIKey: proxyKey})
	p := startProxy(t, map[string]string{"IMGPREP_BASE_URL": up.URL})
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OPENAI_") && !strings.HasPrefix(kv, "NODE_") {
			env = append(env, kv)
		}
	}
	env = append(env, "NODE_PATH="+filepath.Join(dir, "node_modules"), "OPENAI_API_KEY="+proxyKey)
	tmp := t.TempDir()
	photo, mask := photo12(t)
	jpg := testimg.EncodeJPEG(t, testimg.Gradient(640, 480, false), 90)
	edit := func(model string, files ...string) (string, error) {
		return external(t, env, "node", append([]string{filepath.Join("testdata", "sdk", "edit.mjs"), p.base, model, "a hat"}, files...)...)
	}

	// dall-e-2 with a 12 MP phone photo and its mask, as octet-streams.
	out, err := edit("dall-e-2", writeFile(t, tmp, "photo.jpg", photo), writeFile(t, tmp, "mask.png", mask))
	if err != nil || !strings.Contains(out, `"results":1`) {
		t.Fatalf("dall-e-2: %v %s", err, out)
	}
	e := up.Edits()[0]
	if len(e.Files) != 2 {
		t.Fatalf("files %+v", e.Files)
	}
	for _, f := range e.Files {
		if f.Width != 1024 || f.Height != 1024 || !f.HasAlpha || f.ContentType != "image/png" || !strings.HasSuffix(f.Filename, ".png") {
			t.Errorf("%s arrived as %+v", f.Field, f)
		}
	}
	// A compliant JPEG for gpt-image-1 goes byte-identical, labelled.
	if out, err := edit("gpt-image-1", writeFile(t, tmp, "ok.jpg", jpg)); err != nil || !strings.Contains(out, `"results":1`) {
		t.Fatalf("gpt-image-1: %v %s", err, out)
	}
	h, data := up.body(t, 1).filePart(t, "image")
	if !bytes.Equal(data, jpg) || h.Get("Content-Type") != "image/jpeg" {
		t.Errorf("ok.jpg arrived as %v (identical bytes %v)", h, bytes.Equal(data, jpg))
	}
	// An unpreparable image: the SDK raises its usual 400 API error.
	out, err = edit("gpt-image-1", writeFile(t, tmp, "cut.jpg", jpg[:len(jpg)/2]))
	if err == nil || !strings.Contains(out, `"status":400`) || !strings.Contains(out, "cut.jpg") {
		t.Errorf("truncated: %v %s", err, out)
	}
	if n := len(up.Edits()); n != 2 {
		t.Errorf("%d edits reached the server, want 2", n)
	}
}

// TestProxySignals runs the proxy as a process (the test binary as
// imgprep, see TestMain): SIGTERM and SIGINT stop it gracefully, exit 0.
func TestProxySignals(t *testing.T) {
	for _, sig := range []os.Signal{syscall.SIGTERM, os.Interrupt} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, os.Args[0], "proxy", "--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:1/v1")
		cmd.Env = append(os.Environ(), "IMGPREP_TEST_AS_MAIN=1")
		stdout, _ := cmd.StdoutPipe()
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		base, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil {
			t.Fatalf("no base URL: %v %s", err, stderr.String())
		}
		resp, err := testClient.Get(strings.TrimSuffix(strings.TrimSpace(base), "/v1") + healthPath)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("health: %v %v", resp, err)
		}
		resp.Body.Close()
		cmd.Process.Signal(sig)
		if err := cmd.Wait(); err != nil || !strings.Contains(stderr.String(), "imgprep proxy: stopped") {
			t.Errorf("%v: %v, stderr %q", sig, err, stderr.String())
		}
	}
}
