package main

import (
	"errors"
	"strings"
	"sync"

	"github.com/imgprep/imgprep/pipeline"
)

// oneLine renders an error as one line without package prefixes; for a
// pipeline.InputError only the cause is kept (the CLI names the file).
func oneLine(err error) string {
	var ie *pipeline.InputError
	if errors.As(err, &ie) {
		err = ie.Err
	}
	s := strings.TrimPrefix(strings.TrimPrefix(err.Error(), "pipeline: "), "codecs: ")
	return strings.ReplaceAll(s, "\n", " ")
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
