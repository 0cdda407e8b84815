package imgprep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/imgprep/imgprep/finish"
	"github.com/imgprep/imgprep/internal/errdetail"
	"github.com/imgprep/imgprep/mask"
	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/pipeline"
	"github.com/imgprep/imgprep/upload"
)

// Image is one input of an edit: a name for messages and for the uploaded
// file part (e.g. the file's base name; the extension is corrected to the
// prepared format), and the bytes as the user has them.
type Image struct {
	Name string
	Data []byte
}

// ImageFrom reads an input image from r, at most
// pipeline.DefaultMaxInputBytes; a longer stream gives an error matching
// pipeline.ErrInputTooLarge, naming the image.
func ImageFrom(name string, r io.Reader) (Image, error) {
	limit := pipeline.DefaultMaxInputBytes
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return Image{}, fmt.Errorf("imgprep: image %s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return Image{}, fmt.Errorf("imgprep: image %s: over %s: %w", name, byteCount(limit), pipeline.ErrInputTooLarge)
	}
	return Image{Name: name, Data: data}, nil
}

// Params are the API parameters of an edit. Each field is copied as it is
// into the upload.Request field of the same name, which documents it: only
// set fields are sent, and the request is validated against the model's
// profile before any byte is sent. Stream needs an uploader that streams
// (upload.StreamDriver); OnPartial is called on the goroutine calling Edit
// or Send.
type Params struct {
	N                                                            int
	Size, Quality, Background, OutputFormat                      string
	OutputCompression                                            *int
	InputFidelity, Moderation, ResponseFormat, User, AspectRatio string
	Stream                                                       bool
	PartialImages                                                *int
	Extra                                                        map[string]string
	OnPartial                                                    func(upload.PartialImage)
}

// request returns the upload request for the parameters (images and mask
// are added by the caller).
func (pa Params) request(modelName, prompt string) *upload.Request {
	return &upload.Request{
		Model: modelName, Prompt: prompt, N: pa.N,
		Size: pa.Size, Quality: pa.Quality, Background: pa.Background, OutputFormat: pa.OutputFormat,
		OutputCompression: pa.OutputCompression, InputFidelity: pa.InputFidelity, Moderation: pa.Moderation,
		ResponseFormat: pa.ResponseFormat, User: pa.User, AspectRatio: pa.AspectRatio,
		Stream: pa.Stream, PartialImages: pa.PartialImages, Extra: pa.Extra, OnPartial: pa.OnPartial,
	}
}

// Job is one edit: the model, the prompt, the input images, an optional
// mask, the API parameters, how the inputs are prepared and the outputs
// finished, and the uploader that sends it. The zero value of every
// optional field is valid.
type Job struct {
	// Model is the model name sent (e.g. "dall-e-2", or a relay's own name
	// with Profile); empty means Profile's name, else model.DefaultModel.
	Model string
	// Profile gives the model's limits directly; nil means
	// model.Lookup(Model). The uploaders validate the request again by
	// name, so a profile of a model imgprep does not know must be
	// registered (model.Set) to be sent.
	Profile *model.Profile
	// Prompt says what to change.
	Prompt string
	// Images are the inputs, 1 to the model's MaxImages; the mask and the
	// finishing follow the first.
	Images []Image
	// Mask is the edit area, in the first image's upright coordinates; nil
	// sends no mask (dall-e-2 then edits the first image's own transparent
	// pixels).
	Mask *MaskSpec
	// Params are the API parameters.
	Params Params
	// Prepare tunes the preparation of every image, as pipeline.Prepare
	// takes it.
	Prepare pipeline.Options
	// Finish, when set, post-processes every output with finish.Finish
	// through the first image's plan (restore, composite, save format and
	// compression); Edit fills in its Original (the first image) and Mask
	// (the mask sent, or dall-e-2's implicit one). Nil returns the
	// server's bytes untouched. Note that a set Finish without a
	// SaveFormat converts to the first image's format.
	Finish *finish.Options
	// Uploader sends the request. When nil, Edit opens Driver (empty means
	// upload.DefaultDriver) with Config; the zero Config talks to
	// upload.DefaultBaseURL without a key, so set Config.BaseURL and
	// Config.APIKey. Retries are counted (Result.Retries) only for an
	// uploader Edit opens; Config.OnRetry is still called.
	Uploader upload.Uploader
	Driver   string
	Config   upload.Config
}

// ErrInvalidJob: a Job that contradicts itself or names what does not
// exist (see *JobError).
var ErrInvalidJob = errors.New("invalid job")

