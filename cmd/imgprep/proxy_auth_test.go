package main

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/imgprep/imgprep/internal/testimg"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

// smallEdit is a compliant gpt-image-1 edit body.
func smallEdit(t *testing.T) (contentType string, body []byte) {
	return multipartBody(t, []string{"model", "gpt-image-1", "prompt", "a hat"},
		part{"image", "g.png", "image/png", testimg.EncodePNG(t, testimg.Gradient(32, 32, true))})
}

func TestProxyForwardsAuthorization(t *testing.T) {
	up := newUpstream(t, uploadtest.Options{APIKey: proxyKey})
	p := startProxy(t, map[string]string{"IMGPREP_BASE_URL": up.URL, "IMGPREP_API_KEY": "sk-not-injected-without-the-flag"})
	ct, body := smallEdit(t)
	if resp := post(t, p.base+"/images/edits", ct, body, "Authorization", "Bearer "+proxyKey); resp.StatusCode != 200 {
		t.Errorf("client's key: %d %s", resp.StatusCode, readAll(t, resp))
	}
	if resp := post(t, p.base+"/images/edits", ct, body); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no key and no --inject-key: %d, want the upstream's 401", resp.StatusCode)
	}
	if rs := up.Requests(); len(rs) != 2 || !rs[0].Authorization || rs[1].Authorization {
		t.Errorf("Authorization upstream: %+v", rs)
	}
}

func TestProxyInjectsKey(t *testing.T) {
	up := newUpstream(t, uploadtest.Options{APIKey: proxyKey})
	p := startProxy(t, map[string]string{"IMGPREP_BASE_URL": up.URL, "IMGPREP_API_KEY": proxyKey}, "--inject-key")
	ct, body := smallEdit(t)
	if resp := post(t, p.base+"/images/edits", ct, body); resp.StatusCode != 200 {
		t.Errorf("injected key: %d %s", resp.StatusCode, readAll(t, resp))
	}
	// A client's own Authorization goes as sent, even when it is wrong.
	if resp := post(t, p.base+"/images/edits", ct, body, "Authorization", "Bearer sk-wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("client's own key: %d, want the upstream's 401", resp.StatusCode)
	}
	// A failing upstream's error names neither the key nor the token.
	dead := startProxy(t, map[string]string{"IMGPREP_BASE_URL": "http://127.0.0.1:1/v1", "IMGPREP_API_KEY": proxyKey}, "--inject-key", "--token", proxyToken)
	resp := post(t, dead.base+"/images/edits", ct, body, "X-Imgprep-Token", proxyToken)
	if b := readAll(t, resp); resp.StatusCode != http.StatusBadGateway || !strings.Contains(string(b), "upstream_unreachable") {
		t.Errorf("dead upstream: %d %s", resp.StatusCode, b)
	} else {
		noSecrets(t, string(b))
	}
}

func TestProxyToken(t *testing.T) {
	up := newUpstream(t, uploadtest.Options{APIKey: proxyKey})
	p := startProxy(t, map[string]string{"IMGPREP_BASE_URL": up.URL, "IMGPREP_API_KEY": proxyKey, "IMGPREP_PROXY_TOKEN": proxyToken}, "--inject-key")
	ct, body := smallEdit(t)
	for _, c := range []struct {
		name   string
		header []string
		want   int
	}{
		{"none", nil, http.StatusUnauthorized},
		{"wrong", []string{"X-Imgprep-Token", proxyToken + "x"}, http.StatusUnauthorized},
		{"wrong bearer", []string{"Authorization", "Bearer " + proxyToken[1:]}, http.StatusUnauthorized},
		{"header", []string{"X-Imgprep-Token", proxyToken}, http.StatusOK},
		{"bearer, replaced by the key", []string{"Authorization", "Bearer " + proxyToken}, http.StatusOK},
	} {
		resp := post(t, p.base+"/images/edits", ct, body, c.header...)
		if b := readAll(t, resp); resp.StatusCode != c.want {
			t.Errorf("%s: %d %s, want %d", c.name, resp.StatusCode, b, c.want)
		}
	}
	rs := up.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests reached the server, want the 2 with the token", len(rs))
	}
	for _, r := range rs {
		if r.Header.Get("X-Imgprep-Token") != "" || !r.Authorization {
			t.Errorf("upstream headers %v", r.Header)
		}
	}
	// The health route needs no token.
	if resp := do(t, must(http.NewRequest("GET", p.root+healthPath, nil))); resp.StatusCode != 200 {
		t.Errorf("health: %d", resp.StatusCode)
	}
}

