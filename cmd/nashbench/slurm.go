// slurm.go submits a sweep to Slurm: `nashbench sweep --slurm` writes an
// sbatch array script (one task per shard, each a `sweep --resume --shard
// i/N` into the shared run directory) and a merge script, submits both,
// the merge depending on the array, and `--resume --slurm` resubmits the
// shards that lack rows.

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/internal/atomicfile"
	"github.com/nashbench/nashbench/internal/highs"
	"github.com/nashbench/nashbench/internal/plural"
)

// slurmDir is the subdirectory of a run directory that holds what Slurm
// needs: the scripts, the nashbench binary they run, HiGHS's wasm, the
// tasks' logs and slurm.json.
const slurmDir = "slurm"

// defaultSlurmShards caps the default number of array tasks: enough to
// spread a sweep over a cluster, few enough to keep the queue readable.
const defaultSlurmShards = 16

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

// slurmState is <run>/slurm/slurm.json: the settings of the run's tasks,
// reused by --resume --slurm, and every submission, so that a resume can
// tell whether any of the run's jobs are still queued.
type slurmState struct {
	Options     []string          `json:"options"`               // --slurm-opts, as words
	Jobs        int               `json:"jobs"`                  // jobs side by side per task
	CheckLimit  string            `json:"check_limit,omitempty"` // --check-limit given to the tasks
	Submissions []slurmSubmission `json:"submissions"`
}

type slurmSubmission struct {
	Time   string `json:"time"`      // RFC 3339, UTC
	Array  string `json:"array_job"` // the array's job id
	Shards string `json:"shards"`    // its task ids, such as 1-16 or 2,5
	Merge  string `json:"merge_job"` // the merge's job id
}

// sbatchOpt is one option of --slurm-opts: its words (an option and any
// separate value) and its long name, for the ones nashbench also sets.
type sbatchOpt struct {
	name  string
	words []string
}

// sbatchShort maps the short sbatch options nashbench cares about to
// their long names.
var sbatchShort = map[string]string{
	"a": "array", "c": "cpus-per-task", "d": "dependency", "D": "chdir", "J": "job-name", "o": "output", "e": "error",
}

// parseSbatchOpts splits --slurm-opts into sbatch options. Values may be
// joined (--time=1:00:00, -t1:00:00) or follow as the next word (-p
// long). nashbench sets --array and --dependency itself.
func parseSbatchOpts(s string) ([]sbatchOpt, error) {
	words, err := shellWords(s)
	if err != nil {
		return nil, err
	}
	var out []sbatchOpt
	for _, w := range words {
		if !strings.HasPrefix(w, "-") || w == "-" || w == "--" {
			if len(out) == 0 || len(out[len(out)-1].words) > 1 || strings.Contains(out[len(out)-1].words[0], "=") {
				return nil, fmt.Errorf("%q is not an sbatch option (options start with -)", w)
			}
			out[len(out)-1].words = append(out[len(out)-1].words, w)
			continue
		}
		if strings.ContainsAny(w, "\"\n") {
			return nil, fmt.Errorf("%q: quotes and newlines cannot go into an #SBATCH line", w)
		}
		name, _, _ := strings.Cut(strings.TrimLeft(w, "-"), "=")
		if !strings.HasPrefix(w, "--") {
			name = sbatchShort[w[1:2]]
		}
		switch name {
		case "array", "dependency":
			return nil, fmt.Errorf("%s: nashbench sets --%s itself", w, name)
		case "wrap", "parsable":
			return nil, fmt.Errorf("%s: not an option for nashbench's scripts", w)
		}
		out = append(out, sbatchOpt{name: name, words: []string{w}})
	}
	return out, nil
}

