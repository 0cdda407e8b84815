package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/imgprep/imgprep"
	"github.com/imgprep/imgprep/pipeline"
	"github.com/imgprep/imgprep/upload"
)

// batchLine is the --json line of one job, printed as the job ends.
type batchLine struct {
	Type     string        `json:"type"` // "job"
	Index    int           `json:"index"`
	Line     int           `json:"line,omitempty"`
	Key      string        `json:"key"`
	Inputs   []string      `json:"inputs"`
	Status   string        `json:"status"`
	Outputs  []editOutput  `json:"outputs"`
	Error    string        `json:"error,omitempty"`
	Category string        `json:"category,omitempty"`
	Attempts int           `json:"attempts"`
	Retries  int           `json:"retries"`
	Usage    *upload.Usage `json:"usage,omitempty"`
	Seconds  float64       `json:"seconds"`
	Warnings []string      `json:"warnings,omitempty"`
}

// batchSummaryLine is the last --json line.
type batchSummaryLine struct {
	Type       string       `json:"type"` // "summary"
	Jobs       int          `json:"jobs"`
	OK         int          `json:"ok"`
	Failed     int          `json:"failed"`
	Skipped    int          `json:"skipped"`
	Canceled   int          `json:"canceled"`
	NotStarted int          `json:"not_started"`
	Attempts   int          `json:"attempts"`
	Retries    int          `json:"retries"`
	RateLimits int          `json:"rate_limits"`
	Usage      upload.Usage `json:"usage"`
	Seconds    float64      `json:"seconds"`
	Stopped    string       `json:"stopped,omitempty"`
}

// batchReporter prints each job's end (a JSON line with --json; a line on
// stderr for a failed job) and, on a terminal, keeps one progress line up
// to date under them.
type batchReporter struct {
	env     *cliEnv
	asJSON  bool
	total   int
	gov     *imgprep.Governor
	started time.Time

	mu             sync.Mutex
	done, failed   int
	skipped, sent  int
	drawn          bool
	quit           chan struct{}
	wg             sync.WaitGroup
	interruptedMsg string
}

func newBatchReporter(env *cliEnv, asJSON bool, total int, gov *imgprep.Governor) *batchReporter {
	return &batchReporter{env: env, asJSON: asJSON, total: total, gov: gov, started: time.Now(), quit: make(chan struct{})}
}

// start runs the progress line on a terminal.
func (r *batchReporter) start() {
	if !r.env.stderrTTY {
		return
	}
	redraw(&r.wg, r.quit, &r.mu, r.draw)
}

// stop ends the progress line.
func (r *batchReporter) stop() {
	close(r.quit)
	r.wg.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.drawn {
		r.draw()
		fmt.Fprintln(r.env.stderr)
		r.drawn = false
	}
}

// draw rewrites the progress line (r.mu held): done/total, failed,
// concurrency, the rate-limit wait, the rate and the time left.
func (r *batchReporter) draw() {
	st := r.gov.State()
	var b strings.Builder
	fmt.Fprintf(&b, "imgprep: edit: %d/%d done", r.done, r.total)
	if r.failed > 0 {
		fmt.Fprintf(&b, ", %d failed", r.failed)
	}
	if r.skipped > 0 {
		fmt.Fprintf(&b, ", %d skipped", r.skipped)
	}
	fmt.Fprintf(&b, "; %d in flight (limit %d of %d)", st.InFlight, st.Window, st.Limit)
	if st.Paused > 0 {
		fmt.Fprintf(&b, "; rate limited, waiting %.1fs", st.Paused.Seconds())
	}
	if el := time.Since(r.started).Seconds(); r.sent > 0 && el > 0 {
		rate := float64(r.sent) / el
		fmt.Fprintf(&b, "; %.2f/s", rate)
		if left := r.total - r.done; left > 0 {
			fmt.Fprintf(&b, ", ETA %s", (time.Duration(float64(left)/rate) * time.Second).Round(time.Second))
		}
	}
	fmt.Fprintf(r.env.stderr, "\r%s\x1b[K", b.String())
	r.drawn = true
}

// printf prints a line on stderr above the progress line.
func (r *batchReporter) printf(format string, a ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.line(fmt.Sprintf(format, a...))
}

// line prints a whole line on stderr (r.mu held).
func (r *batchReporter) line(s string) {
	if r.drawn {
		fmt.Fprint(r.env.stderr, "\r\x1b[K")
		r.drawn = false
	}
	fmt.Fprintln(r.env.stderr, s)
}

