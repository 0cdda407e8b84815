package async

import (
	"time"

	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/driver"
)

// Poll defaults that zero Options fields take.
const (
	DefaultPollInterval = 2 * time.Second
	DefaultPollTimeout  = 10 * time.Minute
)

// Options are the async-task driver's own settings. Pass them in
// upload.Config.Options; the zero value is the default. The multipart body
// also honours upload.MultipartOptions.
type Options struct {
	// PollInterval is the wait before each poll of the task (default
	// DefaultPollInterval).
	PollInterval time.Duration
	// PollTimeout bounds the polling of one task (default
	// DefaultPollTimeout).
	PollTimeout time.Duration
}

// options returns the Options in cfg with defaults applied.
func options(cfg upload.Config) Options {
	o, _ := driver.Option[Options](cfg)
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.PollTimeout <= 0 {
		o.PollTimeout = DefaultPollTimeout
	}
	return o
}
