package errdetail_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/imgprep/imgprep/internal/errdetail"
)

type detailed struct{}

func (detailed) Error() string  { return "pkg: what went wrong" }
func (detailed) Detail() string { return "what went wrong" }

func TestOf(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{detailed{}, "what went wrong"},
		{errors.New("pkg: plain"), "pkg: plain"},
		{fmt.Errorf("other: context: %w", detailed{}), "other: context: pkg: what went wrong"},
	} {
		if got := errdetail.Of(tc.err); got != tc.want {
			t.Errorf("Of(%q) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
