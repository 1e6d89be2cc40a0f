// slurm.go maps sweep's flags for Slurm to package slurm: `nashbench
// sweep --slurm` submits an sbatch array (one task per shard, each a
// `sweep --resume --shard i/N` into the shared run directory) and a merge
// job after it, and `--resume --slurm` resubmits the shards that lack
// rows.

package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/slurm"
)

// defaultSlurmShards is --shards' default cap, for its help.
const defaultSlurmShards = slurm.DefaultShards

// shellWords splits a command line as a shell would (doc_test.go reads
// the documentation's examples with it).
var shellWords = slurm.ShellWords

// slurmFlags are sweep's flags for Slurm.
type slurmFlags struct {
	opts       string // --slurm-opts
	shards     int    // --shards
	jobs       int    // --jobs
	checkLimit string // --check-limit as the tasks should get it, or ""
	// solversFile is the external solver definitions the sweep loaded
	// ("" for none), which the tasks must load too.
	solversFile string
	dryRun      bool
	set         map[string]bool // the flags given
}

// runSlurm submits the sweep s (its flags parsed) to Slurm, or with
// --resume resubmits the shards of its run that lack rows.
func runSlurm(s *bench.Sweep, f slurmFlags, stdout, _ io.Writer) error {
	if f.set["shard"] {
		return errors.New("sweep: --slurm runs every shard, each as an array task: give --shards N, not --shard")
	}
	if f.set["shards"] && f.shards < 1 {
		return fmt.Errorf("sweep: --shards %d: want 1 or more", f.shards)
	}
	o := slurm.Options{SbatchOpts: f.opts, Shards: f.shards, Jobs: f.jobs, CheckLimit: f.checkLimit, SolversFile: f.solversFile,
		DryRun: f.dryRun, Given: f.set, Resume: func(s *bench.Sweep) error { return s.Reconcile(f.set, true) }}
	if err := slurm.Submit(s, o, stdout); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	return nil
}
