package upload_test

import (
	"testing"
	"time"

	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/async"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

// TestConformance runs the uploader conformance suite for every registered
// driver, each with its own capabilities (uploadtest.ConformanceCapabilities
// lists, per driver, the subtests it cannot run and why).
func TestConformance(t *testing.T) {
	drivers := upload.Drivers()
	want := []string{"async-task", "openai-json", "openai-multipart", "openai-stream", "relay-json"}
	for _, w := range want {
		found := false
		for _, d := range drivers {
			found = found || d == w
		}
		if !found {
			t.Errorf("driver %q is not registered (have %v)", w, drivers)
		}
	}
	for _, name := range drivers {
		t.Run(name, func(t *testing.T) {
			uploadtest.RunConformance(t, name, func(t *testing.T, cfg upload.Config) upload.Uploader {
				// Every driver gets async's options; the others ignore them.
				cfg.Options = append(cfg.Options, async.Options{PollInterval: uploadtest.PollInterval, PollTimeout: 10 * time.Second})
				u, err := upload.Open(name, cfg)
				if err != nil {
					t.Fatalf("Open(%q): %v", name, err)
				}
				return u
			})
		})
	}
}
