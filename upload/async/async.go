// Package async is the "async-task" uploader for relays that run edits as
// tasks: POST {base}/images/edits?async=true (a multipart body by
// default) answers {"task_id": "...", "status": "queued"} (an "id" field is
// accepted too); the task is then polled with GET {base}/tasks/{id} every
// Options.PollInterval until it succeeds or fails, or Options.PollTimeout
// or the context ends (Options travel in upload.Config.Options). A failed task is an *upload.APIError with Code
// "task_failed" carrying the task's reason. A relay that ignores async and
// answers with the images right away is accepted too.
package async

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/driver"
)

// Name is the registered uploader name.
const Name = "async-task"

func init() {
	upload.Register(Name, func(cfg upload.Config) (upload.Uploader, error) { return New(cfg) })
}

// Uploader submits edit tasks and polls them.
type Uploader struct {
	c    *driver.Client
	enc  upload.Encoding
	opts Options
}

// New returns an async uploader sending multipart bodies, with the
// Options in cfg.Options.
func New(cfg upload.Config) (*Uploader, error) { return NewEncoding(cfg, upload.Multipart) }

// NewEncoding returns an async uploader sending bodies in enc.
func NewEncoding(cfg upload.Config, enc upload.Encoding) (*Uploader, error) {
	c, err := driver.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	return &Uploader{c: c, enc: enc, opts: options(cfg)}, nil
}

// Edit submits req as a task and waits for its result.
func (u *Uploader) Edit(ctx context.Context, req *upload.Request) (*upload.Response, error) {
	call, err := u.call(req)
	if err != nil {
		return nil, err
	}
	reply, err := u.c.Do(ctx, call)
	if err != nil {
		return nil, err
	}
	t, err := parseTask(reply.Body)
	if err != nil {
		return nil, err
	}
	if t.hasData() { // a relay that answered synchronously
		return u.c.Result(ctx, reply.Body)
	}
	if t.failed() {
		return nil, t.failure(reply.StatusCode, u.c.Redact)
	}
	if t.id() == "" {
		return nil, fmt.Errorf("async: the submit answer has neither task_id nor data (%.120s): %w", reply.Body, upload.ErrMalformedResponse)
	}
	return u.poll(ctx, t.id())
}

// Encoding returns the body encoding u submits.
func (u *Uploader) Encoding() upload.Encoding { return u.enc }

// Preview returns the submit request Edit would send, without sending it.
func (u *Uploader) Preview(ctx context.Context, req *upload.Request) (*http.Request, []byte, error) {
	call, err := u.call(req)
	if err != nil {
		return nil, nil, err
	}
	return u.c.Preview(ctx, call)
}

func (u *Uploader) call(req *upload.Request) (driver.Call, error) {
	if req != nil && req.Stream {
		return driver.Call{}, fmt.Errorf("async: stream cannot be combined with an async task: %w", upload.ErrInvalidRequest)
	}
	return u.c.EditCall(req, u.enc, url.Values{"async": {"true"}})
}

// poll waits for task id to finish.
func (u *Uploader) poll(ctx context.Context, id string) (*upload.Response, error) {
	pctx, cancel := context.WithTimeout(ctx, u.opts.PollTimeout)
	defer cancel()
	call := driver.Call{Method: http.MethodGet, URL: u.c.URL("tasks/"+url.PathEscape(id), nil)}
	last := "queued"
	for {
		if err := u.c.Sleep(pctx, u.opts.PollInterval); err != nil {
			return nil, u.stopped(ctx, id, last, err)
		}
		reply, err := u.c.Do(pctx, call)
		if err != nil {
			if ctx.Err() == nil && pctx.Err() != nil {
				return nil, u.stopped(ctx, id, last, err)
			}
			return nil, fmt.Errorf("async: task %s: %w", id, err)
		}
		t, err := parseTask(reply.Body)
		if err != nil {
			return nil, fmt.Errorf("async: task %s: %w", id, err)
		}
		switch {
		case t.failed():
			return nil, t.failure(reply.StatusCode, u.c.Redact)
		case t.succeeded() || (t.Status == "" && t.hasData()):
			return u.c.Result(ctx, reply.Body)
		}
		last = t.Status
		if t.Progress > 0 {
			last = fmt.Sprintf("%s, %d%%", t.Status, t.Progress)
		}
	}
}