// result reports one job's end.
func (r *batchReporter) result(spec *batchSpec, res imgprep.BatchResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done++
	switch res.Status {
	case imgprep.BatchSkipped:
		r.skipped++
	case imgprep.BatchOK:
		r.sent++
	case imgprep.BatchError:
		r.failed++
		msg := strings.TrimPrefix(jobErr(res.Err, 1000), spec.label()+": ") // an input error names its file
		if len(spec.images) == 1 {
			msg = strings.TrimPrefix(msg, filepath.Base(spec.images[0])+": ")
		}
		r.line(fmt.Sprintf("imgprep: %s: %s: %s", spec.label(), res.Category, msg))
	}
	for _, w := range res.Warnings {
		r.line(fmt.Sprintf("imgprep: %s: warning: %s", spec.label(), w))
	}
	if r.asJSON {
		l := batchLine{Type: "job", Index: res.Index, Line: spec.line, Key: res.Key, Inputs: res.Inputs,
			Status: string(res.Status), Outputs: []editOutput{}, Category: res.Category, Attempts: res.Attempts,
			Retries: res.Retries(), Usage: res.Usage, Seconds: seconds(res.Elapsed), Warnings: res.Warnings}
		if res.Err != nil {
			l.Error = jobErr(res.Err, 2000)
		}
		for _, o := range res.Outputs {
			l.Outputs = append(l.Outputs, editOutput{Path: o.Path, Format: o.Format, Width: o.Width, Height: o.Height, Bytes: o.Bytes})
		}
		r.writeLine(l)
	}
	if r.env.stderrTTY {
		r.draw()
	}
}

// summary prints the last line: JSON with --json, else a sentence on
// stdout; failures and an interruption are said on stderr too.
func (r *batchReporter) summary(sum imgprep.BatchSummary) {
	r.mu.Lock()
	defer r.mu.Unlock()
	notStarted := max(r.total-sum.Jobs, 0)
	l := batchSummaryLine{Type: "summary", Jobs: r.total, OK: sum.OK, Failed: sum.Failed, Skipped: sum.Skipped,
		Canceled: sum.Canceled, NotStarted: notStarted, Attempts: sum.Attempts, Retries: sum.Retries,
		RateLimits: r.gov.State().RateLimits, Usage: sum.Usage, Seconds: seconds(sum.Elapsed)}
	if sum.Stopped != nil {
		l.Stopped = shortErr(sum.Stopped, 1000)
	}
	if r.asJSON {
		r.writeLine(l)
	} else {
		fmt.Fprintf(r.env.stdout, "edited %d of %d jobs in %s (%d skipped, %d failed, %d not finished), %s, %s\n",
			sum.OK, r.total, sum.Elapsed.Round(100*time.Millisecond), sum.Skipped, sum.Failed, sum.Canceled+notStarted,
			plural(sum.Retries, "retry", "retries"), plural(l.RateLimits, "rate limit", "rate limits"))
		if u := sum.Usage; u.TotalTokens > 0 {
			fmt.Fprintf(r.env.stdout, "usage: %d input + %d output = %d tokens\n", u.InputTokens, u.OutputTokens, u.TotalTokens)
		}
	}
	switch {
	case r.interruptedMsg != "":
		r.line(r.interruptedMsg)
	case sum.Stopped != nil:
		r.line(fmt.Sprintf("imgprep: edit: stopped: %s", l.Stopped))
	}
	if sum.Failed > 0 {
		r.line(fmt.Sprintf("imgprep: edit: %s failed (listed above)", plural(sum.Failed, "job", "jobs")))
	}
}

// writeLine prints one JSON line on stdout (r.mu held).
func (r *batchReporter) writeLine(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	if r.drawn { // stdout and stderr may share the terminal
		fmt.Fprint(r.env.stderr, "\r\x1b[K")
		r.drawn = false
	}
	fmt.Fprintf(r.env.stdout, "%s\n", b)
}

func seconds(d time.Duration) float64 { return d.Round(time.Millisecond).Seconds() }

// jobErr renders a job's error on one line, cut to n characters; the
// images a preparation refused are named ("a.jpg: truncated ...").
func jobErr(err error, n int) string {
	var be *pipeline.BatchError
	if !errors.As(err, &be) {
		return shortErr(err, n)
	}
	parts := make([]string, len(be.Errs))
	for i, ie := range be.Errs {
		parts[i] = ie.Name + ": " + oneLine(ie)
	}
	return shortErr(errors.New(strings.Join(parts, "; ")), n)
}
