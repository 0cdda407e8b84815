package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// readInput reads a file, refusing directories and files over limit
// before reading them.
func readInput(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, shortPathErr(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, shortPathErr(err)
	}
	if st.IsDir() {
		return nil, errors.New("is a directory")
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%d bytes, over the %d-byte input limit", st.Size(), limit)
	}
	// Sized from Stat: io.ReadAll would grow its buffer from 512 bytes,
	// copying a 4 MB photo about 13 times and doubling the peak memory.
	// make, unlike bytes.Buffer.Grow (append), does not clear fresh memory
	// that read then overwrites: for a 4 MB photo that clearing, and the
	// page faults it takes, were a fifth of a passthrough's CPU time.
	return readSized(io.LimitReader(f, limit+1), st.Size())
}

// readSized reads r to the end into a buffer sized for size bytes (one more
// to see the end without growing).
func readSized(r io.Reader, size int64) ([]byte, error) {
	buf := make([]byte, 0, size+1)
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
		if len(buf) == cap(buf) {
			// The file grew since Stat.
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

// shortPathErr drops the path from *os.PathError (callers name the file).
func shortPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// errExists: an output already exists and --force was not given.
var errExists = errors.New("output exists (use --force to overwrite)")

// writeAtomic writes data to path through a temporary file in the same
// directory, so that path holds either its old content or the complete new
// one, never a partial file. Without force an existing path is left alone.
func writeAtomic(path string, data []byte, force bool) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return shortPathErr(err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return shortPathErr(err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return shortPathErr(err)
	}
	if err = tmp.Close(); err != nil {
		return shortPathErr(err)
	}
	if force {
		return shortPathErr(os.Rename(tmp.Name(), path))
	}
	// Link fails if path exists: no window in which another writer's file
	// could be replaced.
	if err = os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, os.ErrExist) {
			err = errExists
		}
		return shortPathErr(err)
	}
	return os.Remove(tmp.Name())
}

// outputPath returns DIR/<name><suffix>, where name is the input's base
// name without extension.
func outputPath(dir, input, suffix string) string {
	base := filepath.Base(input)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	return filepath.Join(dir, base+suffix)
}

// sameFile reports whether two paths name the same existing file.
func sameFile(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}
