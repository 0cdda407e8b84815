package imgprep

import (
	"context"
	"errors"
	"iter"
	"sync"
	"time"

	"github.com/imgprep/imgprep/upload"
)

// Batch runs many independent edits with bounded workers and one rate
// governor shared by all of them, so that a rate limit seen by one worker
// slows every worker down instead of each retrying alone into the next
// collision. See Run for a whole job list and Do for one request.
//
// A Batch is safe for concurrent use: the goroutines of a queue worker may
// share one (its governor bounds their requests in flight together), and
// several Runs may share it too.
type Batch struct {
	opts    BatchOptions
	policy  upload.RetryPolicy // defaults applied
	gov     *Governor
	up      upload.Uploader
	sleep   func(context.Context, time.Duration) error
	drained context.Context
	drain   context.CancelFunc
	mu      sync.Mutex // serialises OnResult and OnRetry
}

// BatchOptions configure a Batch. The zero value is valid: 4 workers, the
// default retry policy.
type BatchOptions struct {
	// Workers is how many jobs Run works on at once (N), each holding at
	// most one prepared request, and the governor's Limit when Governor
	// is nil; 0 means 4.
	Workers int
	// Retry is the policy shared by the jobs: MaxRetries and the backoff
	// for 5xx, 408, 409, resets and timeouts, and MaxRetryAfter, the
	// longest server-requested pause honoured (a longer one stops the
	// batch). Rate limits do not use up MaxRetries.
	Retry upload.RetryPolicy
	// RateLimitPatience is how long rate limits may go on with no request
	// succeeding before a rate-limited job fails; 0 means 5 minutes. While
	// the server serves some requests, no job fails for rate limiting.
	RateLimitPatience time.Duration
	// Governor, when set, is shared with other batches (or other users of
	// the same API key); nil means a new one with Limit Workers.
	Governor *Governor
	// OnRetry, when set, is called before each wait between a job's
	// attempts.
	OnRetry func(BatchRetry)
	// OnResult, when set, receives the result of each job of Run as the
	// job ends. Calls are serialised (with OnRetry's), so it may write a
	// report line without a lock of its own.
	OnResult func(BatchResult)
	// Sleep waits d or until ctx is done (the backoff between attempts);
	// nil means a timer of the governor's clock. Tests make it instant.
	Sleep func(ctx context.Context, d time.Duration) error
	// Uploader sends the jobs of Edit (and Run without a BatchFunc) that
	// name no uploader of their own. It must make one request per call
	// (retries off, see upload.Retryable): the batch retries each attempt
	// through the governor. When nil, NewBatch opens Driver (empty means
	// upload.DefaultDriver) with Config, its retries turned off
	// (Config.Retry is not used: Retry is the batch's policy).
	Uploader upload.Uploader
	Driver   string
	Config   upload.Config
}

// NewBatch returns a batch for o.
func NewBatch(o BatchOptions) (*Batch, error) {
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.RateLimitPatience <= 0 {
		o.RateLimitPatience = 5 * time.Minute
	}
	b := &Batch{opts: o, policy: upload.Config{Retry: o.Retry}.WithDefaults().Retry, gov: o.Governor, sleep: o.Sleep, up: o.Uploader}
	if b.gov == nil {
		b.gov = NewGovernor(GovernorOptions{Limit: o.Workers, Backoff: b.policy.Backoff})
	}
	if b.up == nil {
		cfg := o.Config
		cfg.Retry = upload.RetryPolicy{MaxRetries: -1}
		up, err := upload.Open(o.Driver, cfg)
		if err != nil {
			return nil, &JobError{Field: "Driver", Err: err}
		}
		b.up = up
	}
	b.drained, b.drain = context.WithCancel(context.Background())
	return b, nil
}

// wait is the backoff between two attempts: Sleep, else the governor's
// clock.
func (b *Batch) wait(ctx context.Context, d time.Duration) error {
	if b.sleep != nil {
		return b.sleep(ctx, d)
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-b.gov.clock.After(d):
		return nil
	}
}

// Governor returns the batch's rate governor (for its State).
func (b *Batch) Governor() *Governor { return b.gov }

// Drain stops the batch from starting anything: Run takes no further job,
// and every job that is waiting for a slot or between two attempts ends
// with a *StopError (ErrDrained); requests in flight go on to their end.
// Cancel the context given to Run or Do to end those too. A drained Batch
// stays drained.
func (b *Batch) Drain() { b.drain() }

