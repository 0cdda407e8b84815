// Command imgprep-bench runs imgprep side by side with libvips and
// ImageMagick on the same files, whole process against whole process, and
// prints a table of median wall and CPU time, peak RSS, output bytes, the
// wall-time ratio to libvips and the outputs' agreement (PSNR).
//
//	go run ./benchmarks/cmd/imgprep-bench [-runs 7] [-dir DIR] [-extra-dir DIR] [-heif-dir DIR] [-jobs dall-e-2,gpt-image-1,jpeg-q85,webp,passthrough,batch16,heic,avif] [-markdown]
//
// Jobs:
//
//	dall-e-2     autorotate, fit in 1024x1024, pad transparent, RGBA PNG
//	gpt-image-1  autorotate, long side 1536, JPEG q90 (PNG for PNG inputs)
//	jpeg-q85     gpt-image-1 on JPEG photos at quality 85
//	webp         gpt-image-1 to WebP: lossy q80 from JPEG photos, lossless
//	             from PNG inputs
//	passthrough  a gpt-image-1 compliant input sent as is (cp is the floor)
//	batch16      16 inputs for one gpt-image-1 request, one imgprep process
//	heic         gpt-image-1 on HEIC photos: long side 1536, JPEG q90; imgprep
//	             with the system libheif and, as "imgprep (wasm)", with its
//	             WebAssembly libheif (IMGPREP_SYSTEM_LIBHEIF=off)
//	avif         gpt-image-1 on AVIF photos, imgprep both ways as for heic
//
// scripts/make-bench-inputs.sh DIR makes a 24 MP progressive JPEG and a
// compliant 1024x1024 RGBA PNG from the bench photos (scripts/bench.sh
// passes DIR as -extra-dir); every job uses them. The HEIC and AVIF inputs are made by scripts/make-bench-heif.sh DIR from
// the reference photo (scripts/bench.sh does, and passes -heif-dir DIR);
// the other jobs leave them alone.
//
// Tools run in alternation (imgprep, libvips, magick, imgprep, ...) after
// one discarded warm-up round, so that a slow spell on a shared machine
// hits them all alike. Every output is checked (format, size, alpha,
// orientation; passthrough: identical bytes), so no tool wins by doing
// less. libvips is the one-process C peer benchmarks/peers/vips_prep.c when
// it can be compiled (cc, pkg-config, libvips-dev; scripts/setup-tools.sh
// --bench installs them), else a chain of vips CLI commands, labelled
// libvips-cli in the table.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// config is the parsed command line.
type config struct {
	runs     int
	dir      string
	heifDir  string // the heic and avif jobs' inputs; "" = none but dir's
	extraDir string // generated inputs for every job (scripts/make-bench-inputs.sh); "" = none
	jobs     []string
	only     []string // input file names to keep; nil = all
	markdown bool
	peers    peers
	self     string // this executable, started as the launcher
	work     string
	notes    []string
	// waitQuietMax bounds the wait for an idle machine before each round;
	// quietRounds and busyRounds count how the rounds started.
	waitQuietMax            time.Duration
	quietRounds, busyRounds int
}

func main() {
	if os.Getenv(launchEnv) != "" {
		launcherMain()
	}
	var c config
	var jobs, only, imgprep, vipsPeer string
	flag.IntVar(&c.runs, "runs", 7, "timed runs per tool (after one warm-up)")
	flag.StringVar(&c.dir, "dir", "", "input directory (default ../shared/bench-photos, else benchmarks/testdata/bench)")
	flag.StringVar(&c.extraDir, "extra-dir", "", "directory of generated inputs for every job (scripts/make-bench-inputs.sh DIR makes them)")
	flag.StringVar(&c.heifDir, "heif-dir", "", "directory of HEIC and AVIF inputs for the heic and avif jobs (scripts/make-bench-heif.sh DIR makes them)")
	flag.StringVar(&jobs, "jobs", "dall-e-2,gpt-image-1,jpeg-q85,webp,passthrough,batch16,heic,avif", "jobs to run, comma-separated")
	flag.StringVar(&only, "inputs", "", "comma-separated file names in -dir to use (default: every image)")
	flag.DurationVar(&c.waitQuietMax, "wait-quiet", 0, "before each round, wait up to this long for the machine to be idle (other processes < 15% CPU)")
	flag.BoolVar(&c.markdown, "markdown", false, "print Markdown (machine information, table, targets)")
	flag.StringVar(&imgprep, "imgprep", "", "imgprep binary to use (default: go build ./cmd/imgprep)")
	flag.StringVar(&c.peers.candidate, "candidate", "", "a second imgprep binary (a proposed change), run in alternation with the first")
	flag.StringVar(&vipsPeer, "vips-peer", "", "compiled benchmarks/peers/vips_prep (default: compile it when possible)")
	flag.Parse()
	c.jobs = strings.Split(jobs, ",")
	if only != "" {
		c.only = strings.Split(only, ",")
	}
	if err := run(&c, imgprep, vipsPeer); err != nil {
		fmt.Fprintln(os.Stderr, "imgprep-bench:", err)
		os.Exit(1)
	}
}

func run(c *config, imgprep, vipsPeer string) error {
	if c.runs < 1 {
		return fmt.Errorf("-runs %d: want at least 1", c.runs)
	}
	root, err := repoRoot()
	if err != nil {
		return err
	}
	if c.self, err = os.Executable(); err != nil {
		return err
	}
	c.work, err = os.MkdirTemp("", "imgprep-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(c.work)
	if c.dir == "" {
		c.dir = defaultDir(root)
	}
	dirs := []string{c.dir}
	for _, d := range []string{c.extraDir, c.heifDir} {
		if d != "" {
			dirs = append(dirs, d)
		}
	}
	ins, err := loadInputs(dirs, c.only)
	if err != nil {
		return err
	}
	if err := c.setupPeers(root, imgprep, vipsPeer); err != nil {
		return err
	}
	c.heifSetup()
	env := machine(c)
	var rows []row
	for _, j := range c.jobs {
		rs, err := c.runJob(strings.TrimSpace(j), ins)
		if err != nil {
			return err
		}
		rows = append(rows, rs...)
	}
	env.loadAfter = loadAvg()
	report(os.Stdout, c, env, rows)
	return nil
}

// defaultDir is ../shared/bench-photos next to the repository when present,
// else the generated fixtures.
func defaultDir(root string) string {
	if d := os.Getenv("IMGPREP_SHARED"); d != "" {
		if st, err := os.Stat(filepath.Join(d, "bench-photos")); err == nil && st.IsDir() {
			return filepath.Join(d, "bench-photos")
		}
	}
	d := filepath.Join(root, "..", "shared", "bench-photos")
	if st, err := os.Stat(d); err == nil && st.IsDir() {
		return filepath.Clean(d)
	}
	return filepath.Join(root, "benchmarks", "testdata", "bench")
}
