package benchmarks_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/imgprep/imgprep/internal/testcorpus"
)

// inputs names the benchmark inputs: a file in ../shared/bench-photos
// ("shared:") or a generated fixture in testdata/bench ("fixture:").
var inputs = map[string]string{
	"jpeg-12mp":         "shared:photo12_s7edge.jpg",     // 4032x3024 4:2:2 q96
	"jpeg-12mp-420":     "shared:photo12_immich_420.jpg", // 3024x4032 4:2:0 q73
	"jpeg-16mp-o8":      "shared:photo16_leicat_o8.jpg",  // 4928x3264, EXIF orientation 8
	"png-4k-screenshot": "shared:screenshot_4k.png",      // 3840x2160 RGB
	"png-rgba-2048":     "shared:rgba_paper_2048.png",    // 2048x1536 RGBA
	"passthrough-jpeg":  "shared:photo12_s7edge.jpg",     // complies with gpt-image-1 as is
	"png16":             "fixture:png16.png",             // 16-bit RGB, generated
	"webp-rgba":         "fixture:rgba.webp",             // lossless RGBA WebP, generated
}

var (
	inputMu    sync.Mutex
	inputCache = map[string][]byte{}
)

// input returns the bytes of a named input, skipping when a shared photo
// is absent (testcorpus.SharedDir) and failing when a fixture is missing.
func input(tb testing.TB, name string) []byte {
	tb.Helper()
	src, ok := inputs[name]
	if !ok {
		tb.Fatalf("no benchmark input %q", name)
	}
	var path string
	if file, ok := strings.CutPrefix(src, "shared:"); ok {
		path = filepath.Join(testcorpus.SharedDir(tb), "bench-photos", file)
		if _, err := os.Stat(path); err != nil {
			tb.Skipf("%s absent", path)
		}
	} else {
		file, _ := strings.CutPrefix(src, "fixture:")
		path = filepath.Join("testdata", "bench", file)
	}
	inputMu.Lock()
	defer inputMu.Unlock()
	if b, ok := inputCache[path]; ok {
		return b
	}
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (regenerate fixtures: go test ./benchmarks -run Fixtures -update)", err)
	}
	inputCache[path] = b
	return b
}
