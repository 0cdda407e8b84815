// Command imgprep-fakeapi runs the fake OpenAI-compatible image edit server
// of package uploadtest, for trying imgprep (or any client) offline:
//
//	go run ./cmd/imgprep-fakeapi -addr 127.0.0.1:8089 [-key K] [-async] [-url-results] [-models FILE]
//	    [-max-in-flight N [-retry-after D]] [-fail-every K [-fail-status S]]
//
// It prints the base URL (ending in /v1) on the first line of stdout and
// serves until SIGINT or SIGTERM, then shuts down gracefully. Faults can be
// requested per request with the X-Fake-Fault header (see
// uploadtest.FaultHeader).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/imgprep/imgprep/model"
	"github.com/imgprep/imgprep/upload/uploadtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "imgprep-fakeapi:", err)
		os.Exit(2)
	}
}

// run parses args, serves until ctx ends, and shuts down gracefully.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("imgprep-fakeapi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o uploadtest.Options
	addr := fs.String("addr", "127.0.0.1:8089", "listen address (host:port; port 0 picks a free one)")
	fs.StringVar(&o.APIKey, "key", "", "required bearer API key (empty: no auth check)")
	fs.BoolVar(&o.AsyncByDefault, "async", false, "answer every edit with a task id to poll (like gptproto)")
	fs.BoolVar(&o.URLResults, "url-results", false, "return data[].url instead of b64_json")
	fs.BoolVar(&o.DataURLPrefix, "data-url-prefix", false, "prefix b64_json with data:image/...;base64,")
	fs.IntVar(&o.TaskSteps, "task-steps", 0, "polls before an async task completes (0: 2, negative: immediately)")
	fs.StringVar(&o.FailTask, "fail-task", "", "make async tasks and streams fail with this reason")
	fs.DurationVar(&o.Latency, "latency", 0, "delay added to every response")
	fs.Int64Var(&o.MaxBodyBytes, "max-body", 0, "request body limit in bytes (0: 64 MiB)")
	fs.StringVar(&o.MultipartFieldImage, "image-field", "", `only accept this multipart image field ("image" or "image[]"; empty: both)`)
	fs.BoolVar(&o.StrictSquareSides, "strict-sides", false, "require dall-e-2 inputs to be 256, 512 or 1024 px square")
	fs.IntVar(&o.MaxInFlight, "max-in-flight", 0, "rate-limited relay: answer 429 to edits above this many at once (0: no cap)")
	fs.DurationVar(&o.RateLimitRetryAfter, "retry-after", 0, "the wait those 429s ask for (0: 1s)")
	fs.IntVar(&o.FailEvery, "fail-every", 0, "answer every k-th edit under the cap with -fail-status (0: never)")
	fs.IntVar(&o.FailStatus, "fail-status", 0, "the status of -fail-every (0: 503)")
	models := fs.String("models", "", "JSON file of extra model profiles (as 'imgprep models --json' prints), for a relay's own model names")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *models != "" {
		f, err := os.Open(*models)
		if err != nil {
			return err
		}
		err = model.Load(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", *models, err)
		}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: uploadtest.NewHandler(o), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "http://%s/v1\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close() // requests still sleeping (slow faults): cut them
		return fmt.Errorf("graceful shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
