package slurm

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nashbench/nashbench/internal/atomicfile"
	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/internal/shell"
	"github.com/nashbench/nashbench/rundir"
	"github.com/nashbench/nashbench/solvers"
)

// scripts describes the two scripts of a run.
type scripts struct {
	out      string // absolute run directory
	chdir    string // absolute working directory of the jobs (a relative --corpus is read from it)
	shards   int
	jobs     int   // jobs side by side per task: its --cpus-per-task
	memory   int64 // per job (--mem); 0 for none
	timeout  time.Duration
	perShard int // jobs in the largest shard
	check    string
	solvers  string // --solvers-file for the tasks: solversFile(), or ""
	// solversSrc is the definitions file the submission loaded, which
	// install copies to solvers (absolute), or "".
	solversSrc string
	retry      bool // tasks run --retry-failed
	// files are the data files the solvers need (solvers.Need, programs
	// left out): install copies each into dir, and the array script
	// points its Env at the copy.
	files []solvers.Need
	opts  []sbatchOpt
}

func (p *scripts) dir() string                   { return filepath.Join(p.out, rundir.SlurmDir) }
func (p *scripts) binary() string                { return filepath.Join(p.dir(), rundir.SlurmBinary) }
func (p *scripts) staged(n *solvers.Need) string { return filepath.Join(p.dir(), n.Name) }
func (p *scripts) sweepFile() string             { return filepath.Join(p.dir(), rundir.SlurmSweepScript) }
func (p *scripts) mergeFile() string             { return filepath.Join(p.dir(), rundir.SlurmMergeScript) }
func (p *scripts) mergedDir() string             { return rundir.MergedDirOf(p.out) }

// solversFile is the tasks' copy of the submission's solver definitions:
// an edit of the user's file after submitting does not reach tasks that
// start later, and nodes need not see the user's configuration directory.
func (p *scripts) solversFile() string { return filepath.Join(p.dir(), rundir.SlurmSolversFile) }

// directives writes the #SBATCH lines: nashbench's defaults, but not
// those the user's options set (sbatch would take either), then the
// user's.
func (p *scripts) directives(b *strings.Builder, defaults [][2]string) {
	set := map[string]bool{}
	for _, o := range p.opts {
		set[o.name] = true
	}
	for _, d := range defaults {
		name := d[0]
		if set[name] || (name == "mem" && (set["mem-per-cpu"] || set["mem-per-gpu"])) {
			continue
		}
		fmt.Fprintf(b, "#SBATCH --%s=%s\n", name, d[1])
	}
	for _, o := range p.opts {
		words := make([]string, len(o.words))
		for i, w := range o.words {
			words[i] = directiveWord(w)
		}
		fmt.Fprintf(b, "#SBATCH %s\n", strings.Join(words, " "))
	}
}

// sweepScript is the array script: task i runs shard i/N.
func (p *scripts) sweepScript() string {
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/bash\n# The sweep in %s, in %s: array task i runs shard i/%d.\n", p.out, plural.Count(p.shards, "shard", "shards"), p.shards)
	fmt.Fprintf(&b, "# Written by `nashbench sweep --slurm`; `nashbench sweep --resume --slurm --out %s`\n# resubmits the shards that lack rows.\n", p.out)
	if p.timeout > 0 {
		// Each job may take its time limit and then its exhaustive check.
		check := time.Second
		if p.check != "" {
			if d, err := time.ParseDuration(p.check); err == nil {
				check = max(d, 0)
			}
		}
		rounds := (p.perShard + p.jobs - 1) / p.jobs
		worst := time.Duration(rounds) * (p.timeout + check)
		fmt.Fprintf(&b, "# A task runs up to %s, %d at a time, each within --timeout %s and its check:\n", plural.Count(p.perShard, "job", "jobs"), p.jobs, p.timeout)
		fmt.Fprintf(&b, "# at most about %s. Give --time in --slurm-opts if the partition allows less.\n", worst.Round(time.Second))
	}
	defaults := [][2]string{{"job-name", "nashbench-sweep"}, {"array", fmt.Sprintf("1-%d", p.shards)},
		{"cpus-per-task", strconv.Itoa(p.jobs)}}
	if p.memory > 0 {
		// Each job's cap, and room for the sweep process itself.
		mib := (int64(p.jobs)*p.memory + 512<<20 + 1<<20 - 1) >> 20
		defaults = append(defaults, [2]string{"mem", fmt.Sprintf("%dM", mib)})
	}
	defaults = append(defaults, [2]string{"output", filepath.Join(p.dir(), rundir.SlurmSweepLog)}, [2]string{"chdir", p.chdir})
	p.directives(&b, defaults)
	for i := range p.files {
		fmt.Fprintf(&b, "export %s=%s\n", p.files[i].Env, shell.Quote(p.staged(&p.files[i])))
	}
	args := []string{shell.Quote(p.binary()), "sweep", "--resume", "--out", shell.Quote(p.out),
		fmt.Sprintf(`--shard "$SLURM_ARRAY_TASK_ID/%d"`, p.shards), "--jobs", strconv.Itoa(p.jobs)}
	if p.check != "" {
		args = append(args, "--check-limit", shell.Quote(p.check))
	}
	if p.solvers != "" {
		args = append(args, "--solvers-file", shell.Quote(p.solvers))
	}
	if p.retry {
		args = append(args, "--retry-failed")
	}
	fmt.Fprintf(&b, "exec %s\n", strings.Join(args, " "))
	return b.String()
}

// mergeScript is the job that merges the shards into <run>/merged.
func (p *scripts) mergeScript() string {
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/bash\n# Merges the shards of the sweep in %s into %s: rows, summary (with\n", p.out, p.mergedDir())
	b.WriteString("# the jobs missing, by shard) and plots. Written by `nashbench sweep --slurm`.\n")
	p.directives(&b, [][2]string{{"job-name", "nashbench-merge"}, {"cpus-per-task", "1"},
		{"output", filepath.Join(p.dir(), rundir.SlurmMergeLog)}, {"chdir", p.chdir}})
	fmt.Fprintf(&b, "exec %s merge --out %s %s\n", shell.Quote(p.binary()), shell.Quote(p.mergedDir()), shell.Quote(p.out))
	return b.String()
}

// install writes the scripts and copies what the tasks run into the run
// directory, which a cluster's nodes share: this nashbench binary (so
// that every task runs the build that submitted it, even one that `go
// run` built and will delete), the external solver definitions it loaded,
// and the data files the solvers need, such as HiGHS's wasm (the nodes
// may have no npm or network).
func (p *scripts) install(ctx context.Context) error {
	if err := os.MkdirAll(p.dir(), 0o755); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this nashbench binary: %w", err)
	}
	if err := atomicfile.Copy(self, p.binary(), 0o755); err != nil {
		return err
	}
	if p.solversSrc != "" {
		if err := atomicfile.Copy(p.solversSrc, p.solvers, 0o644); err != nil {
			return err
		}
	}
	for i := range p.files {
		data, err := p.files[i].Load(ctx)
		if err != nil {
			return err
		}
		path := p.staged(&p.files[i])
		if old, err := os.ReadFile(path); err != nil || !bytes.Equal(old, data) {
			if err := atomicfile.Write(path, data); err != nil {
				return err
			}
		}
	}
	if err := atomicfile.Write(p.sweepFile(), []byte(p.sweepScript())); err != nil {
		return err
	}
	return atomicfile.Write(p.mergeFile(), []byte(p.mergeScript()))
}
