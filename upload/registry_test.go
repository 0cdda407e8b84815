package upload_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/imgprep/imgprep/upload"
)

type nopUploader struct{ cfg upload.Config }

func (nopUploader) Edit(context.Context, *upload.Request) (*upload.Response, error) { return nil, nil }

var registerOnce sync.Once // the registry is global; -count=N reruns the test

func TestRegistry(t *testing.T) {
	registerOnce.Do(func() {
		upload.Register("test-nop-b", func(c upload.Config) (upload.Uploader, error) { return nopUploader{c}, nil })
		upload.Register("test-nop-a", func(c upload.Config) (upload.Uploader, error) { return nopUploader{c}, nil })
	})
	names := upload.Drivers()
	if !slices.IsSorted(names) || !slices.Contains(names, "test-nop-a") || !slices.Contains(names, "test-nop-b") {
		t.Errorf("Drivers() = %v", names)
	}
	u, err := upload.Open("test-nop-a", upload.Config{BaseURL: "http://x"})
	if err != nil || u.(nopUploader).cfg.BaseURL != "http://x" {
		t.Errorf("Open = %v, %v", u, err)
	}
	_, err = upload.Open("nope", upload.Config{})
	if err == nil || !strings.HasPrefix(err.Error(), `upload: unknown uploader "nope" (forgotten import?); registered: `) || !strings.Contains(err.Error(), "test-nop-a, test-nop-b") {
		t.Errorf("Open(nope) = %v", err)
	}
	for name, f := range map[string]func(){
		"nil": func() { upload.Register("test-nil", nil) },
		"duplicate": func() {
			upload.Register("test-nop-a", func(upload.Config) (upload.Uploader, error) { return nil, nil })
		},
		"empty": func() { upload.Register("", func(upload.Config) (upload.Uploader, error) { return nil, nil }) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Register %s did not panic", name)
				}
			}()
			f()
		}()
	}
}
