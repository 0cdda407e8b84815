package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/imgprep/imgprep/finish"
	"github.com/imgprep/imgprep/upload"
)

// runEdit is 'imgprep edit': prepare the inputs for the model, build the
// mask for the first one, validate the request, send it through the chosen
// uploader and write every returned image (optionally finished: restored,
// composited, converted). Exit 0 ok, 1 input rejected or API/network
// error, 2 usage (including a parameter the model does not take).
func runEdit(ctx context.Context, env *cliEnv, args []string) int {
	fs := newFlagSet("edit", env.stderr)
	var f editFlags
	f.register(fs)
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return flagErr(err)
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
	case f.mask.preview && !f.mask.wanted() && !(p.RequireAlpha && p.Mask):
		return usageErr(env, "edit", "--preview needs a mask (--mask or --mask-rect ...)")
	case f.finish.composite && !f.mask.wanted() && !p.RequireAlpha:
		return usageErr(env, "edit", "--composite needs the mask: give --mask or --mask-rect ...")
	}
	fo, err := f.finish.options()
	if err != nil {
		return usageErr(env, "edit", "%v", err)
	}
	cfg, err := loadConfig(env.getenv)
	if err != nil {
		return usageErr(env, "edit", "%v", err)
	}
	env = redacting(env, cfg.key())
	if cfg.key() == "" && !f.dryRun {
		return usageErr(env, "edit", "%v", errNoKey)
	}
	name := f.uploaderName(cfg.Uploader)
	req, err := f.request(name)
	if err != nil {
		return usageErr(env, "edit", "%v", err)
	}
	if f.partials && !req.Stream {
		return usageErr(env, "edit", "--save-partials needs --stream")
	}
	prog := newProgress(env, f.verbose)
	ucfg := cfg.uploadConfig()
	ucfg.OnRetry = prog.onRetry
	ucfg.Options = append(ucfg.Options, upload.MultipartOptions{ImageField: f.imageField})
	up, err := upload.Open(name, ucfg)
	if err != nil {
		return usageErr(env, "edit", "%s", shortErr(err, 1000))
	}
	if code := f.mask.setup(env, p, files[0]); code >= 0 {
		return code
	}
	in, code := prepareEdit(ctx, env, &f, p, opts, files)
	if code >= 0 {
		return code
	}
	for i, ws := range in.warnings {
		for _, w := range ws {
			fmt.Fprintf(env.stderr, "imgprep: %s: warning: %s\n", files[i], w)
		}
	}
	req.Images, req.Mask = in.uploadFiles()
	if err := req.Validate(nil, encodingOf(up)); err != nil {
		return usageErr(env, "edit", "%s", shortErr(err, 1000))
	}
	rep := &editReport{Model: req.Model, Uploader: name, Inputs: in.report(), Mask: in.maskItem}
	if f.dryRun {
		return dryRun(ctx, env, &f, up, req, rep)
	}
	return sendEdit(ctx, env, &f, up, req, in, fo, rep, prog)
}

// dryRun prints the request the uploader would send, key redacted,
// without sending it or writing any file.
func dryRun(ctx context.Context, env *cliEnv, f *editFlags, up upload.Uploader, req *upload.Request, rep *editReport) int {
	dump, err := previewRequest(ctx, up, req)
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

// previewRequest renders the request up would send, via upload.Previewer
// and upload.DumpRequest (Authorization redacted, base64 elided).
func previewRequest(ctx context.Context, up upload.Uploader, req *upload.Request) (string, error) {
	pv, ok := up.(upload.Previewer)
	if !ok {
		return "", errors.New("this uploader cannot show its request (no Preview)")
	}
	hr, body, err := pv.Preview(ctx, req)
	if err != nil {
		return "", err
	}
	return upload.DumpRequest(hr, body), nil
}

// sendEdit sends the request and writes the results and the report.
func sendEdit(ctx context.Context, env *cliEnv, f *editFlags, up upload.Uploader, req *upload.Request, in *editInputs, fo finish.Options, rep *editReport, prog *editProgress) int {
	if err := checkClobber(f, in.files[0]); err != nil {
		fmt.Fprintf(env.stderr, "imgprep: edit: %v\n", err)
		return exitRejected
	}
	if err := os.MkdirAll(f.outDir, 0o755); err != nil {
		return usageErr(env, "edit", "output directory: %v", shortPathErr(err))
	}
	if in.preview != nil {
		if err := writeAtomic(in.preview.path, in.preview.data, f.force); err != nil {
			fmt.Fprintf(env.stderr, "imgprep: edit: %s: %v\n", in.preview.path, err)
			return exitRejected
		}
		rep.Preview = in.preview.path
	}
	if f.verbose {
		dump, err := previewRequest(ctx, up, req)
		if err != nil {
			dump = "(request not shown: " + shortErr(err, 200) + ")"
		}
		prog.printf("imgprep: edit: request:\n%s", dump)
	}
	req.OnPartial = partialWriter(f, in.files[0], prog, &rep.Partials)
	prog.start()
	resp, err := up.Edit(ctx, req)
	prog.stop()
	rep.fillStats(prog)
	if err != nil {
		return editFailed(ctx, env, err, rep.Retries.Count)
	}
	if f.verbose {
		prog.printf("imgprep: edit: response:\n%s", elideResponse(resp.Raw))
	}
	rep.fillResponse(resp)
	rep.Outputs = writeResults(ctx, f, in, fo, resp)
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
