// Package slurm submits a sweep to a Slurm cluster as an sbatch array of
// one task per shard into a shared run directory, and a job that merges
// the shards once the array has ended.
package slurm

import (
	"context"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/rundir"
	"github.com/nashbench/nashbench/solvers"
)

// DefaultShards caps the default number of array tasks: enough to spread
// a sweep over a cluster, few enough to keep the queue readable.
const DefaultShards = 16

// Options are the settings of a submission, as sweep's flags give them.
type Options struct {
	// SbatchOpts are more sbatch options for the tasks and the merge, in
	// one string that Submit splits as a shell would ("--partition=long
	// --time=4:00:00"). nashbench sets --array and --dependency itself.
	SbatchOpts string
	// Shards is the number of array tasks of a new run, at least 1 when
	// given (default: one per instance, at most DefaultShards). A resumed
	// run keeps its own.
	Shards int
	// Jobs is how many jobs a task runs side by side: its --cpus-per-task
	// (0: 1).
	Jobs int
	// CheckLimit is the --check-limit of the tasks, "" for their default.
	CheckLimit string
	// SolversFile is the external solver definitions the sweep loaded, ""
	// for none: the tasks load the run's copy of it.
	SolversFile string
	// DryRun prints the scripts and the sbatch commands, and writes and
	// submits nothing.
	DryRun bool
	// Given names the sweep flags set on the command line, of "shard"
	// (refused), "slurm-opts", "shards", "jobs" and "check-limit": when resuming,
	// the settings not given are those of the run's last submission, and
	// shards given must be the run's.
	// The experiment's flags among them (bench.Sweep.Reconcile) must agree
	// with the run's when resuming.
	Given map[string]bool
}