// stopped reports a poll that ended by cancellation or PollTimeout.
func (u *Uploader) stopped(ctx context.Context, id, last string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("async: task %s (last status %s): %w", id, last, ctx.Err())
	}
	return &timeoutError{id: id, last: last, d: u.opts.PollTimeout, err: err}
}

// timeoutError is a task that did not finish within PollTimeout.
type timeoutError struct {
	id, last string
	d        time.Duration
	err      error
}

func (e *timeoutError) Error() string {
	return fmt.Sprintf("async: task %s not finished after %s (last status %s); it may still finish on the server", e.id, e.d, e.last)
}

func (e *timeoutError) Unwrap() []error { return []error{upload.ErrTimeout, e.err} }

// task is a submit or poll answer.
type task struct {
	TaskID   string          `json:"task_id"`
	ID       string          `json:"id"`
	Status   string          `json:"status"`
	Progress int             `json:"progress"`
	Data     json.RawMessage `json:"data"`
	Error    json.RawMessage `json:"error"`
	Reason   string          `json:"fail_reason"`
	Message  string          `json:"message"`
}

func parseTask(body []byte) (*task, error) {
	var t task
	if err := json.Unmarshal(body, &t); err != nil {
		return nil, fmt.Errorf("async: task answer is not valid JSON (%d bytes): %v: %w", len(body), err, upload.ErrMalformedResponse)
	}
	if t.TaskID == "" && len(t.Data) > 0 && t.Data[0] == '{' { // {"data": {"task_id": ...}}
		var inner task
		if json.Unmarshal(t.Data, &inner) == nil && inner.id() != "" {
			inner.Data = nil
			return &inner, nil
		}
	}
	return &t, nil
}

func (t *task) id() string {
	if t.TaskID != "" {
		return t.TaskID
	}
	return t.ID
}

func (t *task) hasData() bool {
	d := strings.TrimSpace(string(t.Data))
	return strings.HasPrefix(d, "[") && d != "[]"
}

func (t *task) succeeded() bool {
	switch strings.ToLower(t.Status) {
	case "succeeded", "success", "successful", "completed", "complete", "done", "finished", "ready":
		return true
	}
	return false
}

func (t *task) failed() bool {
	switch s := strings.ToLower(t.Status); {
	case s == "failed", s == "failure", s == "error", s == "cancelled", s == "canceled", s == "expired":
		return true
	case strings.Contains(s, "moderated"):
		return true
	}
	return false
}

// failure turns a failed task into an *upload.APIError.
func (t *task) failure(status int, redact func(string) string) error {
	e := &upload.APIError{StatusCode: status, Code: "task_failed"}
	if len(t.Error) > 0 && t.Error[0] == '{' {
		var we struct {
			Message string          `json:"message"`
			Code    json.RawMessage `json:"code"`
		}
		_ = json.Unmarshal(t.Error, &we)
		e.Message = we.Message
		var code string
		if json.Unmarshal(we.Code, &code) == nil {
			e.Type = code
		}
	} else if len(t.Error) > 0 {
		_ = json.Unmarshal(t.Error, &e.Message)
	}
	for _, alt := range []string{t.Reason, t.Message} {
		if e.Message == "" {
			e.Message = alt
		}
	}
	if e.Message == "" {
		e.Message = "task " + t.id() + " ended with status " + t.Status
	}
	if e.Type == "" && strings.Contains(strings.ToLower(t.Status), "moderated") {
		e.Type = "moderation_blocked"
	}
	e.Message = redact(e.Message)
	return e
}
