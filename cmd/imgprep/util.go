package main

import (
	"errors"
	"strings"
	"sync"

	"github.com/imgprep/imgprep/internal/errdetail"
	"github.com/imgprep/imgprep/pipeline"
)

// oneLine renders an error for the user on one line: the library's typed
// errors give their message without the package prefix (Detail), for a
// pipeline.InputError only the cause's (the CLI names the file itself),
// and a multi-line message (errors.Join) has its lines joined.
func oneLine(err error) string {
	var ie *pipeline.InputError
	if errors.As(err, &ie) {
		err = ie.Err
	}
	return strings.ReplaceAll(errdetail.Of(err), "\n", " ")
}

var claimMu sync.Mutex

// claim records that out belongs to input; it returns the earlier input
// when another one already claimed out.
func claim(m map[string]string, out, input string) string {
	claimMu.Lock()
	defer claimMu.Unlock()
	if prev, ok := m[out]; ok && prev != input {
		return prev
	}
	m[out] = input
	return ""
}

func pipelineInputLimit(o pipeline.Options) int64 {
	if o.MaxInputBytes > 0 {
		return o.MaxInputBytes
	}
	return pipeline.DefaultMaxInputBytes
}
