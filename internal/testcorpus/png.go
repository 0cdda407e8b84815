package testcorpus

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// PNGs returns, by name, the bytes of the corpus's PNG files (PNG by
// content, declaring at most maxPixels) and of the bench photos' PNGs,
// skipping the test when the corpus is absent.
func PNGs(t testing.TB, maxPixels int64) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, e := range Load(t) {
		if (e.Format != "png" && !strings.HasSuffix(e.File, ".png")) || e.Bomb(maxPixels) {
			continue
		}
		if b, err := os.ReadFile(e.Path); err == nil && bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
			files[e.File] = b
		}
	}
	bench, _ := filepath.Glob(filepath.Join(SharedDir(t), "bench-photos", "*.png"))
	for _, p := range bench {
		if b, err := os.ReadFile(p); err == nil {
			files[filepath.Base(p)] = b
		}
	}
	return files
}
