package main

import (
	"strings"
	"testing"
	"time"

	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/async"
	"github.com/imgprep/imgprep/upload/driver"
)

func getenvOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// pollOf returns the async-task options of u.
func pollOf(u upload.Config) async.Options {
	o, _ := driver.Option[async.Options](u)
	return o
}

func TestLoadConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want func(envConfig, upload.Config) bool
	}{
		{"defaults", nil, func(c envConfig, u upload.Config) bool {
			return u.BaseURL == upload.DefaultBaseURL && u.APIKey == "" && u.Timeout == 10*time.Minute &&
				u.Retry.MaxRetries == 3 && pollOf(u).PollInterval == 2*time.Second && c.Uploader == ""
		}},
		{"OPENAI_* fallbacks", map[string]string{"OPENAI_API_KEY": "k1", "OPENAI_BASE_URL": "http://relay/v1"},
			func(_ envConfig, u upload.Config) bool { return u.APIKey == "k1" && u.BaseURL == "http://relay/v1" }},
		{"IMGPREP_* win", map[string]string{"OPENAI_API_KEY": "k1", "IMGPREP_API_KEY": "k2", "OPENAI_BASE_URL": "http://a/v1", "IMGPREP_BASE_URL": "http://b/v1"},
			func(_ envConfig, u upload.Config) bool { return u.APIKey == "k2" && u.BaseURL == "http://b/v1" }},
		{"set but empty takes the default", map[string]string{"IMGPREP_TIMEOUT": "", "IMGPREP_RETRIES": " ", "IMGPREP_API_KEY": "", "OPENAI_API_KEY": "k1"},
			func(_ envConfig, u upload.Config) bool {
				return u.Timeout == 10*time.Minute && u.Retry.MaxRetries == 3 && u.APIKey == "k1"
			}},
		{"zero disables", map[string]string{"IMGPREP_TIMEOUT": "0", "IMGPREP_RETRIES": "0"},
			func(_ envConfig, u upload.Config) bool { return u.Timeout < 0 && u.Retry.MaxRetries < 0 }},
		{"durations", map[string]string{"IMGPREP_TIMEOUT": "90", "IMGPREP_POLL_INTERVAL": "250ms", "IMGPREP_POLL_TIMEOUT": "1.5",
			"IMGPREP_DOWNLOAD_TIMEOUT": "2m30s", "IMGPREP_UPLOADER": "relay-json", "IMGPREP_MAX_DOWNLOAD_BYTES": "1000"},
			func(c envConfig, u upload.Config) bool {
				return u.Timeout == 90*time.Second && pollOf(u).PollInterval == 250*time.Millisecond && pollOf(u).PollTimeout == 1500*time.Millisecond &&
					u.DownloadTimeout == 150*time.Second && c.Uploader == "relay-json" && u.MaxDownloadBytes == 1000
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := loadConfig(getenvOf(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			if u := c.uploadConfig(); !tc.want(c, u) {
				t.Errorf("got %+v / %v", c.Uploader, u)
			}
		})
	}
}

// TestLoadConfigErrorsHideValues: a bad value is named by its variable,
// never echoed (it could be a key pasted into the wrong variable).
func TestLoadConfigErrorsHideValues(t *testing.T) {
	const secret = "sk-pasted-in-the-wrong-place-123456"
	for _, tc := range []struct{ key, val, want string }{
		{"IMGPREP_TIMEOUT", secret, "IMGPREP_TIMEOUT: want a duration"},
		{"IMGPREP_POLL_INTERVAL", secret, "IMGPREP_POLL_INTERVAL: want a duration"},
		{"IMGPREP_RETRIES", secret, "IMGPREP_RETRIES: want a whole number"},
		{"IMGPREP_MAX_DOWNLOAD_BYTES", secret, "IMGPREP_MAX_DOWNLOAD_BYTES: want a whole number"},
		{"IMGPREP_RETRIES", "-1", "IMGPREP_RETRIES: want a number of retries"},
		{"IMGPREP_TIMEOUT", "-5s", "IMGPREP_TIMEOUT: want a positive duration"},
		{"IMGPREP_POLL_INTERVAL", "0", "IMGPREP_POLL_INTERVAL: want a positive duration"},
	} {
		_, err := loadConfig(getenvOf(map[string]string{tc.key: tc.val, "IMGPREP_API_KEY": secret}))
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), secret) {
			t.Errorf("%s=%s: %v", tc.key, tc.val, err)
		}
	}
	// Two bad variables: both named.
	_, err := loadConfig(getenvOf(map[string]string{"IMGPREP_TIMEOUT": "x", "IMGPREP_RETRIES": "y"}))
	if err == nil || !strings.Contains(err.Error(), "IMGPREP_TIMEOUT") || !strings.Contains(err.Error(), "IMGPREP_RETRIES") {
		t.Errorf("two errors: %v", err)
	}
}

func TestConfigKeys(t *testing.T) {
	keys := strings.Join(configKeys(), " ")
	for _, k := range []string{"IMGPREP_BASE_URL", "OPENAI_BASE_URL", "IMGPREP_API_KEY", "OPENAI_API_KEY", "IMGPREP_UPLOADER",
		"IMGPREP_TIMEOUT", "IMGPREP_RETRIES", "IMGPREP_POLL_INTERVAL", "IMGPREP_POLL_TIMEOUT", "IMGPREP_DOWNLOAD_TIMEOUT"} {
		if !strings.Contains(keys, k) {
			t.Errorf("%s not read", k)
		}
	}
}
