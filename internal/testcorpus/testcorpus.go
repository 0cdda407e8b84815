// Package testcorpus locates the shared real-world image corpus
// (../shared/corpus next to the repository) for tests, and parses its
// expect.tsv. Tests that use it skip cleanly when the corpus is absent.
// HEIF parses the same table for the repository's HEIC and AVIF fixtures.
package testcorpus

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Entry is one row of expect.tsv.
type Entry struct {
	File        string // path relative to the corpus directory
	Path        string // absolute path
	Format      string // png, jpeg, gif, webp, bmp, tiff, unknown
	Width       int    // declared stored width, 0 when unknown
	Height      int    // declared stored height, 0 when unknown
	HasAlpha    string // yes, no or -
	Orientation int    // 1..8, 0 when absent or invalid
	Valid       bool
}

// Bomb reports whether the entry declares more pixels than any sane input
// (a pixel bomb): valid, but to be rejected by a pixel limit.
func (e Entry) Bomb(maxPixels int64) bool {
	return int64(e.Width)*int64(e.Height) > maxPixels
}

// RepoRoot returns the repository root (the directory holding go.mod).
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("testcorpus: go.mod not found above the test directory")
		}
		dir = parent
	}
}

// SharedDir returns ../shared next to the repository, skipping the test when
// it is absent. IMGPREP_SHARED overrides the location.
func SharedDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("IMGPREP_SHARED")
	if dir == "" {
		dir = filepath.Join(RepoRoot(t), "..", "shared")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Skipf("testcorpus: %s absent; skipping", dir)
	}
	abs, _ := filepath.Abs(dir)
	return abs
}

// Dir returns the corpus directory, skipping the test when it is absent.
func Dir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(SharedDir(t), "corpus")
	if _, err := os.Stat(filepath.Join(dir, "expect.tsv")); err != nil {
		t.Skipf("testcorpus: %s/expect.tsv absent; skipping", dir)
	}
	return dir
}

// Load parses expect.tsv, skipping the test when the corpus is absent.
func Load(t testing.TB) []Entry {
	t.Helper()
	return parse(t, Dir(t))
}

// HEIF parses testdata/heif/expect.tsv: the HEIC and AVIF fixtures of the
// repository (scripts/make-heif-fixtures.sh), which are not in the shared
// corpus, in its format (widths and heights stored, before irot/imir; the
// orientation those make). With format ("heic", "avif"), only its rows.
func HEIF(t testing.TB, format string) []Entry {
	t.Helper()
	var out []Entry
	for _, e := range parse(t, filepath.Join(RepoRoot(t), "testdata", "heif")) {
		if format == "" || e.Format == format {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		t.Fatalf("testcorpus: no %s rows in testdata/heif/expect.tsv", format)
	}
	return out
}

// parse reads dir/expect.tsv: a header line, then one row per file (lines
// with fewer than 7 tab-separated columns, such as comments, are skipped).
func parse(t testing.TB, dir string) []Entry {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "expect.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Entry
	sc := bufio.NewScanner(f)
	for first := true; sc.Scan(); first = false {
		if first {
			continue
		}
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 7 {
			continue
		}
		w, _ := strconv.Atoi(c[2])
		h, _ := strconv.Atoi(c[3])
		o, _ := strconv.Atoi(c[5])
		out = append(out, Entry{
			File: c[0], Path: filepath.Join(dir, c[0]), Format: c[1],
			Width: w, Height: h, HasAlpha: c[4], Orientation: o, Valid: c[6] == "yes",
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
