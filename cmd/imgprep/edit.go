package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/imgprep/imgprep"
	"github.com/imgprep/imgprep/finish"
	"github.com/imgprep/imgprep/pipeline"
	"github.com/imgprep/imgprep/upload"
)

// runEdit is 'imgprep edit': the flags become an imgprep.Job, which the
// facade prepares (every input for the model, the mask through the first
// one's plan), validates, sends through the chosen uploader and finishes;
// the results become files and the report. Exit 0 ok, 1 input rejected or
// API/network error, 2 usage (including a parameter the model does not
// take).
func runEdit(ctx context.Context, env *cliEnv, args []string) int {
	fs := newFlagSet("edit", env.stderr)
	var f editFlags
	f.register(fs)
	var bf batchFlags
	bf.register(fs)
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return flagErr(err)
	}
	if code, ok := batchHook(ctx, env, fs, &f, &bf, files); ok {
		return code
	}
	p, opts, err := f.prep.resolve(env)
	if err != nil {
		return usageErr(env, "edit", "%v", err)
	}
	if err := f.check(); err != nil {
		return usageErr(env, "edit", "%v", err)
	}
	switch {
	case len(files) == 0:
		return usageErr(env, "edit", "no input files")
	case len(files) > p.MaxImages:
		return usageErr(env, "edit", "%d input images; %s takes at most %d", len(files), p.Name, p.MaxImages)
	case f.mask.preview && !f.mask.wanted() && !pipeline.TransparencyMasks(p):
		return usageErr(env, "edit", "--preview needs a mask (--mask or --mask-rect ...)")
	case f.finish.composite && !f.mask.wanted() && !pipeline.TransparencyMasks(p):
		return usageErr(env, "edit", "--composite needs the mask: give --mask or --mask-rect ...")
	}
	env, st, code := f.setup(env, !f.dryRun)
	if code >= 0 {
		return code
	}
	fo, cfg, name, params := st.fo, st.cfg, st.name, st.params
	if f.partials && !params.Stream {
		return usageErr(env, "edit", "--save-partials needs --stream")
	}
	job, code := f.job(env, p, opts, files)
	if code >= 0 {
		return code
	}
	prog := newProgress(env, f.verbose)
	rep := &editReport{Model: f.prep.model.name, Uploader: name}
	params.OnPartial = partialWriter(&f, files[0], prog, &rep.Partials)
	job.Params, job.Driver, job.Config = params, name, cfg.uploadConfig()
	job.Config.OnRetry = prog.onRetry
	job.Config.Options = append(job.Config.Options, upload.MultipartOptions{ImageField: f.imageField})
	if f.finish.active() {
		job.Finish = &fo
	}
	pr, err := imgprep.Prepare(ctx, job)
	if err != nil {
		return prepareFailed(ctx, env, files, err)
	}
	for i, in := range pr.Inputs {
		for _, w := range in.Warnings {
			fmt.Fprintf(env.stderr, "imgprep: %s: warning: %s\n", files[i], w)
		}
	}
	rep.Inputs, rep.Mask = inputsReport(files, pr), f.maskReport(files[0], pr.Mask)
	if f.dryRun {
		return dryRun(ctx, env, &f, pr, rep)
	}
	return sendEdit(ctx, env, &f, files, pr, rep, prog)
}

// editSetup is what an edit run needs once its flags are checked.
type editSetup struct {
	fo     finish.Options
	cfg    envConfig
	name   string // the uploader
	params imgprep.Params
}

// setup reads the finish options, the environment's config (the returned
// env redacts its key), the uploader name and the API parameters. A code
// >= 0 ends the run (a usage error, printed).
func (f *editFlags) setup(env *cliEnv, needKey bool) (*cliEnv, editSetup, int) {
	var st editSetup
	var err error
	if st.fo, err = f.finish.options(); err != nil {
		return env, st, usageErr(env, "edit", "%v", err)
	}
	if st.cfg, err = loadConfig(env.getenv); err != nil {
		return env, st, usageErr(env, "edit", "%v", err)
	}
	env = redacting(env, st.cfg.key())
	if needKey && st.cfg.key() == "" {
		return env, st, usageErr(env, "edit", "%v", errNoKey)
	}
	st.name = f.uploaderName(st.cfg.Uploader)
	if st.params, err = f.params(st.name); err != nil {
		return env, st, usageErr(env, "edit", "%v", err)
	}
	return env, st, -1
}

