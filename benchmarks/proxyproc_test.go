package benchmarks_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// proxyProc is an 'imgprep proxy' process, built from this tree.
type proxyProc struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:P/v1
}

// buildProxy builds cmd/imgprep into tb's temporary directory.
func buildProxy(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "imgprep")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/imgprep").CombinedOutput(); err != nil {
		tb.Fatalf("building the proxy: %v\n%s", err, out)
	}
	return bin
}

// startProxyProc runs the proxy in front of upstream (a base URL) and
// stops it (SIGTERM, then kill) when tb ends. Its request log is discarded.
func startProxyProc(tb testing.TB, bin, upstream string, args ...string) *proxyProc {
	tb.Helper()
	cmd := exec.Command(bin, append([]string{"proxy", "--listen", "127.0.0.1:0", "--upstream", upstream}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	p := &proxyProc{cmd: cmd}
	tb.Cleanup(p.stop)
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		tb.Fatalf("the proxy printed no base URL: %v", err)
	}
	p.base = strings.TrimSpace(line)
	return p
}

func (p *proxyProc) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(35 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
}

// cpu is the process's user+system time so far (clock-tick resolution).
func (p *proxyProc) cpu() time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/stat")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:])) // fields from 3 on
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * (time.Second / 100) // USER_HZ is 100 on Linux
}

// peakRSS is the process's VmHWM in bytes (0 where /proc is absent).
func (p *proxyProc) peakRSS() int64 {
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/status")
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// sink is the upstream of the transport benchmarks: it reads and discards
// every body and answers a small edit response. A request carrying
// X-Capture has the sha256 of its body kept, to check what arrived.
type sink struct {
	*httptest.Server
	mu   sync.Mutex
	last [sha256.Size]byte
}

func newSink(tb testing.TB) *sink {
	s := &sink{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Capture") != "" {
			h := sha256.New()
			io.Copy(h, r.Body)
			s.mu.Lock()
			copy(s.last[:], h.Sum(nil))
			s.mu.Unlock()
		} else {
			io.Copy(io.Discard, r.Body)
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"created":1,"data":[{"b64_json":""}]}`)
	}))
	tb.Cleanup(s.Close)
	return s
}

func (s *sink) lastSum() [sha256.Size]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// editBody is a multipart edit of one image labelled as a JPEG photo.
func editBody(model string, img []byte) (contentType string, body []byte) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("model", model)
	mw.WriteField("prompt", "a hat")
	if model == "dall-e-2" {
		mw.WriteField("response_format", "b64_json")
	}
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{multipart.FileContentDisposition("image", "photo.jpg")}
	h["Content-Type"] = []string{"image/jpeg"}
	w, _ := mw.CreatePart(h)
	w.Write(img)
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// send posts body and drains the answer; any status but 200 is an error.
func send(c *http.Client, url, contentType string, body []byte, header ...string) error {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return &statusError{resp.StatusCode, string(b)}
	}
	return nil
}

type statusError struct {
	status int
	body   string
}

func (e *statusError) Error() string { return strconv.Itoa(e.status) + " " + e.body }
