package imgprep

import (
	"context"
	"errors"
	"time"

	"github.com/imgprep/imgprep/pipeline"
	"github.com/imgprep/imgprep/upload"
)

// BatchStatus is how a job of a batch ended.
type BatchStatus string

// Job statuses.
const (
	// BatchOK: the job was edited and its outputs stored.
	BatchOK BatchStatus = "ok"
	// BatchError: the job failed (see BatchResult.Err and Category).
	BatchError BatchStatus = "error"
	// BatchSkipped: the job was already done (e.g. its outputs exist from
	// an earlier run); nothing was sent.
	BatchSkipped BatchStatus = "skipped"
	// BatchCanceled: the job was cut short by a drain, a cancelled context
	// or a stopped batch; run it again.
	BatchCanceled BatchStatus = "canceled"
)

// BatchOutput is one stored output of a job.
type BatchOutput struct {
	// Path is where it was stored (e.g. a file path).
	Path string
	// Format, Bytes, Width and Height describe it.
	Format        string
	Bytes         int
	Width, Height int
}

// BatchResult is how one job of a batch ended.
type BatchResult struct {
	// Index is the job's position in the sequence given to Run, from 0.
	Index int
	// Key and Inputs are the job's.
	Key    string
	Inputs []string
	// Status is how the job ended.
	Status BatchStatus
	// Err is why it failed or was cancelled; nil for ok and skipped.
	Err error
	// Category names Err's kind for reports (see ErrorCategory).
	Category string
	// Outputs are the outputs stored.
	Outputs []BatchOutput
	// Attempts is the number of requests sent for the job (0 when it
	// failed before sending, or was skipped).
	Attempts int
	// Usage is the token usage reported by the server, when it was.
	Usage *upload.Usage
	// Warnings are the preparation's and the finishing's warnings.
	Warnings []string
	// Result is the edit's result, from Batch.Edit (nil otherwise, and
	// when the job failed before an answer).
	Result *Result
	// Elapsed is the time from taking the job to its end.
	Elapsed time.Duration
}

// Retries is the number of attempts after the first.
func (r *BatchResult) Retries() int { return max(r.Attempts-1, 0) }

// fill completes a job's result: its key and inputs, the time since
// start, Status and Category from Err, where they are empty.
func (r *BatchResult) fill(job BatchJob, start time.Time) {
	r.Key = job.Key
	if r.Inputs = job.Inputs; len(r.Inputs) == 0 {
		for _, im := range job.Job.Images {
			r.Inputs = append(r.Inputs, im.Name)
		}
	}
	if r.Elapsed == 0 {
		r.Elapsed = time.Since(start)
	}
	if r.Status == "" {
		switch {
		case r.Err == nil:
			r.Status = BatchOK
		case errors.Is(r.Err, ErrBatchStopped) || errors.Is(r.Err, context.Canceled):
			r.Status = BatchCanceled
		default:
			r.Status = BatchError
		}
	}
	if r.Category == "" && r.Err != nil {
		r.Category = ErrorCategory(r.Err)
	}
}

// BatchSummary counts the results of a Run.
type BatchSummary struct {
	// Jobs is the number of jobs taken (the sum of the four counts).
	Jobs, OK, Failed, Skipped, Canceled int
	// Attempts and Retries sum the requests sent, and those after each
	// job's first.
	Attempts, Retries int
	// Usage sums the token usage the server reported.
	Usage upload.Usage
	// Elapsed is the run's duration.
	Elapsed time.Duration
	// Stopped is what stopped the batch early (an auth failure, an
	// exhausted quota, ErrDrained), or nil.
	Stopped error
}

func (s *BatchSummary) add(r BatchResult) {
	s.Jobs++
	switch r.Status {
	case BatchOK:
		s.OK++
	case BatchSkipped:
		s.Skipped++
	case BatchCanceled:
		s.Canceled++
	default:
		s.Failed++
	}
	s.Attempts += r.Attempts
	s.Retries += r.Retries()
	if u := r.Usage; u != nil {
		s.Usage.InputTokens += u.InputTokens
		s.Usage.OutputTokens += u.OutputTokens
		s.Usage.TotalTokens += u.TotalTokens
		s.Usage.InputTokensDetails.TextTokens += u.InputTokensDetails.TextTokens
		s.Usage.InputTokensDetails.ImageTokens += u.InputTokensDetails.ImageTokens
	}
}

// categories name error kinds for reports, most specific first.
var categories = []struct {
	err  error
	name string
}{
	{ErrDrained, "interrupted"},
	{context.Canceled, "interrupted"},
	{ErrBatchStopped, "stopped"},
	{errDuplicateKey, "duplicate"},
	{upload.ErrModeration, "moderation"},
	{upload.ErrAuth, "auth"},
	{upload.ErrRateLimit, "rate_limit"},
	{upload.ErrTaskFailed, "task_failed"},
	{upload.ErrDownload, "download"},
	{upload.ErrTimeout, "timeout"},
	{upload.ErrServer, "server"},
	{upload.ErrNetwork, "network"},
	{upload.ErrInvalidRequest, "invalid_request"},
	{upload.ErrBadRequest, "bad_request"},
	{upload.ErrNoImage, "no_image"},
	{upload.ErrMalformedResponse, "malformed_response"},
	{context.DeadlineExceeded, "timeout"},
}

// ErrorCategory names the kind of a job's error for reports: "input" (an
// image that cannot be read or prepared), "mask", "job" (a *JobError),
// "output" (an output that could not be finished or stored), "auth", "quota", "rate_limit",
// "server", "network", "timeout", "bad_request", "invalid_request",
// "moderation", "malformed_response", "no_image", "download",
// "task_failed", "interrupted" (a drain or a cancelled context),
// "stopped" (another job's failure stopped the batch), "duplicate", or
// "error" for anything else; "" for nil.
func ErrorCategory(err error) string {
	if err == nil {
		return ""
	}
	var ae *upload.APIError
	if errors.As(err, &ae) && (ae.Code == "insufficient_quota" || ae.Type == "insufficient_quota") {
		return "quota"
	}
	var (
		ie *pipeline.InputError
		be *pipeline.BatchError
		je *JobError
		me *MaskError
		oe *OutputError
	)
	switch {
	case errors.As(err, &ie) || errors.As(err, &be):
		return "input"
	case errors.As(err, &me):
		return "mask"
	case errors.As(err, &je):
		return "job"
	case errors.As(err, &oe):
		return "output"
	}
	for _, c := range categories {
		if errors.Is(err, c.err) {
			return c.name
		}
	}
	return "error"
}
