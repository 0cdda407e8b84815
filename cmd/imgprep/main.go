// Command imgprep prepares images for OpenAI-compatible image edit APIs.
//
//	imgprep models [--json]
//	imgprep inspect --model M [--json] FILE...
//	imgprep prep --model M [-o DIR] [--json] [--fit pad|crop|none] [--format auto|png|jpeg|webp] [--max-side N]
//	             [--mask FILE | --mask-rect X,Y,W,H ...] [--editable-padding] [--preview] FILE...
//	imgprep mask (--like IMAGE | --size WxH) [--rect X,Y,W,H]... [--from FILE] -o OUT.png
//
// Exit codes: 0 ok, 1 an input was rejected, 2 usage error, 3 (inspect)
// some inputs do not comply as they are.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes.
const (
	exitOK        = 0
	exitRejected  = 1
	exitUsage     = 2
	exitNonComply = 3
)

// errUsage marks command-line mistakes (exit 2).
var errUsage = errors.New("usage")

type command struct {
	name, summary string
	run           func(ctx context.Context, env *cliEnv, args []string) int
}

// cliEnv is the process's outside world, injectable for tests.
type cliEnv struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	stderrTTY      bool
}

var commands = []command{
	{"models", "list the built-in model profiles and their limits", runModels},
	{"inspect", "say what each file is, whether it complies, and what prep would do", runInspect},
	{"prep", "prepare files for a model and write them to a directory", runPrep},
	{"mask", "build an edit mask (alpha 0 = edit) from shapes or a painting", runMask},
	{"finish", "post-process edit results: restore geometry, composite, format, compression", runFinish},
	{"edit", "prepare, send to an image edit API, and write (and optionally finish) the results", runEdit},
	{"proxy", "serve a local reverse proxy that fixes image edit requests in flight (OPENAI_BASE_URL=http://127.0.0.1:8787/v1)", runProxy},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := &cliEnv{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, stderrTTY: isTerminal(os.Stderr)}
	code := run(ctx, env, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, env *cliEnv, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			setupCodecs(env)
			return c.run(ctx, env, args[1:])
		}
	}
	fmt.Fprintf(env.stderr, "imgprep: unknown command %q\n", args[0])
	usage(env.stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: imgprep <command> [flags] [FILE...]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nrun 'imgprep <command> -h' for a command's flags")
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
