package driver_test

import (
	"testing"

	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/driver"
)

type testOptions struct{ N int }

func TestOption(t *testing.T) {
	for _, c := range []struct {
		name  string
		opts  []any
		want  int
		found bool
	}{
		{"none", nil, 0, false},
		{"other types only", []any{upload.MultipartOptions{ImageField: "image"}, 7}, 0, false},
		{"value", []any{testOptions{N: 1}}, 1, true},
		{"pointer", []any{&testOptions{N: 2}}, 2, true},
		{"nil pointer ignored", []any{testOptions{N: 3}, (*testOptions)(nil)}, 3, true},
		{"last wins", []any{testOptions{N: 1}, upload.MultipartOptions{}, &testOptions{N: 4}}, 4, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, found := driver.Option[testOptions](upload.Config{Options: c.opts})
			if got.N != c.want || found != c.found {
				t.Errorf("Option = %+v, %v; want N %d, %v", got, found, c.want, c.found)
			}
		})
	}
}
