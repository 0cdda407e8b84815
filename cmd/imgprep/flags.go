package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("imgprep "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseInterspersed parses flags that may follow positional arguments
// ("imgprep prep a.jpg --model dall-e-2"); "--" ends flag parsing.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			hintRenamed(fs, err)
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// renamedFlags are the flags renamed when one word got one meaning (README
// "Vocabulary"): API words (size, quality, background, output_*) mean the
// API's parameters, upload-* the prepared file, save-* the file written.
var renamedFlags = map[string]string{
	"format":          "--upload-format (the prepared file sent) or --save-format (the file written)",
	"quality":         "--upload-quality (the prepared file's JPEG/WebP quality; --quality is the API's, in edit)",
	"size":            "--upload-size (the exact prepared size; --size is the API's, in edit)",
	"background":      "--fill (the pad colour; --background is the API's, in edit)",
	"compression":     "--save-compression",
	"prep-format":     "--upload-format",
	"prep-quality":    "--upload-quality",
	"prep-size":       "--upload-size",
	"prep-background": "--fill",
}

// hintRenamed names the new flag when err is an unknown flag that was
// renamed.
func hintRenamed(fs *flag.FlagSet, err error) {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return
	}
	if to, ok := renamedFlags[strings.TrimPrefix(name, "-")]; ok {
		fmt.Fprintf(fs.Output(), "imgprep: --%s was renamed: use %s\n", strings.TrimPrefix(name, "-"), to)
	}
}

// listFlag collects a repeatable flag's values.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// usageErr prints a one-line usage error and returns exit code 2.
func usageErr(env *cliEnv, cmd string, format string, a ...any) int {
	fmt.Fprintf(env.stderr, "imgprep %s: %s\n", cmd, fmt.Sprintf(format, a...))
	return exitUsage
}

// flagErr maps a parse error to an exit code (help is not an error).
func flagErr(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}