// JobError is a Job field that cannot be used: an unknown model, no image
// or too many, an uploader that cannot be opened, a composite without an
// edit area. Nothing was prepared or sent. It matches ErrInvalidJob and
// its cause.
type JobError struct {
	// Field is the Job field at fault, e.g. "Model", "Images", "Driver".
	Field string
	Err   error
}

// Error returns "imgprep: job: " + Detail.
func (e *JobError) Error() string { return "imgprep: job: " + e.Detail() }

// Detail returns the message without the "imgprep: job: " prefix.
func (e *JobError) Detail() string { return e.Field + ": " + errdetail.Of(e.Err) }

// Unwrap returns ErrInvalidJob and the cause.
func (e *JobError) Unwrap() []error { return []error{ErrInvalidJob, e.Err} }

// Edit runs the whole edit flow: it prepares every image for the model
// (pipeline.Prepare), builds the mask through the first image's plan,
// validates the request for the uploader's encoding before any byte is
// sent, sends it (the uploader retries), and finishes every output (see
// Job.Finish). It is Prepare followed by Send.
//
// Errors name what failed: a *JobError before anything is prepared; a
// *pipeline.BatchError whose *pipeline.InputError entries give each failed
// image's index in Job.Images and name; a *MaskError; the upload
// package's typed errors as they are (a *upload.ParamError for a
// parameter the model does not take, before anything is sent; an
// *upload.APIError matching upload.ErrRateLimit, upload.ErrAuth, ...).
// When outputs were received but one cannot be finished, the Result is
// returned with an error joining *OutputError values.
func Edit(ctx context.Context, job Job) (*Result, error) {
	p, err := Prepare(ctx, job)
	if err != nil {
		return nil, err
	}
	return p.Send(ctx)
}

// Prepared is an edit made ready to send: validated, nothing sent yet.
// Send sends it; Dump shows the request.
type Prepared struct {
	// Profile is the model profile the images were prepared for.
	Profile *model.Profile
	// Inputs are the prepared images, in Job.Images order: bytes, format,
	// size, the plan that maps outputs back, and each one's warnings
	// (dall-e-2's implicit-mask warnings on the first).
	Inputs []*pipeline.Prepared
	// Mask is the mask sent with the first image; nil when none.
	Mask *SentMask
	// Request is the validated request.
	Request *upload.Request
	// Warnings are every input's warnings, each after its name and ": ",
	// then the mask's.
	Warnings []string

	up      upload.Uploader
	finish  *finish.Options // Original and Mask filled in
	retries *atomic.Int64   // nil for an uploader given as a value
}

// Prepare does everything Edit does before sending: it resolves the model,
// opens the uploader, checks the mask, prepares the images, builds the
// mask and validates the request. Nothing is sent; errors are Edit's.
func Prepare(ctx context.Context, job Job) (*Prepared, error) {
	p, err := job.profile()
	if err != nil {
		return nil, err
	}
	if err := job.check(p); err != nil {
		return nil, err
	}
	pr := &Prepared{Profile: p}
	if err := pr.open(job); err != nil {
		return nil, err
	}
	var mb *MaskBuilder
	if job.Mask != nil {
		if err := pipeline.CheckMask(p); err != nil {
			return nil, job.Mask.err(err)
		}
		if mb, err = job.Mask.Compile(); err != nil {
			return nil, err
		}
	}
	inputs := make([]pipeline.Input, len(job.Images))
	for i, im := range job.Images {
		inputs[i] = pipeline.Input{Name: im.Name, Data: im.Data}
	}
	if pr.Inputs, err = pipeline.Prepare(ctx, inputs, p, job.Prepare); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	if err := pr.mask(mb); err != nil {
		return nil, err
	}
	if err := pr.request(job); err != nil {
		return nil, err
	}
	if err := pr.finishOptions(job); err != nil {
		return nil, err
	}
	pr.collectWarnings(job)
	return pr, nil
}

// profile resolves the job's model profile.
func (job *Job) profile() (*model.Profile, error) {
	if job.Profile != nil {
		return job.Profile, nil
	}
	name := job.Model
	if name == "" {
		name = model.DefaultModel
	}
	p, err := model.Lookup(name)
	if err != nil {
		return nil, &JobError{Field: "Model", Err: err}
	}
	return p, nil
}

