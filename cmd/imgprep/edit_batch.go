package main

import (
	"context"
	"flag"
	"fmt"
	"iter"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/imgprep/imgprep"
	"github.com/imgprep/imgprep/finish"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
	"github.com/imgprep/imgprep/upload"
)

// batchHook is edit's door into the batch: it checks the batch flags and,
// for --each or --manifest, runs the batch. ok is false for a single edit.
func batchHook(ctx context.Context, env *cliEnv, fs *flag.FlagSet, f *editFlags, bf *batchFlags, files []string) (code int, ok bool) {
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if err := bf.check(set, files); err != nil {
		return usageErr(env, "edit", "%v", err), true
	}
	if !bf.active() {
		return 0, false
	}
	return runBatch(ctx, env, fs, f, bf, files), true
}

// batchRun is one 'imgprep edit --each/--manifest' run.
type batchRun struct {
	env    *cliEnv
	f      *editFlags
	bf     *batchFlags
	p      *model.Profile
	opts   pipeline.Options
	fo     finish.Options
	params imgprep.Params    // the flags' parameters
	mask   *imgprep.MaskSpec // the flags' mask, nil when none
	ucfg   upload.Config     // the uploader's, retries left to the batch
	driver string
	b      *imgprep.Batch
	rec    *batchRecord
	rep    *batchReporter
	specs  map[string]*batchSpec // by key
}

// runBatch checks everything that can be checked before anything is sent
// (flags, manifest lines, output names, the record), then runs the jobs on
// --jobs workers sharing one rate governor, reporting each as it ends.
// Exit 0 when every job is done (edited or skipped), 1 when some failed
// or were interrupted, 2 for usage errors.
func runBatch(ctx context.Context, env *cliEnv, fs *flag.FlagSet, f *editFlags, bf *batchFlags, files []string) int {
	p, opts, err := f.prep.resolve(env)
	if err != nil {
		return usageErr(env, "edit", "%v", err)
	}
	prompt := f.prompt
	if bf.manifest != "" && strings.TrimSpace(prompt) == "" {
		f.prompt = "(each manifest line's)" // lines without a prompt are refused below
	}
	err = f.check()
	f.prompt = prompt
	if err != nil {
		return usageErr(env, "edit", "%v", err)
	}
	if f.finish.composite && !f.mask.wanted() && !pipeline.TransparencyMasks(p) && bf.each {
		return usageErr(env, "edit", "--composite needs the mask: give --mask or --mask-rect ...")
	}
	env, st, code := f.setup(env, true)
	if code >= 0 {
		return code
	}
	fo, cfg, name, params := st.fo, st.cfg, st.name, st.params
	specs, code := batchSpecs(env, fs, f, bf, p, files)
	if code >= 0 {
		return code
	}
	r := &batchRun{env: env, f: f, bf: bf, p: p, opts: opts, fo: fo, params: params, driver: name, specs: map[string]*batchSpec{}}
	if f.mask.wanted() {
		if code := f.mask.setup(env, p, specs[0].images[0]); code >= 0 {
			return code
		}
		if r.mask, err = f.mask.spec.lib(); err != nil {
			return rejected(env, f.mask.spec.from, err)
		}
		r.mask.EditablePadding = f.mask.editablePadding
	}
	if err := os.MkdirAll(f.outDir, 0o755); err != nil {
		return usageErr(env, "edit", "output directory: %v", shortPathErr(err))
	}
	if r.rec, err = openRecord(f.outDir); err != nil {
		fmt.Fprintf(env.stderr, "imgprep: edit: %v\n", err)
		return exitRejected
	}
	r.ucfg = cfg.uploadConfig()
	r.ucfg.Options = append(r.ucfg.Options, upload.MultipartOptions{ImageField: f.imageField})
	for i := range specs {
		r.specs[specs[i].key] = &specs[i]
	}
	return r.run(ctx, specs)
}