// dryRun prints the request the uploader would send, key redacted,
// without sending it or writing any file.
func dryRun(ctx context.Context, env *cliEnv, f *editFlags, pr *imgprep.Prepared, rep *editReport) int {
	dump, err := pr.Dump(ctx)
	if err != nil {
		fmt.Fprintf(env.stderr, "imgprep: edit: %s\n", shortErr(err, 1000))
		return exitUsage
	}
	if !f.asJSON {
		fmt.Fprint(env.stdout, dump)
		return exitOK
	}
	rep.DryRun, rep.Request, rep.Outputs = true, dump, []editOutput{}
	return writeJSON(env, rep)
}

// sendEdit sends the prepared request and writes the results and the
// report.
func sendEdit(ctx context.Context, env *cliEnv, f *editFlags, files []string, pr *imgprep.Prepared, rep *editReport, prog *editProgress) int {
	if err := checkClobber(f, files[0]); err != nil {
		fmt.Fprintf(env.stderr, "imgprep: edit: %v\n", err)
		return exitRejected
	}
	if err := os.MkdirAll(f.outDir, 0o755); err != nil {
		return usageErr(env, "edit", "output directory: %v", shortPathErr(err))
	}
	if f.mask.preview {
		pv, err := f.mask.previewOf(pr.Inputs[0], pr.Profile, files[0], f.outDir, maskImage(pr.Mask), map[string]string{})
		if err == nil {
			err = writeAtomic(pv.path, pv.data, f.force)
		}
		if err != nil {
			fmt.Fprintf(env.stderr, "imgprep: %s: %s\n", files[0], oneLine(err))
			return exitRejected
		}
		rep.Preview = pv.path
	}
	if f.verbose {
		dump, err := pr.Dump(ctx)
		if err != nil {
			dump = "(request not shown: " + shortErr(err, 200) + ")"
		}
		prog.printf("imgprep: edit: request:\n%s", dump)
	}
	prog.start()
	res, err := pr.Send(ctx)
	prog.stop()
	rep.fillStats(prog)
	if res == nil {
		return editFailed(ctx, env, err, rep.Retries.Count)
	}
	if f.verbose {
		prog.printf("imgprep: edit: response:\n%s", elideResponse(res.Response.Raw))
	}
	rep.Usage, rep.RevisedPrompts = res.Usage, res.RevisedPrompts
	rep.Outputs = writeResults(f, files, res)
	code := exitOK
	for _, o := range rep.Outputs {
		if o.Error != "" {
			fmt.Fprintf(env.stderr, "imgprep: edit: %s\n", o.Error)
			code = exitRejected
		}
		for _, w := range o.Warnings {
			fmt.Fprintf(env.stderr, "imgprep: edit: %s: warning: %s\n", o.Path, w)
		}
	}
	if f.asJSON {
		if c := writeJSON(env, rep); c != exitOK {
			return c
		}
	} else {
		rep.summary(env)
	}
	return code
}

// errCategories name the upload error categories, most specific first;
// retried ones report the retry count.
var errCategories = []struct {
	err     error
	name    string
	retried bool
}{
	{upload.ErrModeration, "moderation", false},
	{upload.ErrAuth, "auth", false},
	{upload.ErrRateLimit, "rate limited", true},
	{upload.ErrTaskFailed, "task failed", false},
	{upload.ErrDownload, "download failed", true},
	{upload.ErrTimeout, "timeout", true},
	{upload.ErrServer, "server error", true},
	{upload.ErrNetwork, "network error", true},
	{upload.ErrBadRequest, "bad request", false},
	{upload.ErrNoImage, "no image", false},
	{upload.ErrMalformedResponse, "malformed response", false},
}

// editFailed prints "imgprep: edit: <category>: <message>" and returns the
// exit code: 2 for a request the uploader refused to send, else 1.
func editFailed(ctx context.Context, env *cliEnv, err error, retries int) int {
	if ctx.Err() != nil {
		fmt.Fprintln(env.stderr, "imgprep: edit: interrupted")
		return exitRejected
	}
	msg := shortErr(err, 2000)
	if errors.Is(err, upload.ErrInvalidRequest) {
		fmt.Fprintf(env.stderr, "imgprep: edit: %s\n", msg)
		return exitUsage
	}
	var ae *upload.APIError
	if errors.As(err, &ae) && ae.Attempts > 1 {
		retries = ae.Attempts - 1
	}
	cat := "error"
	for _, c := range errCategories {
		if errors.Is(err, c.err) {
			cat = c.name
			if c.retried && retries > 0 {
				cat += " after " + plural(retries, "retry", "retries")
			}
			break
		}
	}
	fmt.Fprintf(env.stderr, "imgprep: edit: %s: %s\n", cat, msg)
	return exitRejected
}