// check refuses, before any work, what the job cannot do with p.
func (job *Job) check(p *model.Profile) error {
	switch n := len(job.Images); {
	case n == 0:
		return &JobError{Field: "Images", Err: errors.New("no image to edit")}
	case n > p.MaxImages:
		return &JobError{Field: "Images", Err: &pipeline.CountError{Model: p.Name, Count: n, Max: p.MaxImages}}
	}
	if f := job.Finish; f != nil && f.Composite && job.Mask == nil && !pipeline.TransparencyMasks(p) {
		return &JobError{Field: "Finish", Err: fmt.Errorf("composite without a mask: %s has no edit area of its own; give Job.Mask: %w", p.Name, finish.ErrNeedMask)}
	}
	return nil
}

// open sets the uploader: the job's value, else Driver opened with Config
// (its OnRetry counting the retries).
func (pr *Prepared) open(job Job) error {
	if job.Uploader != nil {
		pr.up = job.Uploader
		return nil
	}
	cfg := job.Config
	n := new(atomic.Int64)
	user := cfg.OnRetry
	cfg.OnRetry = func(ev upload.RetryEvent) {
		n.Add(1)
		if user != nil {
			user(ev)
		}
	}
	up, err := upload.Open(job.Driver, cfg)
	if err != nil {
		return &JobError{Field: "Driver", Err: err}
	}
	pr.up, pr.retries = up, n
	return nil
}

// mask builds the mask through the first image's plan, or for dall-e-2
// without one warns about its implicit mask.
func (pr *Prepared) mask(mb *MaskBuilder) error {
	first := pr.Inputs[0]
	if mb == nil {
		first.Warnings = append(first.Warnings, pipeline.ImplicitMaskWarnings(first, pr.Profile)...)
		return nil
	}
	sm, err := mb.Prepare(first, pr.Profile)
	if err != nil {
		return err
	}
	pr.Mask = sm
	return nil
}

// request builds and validates the request for the uploader's encoding.
func (pr *Prepared) request(job Job) error {
	name := job.Model
	if name == "" {
		name = pr.Profile.Name
	}
	req := job.Params.request(name, job.Prompt)
	req.Images = make([]upload.File, len(pr.Inputs))
	for i, in := range pr.Inputs {
		req.Images[i] = upload.File{Name: job.Images[i].Name, Data: in.Data}
	}
	if pr.Mask != nil {
		req.Mask = &upload.File{Name: "mask.png", ContentType: "image/png", Data: pr.Mask.Data}
	}
	if err := req.Validate(pr.Profile, encodingOf(pr.up)); err != nil {
		return err
	}
	pr.Request = req
	return nil
}

// encodingOf is the body encoding up sends: the one it reports
// (upload.EncodingReporter), else multipart.
func encodingOf(up upload.Uploader) upload.Encoding {
	if er, ok := up.(upload.EncodingReporter); ok {
		return er.Encoding()
	}
	return upload.Multipart
}

// finishOptions copies the job's Finish with the original and the mask
// filled in: the mask sent, else the model's implicit one.
func (pr *Prepared) finishOptions(job Job) error {
	if job.Finish == nil {
		return nil
	}
	o := *job.Finish
	o.Original = job.Images[0].Data
	if pr.Mask != nil {
		o.Mask = pr.Mask.Data
	} else if o.Composite {
		m, err := pipeline.ImplicitMask(pr.Inputs[0], pr.Profile)
		if err == nil {
			o.Mask, err = mask.Encode(m)
		}
		if err != nil {
			return &MaskError{Err: err}
		}
	}
	pr.finish = &o
	return nil
}

// collectWarnings gathers every input's warnings and the mask's.
func (pr *Prepared) collectWarnings(job Job) {
	for i, in := range pr.Inputs {
		for _, w := range in.Warnings {
			pr.Warnings = append(pr.Warnings, job.Images[i].Name+": "+w)
		}
	}
	if pr.Mask != nil {
		for _, w := range pr.Mask.Report.Warnings {
			pr.Warnings = append(pr.Warnings, pr.Mask.label()+": "+w)
		}
	}
}

// Dump renders the request as the uploader would send it, without sending
// it: method, URL, headers (the key redacted) and body (base64 elided), by
// upload.Previewer and upload.DumpRequest. For a dry run.
func (pr *Prepared) Dump(ctx context.Context) (string, error) {
	pv, ok := pr.up.(upload.Previewer)
	if !ok {
		return "", errors.New("imgprep: this uploader cannot show its request (no Preview)")
	}
	hr, body, err := pv.Preview(ctx, pr.Request)
	if err != nil {
		return "", err
	}
	return upload.DumpRequest(hr, body), nil
}
