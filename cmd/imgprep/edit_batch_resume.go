package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/imgprep/imgprep/codecs"
)

// recordName is the resume record's file name in the output directory.
const recordName = ".imgprep-batch.json"

// batchRecord is the resume record: the jobs a batch has finished, by key,
// with their outputs. It is rewritten atomically (a temporary file
// renamed over it) after every finished job, so it is always a whole
// record of jobs whose outputs were all written.
type batchRecord struct {
	mu   sync.Mutex
	path string
	dir  string
	file recordFile
}

type recordFile struct {
	Version int                    `json:"version"`
	Jobs    map[string]recordEntry `json:"jobs"`
}

// recordEntry is one finished job.
type recordEntry struct {
	Inputs   []string       `json:"inputs"`
	Outputs  []recordOutput `json:"outputs"`
	Finished time.Time      `json:"finished"`
}

// recordOutput is one output, its path relative to the output directory.
type recordOutput struct {
	Path  string `json:"path"`
	Bytes int    `json:"bytes"`
}

// openRecord reads the record of dir, or starts an empty one. A record
// that cannot be read is an error: resuming without it would send again
// what was done.
func openRecord(dir string) (*batchRecord, error) {
	r := &batchRecord{path: filepath.Join(dir, recordName), dir: dir, file: recordFile{Version: 1, Jobs: map[string]recordEntry{}}}
	b, err := os.ReadFile(r.path)
	if errors.Is(err, os.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", r.path, shortPathErr(err))
	}
	if err := json.Unmarshal(b, &r.file); err != nil || r.file.Version != 1 {
		return nil, fmt.Errorf("%s: not a batch record of this imgprep (delete it to start over)", r.path)
	}
	if r.file.Jobs == nil {
		r.file.Jobs = map[string]recordEntry{}
	}
	return r, nil
}

// done returns the outputs of a finished job whose outputs are all still
// there and complete (the size recorded, a readable image header).
func (r *batchRecord) done(key string) ([]editOutput, bool) {
	r.mu.Lock()
	e, ok := r.file.Jobs[key]
	r.mu.Unlock()
	if !ok || len(e.Outputs) == 0 {
		return nil, false
	}
	outs := make([]editOutput, 0, len(e.Outputs))
	for _, o := range e.Outputs {
		p := filepath.Join(r.dir, filepath.FromSlash(o.Path))
		st, err := os.Lstat(p)
		if err != nil || !st.Mode().IsRegular() || st.Size() != int64(o.Bytes) {
			return nil, false
		}
		head, err := readHead(p, 64<<10)
		if err != nil {
			return nil, false
		}
		info, err := codecs.Probe(head)
		if err != nil {
			return nil, false
		}
		outs = append(outs, editOutput{Path: p, Format: info.Format.String(), Width: info.Width, Height: info.Height, Bytes: o.Bytes})
	}
	return outs, true
}

// readHead reads the first n bytes of a file (or all of a shorter one).
func readHead(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, n)
	k, err := f.Read(buf)
	if k > 0 {
		return buf[:k], nil
	}
	return nil, err
}

// finish records a job whose outputs were all written, and rewrites the
// record atomically.
func (r *batchRecord) finish(key string, inputs []string, outs []editOutput) error {
	e := recordEntry{Inputs: inputs, Finished: time.Now().UTC().Round(time.Second)}
	for _, o := range outs {
		rel, err := filepath.Rel(r.dir, o.Path)
		if err != nil {
			rel = o.Path
		}
		e.Outputs = append(e.Outputs, recordOutput{Path: filepath.ToSlash(rel), Bytes: o.Bytes})
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.file.Jobs[key] = e
	b, err := json.MarshalIndent(&r.file, "", " ")
	if err != nil {
		return err
	}
	if err := writeAtomic(r.path, append(b, '\n'), true); err != nil {
		return fmt.Errorf("%s: %v", r.path, err)
	}
	return nil
}