// shellWords splits s into words as a POSIX shell would, with single and
// double quotes and backslashes, and nothing else expanded.
func shellWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("unterminated ' quote")
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errors.New(`unterminated " quote`)
			}
			inWord = true
		case c == '\\':
			if i+1 < len(s) {
				i++
				cur.WriteByte(s[i])
			}
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// shellQuote quotes s for a shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+=:,@%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// directiveWord writes a word of an #SBATCH line, quoting a value that
// has blanks (sbatch reads quoted arguments in its directives).
func directiveWord(w string) string {
	if !strings.ContainsAny(w, " \t") {
		return w
	}
	if name, value, ok := strings.Cut(w, "="); ok && strings.HasPrefix(w, "-") {
		return name + `="` + value + `"`
	}
	return `"` + w + `"`
}

// taskList writes 1-based shards as an sbatch --array list: 1-3,5,7-8.
func taskList(shards []int) string {
	var parts []string
	for i := 0; i < len(shards); {
		j := i
		for j+1 < len(shards) && shards[j+1] == shards[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, strconv.Itoa(shards[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", shards[i], shards[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ",")
}

// slurmScripts describes the two scripts of a run.
type slurmScripts struct {
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
	// installSlurmFiles copies to solvers (absolute), or "".
	solversSrc string
	retry      bool // tasks run --retry-failed
	highs      bool // export NASHBENCH_HIGHS_WASM
	opts       []sbatchOpt
}

func (p *slurmScripts) dir() string    { return filepath.Join(p.out, slurmDir) }
func (p *slurmScripts) binary() string { return filepath.Join(p.dir(), "nashbench") }
func (p *slurmScripts) wasm() string   { return filepath.Join(p.dir(), "highs.wasm") }
func (p *slurmScripts) sweepFile() string {
	return filepath.Join(p.dir(), "sweep.sbatch")
}
func (p *slurmScripts) mergeFile() string { return filepath.Join(p.dir(), "merge.sbatch") }

// solversFile is the tasks' copy of the submission's solver definitions:
// an edit of the user's file after submitting does not reach tasks that
// start later, and nodes need not see the user's configuration directory.
func (p *slurmScripts) solversFile() string { return filepath.Join(p.dir(), "solvers.json") }
func (p *slurmScripts) mergedDir() string   { return mergedDirOf(p.out) }

// mergedDirOf is where the merge job of the run in out writes.
func mergedDirOf(out string) string { return filepath.Join(out, "merged") }

// directives writes the #SBATCH lines: nashbench's defaults, but not
// those the user's options set (sbatch would take either), then the
// user's.
func (p *slurmScripts) directives(b *strings.Builder, defaults [][2]string) {
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
func (p *slurmScripts) sweepScript() string {
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
	defaults = append(defaults, [2]string{"output", filepath.Join(p.dir(), "sweep-%A_%a.out")}, [2]string{"chdir", p.chdir})
	p.directives(&b, defaults)
	if p.highs {
		fmt.Fprintf(&b, "export %s=%s\n", highs.EnvWasm, shellQuote(p.wasm()))
	}
	args := []string{shellQuote(p.binary()), "sweep", "--resume", "--out", shellQuote(p.out),
		fmt.Sprintf(`--shard "$SLURM_ARRAY_TASK_ID/%d"`, p.shards), "--jobs", strconv.Itoa(p.jobs)}
	if p.check != "" {
		args = append(args, "--check-limit", shellQuote(p.check))
	}
	if p.solvers != "" {
		args = append(args, "--solvers-file", shellQuote(p.solvers))
	}
	if p.retry {
		args = append(args, "--retry-failed")
	}
	fmt.Fprintf(&b, "exec %s\n", strings.Join(args, " "))
	return b.String()
}

// mergeScript is the job that merges the shards into <run>/merged.
func (p *slurmScripts) mergeScript() string {
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/bash\n# Merges the shards of the sweep in %s into %s: rows, summary (with\n", p.out, p.mergedDir())
	b.WriteString("# the jobs missing, by shard) and plots. Written by `nashbench sweep --slurm`.\n")
	p.directives(&b, [][2]string{{"job-name", "nashbench-merge"}, {"cpus-per-task", "1"},
		{"output", filepath.Join(p.dir(), "merge-%j.out")}, {"chdir", p.chdir}})
	fmt.Fprintf(&b, "exec %s merge --out %s %s\n", shellQuote(p.binary()), shellQuote(p.mergedDir()), shellQuote(p.out))
	return b.String()
}

// runSlurm submits the sweep s (its flags parsed) to Slurm, or with
// --resume resubmits the shards of its run that lack rows.
func runSlurm(s *bench.Sweep, f slurmFlags, stdout, stderr io.Writer) error {
	if f.set["shard"] {
		return errors.New("sweep: --slurm runs every shard, each as an array task: give --shards N, not --shard")
	}
	if f.set["shards"] && f.shards < 1 {
		return fmt.Errorf("sweep: --shards %d: want 1 or more", f.shards)
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
			return fmt.Errorf("sweep: --slurm: %q: a path in an sbatch script cannot have blanks, quotes, %%, $ or backslashes", p)
		}
	}
	s.Out = out
	var info *bench.RunInfo
	if s.Resume {
		info, err = bench.ReadRunInfo(out)
		switch {
		case errors.Is(err, iofs.ErrNotExist):
			info = nil
		case err != nil:
			return fmt.Errorf("sweep: %w", err)
		case f.set["shards"] && f.shards != info.Shards:
			return fmt.Errorf("sweep: --shards %d contradicts the run in %s, which is split into %s", f.shards, out, plural.Count(info.Shards, "shard", "shards"))
		default:
			s.Shards = info.Shards
		}
		if err := resumeRun(s, f.set, true); err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
	}
	state, err := readSlurmState(out)
	if err != nil {
		return err
	}
	if s.Resume {
		// What the tasks ran with before, unless given again.
		if !f.set["slurm-opts"] && state.Options != nil {
			f.opts = strings.Join(quoteAll(state.Options), " ")
		}
		if !f.set["jobs"] && state.Jobs > 0 {
			f.jobs = state.Jobs
		}
		if !f.set["check-limit"] {
			f.checkLimit = state.CheckLimit
		}
	}
	opts, err := parseSbatchOpts(f.opts)
	if err != nil {
		return fmt.Errorf("sweep: --slurm-opts: %w", err)
	}
	if s.Jobs = f.jobs; s.Jobs == 0 {
		s.Jobs = 1 // one core per task unless asked
	}
	if err := s.Validate(); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	whole, err := bench.ExperimentProgress(s.Experiment(), 1, nil)
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	instances := whole.Planned / len(s.Solvers)
	if info == nil {
		s.Shards = min(defaultSlurmShards, instances)
		if f.set["shards"] {
			s.Shards = f.shards
		}
	}
	if s.Shards > instances {
		return fmt.Errorf("sweep: --shards %d: the sweep has %s, and a shard is a set of instances", s.Shards, plural.Count(instances, "instance", "instances"))
	}
	if err := s.Init(true); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}

	// The shards to submit: all of a new run; those with jobs to run of
	// one that has started.
	shards := make([]int, s.Shards)
	for i := range shards {
		shards[i] = i + 1
	}
	progress, err := bench.ExperimentProgress(s.Experiment(), s.Shards, nil)
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if !f.dryRun {
		if _, err := exec.LookPath("sbatch"); err != nil {
			return errors.New("sweep: --slurm: sbatch is not on PATH (install Slurm's client, or run on the cluster's login node)")
		}
	}
	if info != nil {
		if !f.dryRun {
			if err := checkQueue(state); err != nil {
				return fmt.Errorf("sweep: %w", err)
			}
		}
		rows, err := bench.ReadShardRows(out, s.Shards)
		if err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
		if progress, err = bench.ExperimentProgress(s.Experiment(), s.Shards, rows); err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
		shards = progress.Unfinished(s.RetryFailed)
		if len(shards) == 0 {
			fmt.Fprintf(stdout, "nothing to submit: the %s of the run in %s all have rows", plural.Count(progress.Planned, "job", "jobs"), out)
			if failed := len(progress.Unfinished(true)); failed > 0 && !s.RetryFailed {
				fmt.Fprintf(stdout, "; %s jobs that failed, timed out or ran out of memory, which --retry-failed runs again", plural.Count(failed, "shard has", "shards have"))
			}
			fmt.Fprintf(stdout, "\n(merge them with: nashbench merge --out %s %s)\n", mergedDirOf(out), out)
			return nil
		}
	}
	perShard := 0
	for _, sh := range progress.Shards {
		perShard = max(perShard, sh.Planned)
	}
	p := &slurmScripts{out: out, chdir: cwd, shards: s.Shards, jobs: s.Jobs, memory: s.Memory, timeout: s.Timeout,
		perShard: perShard, check: f.checkLimit, retry: s.RetryFailed, opts: opts}
	for _, name := range s.Solvers {
		p.highs = p.highs || strings.HasPrefix(name, "highs-")
	}
	if f.solversFile != "" {
		if p.solversSrc, err = filepath.Abs(f.solversFile); err != nil {
			return err
		}
		p.solvers = p.solversFile()
	}
	tasks := taskList(shards)
	sweepCmd := []string{"sbatch", "--parsable", "--array=" + tasks, p.sweepFile()}
	mergeCmd := []string{"sbatch", "--parsable", "--dependency=afterany:<array job>", p.mergeFile()}
	if f.dryRun {
		fmt.Fprintf(stdout, "# %s\n%s\n# %s\n%s\n", p.sweepFile(), p.sweepScript(), p.mergeFile(), p.mergeScript())
		what := "copying this nashbench to " + p.binary()
		if p.solvers != "" {
			what += " and " + p.solversSrc + " to " + p.solvers
		}
		if info == nil {
			what = "writing " + filepath.Join(out, bench.RunInfoName) + " and " + what
		}
		fmt.Fprintf(stdout, "# would run, after %s:\n%s\n%s\n", what, strings.Join(sweepCmd, " "), strings.Join(mergeCmd, " "))
		return nil
	}

	if err := s.Init(false); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if err := installSlurmFiles(p); err != nil {
		return fmt.Errorf("sweep: --slurm: %w", err)
	}
	state.Options, state.Jobs, state.CheckLimit = []string{}, s.Jobs, f.checkLimit
	for _, o := range opts {
		state.Options = append(state.Options, o.words...)
	}
	if err := writeSlurmState(out, state); err != nil {
		return err
	}
	array, err := sbatch(sweepCmd[1:]...)
	if err != nil {
		return fmt.Errorf("sweep: --slurm: %w", err)
	}
	mergeCmd[2] = "--dependency=afterany:" + array
	merge, err := sbatch(mergeCmd[1:]...)
	sub := slurmSubmission{Time: time.Now().UTC().Format(time.RFC3339), Array: array, Shards: tasks, Merge: merge}
	state.Submissions = append(state.Submissions, sub)
	if werr := writeSlurmState(out, state); werr != nil && err == nil {
		err = werr
	}
	if err != nil {
		return fmt.Errorf("sweep: --slurm: array job %s is submitted, but not its merge: %w (merge later with nashbench merge --out %s %s)",
			array, err, p.mergedDir(), out)
	}
	fmt.Fprintf(stdout, "submitted array job %s (shards %s of %d) and merge job %s, which runs when the array has ended\n", array, tasks, s.Shards, merge)
	fmt.Fprintf(stdout, "  follow:  squeue -j %s,%s\n", array, merge)
	fmt.Fprintf(stdout, "  logs:    %s, %s\n", filepath.Join(p.dir(), "sweep-"+array+"_<shard>.out"), filepath.Join(p.dir(), "merge-"+merge+".out"))
	fmt.Fprintf(stdout, "  results: %s (rows, summary, plots) when job %s has ended\n", p.mergedDir(), merge)
	fmt.Fprintf(stdout, "  then:    nashbench sweep --resume --slurm --out %s resubmits the shards that did not finish\n", out)
	return nil
}

func quoteAll(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = shellQuote(w)
	}
	return out
}

// installSlurmFiles writes the scripts and copies what the tasks run into
// the run directory, which a cluster's nodes share: this nashbench binary
// (so that every task runs the build that submitted it, even one that `go
// run` built and will delete), the external solver definitions it loaded,
// and HiGHS's wasm if a solver needs it (the nodes may have no npm or
// network).
func installSlurmFiles(p *slurmScripts) error {
	if err := os.MkdirAll(p.dir(), 0o755); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this nashbench binary: %w", err)
	}
	if err := copyFile(self, p.binary(), 0o755); err != nil {
		return err
	}
	if p.solversSrc != "" {
		if err := copyFile(p.solversSrc, p.solvers, 0o644); err != nil {
			return err
		}
	}
	if p.highs {
		wasm, err := highs.Wasm(context.Background())
		if err != nil {
			return err
		}
		if old, err := os.ReadFile(p.wasm()); err != nil || !bytes.Equal(old, wasm) {
			if err := atomicfile.Write(p.wasm(), wasm); err != nil {
				return err
			}
		}
	}
	if err := atomicfile.Write(p.sweepFile(), []byte(p.sweepScript())); err != nil {
		return err
	}
	return atomicfile.Write(p.mergeFile(), []byte(p.mergeScript()))
}

// copyFile copies src to dst by a rename, so that a task still running
// the old dst keeps its file.
func copyFile(src, dst string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

// sbatch submits a job and returns its id.
func sbatch(args ...string) (string, error) {
	var outb, errb bytes.Buffer
	cmd := exec.Command("sbatch", args...)
	cmd.Stdout, cmd.Stderr = &outb, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("sbatch %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	// --parsable prints "id" or "id;cluster".
	id, _, _ := strings.Cut(strings.TrimSpace(outb.String()), ";")
	if _, err := strconv.ParseUint(id, 10, 64); err != nil {
		return "", fmt.Errorf("sbatch %s printed %q, not a job id", strings.Join(args, " "), outb.String())
	}
	return id, nil
}

// checkQueue refuses to resubmit while any job submitted for the run is
// still queued or running: its shard would run twice.
func checkQueue(state *slurmState) error {
	ours := map[string]bool{}
	for _, sub := range state.Submissions {
		ours[sub.Array], ours[sub.Merge] = true, true
	}
	if len(ours) == 0 {
		return nil
	}
	// All jobs, not -j: squeue fails on ids the controller has forgotten.
	var outb, errb bytes.Buffer
	cmd := exec.Command("squeue", "--noheader", "--format=%i")
	cmd.Stdout, cmd.Stderr = &outb, &errb
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("--slurm: cannot check the queue: squeue: %v: %s", err, strings.TrimSpace(errb.String()))
	}
	var queued []string
	for _, line := range strings.Fields(outb.String()) {
		id, _, _ := strings.Cut(line, "_") // array tasks: 123_4 or 123_[5-9]
		if ours[id] && !slices.Contains(queued, id) {
			queued = append(queued, id)
		}
	}
	if len(queued) > 0 {
		return fmt.Errorf("--slurm: jobs %s of this run are still queued or running (squeue -j %s): wait for them to end, or scancel them, before resubmitting",
			strings.Join(queued, ", "), strings.Join(queued, ","))
	}
	return nil
}

func slurmStateFile(out string) string { return filepath.Join(out, slurmDir, "slurm.json") }

// readSlurmState reads a run's slurm.json; a run without one has an empty
// state.
func readSlurmState(out string) (*slurmState, error) {
	st := &slurmState{}
	b, err := os.ReadFile(slurmStateFile(out))
	if errors.Is(err, iofs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("%s: %v", slurmStateFile(out), err)
	}
	return st, nil
}

func writeSlurmState(out string, st *slurmState) error {
	if st.Submissions == nil {
		st.Submissions = []slurmSubmission{}
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(slurmStateFile(out), append(b, '\n'))
}
