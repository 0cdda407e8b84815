package upload_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/upload"
)

// TestConfigStringOptions: a printed Config names its option types and
// shows none of their values (a driver's options may hold secrets).
func TestConfigStringOptions(t *testing.T) {
	type secretOptions struct{ Token string }
	cfg := upload.Config{Options: []any{upload.MultipartOptions{ImageField: "image"}, &secretOptions{Token: "tok-" + testKey}}}
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		s := fmt.Sprintf(f, cfg)
		if !strings.Contains(s, "Options:[upload.MultipartOptions *upload_test.secretOptions]") || strings.Contains(s, "tok-") {
			t.Errorf("%s: %s", f, s)
		}
	}
}