// batchSpecs lists the jobs (inputs or manifest lines), refuses bad lines
// and output clashes with every reason at once, computes the keys and
// keeps this shard's jobs. It returns an exit code, or -1 to go on.
func batchSpecs(env *cliEnv, fs *flag.FlagSet, f *editFlags, bf *batchFlags, p *model.Profile, files []string) ([]batchSpec, int) {
	var specs []batchSpec
	if bf.each {
		specs = eachSpecs(files, f.prompt)
	} else {
		var errs []error
		specs, errs = readManifest(bf.manifest, f.outDir, f.prompt, p.MaxImages)
		errs = append(errs, checkLineMasks(bf.manifest, specs, p)...)
		if len(errs) > 0 {
			for _, err := range errs {
				fmt.Fprintf(env.stderr, "imgprep: %v\n", err)
			}
			fmt.Fprintf(env.stderr, "imgprep: edit: %s in the manifest; nothing was sent\n", plural(len(errs), "bad line", "bad lines"))
			return nil, exitUsage
		}
	}
	if bad := claimOutputs(specs, f.outDir, f.n); len(bad) > 0 {
		for _, msg := range bad {
			fmt.Fprintf(env.stderr, "imgprep: %s\n", msg)
		}
		fmt.Fprintln(env.stderr, "imgprep: edit: two jobs would write the same output (give each its own name); nothing was sent")
		return nil, exitUsage
	}
	fk := flagsKey(fs)
	var mine []batchSpec
	for i := range specs {
		specs[i].setKey(fk)
		if bf.inShard(i) {
			mine = append(mine, specs[i])
		}
	}
	if len(mine) == 0 {
		fmt.Fprintf(env.stderr, "imgprep: edit: shard %s has no jobs (%d in all)\n", bf.shard, len(specs))
		return nil, exitOK
	}
	return mine, -1
}

// run runs the jobs and reports them.
func (r *batchRun) run(ctx context.Context, specs []batchSpec) int {
	// The uploader makes one request per call; the batch retries each
	// attempt with the policy of IMGPREP_RETRIES, through its governor.
	opts := imgprep.BatchOptions{Workers: r.bf.jobs, Retry: r.ucfg.Retry, Driver: r.driver, Config: r.ucfg,
		OnResult: func(res imgprep.BatchResult) { r.rep.result(r.specs[res.Key], res) }}
	if r.f.verbose {
		opts.OnRetry = func(ev imgprep.BatchRetry) {
			s := r.specs[ev.Key]
			r.rep.printf("imgprep: %s: attempt %d failed: %s; retrying in %s", s.label(), ev.Attempt, shortErr(ev.Err, 200), ev.Wait.Round(time.Millisecond))
		}
	}
	b, err := imgprep.NewBatch(opts)
	if err != nil {
		return usageErr(r.env, "edit", "%s", shortErr(err, 1000))
	}
	r.b = b
	r.rep = newBatchReporter(r.env, r.f.asJSON, len(specs), b.Governor())
	hard, stop := r.interrupts(ctx)
	defer stop()
	r.rep.start()
	sum := b.Run(hard, jobSeq(specs), r.job)
	r.rep.stop()
	if ctx.Err() != nil {
		left := len(specs) - sum.OK - sum.Skipped - sum.Failed
		r.rep.interruptedMsg = fmt.Sprintf("imgprep: edit: interrupted: %s not finished; run the same command with --resume to finish them",
			plural(left, "job", "jobs"))
	}
	r.rep.summary(sum)
	if sum.OK+sum.Skipped == len(specs) && ctx.Err() == nil {
		return exitOK
	}
	return exitRejected
}

// jobSeq yields the jobs in order.
func jobSeq(specs []batchSpec) iter.Seq[imgprep.BatchJob] {
	return func(yield func(imgprep.BatchJob) bool) {
		for i := range specs {
			if !yield(imgprep.BatchJob{Key: specs[i].key, Inputs: specs[i].images}) {
				return
			}
		}
	}
}

// interrupts turns the first interrupt (ctx done: SIGINT or SIGTERM) into
// a drain, no new request started and those in flight given --grace to
// end, and the second interrupt, or the grace's end, into the
// cancellation of the returned context. Files are written atomically, so
// a cancelled job leaves none behind.
func (r *batchRun) interrupts(ctx context.Context) (context.Context, func()) {
	hard, cancel := context.WithCancel(context.WithoutCancel(ctx))
	sig := make(chan os.Signal, 4)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
		case <-done:
			return
		}
		r.b.Drain()
		st := r.b.Governor().State()
		r.rep.printf("imgprep: edit: interrupted: starting no new request; %s in flight get %s to finish (interrupt again to cancel them)",
			plural(st.InFlight, "request", "requests"), r.bf.grace)
		grace := time.NewTimer(r.bf.grace)
		defer grace.Stop()
		for n := 0; ; {
			select {
			case <-sig:
				if n++; n < 2 { // the first is the interrupt that ended ctx
					continue
				}
			case <-grace.C:
			case <-done:
				return
			}
			cancel()
			return
		}
	}()
	return hard, func() {
		close(done)
		signal.Stop(sig)
		cancel()
	}
}