func TestProxyRefusesToStart(t *testing.T) {
	key := map[string]string{"IMGPREP_API_KEY": proxyKey}
	for _, c := range []struct {
		args []string
		vars map[string]string
		want string
	}{
		{[]string{"--listen", "0.0.0.0:8787"}, nil, "--allow-remote"},
		{[]string{"--listen", ":8787"}, nil, "--allow-remote"},
		{[]string{"--listen", "192.0.2.1:8787", "--allow-remote", "--inject-key"}, key, "needs --token"},
		{[]string{"--listen", "127.0.0.1:0", "--inject-key"}, nil, "set IMGPREP_API_KEY"},
		{[]string{"--listen", "127.0.0.1:0", "--token", "short"}, nil, "shorter than"},
		{[]string{"--listen", "127.0.0.1:0", "--params", "ignore"}, nil, "--params"},
		{[]string{"--listen", "127.0.0.1:0", "--default-model", "dall-e-9"}, nil, "--default-model"},
		{[]string{"--listen", "127.0.0.1:0", "--upstream", "ftp://x"}, nil, "--upstream"},
		{[]string{"--listen", "127.0.0.1:0", "--result-format", "gif"}, nil, "--result-format"},
		{[]string{"--listen", "127.0.0.1:0", "extra"}, nil, "unexpected arguments"},
		{[]string{"--listen", "127.0.0.1"}, nil, "host:port"},
	} {
		code, out, stderr := runProxyCmd(t, c.vars, c.args...)
		if code != exitUsage || out != "" || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q (want exit 2 and %q)", c.args, code, out, stderr, c.want)
		}
	}
}

func TestProxyCheckListener(t *testing.T) {
	loop := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8787}
	for _, c := range []struct {
		upstream string
		addr     *net.TCPAddr
		remote   bool
		ok       bool
	}{
		{"http://127.0.0.1:8787/v1", loop, false, false},
		{"http://localhost:8787/v1", loop, false, false},
		{"http://localhost:8788/v1", loop, false, true},
		{"https://api.openai.com/v1", loop, false, true},
		{"http://127.0.0.1:8787/v1", &net.TCPAddr{IP: net.IPv4zero, Port: 8787}, true, false},
		{"https://api.openai.com/v1", &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 8787}, false, false},
		{"https://api.openai.com/v1", &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 8787}, true, true},
	} {
		err := checkListener(c.addr, must(url.Parse(c.upstream)), c.remote)
		if (err == nil) != c.ok {
			t.Errorf("%s on %s (remote %v): %v", c.upstream, c.addr, c.remote, err)
		}
	}
}

func TestProxyBodyLimit(t *testing.T) {
	up := newUpstream(t, uploadtest.Options{})
	p := startProxy(t, map[string]string{"IMGPREP_BASE_URL": up.URL}, "--max-body-bytes", "2000")
	ct, body := multipartBody(t, []string{"model", "gpt-image-1", "prompt", "a hat"},
		part{"image", "n.png", "image/png", testimg.EncodePNG(t, testimg.NoiseRGBA(64, 64))})
	if resp := post(t, p.base+"/images/edits", ct, body); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("edit over the limit: %d %s", resp.StatusCode, readAll(t, resp))
	}
	if n := len(up.Edits()); n != 0 {
		t.Errorf("%d edits reached the server", n)
	}
	resp := post(t, p.base+"/files", "application/octet-stream", body)
	if b := readAll(t, resp); resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), "request_too_large") {
		t.Errorf("other request over the limit: %d %s", resp.StatusCode, b)
	}
}

func TestProxyGracefulShutdown(t *testing.T) {
	up := newUpstream(t, uploadtest.Options{Latency: 700 * time.Millisecond})
	p := startProxy(t, map[string]string{"IMGPREP_BASE_URL": up.URL})
	ct, body := smallEdit(t)
	got := make(chan int, 1)
	go func() {
		resp, err := testClient.Post(p.base+"/images/edits", ct, bytes.NewReader(body))
		if err != nil {
			got <- -1
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		got <- resp.StatusCode
	}()
	deadline := time.Now().Add(10 * time.Second)
	for len(up.Edits()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if code := p.stop(t); code != exitOK {
		t.Errorf("exit %d", code)
	}
	if st := <-got; st != 200 {
		t.Errorf("the in-flight request got %d, want 200", st)
	}
	if _, err := testClient.Get(p.root + healthPath); err == nil {
		t.Error("the proxy still answers after shutdown")
	}
	if log := p.stderr.String(); !strings.Contains(log, "shutting down") || !strings.HasSuffix(log, "imgprep proxy: stopped\n") {
		t.Errorf("log %q", log)
	}
}

// TestProxyShutdownBound closes a request that outlives the grace period
// (an SSE stream held open upstream) instead of waiting for it.
func TestProxyShutdownBound(t *testing.T) {
	defer func(d time.Duration) { proxyShutdownGrace = d }(proxyShutdownGrace)
	proxyShutdownGrace = 300 * time.Millisecond
	up := newUpstream(t, uploadtest.Options{})
	up.gate = make(chan struct{})
	defer close(up.gate)
	p := startProxy(t, map[string]string{"IMGPREP_BASE_URL": up.URL})
	ct, body := multipartBody(t, []string{"model", "gpt-image-1", "prompt", "a hat", "stream", "true", "partial_images", "1"},
		part{"image", "g.png", "image/png", testimg.EncodePNG(t, testimg.Gradient(32, 32, true))})
	resp := post(t, p.base+"/images/edits", ct, body)
	defer resp.Body.Close()
	t0 := time.Now()
	if code := p.stop(t); code != exitOK {
		t.Errorf("exit %d", code)
	}
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("stopping took %v with a 300 ms grace", d)
	}
	if !strings.Contains(p.stderr.String(), "closing their connections") {
		t.Errorf("log %q", p.stderr.String())
	}
}
