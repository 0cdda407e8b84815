package codecs_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/testcorpus"
)

// detail is the part of an expect-details.tsv row these tests use.
type detail struct {
	frames     int
	vipsFormat string // uchar or ushort
	goVerdict  string // ok, error, unsupported-animated-webp, ...
	goType     string // e.g. *image.CMYK
}

// loadDetails parses expect-details.tsv by column name.
func loadDetails(t *testing.T) map[string]detail {
	t.Helper()
	f, err := os.Open(filepath.Join(testcorpus.Dir(t), "expect-details.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	col := map[string]int{}
	out := map[string]detail{}
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(col) == 0 {
			for i, name := range c {
				col[name] = i
			}
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(c) {
				return c[i]
			}
			return ""
		}
		n, _ := strconv.Atoi(get("frames"))
		out[get("file")] = detail{frames: n, vipsFormat: get("vips_format"), goVerdict: get("go"), goType: get("go_image_type")}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCorpusDetails checks frames, animation, bit depth and the decoded Go
// type of every valid file against expect-details.tsv.
func TestCorpusDetails(t *testing.T) {
	details := loadDetails(t)
	for _, e := range testcorpus.Load(t) {
		d, ok := details[e.File]
		if !ok || !e.Valid || e.Bomb(codecs.DefaultMaxPixels) {
			continue
		}
		t.Run(e.File, func(t *testing.T) {
			b := readCorpus(t, e)
			img, info, err := codecs.Decode(b, codecs.DecodeOptions{})
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if info.Frames != d.frames {
				t.Errorf("Frames = %d, want %d", info.Frames, d.frames)
			}
			if info.Animated != (d.frames > 1) {
				t.Errorf("Animated = %v with %d frames", info.Animated, d.frames)
			}
			if (info.BitDepth == 16) != (d.vipsFormat == "ushort") {
				t.Errorf("BitDepth = %d, vips format %s", info.BitDepth, d.vipsFormat)
			}
			if d.goVerdict == "ok" && d.goType != "" && d.goType != "-" {
				if got := fmt.Sprintf("%T", img); got != d.goType {
					t.Errorf("decoded %s, want %s", got, d.goType)
				}
			}
		})
	}
}
