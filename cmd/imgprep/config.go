package main

import (
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	envparse "github.com/caarlos0/env/v11"

	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/async"
)

// envConfig is the environment of 'imgprep edit', read with caarlos0/env
// from cliEnv.getenv only (so tests inject it; no other package reads the
// environment). A variable that is set but empty counts as unset and takes
// the default. Durations take Go syntax ("90s", "5m") or plain seconds.
type envConfig struct {
	// BaseURL is the API root; OPENAI_BASE_URL when unset, then OpenAI's.
	BaseURL       string `env:"IMGPREP_BASE_URL"`
	OpenAIBaseURL string `env:"OPENAI_BASE_URL"`
	// APIKey is the bearer key; OPENAI_API_KEY when unset.
	APIKey       string `env:"IMGPREP_API_KEY"`
	OpenAIAPIKey string `env:"OPENAI_API_KEY"`
	// Uploader is the driver name (default upload.DefaultDriver).
	Uploader string `env:"IMGPREP_UPLOADER"`
	// Timeout bounds each attempt's stalls; 0 disables it.
	Timeout time.Duration `env:"IMGPREP_TIMEOUT" envDefault:"10m"`
	// Retries is the number of retries after the first attempt; 0 disables.
	Retries int `env:"IMGPREP_RETRIES" envDefault:"3"`
	// PollInterval and PollTimeout govern async task polling.
	PollInterval time.Duration `env:"IMGPREP_POLL_INTERVAL" envDefault:"2s"`
	PollTimeout  time.Duration `env:"IMGPREP_POLL_TIMEOUT" envDefault:"10m"`
	// DownloadTimeout bounds the download of one result URL.
	DownloadTimeout time.Duration `env:"IMGPREP_DOWNLOAD_TIMEOUT" envDefault:"2m"`
	// MaxDownloadBytes caps one downloaded result (0 = library default).
	MaxDownloadBytes int64 `env:"IMGPREP_MAX_DOWNLOAD_BYTES"`
}

// errNoKey is the missing-key error; the message names both variables.
var errNoKey = errors.New("set IMGPREP_API_KEY or OPENAI_API_KEY (or use --dry-run)")

// configKeys lists the variables envConfig reads, from its tags.
func configKeys() []string {
	t := reflect.TypeFor[envConfig]()
	keys := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("env"), ","); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// loadConfig reads envConfig through getenv. Errors name the variable and
// what it wants, never its value (caarlos0/env's own errors echo the raw
// value, which could be a pasted API key).
func loadConfig(getenv func(string) string) (envConfig, error) {
	var c envConfig
	m := map[string]string{}
	for _, k := range configKeys() {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			m[k] = v
		}
	}
	opts := envparse.Options{
		Environment: m,
		FuncMap:     map[reflect.Type]envparse.ParserFunc{reflect.TypeFor[time.Duration](): parseSeconds},
	}
	if err := envparse.ParseWithOptions(&c, opts); err != nil {
		return c, configError(err)
	}
	for _, d := range []struct {
		key string
		v   time.Duration
		pos bool // must be positive, not only non-negative
	}{
		{"IMGPREP_TIMEOUT", c.Timeout, false}, {"IMGPREP_POLL_INTERVAL", c.PollInterval, true},
		{"IMGPREP_POLL_TIMEOUT", c.PollTimeout, true}, {"IMGPREP_DOWNLOAD_TIMEOUT", c.DownloadTimeout, true},
	} {
		if d.v < 0 || (d.pos && d.v == 0) {
			return c, fmt.Errorf("%s: want a positive duration such as 30s or 2m", d.key)
		}
	}
	if c.Retries < 0 || c.Retries > 100 {
		return c, errors.New("IMGPREP_RETRIES: want a number of retries from 0 to 100")
	}
	if c.MaxDownloadBytes < 0 {
		return c, errors.New("IMGPREP_MAX_DOWNLOAD_BYTES: want a byte count, 0 for the default")
	}
	return c, nil
}

// parseSeconds parses a Go duration or a number of seconds. Its error does
// not contain the value.
func parseSeconds(s string) (any, error) {
	if d, err := time.ParseDuration(s); err == nil {
		return d, nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 && f < 1e9 {
		return time.Duration(f * float64(time.Second)), nil
	}
	return nil, errors.New("not a duration")
}

// configError rewrites a caarlos0/env error as "KEY: what it wants" for
// each failing variable, dropping the library's text (it quotes values).
func configError(err error) error {
	t := reflect.TypeFor[envConfig]()
	var msgs []string
	for _, e := range flatten(err) {
		var pe envparse.ParseError
		if !errors.As(e, &pe) {
			continue
		}
		key := pe.Name
		if f, ok := t.FieldByName(pe.Name); ok {
			key, _, _ = strings.Cut(f.Tag.Get("env"), ",")
		}
		want := "a valid value"
		switch pe.Type {
		case reflect.TypeFor[time.Duration]():
			want = "a duration such as 30s, 2m or a number of seconds"
		case reflect.TypeFor[int](), reflect.TypeFor[int64]():
			want = "a whole number"
		}
		msgs = append(msgs, fmt.Sprintf("%s: want %s (value not shown)", key, want))
	}
	if len(msgs) == 0 {
		return errors.New("the environment configuration could not be read")
	}
	return errors.New(strings.Join(msgs, "; "))
}

// flatten lists err and the errors it joins (one level, as env returns).
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// key returns the API key, IMGPREP_API_KEY before OPENAI_API_KEY.
func (c envConfig) key() string { return cmp.Or(c.APIKey, c.OpenAIAPIKey) }

// baseURL returns the API root, IMGPREP_BASE_URL before OPENAI_BASE_URL.
func (c envConfig) baseURL() string {
	return cmp.Or(c.BaseURL, c.OpenAIBaseURL, upload.DefaultBaseURL)
}

// uploadConfig turns the environment into an upload.Config, with the
// async-task driver's poll settings in its Options (hooks and the image
// field are added by the caller).
func (c envConfig) uploadConfig() upload.Config {
	cfg := upload.Config{
		BaseURL: c.baseURL(), APIKey: c.key(), Timeout: c.Timeout,
		DownloadTimeout: c.DownloadTimeout, MaxDownloadBytes: c.MaxDownloadBytes,
		Retry:   upload.RetryPolicy{MaxRetries: c.Retries},
		Options: []any{async.Options{PollInterval: c.PollInterval, PollTimeout: c.PollTimeout}},
	}
	if c.Timeout == 0 {
		cfg.Timeout = -1 // none; 0 would mean the library default
	}
	if c.Retries == 0 {
		cfg.Retry.MaxRetries = -1
	}
	return cfg
}
