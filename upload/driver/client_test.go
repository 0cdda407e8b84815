package driver_test

import (
	"strings"
	"testing"

	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/driver"
)

// TestNewClient: the engine comes with the Config validated and defaulted
// as for the built-in drivers.
func TestNewClient(t *testing.T) {
	if _, err := driver.NewClient(upload.Config{BaseURL: "ftp://relay.test/v1"}); err == nil || !strings.Contains(err.Error(), "absolute http or https URL") {
		t.Errorf("bad base URL: %v", err)
	}
	cl, err := driver.NewClient(upload.Config{BaseURL: "http://relay.test/v1/?api-version=2"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg := cl.Config(); cfg.Timeout != upload.DefaultTimeout || cfg.MaxResponseBytes != upload.DefaultMaxResponseBytes {
		t.Errorf("defaults not applied: %v", cfg)
	}
	if u := cl.URL("tasks/1", nil); u != "http://relay.test/v1/tasks/1?api-version=2" {
		t.Errorf("URL = %s", u)
	}
}
