package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// batchFlags are the flags of 'imgprep edit' that make it a batch: one
// edit per input (--each) or per manifest line (--manifest).
type batchFlags struct {
	each     bool
	manifest string
	jobs     int
	resume   bool
	shard    string
	grace    time.Duration

	shardK, shardN int // parsed --shard, 1/1 when not given
}

func (b *batchFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&b.each, "each", false, "batch: one edit per input FILE, with the same prompt, parameters, mask and finishing")
	fs.StringVar(&b.manifest, "manifest", "", "batch: one edit per line of this JSONL file (images, prompt, mask, params, output)")
	fs.IntVar(&b.jobs, "jobs", 4, "batch: requests in flight at most (the rate governor lowers it on 429s)")
	fs.BoolVar(&b.resume, "resume", false, "batch: skip jobs whose outputs an earlier run finished (the record in the output directory)")
	fs.StringVar(&b.shard, "shard", "", "batch: do only shard K of N (K/N): job i goes to shard i mod N + 1")
	fs.DurationVar(&b.grace, "grace", 10*time.Second, "batch: after an interrupt, how long requests in flight may finish before they are cancelled")
}

// active reports whether the edit is a batch.
func (b *batchFlags) active() bool { return b.each || b.manifest != "" }

// batchOnly are the flags that mean nothing without --each or --manifest.
var batchOnly = []string{"jobs", "resume", "shard", "grace"}

// check validates the batch flags; set tells which flags were given.
func (b *batchFlags) check(set map[string]bool, files []string) error {
	if !b.active() {
		for _, name := range batchOnly {
			if set[name] {
				return fmt.Errorf("--%s needs --each or --manifest", name)
			}
		}
		return nil
	}
	switch {
	case b.each && b.manifest != "":
		return errors.New("--each and --manifest exclude each other")
	case b.manifest != "" && len(files) > 0:
		return fmt.Errorf("--manifest takes its inputs from the file; %d input files given too", len(files))
	case b.each && len(files) == 0:
		return errors.New("--each needs input files")
	case b.jobs < 1 || b.jobs > 64:
		return fmt.Errorf("--jobs %d: want 1 to 64", b.jobs)
	case b.grace < 0:
		return fmt.Errorf("--grace %s: want 0 or more", b.grace)
	}
	for _, name := range []string{"dry-run", "save-partials", "preview"} {
		if set[name] {
			return fmt.Errorf("--%s is for a single edit, not with --each or --manifest", name)
		}
	}
	b.shardK, b.shardN = 1, 1
	if b.shard != "" {
		k, n, ok := strings.Cut(b.shard, "/")
		var err1, err2 error
		b.shardK, err1 = strconv.Atoi(strings.TrimSpace(k))
		b.shardN, err2 = strconv.Atoi(strings.TrimSpace(n))
		if !ok || err1 != nil || err2 != nil || b.shardN < 1 || b.shardK < 1 || b.shardK > b.shardN {
			return fmt.Errorf("--shard %q: want K/N with 1 <= K <= N, e.g. 2/5", b.shard)
		}
	}
	return nil
}

// inShard reports whether job i (from 0, in list order) is this shard's.
func (b *batchFlags) inShard(i int) bool { return b.shardN <= 1 || i%b.shardN == b.shardK-1 }