// Err returns what stopped the batch's governor (an auth failure, an
// exhausted quota, a wait too long), or nil.
func (b *Batch) Err() error { return b.gov.Err() }

func (b *Batch) onRetry(ev BatchRetry) {
	if b.opts.OnRetry == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.opts.OnRetry(ev)
}

// BatchJob is one job of a batch.
type BatchJob struct {
	// Key identifies the job in results (and in a resume record); Run
	// refuses a key it has already seen. Empty keys are not checked.
	Key string
	// Inputs name the job's inputs in results (e.g. file paths); empty
	// means the names of Job.Images.
	Inputs []string
	// Job is the edit Batch.Edit runs. Its Uploader, when nil, is the
	// batch's (Driver and Config are then not used).
	Job Job
	// Save, when set, stores a successful result (e.g. writes the files)
	// and returns what it stored; Edit calls it once, after the request,
	// and never sends the job again. Nil keeps the result in memory
	// (BatchResult.Result).
	Save func(ctx context.Context, res *Result) ([]BatchOutput, error)
}

// BatchFunc does one job on a worker of Run: it prepares the job (so that
// at most Workers prepared requests exist at once), sends it through
// Batch.Do (every attempt through the governor), and stores the outputs;
// a job is never sent again once its outputs are stored. It returns the
// job's result; Run fills in Index, Key, Inputs, Elapsed, and Status and
// Category from Err where they are empty. Batch.Edit is the one for
// BatchJob.Job; write another around it (as the CLI does, to skip what
// is done and read inputs lazily) or for a flow of your own.
type BatchFunc func(ctx context.Context, job BatchJob) BatchResult

// Run does the jobs on Workers goroutines, each with fn (nil means
// Batch.Edit), taking each job from the sequence only when a worker is
// free (a sequence that reads its inputs lazily keeps at most about
// Workers+1 jobs in memory), and reports each result to OnResult as the
// job ends. It returns when every job taken has ended: all of them, or,
// after Drain, a cancelled ctx or a stopped governor, those already
// taken.
func (b *Batch) Run(ctx context.Context, jobs iter.Seq[BatchJob], fn BatchFunc) BatchSummary {
	if fn == nil {
		fn = b.Edit
	}
	start := time.Now()
	next, stop := iter.Pull(jobs)
	defer stop()
	var (
		mu   sync.Mutex // guards next, index, seen, sum
		idx  int
		seen = map[string]bool{}
		sum  BatchSummary
	)
	take := func() (BatchJob, int, bool, bool) {
		mu.Lock()
		defer mu.Unlock()
		if ctx.Err() != nil || b.drained.Err() != nil || b.gov.Err() != nil {
			return BatchJob{}, 0, false, false
		}
		job, ok := next()
		if !ok {
			return BatchJob{}, 0, false, false
		}
		i := idx
		idx++
		dup := job.Key != "" && seen[job.Key]
		seen[job.Key] = true
		return job, i, dup, true
	}
	var wg sync.WaitGroup
	for range b.opts.Workers {
		wg.Go(func() {
			for {
				job, i, dup, ok := take()
				if !ok {
					return
				}
				r := b.runOne(ctx, job, i, dup, fn)
				mu.Lock()
				sum.add(r)
				mu.Unlock()
				b.report(r)
			}
		})
	}
	wg.Wait()
	sum.Elapsed = time.Since(start)
	sum.Stopped = b.gov.Err()
	if sum.Stopped == nil && b.drained.Err() != nil {
		sum.Stopped = ErrDrained
	}
	return sum
}

// errDuplicateKey: a job whose key another job of the run already has.
var errDuplicateKey = errors.New("imgprep: batch: another job has the same key; the job is not sent twice")

// runOne does one job and completes its result.
func (b *Batch) runOne(ctx context.Context, job BatchJob, i int, dup bool, fn BatchFunc) BatchResult {
	start := time.Now()
	var r BatchResult
	if dup {
		r.Err = errDuplicateKey
	} else {
		r = fn(ctx, job)
	}
	r.Index = i
	r.fill(job, start)
	return r
}

func (b *Batch) report(r BatchResult) {
	if b.opts.OnResult == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.opts.OnResult(r)
}
