package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func writeTestFile(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestManifestLines: good lines become jobs with paths relative to the
// manifest; every bad line is reported with its number.
func TestManifestLines(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "a.png"), []byte("x"))
	writeTestFile(t, filepath.Join(dir, "sub", "b.jpg"), []byte("x"))
	writeTestFile(t, filepath.Join(dir, "m.png"), []byte("x"))
	out := filepath.Join(dir, "out")
	os.MkdirAll(filepath.Join(out, "real"), 0o755)
	if err := os.Symlink(t.TempDir(), filepath.Join(out, "link")); err != nil {
		t.Fatal(err)
	}
	manifest := strings.Join([]string{
		`{"images": ["a.png"], "prompt": "one", "output": "banners/a.png"}`, // 1 ok
		``,            // 2 blank
		`# a comment`, // 3
		`{"images": ["sub/b.jpg", "a.png"], "mask": "m.png", "params": {"size": "1024x1024", "n": 2}}`,                            // 4 ok, --prompt
		`{"images": ["a.png"], "mask": {"rect": [[1, 2, 3, 4]], "ellipse": [[5, 5, 2, 2]], "grow": 2, "editable_padding": true}}`, // 5 ok
		`{"images": ["missing.png"]}`,                              // 6
		`{"images": []}`,                                           // 7
		`{"images": ["a.png"], "colour": "red"}`,                   // 8 unknown field
		`{"images": ["a.png"], "output": "../escape"}`,             // 9
		`{"images": ["a.png"], "output": "/abs/path"}`,             // 10
		`{"images": ["a.png"], "output": "link/x"}`,                // 11
		`{"images": ["a.png"], "mask": {"rect": [[1, 2, -3, 4]]}}`, // 12
		`{"images": ["a.png"], "params": {"n": 0}}`,                // 13
		`{"images": "a.png"}`,                                      // 14 wrong type
		`{"images": ["a.png"]`,                                     // 15 broken JSON
		`{"images": ["a.png", "a.png", "a.png"]}`,                  // 16 too many
		`{"images": ["a.png"], "mask": {"invert": true}}`,          // 17
		`{"images": ["a.png"], "output": "real/ok"}`,               // 18 ok
	}, "\n")
	path := writeTestFile(t, filepath.Join(dir, "jobs.jsonl"), []byte(manifest))
	specs, errs := readManifest(path, out, "default prompt", 2)
	var lines []int
	for _, s := range specs {
		lines = append(lines, s.line)
	}
	if !slices.Equal(lines, []int{1, 4, 5, 18}) {
		t.Fatalf("jobs from lines %v, want 1,4,5,18", lines)
	}
	if s := specs[0]; s.images[0] != filepath.Join(dir, "a.png") || s.prompt != "one" || s.output != filepath.Join("banners", "a") {
		t.Errorf("line 1: %+v", s)
	}
	if s := specs[1]; s.images[0] != filepath.Join(dir, "sub", "b.jpg") || s.prompt != "default prompt" || s.mask == nil ||
		s.mask.spec.from != filepath.Join(dir, "m.png") || *s.params.N != 2 || s.wantOutputs(1) != 2 {
		t.Errorf("line 4: %+v", s)
	}
	if m := specs[2].mask; m == nil || !m.editablePadding || len(m.spec.rects) != 1 || m.spec.rects[0] != "1,2,3,4" || m.spec.grow != 2 {
		t.Errorf("line 5 mask: %+v", m)
	}
	wantErr := map[int]string{6: "missing.png", 7: `"images" is missing`, 8: `unknown field "colour"`, 9: "inside the output directory",
		10: "inside the output directory", 11: "goes through the link", 12: "positive", 13: "want 1 or more", 14: "wrong type",
		15: "not a job object", 16: "at most 2", 17: "need a file, a shape"}
	if len(errs) != len(wantErr) {
		t.Errorf("%d errors, want %d: %v", len(errs), len(wantErr), errs)
	}
	for _, err := range errs {
		m := lineRE.FindStringSubmatch(err.Error())
		n := 0
		if m != nil {
			n, _ = strconv.Atoi(m[1])
		}
		if wantErr[n] == "" || !strings.Contains(err.Error(), wantErr[n]) {
			t.Errorf("error %q: want line %d to say %q", err, n, wantErr[n])
		}
	}
}

var lineRE = regexp.MustCompile(`: line (\d+): `)

// TestClaimOutputs: two jobs may not write the same output.
func TestClaimOutputs(t *testing.T) {
	specs := []batchSpec{
		{images: []string{"a/x.jpg"}}, {images: []string{"b/X.png"}}, // same stem, other case
		{images: []string{"y.png"}, output: "y-1"}, {images: []string{"y.jpg"}}, // y-1 both
		{images: []string{"z.png"}, output: "z"}, {images: []string{"w.png"}, output: "w"},
	}
	bad := claimOutputs(specs, "out", 1)
	if len(bad) != 2 || !strings.Contains(bad[0], "b/X.png: output out/X-1 is claimed by a/x.jpg") || !strings.Contains(bad[1], "y.jpg") {
		t.Fatalf("conflicts %q", bad)
	}
}

// TestShard: K/N splits a list into N disjoint parts that cover it.
func TestShard(t *testing.T) {
	seen := map[int]int{}
	for k := 1; k <= 3; k++ {
		b := batchFlags{each: true, jobs: 4, shard: string(rune('0'+k)) + "/3"}
		if err := b.check(map[string]bool{}, []string{"x"}); err != nil {
			t.Fatal(err)
		}
		for i := range 10 {
			if b.inShard(i) {
				seen[i]++
			}
		}
	}
	for i := range 10 {
		if seen[i] != 1 {
			t.Errorf("job %d in %d shards", i, seen[i])
		}
	}
	for _, bad := range []string{"0/3", "4/3", "1/0", "x", "1/2/3", "-1/2"} {
		b := batchFlags{each: true, jobs: 4, shard: bad}
		if err := b.check(map[string]bool{}, []string{"x"}); err == nil {
			t.Errorf("--shard %s accepted", bad)
		}
	}
}

// TestResumeRecord: a finished job is done while its outputs are intact;
// a shortened or missing output makes it undone; the record survives a
// reopen and is written atomically.
func TestResumeRecord(t *testing.T) {
	dir := t.TempDir()
	r, err := openRecord(dir)
	if err != nil {
		t.Fatal(err)
	}
	img := mustRead(t, sample("gopher_alpha.png"))
	p := writeTestFile(t, filepath.Join(dir, "sub", "a-1.png"), img)
	if err := r.finish("k1", []string{"a.png"}, []editOutput{{Path: p, Bytes: len(img)}}); err != nil {
		t.Fatal(err)
	}
	r2, err := openRecord(dir)
	if err != nil {
		t.Fatal(err)
	}
	outs, ok := r2.done("k1")
	if !ok || len(outs) != 1 || outs[0].Path != p || outs[0].Format != "png" || outs[0].Width == 0 {
		t.Fatalf("done: %v %+v", ok, outs)
	}
	if _, ok := r2.done("k2"); ok {
		t.Error("an unknown key is done")
	}
	os.WriteFile(p, img[:len(img)/2], 0o644)
	if _, ok := r2.done("k1"); ok {
		t.Error("a cut output counts as done")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
	os.WriteFile(filepath.Join(dir, recordName), []byte("{not json"), 0o644)
	if _, err := openRecord(dir); err == nil || !strings.Contains(err.Error(), "delete it") {
		t.Errorf("a broken record: %v", err)
	}
}