// Submit submits the sweep s to Slurm: it records the experiment in the
// run directory s.Out (made absolute), stages there what the tasks run,
// and submits the array and the merge, telling stdout how to follow them.
// With s.Resume it resubmits only the shards of the run that lack rows
// (with s.RetryFailed, or have failed rows), refusing while a job of the
// run is still queued.
func Submit(s *bench.Sweep, o Options, stdout io.Writer) error {
	switch {
	case o.Given["shard"]:
		return errors.New("--slurm runs every shard, each as an array task: give --shards N, not --shard")
	case o.Given["shards"] && o.Shards < 1:
		return fmt.Errorf("--shards %d: want 1 or more", o.Shards)
	}
	out, err := filepath.Abs(s.Out)
	if err != nil {
		return err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return err
	}
	// These paths go into #SBATCH lines, which do not take every character.
	for _, p := range []string{out, cwd} {
		if strings.ContainsAny(p, " \t\n\"'%\\$`") {
			return fmt.Errorf("--slurm: %q: a path in an sbatch script cannot have blanks, quotes, %%, $ or backslashes", p)
		}
	}
	s.Out = out
	var info *rundir.Info
	if s.Resume {
		info, err = rundir.ReadInfo(out)
		switch {
		case errors.Is(err, iofs.ErrNotExist):
			info = nil
		case err != nil:
			return err
		case o.Given["shards"] && o.Shards != info.Shards:
			return fmt.Errorf("--shards %d contradicts the run in %s, which is split into %s", o.Shards, out, plural.Count(info.Shards, "shard", "shards"))
		default:
			s.Shards = info.Shards
		}
		if err := s.Reconcile(o.Given, true); err != nil {
			return err
		}
	}
	state, err := ReadState(out)
	if err != nil {
		return err
	}
	if s.Resume {
		// What the tasks ran with before, unless given again.
		if !o.Given["slurm-opts"] && state.Options != nil {
			o.SbatchOpts = strings.Join(quoteAll(state.Options), " ")
		}
		if !o.Given["jobs"] && state.Jobs > 0 {
			o.Jobs = state.Jobs
		}
		if !o.Given["check-limit"] {
			o.CheckLimit = state.CheckLimit
		}
	}
	opts, err := parseSbatchOpts(o.SbatchOpts)
	if err != nil {
		return fmt.Errorf("--slurm-opts: %w", err)
	}
	if s.Jobs = o.Jobs; s.Jobs == 0 {
		s.Jobs = 1 // one core per task unless asked
	}
	if err := s.Experiment.Validate(); err != nil {
		return err
	}
	whole, err := rundir.ExperimentProgress(&s.Experiment, 1, nil)
	if err != nil {
		return err
	}
	instances := whole.Planned / len(s.Solvers)
	if info == nil {
		s.Shards = min(DefaultShards, instances)
		if o.Given["shards"] {
			s.Shards = o.Shards
		}
	}
	if s.Shards > instances {
		return fmt.Errorf("--shards %d: the sweep has %s, and a shard is a set of instances", s.Shards, plural.Count(instances, "instance", "instances"))
	}
	if err := rundir.Init(s.Out, &s.Experiment, s.Shards, s.Resume, true); err != nil {
		return err
	}

	// The shards to submit: all of a new run; those with jobs to run of
	// one that has started.
	shards := make([]int, s.Shards)
	for i := range shards {
		shards[i] = i + 1
	}
	progress, err := rundir.ExperimentProgress(&s.Experiment, s.Shards, nil)
	if err != nil {
		return err
	}
	if !o.DryRun {
		if _, err := exec.LookPath("sbatch"); err != nil {
			return errors.New("--slurm: sbatch is not on PATH (install Slurm's client, or run on the cluster's login node)")
		}
	}
	if info != nil {
		if !o.DryRun {
			if err := checkQueue(state); err != nil {
				return err
			}
		}
		rows, err := rundir.ReadShardRows(out, s.Shards)
		if err != nil {
			return err
		}
		if progress, err = rundir.ExperimentProgress(&s.Experiment, s.Shards, rows); err != nil {
			return err
		}
		shards = progress.Unfinished(s.RetryFailed)
		if len(shards) == 0 {
			fmt.Fprintf(stdout, "nothing to submit: the %s of the run in %s all have rows", plural.Count(progress.Planned, "job", "jobs"), out)
			if failed := len(progress.Unfinished(true)); failed > 0 && !s.RetryFailed {
				fmt.Fprintf(stdout, "; %s jobs that failed, timed out or ran out of memory, which --retry-failed runs again", plural.Count(failed, "shard has", "shards have"))
			}
			fmt.Fprintf(stdout, "\n(merge them with: nashbench merge --out %s %s)\n", rundir.MergedDirOf(out), out)
			return nil
		}
	}
	perShard := 0
	for _, sh := range progress.Shards {
		perShard = max(perShard, sh.Planned)
	}
	p := &scripts{out: out, chdir: cwd, shards: s.Shards, jobs: s.Jobs, memory: s.Memory, timeout: time.Duration(s.Timeout),
		perShard: perShard, check: o.CheckLimit, retry: s.RetryFailed, opts: opts}
	needs, err := solvers.NeedsOf(s.Solvers)
	if err != nil {
		return err
	}
	for _, n := range needs {
		// Programs are not staged: each task runs its node's, which the
		// run's run.json records and holds the later tasks to.
		if !n.Program {
			p.files = append(p.files, n)
		}
	}
	if o.SolversFile != "" {
		if p.solversSrc, err = filepath.Abs(o.SolversFile); err != nil {
			return err
		}
		p.solvers = p.solversFile()
	}
	tasks := taskList(shards)
	sweepCmd := []string{"sbatch", "--parsable", "--array=" + tasks, p.sweepFile()}
	mergeCmd := []string{"sbatch", "--parsable", "--dependency=afterany:<array job>", p.mergeFile()}
	if o.DryRun {
		fmt.Fprintf(stdout, "# %s\n%s\n# %s\n%s\n", p.sweepFile(), p.sweepScript(), p.mergeFile(), p.mergeScript())
		what := "copying this nashbench to " + p.binary()
		if p.solvers != "" {
			what += " and " + p.solversSrc + " to " + p.solvers
		}
		if info == nil {
			what = "writing " + filepath.Join(out, rundir.InfoFile) + " and " + what
		}
		fmt.Fprintf(stdout, "# would run, after %s:\n%s\n%s\n", what, strings.Join(sweepCmd, " "), strings.Join(mergeCmd, " "))
		return nil
	}

	if err := rundir.Init(s.Out, &s.Experiment, s.Shards, s.Resume, false); err != nil {
		return err
	}
	if err := p.install(context.Background()); err != nil {
		return fmt.Errorf("--slurm: %w", err)
	}
	state.Options, state.Jobs, state.CheckLimit = []string{}, s.Jobs, o.CheckLimit
	for _, opt := range opts {
		state.Options = append(state.Options, opt.words...)
	}
	if err := writeState(out, state); err != nil {
		return err
	}
	array, err := sbatch(sweepCmd[1:]...)
	if err != nil {
		return fmt.Errorf("--slurm: %w", err)
	}
	mergeCmd[2] = "--dependency=afterany:" + array
	merge, err := sbatch(mergeCmd[1:]...)
	sub := Submission{Time: time.Now().UTC().Format(time.RFC3339), Array: array, Shards: tasks, Merge: merge}
	state.Submissions = append(state.Submissions, sub)
	if werr := writeState(out, state); werr != nil && err == nil {
		err = werr
	}
	if err != nil {
		return fmt.Errorf("--slurm: array job %s is submitted, but not its merge: %w (merge later with nashbench merge --out %s %s)",
			array, err, p.mergedDir(), out)
	}
	logs := strings.NewReplacer("%A", array, "%a", "<shard>", "%j", merge)
	fmt.Fprintf(stdout, "submitted array job %s (shards %s of %d) and merge job %s, which runs when the array has ended\n", array, tasks, s.Shards, merge)
	fmt.Fprintf(stdout, "  follow:  squeue -j %s,%s\n", array, merge)
	fmt.Fprintf(stdout, "  logs:    %s, %s\n", filepath.Join(p.dir(), logs.Replace(rundir.SlurmSweepLog)), filepath.Join(p.dir(), logs.Replace(rundir.SlurmMergeLog)))
	fmt.Fprintf(stdout, "  results: %s (rows, summary, plots) when job %s has ended\n", p.mergedDir(), merge)
	fmt.Fprintf(stdout, "  then:    nashbench sweep --resume --slurm --out %s resubmits the shards that did not finish\n", out)
	return nil
}
