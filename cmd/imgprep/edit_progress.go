package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/imgprep/imgprep/upload"
)

// editProgress counts the retries and partial images of one edit call
// and, when stderr is a terminal, keeps a status line up to date: elapsed
// time, retries and their waits, partial images received. With verbose it
// also prints a line per retry. Every stderr write during the call goes
// through it, so lines and the status line do not interleave.
type editProgress struct {
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	verbose  bool
	began    time.Time
	elapsed  time.Duration // set by stop
	retries  int
	waited   time.Duration
	reason   string // of the last retry
	partials int
	drawn    bool
	quit     chan struct{}
	wg       sync.WaitGroup
}

func newProgress(env *cliEnv, verbose bool) *editProgress {
	return &editProgress{w: env.stderr, tty: env.stderrTTY, verbose: verbose, began: time.Now(), quit: make(chan struct{})}
}

// start restarts the clock and, on a terminal, the status line ticker.
func (p *editProgress) start() {
	p.mu.Lock()
	p.began = time.Now()
	p.mu.Unlock()
	if !p.tty {
		return
	}
	redraw(&p.wg, p.quit, &p.mu, p.draw)
}

// redraw calls draw, under mu, four times a second until quit is closed,
// on a goroutine counted in wg: a status line's ticker.
func redraw(wg *sync.WaitGroup, quit <-chan struct{}, mu *sync.Mutex, draw func()) {
	wg.Go(func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				mu.Lock()
				draw()
				mu.Unlock()
			}
		}
	})
}

// stop ends the ticker and finishes the status line with a newline.
func (p *editProgress) stop() {
	close(p.quit)
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.elapsed = time.Since(p.began)
	if p.tty {
		p.draw()
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}

// draw rewrites the status line (p.mu held).
func (p *editProgress) draw() {
	var b strings.Builder
	fmt.Fprintf(&b, "imgprep: edit: %s", time.Since(p.began).Round(100*time.Millisecond))
	if p.retries > 0 {
		fmt.Fprintf(&b, ", %s (waited %s; last: %s)", plural(p.retries, "retry", "retries"), p.waited.Round(time.Millisecond), p.reason)
	}
	if p.partials > 0 {
		fmt.Fprintf(&b, ", %s received", plural(p.partials, "partial image", "partial images"))
	}
	fmt.Fprintf(p.w, "\r%s\x1b[K", b.String())
	p.drawn = true
}

// line prints a whole line above the status line (p.mu held).
func (p *editProgress) line(s string) {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
	fmt.Fprintln(p.w, strings.TrimRight(s, "\n"))
}

// printf prints a line on stderr without breaking the status line.
func (p *editProgress) printf(format string, a ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.line(fmt.Sprintf(format, a...))
}

// onRetry is the upload.Config.OnRetry hook.
func (p *editProgress) onRetry(ev upload.RetryEvent) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.retries++
	p.waited += ev.Wait
	p.reason = shortErr(ev.Err, 60)
	if p.verbose {
		from := ""
		if ev.RetryAfter {
			from = " (as the server asked)"
		}
		p.line(fmt.Sprintf("imgprep: edit: attempt %d failed: %s; retrying in %s%s", ev.Attempt, shortErr(ev.Err, 200), ev.Wait, from))
	}
	if p.tty {
		p.draw()
	}
}

// onPartial counts a partial image.
func (p *editProgress) onPartial() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.partials++
	if p.tty {
		p.draw()
	}
}

// stats returns the retry count, total wait and elapsed time (after stop).
func (p *editProgress) stats() (int, time.Duration, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.retries, p.waited, p.elapsed
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// shortErr renders err on one line, as oneLine does, cut to n characters.
func shortErr(err error, n int) string {
	s := oneLine(err)
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return s
}

// elideResponse renders a response body for --verbose: indented JSON with
// base64 payloads and data URLs replaced by their length.
func elideResponse(raw []byte) string {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return fmt.Sprintf("(%d bytes, not JSON)", len(raw))
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(elide(v)); err != nil {
		return fmt.Sprintf("(%d bytes)", len(raw))
	}
	return b.String()
}

func elide(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			t[k] = elide(x)
		}
	case []any:
		for i := range t {
			t[i] = elide(t[i])
		}
	case string:
		if len(t) > 200 && (strings.HasPrefix(t, "data:") || isBase64ish(t)) {
			return fmt.Sprintf("<%d base64 characters elided>", len(t))
		}
	}
	return v
}

func isBase64ish(s string) bool {
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune("+/=-_\r\n", c)) {
			return false
		}
	}
	return true
}

// redactWriter replaces the API key in everything written through it: a
// last line of defence behind the redaction upload already does.
type redactWriter struct {
	w   io.Writer
	key []byte
}

func (r redactWriter) Write(b []byte) (int, error) {
	if !bytes.Contains(b, r.key) {
		return r.w.Write(b)
	}
	_, err := r.w.Write(bytes.ReplaceAll(b, r.key, []byte("[REDACTED]")))
	return len(b), err
}

// redacting returns env with stdout and stderr redacting key (keys under
// 8 characters are too likely to occur in ordinary text to be replaced).
func redacting(env *cliEnv, key string) *cliEnv {
	if len(key) < 8 {
		return env
	}
	e := *env
	e.stdout = redactWriter{env.stdout, []byte(key)}
	e.stderr = redactWriter{env.stderr, []byte(key)}
	return &e
}
