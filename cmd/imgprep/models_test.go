package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/upload/uploadtest"
)

func TestModelsJSONRoundTrip(t *testing.T) {
	code, first, stderr := runCLI(t, "models", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	file := filepath.Join(t.TempDir(), "m.json")
	if err := os.WriteFile(file, []byte(first), 0o644); err != nil {
		t.Fatal(err)
	}
	code, second, stderr := runCLI(t, "models", "--models", file, "--json")
	if code != exitOK || second != first {
		t.Fatalf("exit %d (%s); the round trip changed the table:\n%s\nvs\n%s", code, stderr, first, second)
	}
	var ps []map[string]any
	if err := json.Unmarshal([]byte(first), &ps); err != nil || len(ps) < 9 {
		t.Fatalf("models --json: %v, %d profiles", err, len(ps))
	}
}

func TestModelsFileErrorsNameFileEntryField(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(file, []byte(`[{"name": "ok-relay", "like": "gpt-image-1"}, {"name": "acme", "like": "dall-e-2", "max_imagez": 2}]`), 0o644)
	for _, args := range [][]string{
		{"models", "--models", file},
		{"prep", "--models", file, "--model", "dall-e-2", sample("gopher_alpha.png")},
	} {
		code, _, stderr := runCLI(t, args...)
		want := "models file " + file + `: entry 2 ("acme"): field "max_imagez": unknown field`
		if code != exitUsage || !strings.Contains(stderr, want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q, want one line with %q", args, code, stderr, want)
		}
	}
	code, _, stderr := runCLI(t, "models", "--models", filepath.Join(t.TempDir(), "missing.json"))
	if code != exitUsage || !strings.Contains(stderr, "missing.json") {
		t.Errorf("missing file: exit %d %q", code, stderr)
	}
}

// runCLIEnv is runCLI with an environment.
func runCLIEnv(t *testing.T, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &cliEnv{stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	code = run(context.Background(), env, args)
	return code, out.String(), errb.String()
}

func TestModelsFileFromEnvironment(t *testing.T) {
	file := filepath.Join(t.TempDir(), "relay.json")
	os.WriteFile(file, []byte(`[{"name": "acme-env-square", "like": "dall-e-2", "square_sides": [512]}]`), 0o644)
	dir := t.TempDir()
	var rep prepReport
	code, out, stderr := runCLIEnv(t, map[string]string{"IMGPREP_MODELS": file}, "prep", "--model", "acme-env-square", "--json", "-o", dir, sample("gopher_alpha.png"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Images) != 1 {
		t.Fatalf("report: %v %s", err, out)
	}
	if im := rep.Images[0]; im.Width != 512 || im.Height != 512 || im.Format != "png" {
		t.Errorf("prepared %+v, want a 512x512 png", im)
	}
}

func TestPrepNewSpecModels(t *testing.T) {
	for _, m := range []string{"gpt-image-2-2026-04-21", "chatgpt-image-latest"} {
		dir := t.TempDir()
		code, _, stderr := runCLI(t, "prep", "--model", m, "-o", dir, sample("landscape_o6.jpg"))
		if code != exitOK {
			t.Errorf("%s: exit %d: %s", m, code, stderr)
		}
	}
}

func TestLikeForPrepAndEdit(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := runCLI(t, "prep", "--model", "acme-gpt-vip", "--like", "gpt-image-1", "--json", "-o", dir, sample("landscape_o6.jpg"))
	var rep prepReport
	if code != exitOK || json.Unmarshal([]byte(out), &rep) != nil || rep.Model != "acme-gpt-vip" || len(rep.Images) != 1 {
		t.Fatalf("prep --like: exit %d %s %s", code, out, stderr)
	}
	if code, _, stderr := runCLI(t, "prep", "--model", "acme-gpt-vip2", "--like", "no-such", "-o", dir, sample("landscape_o6.jpg")); code != exitUsage || !strings.Contains(stderr, "--like no-such") {
		t.Errorf("--like unknown: exit %d %q", code, stderr)
	}
	srv, r := newEditRun(t, uploadtest.Options{})
	erep := r.report("--model", "acme-edit-vip", "--like", "gpt-image-1", "--prompt", "x", "-o", t.TempDir(), sample("gopher_alpha.png"))
	edits := srv.Edits()
	if len(edits) != 1 || edits[0].Field("model") != "acme-edit-vip" || len(erep.Outputs) != 1 {
		t.Fatalf("server saw %+v, report %+v", edits, erep)
	}
}
