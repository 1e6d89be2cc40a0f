package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/rundir"
	"github.com/nashbench/nashbench/slurm"
)

// cliEnv makes this test binary run as nashbench (see serveCLI): the
// scripts of `sweep --slurm` run the binary that submitted them, which
// in tests is this one.
const cliEnv = "NASHBENCH_TEST_AS_CLI"

// serveCLI runs nashbench's command line instead of the tests when cliEnv
// is set, as main does.
func serveCLI() {
	if os.Getenv(cliEnv) == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
}

// slurmExp is a small experiment: 8 instances, 16 jobs.
var slurmExp = []string{"--n", "6,8", "--ratio", "3,5", "--count", "2", "--solvers", "enum,gophersat", "--timeout", "20s"}

// --dry-run prints the two scripts and the sbatch commands, and writes
// nothing; the flags reach the scripts. (Package slurm tests the scripts.)
func TestSlurmDryRun(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	sdir := filepath.Join(run, "slurm")
	defs := missingDefs(t, dir)
	args := append([]string{"sweep", "--slurm", "--dry-run", "--out", run, "--shards", "3", "--jobs", "2", "--mem", "1G",
		"--check-limit", "2s", "--slurm-opts", "-p long --comment='two words'", "--solvers-file", defs}, slurmExp...)
	code, out, errs := runCmd(args...)
	require.Equal(t, 0, code, errs)
	assert.NoDirExists(t, run)
	for _, want := range []string{
		"#SBATCH --array=1-3\n#SBATCH --cpus-per-task=2\n#SBATCH --mem=2560M\n",
		"#SBATCH -p long\n#SBATCH --comment=\"two words\"\n",
		"exec " + filepath.Join(sdir, "nashbench") + " sweep --resume --out " + run + ` --shard "$SLURM_ARRAY_TASK_ID/3" --jobs 2 --check-limit 2s --solvers-file ` +
			filepath.Join(sdir, "solvers.json") + "\n",
		"sbatch --parsable --array=1-3 " + filepath.Join(sdir, "sweep.sbatch") + "\n",
	} {
		assert.Contains(t, out, want)
	}
}

func TestSlurmBadFlags(t *testing.T) {
	dir := t.TempDir()
	// A run submitted (to a fake sbatch): its run.json, 8 shards, no rows.
	fakeSlurm(t)
	done := filepath.Join(dir, "done")
	code, _, errs := runCmd(append([]string{"sweep", "--slurm", "--out", done}, slurmExp...)...)
	require.Equal(t, 0, code, errs)
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"--shards", "2"}, "--shards needs --slurm"},
		{[]string{"--dry-run"}, "--dry-run needs --slurm"},
		{[]string{"--slurm-opts", "-p x"}, "--slurm-opts needs --slurm"},
		{[]string{"--slurm", "--shard", "1/2"}, "give --shards N, not --shard"},
		{[]string{"--slurm", "--shards", "0"}, "--shards 0: want 1 or more"},
		{[]string{"--slurm", "--shards", "9"}, "--shards 9: the sweep has 8 instances"},
		{[]string{"--slurm", "--slurm-opts", "--array=1-2"}, "--slurm-opts: --array=1-2: nashbench sets --array itself"},
		{[]string{"--slurm", "--slurm-opts", "partition"}, `"partition" is not an sbatch option`},
		{[]string{"--slurm", "--solvers", "nope"}, `unknown solver "nope"`},
		{[]string{"--slurm", "--out", filepath.Join(dir, "a b")}, "cannot have blanks"},
		{[]string{"--slurm", "--out", done}, "already holds a run (run.json): pass --resume"},
		{[]string{"--slurm", "--resume", "--out", done, "--shards", "2"}, "--shards 2 contradicts the run in " + done + ", which is split into 8 shards"},
		{[]string{"--slurm", "--resume", "--out", done, "--seed", "7"}, "--seed 7 contradicts the run in " + done},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			args := append(append([]string{"sweep", "--dry-run=false", "--out", filepath.Join(dir, "x")}, slurmExp...), tt.args...)
			if !strings.Contains(strings.Join(tt.args, " "), "--slurm") {
				args = append([]string{"sweep", "--out", filepath.Join(dir, "x")}, tt.args...)
			}
			code, out, errs := runCmd(args...)
			assert.Equal(t, 2, code, out)
			assert.Contains(t, errs, tt.msg)
		})
	}
	assert.NoDirExists(t, filepath.Join(dir, "x"))
}

// fakeSlurm puts an sbatch and a squeue on PATH that log their arguments
// to dir/sbatch.log and print job ids 101, 102, ... and the lines of
// dir/queue; sbatch fails while dir/fail exists.
func fakeSlurm(t *testing.T) string {
	dir := t.TempDir()
	write := func(name, body string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body), 0o755))
	}
	write("sbatch", `if [ -e "`+dir+`/fail" ]; then echo "sbatch: error: Invalid partition name specified" >&2; exit 1; fi
echo "$@" >> "`+dir+`/sbatch.log"
echo "$(( $(wc -l < "`+dir+`/sbatch.log") + 100 ));cluster"
`)
	write("squeue", `cat "`+dir+`/queue" 2>/dev/null; true`+"\n")
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return dir
}

// The submission, against a fake sbatch: what it writes and submits, and
// what a resume resubmits after shard 2's task was lost.
func TestSlurmSubmit(t *testing.T) {
	fake := fakeSlurm(t)
	run := filepath.Join(t.TempDir(), "run")
	sbatchLog := func() []string {
		b, err := os.ReadFile(filepath.Join(fake, "sbatch.log"))
		require.NoError(t, err)
		return strings.Split(strings.TrimSpace(string(b)), "\n")
	}
	args := append([]string{"sweep", "--slurm", "--out", run, "--shards", "3", "--slurm-opts", "-p debug"}, slurmExp...)
	code, out, errs := runCmd(args...)
	require.Equal(t, 0, code, errs)
	sdir := filepath.Join(run, "slurm")
	assert.Contains(t, out, "submitted array job 101 (shards 1-3 of 3) and merge job 102")
	assert.Contains(t, out, "squeue -j 101,102")
	assert.Equal(t, []string{
		"--parsable --array=1-3 " + filepath.Join(sdir, "sweep.sbatch"),
		"--parsable --dependency=afterany:101 " + filepath.Join(sdir, "merge.sbatch"),
	}, sbatchLog())
	info, err := rundir.ReadInfo(run)
	require.NoError(t, err)
	assert.Equal(t, 3, info.Shards)
	assert.Empty(t, info.Machines)
	self, err := os.Executable()
	require.NoError(t, err)
	want, err := os.Stat(self)
	require.NoError(t, err)
	got, err := os.Stat(filepath.Join(sdir, "nashbench"))
	require.NoError(t, err)
	assert.Equal(t, want.Size(), got.Size(), "this binary, copied")
	assert.Equal(t, os.FileMode(0o755), got.Mode().Perm())
	script, err := os.ReadFile(filepath.Join(sdir, "sweep.sbatch"))
	require.NoError(t, err)
	assert.Contains(t, string(script), "#SBATCH -p debug\n")
	state, err := slurm.ReadState(run)
	require.NoError(t, err)
	assert.Equal(t, []string{"-p", "debug"}, state.Options)
	assert.Equal(t, 1, state.Jobs)
	require.Len(t, state.Submissions, 1)
	assert.Equal(t, slurm.Submission{Time: state.Submissions[0].Time, Array: "101", Shards: "1-3", Merge: "102"}, state.Submissions[0])

	// The tasks of shards 1 and 3 run; shard 2's is cancelled.
	for _, shard := range []string{"1/3", "3/3"} {
		code, _, errs := runCmd("sweep", "--resume", "--out", run, "--shard", shard, "--quiet")
		require.Equal(t, 0, code, errs)
	}
	// The merge says what is missing.
	merged := filepath.Join(run, "merged")
	code, out, errs = runCmd("merge", "--out", merged, run)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "missing: 6 of 16 jobs have no row, from shard 2 of 3 (a task failed, timed out or was cancelled)")
	assert.Contains(t, errs, "MISSING: 6 of 16 jobs have no row, from shard 2 of 3")
	var sum struct {
		Missing *record.Missing `json:"missing"`
	}
	js, err := os.ReadFile(filepath.Join(merged, "summary.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(js, &sum))
	assert.Equal(t, &record.Missing{Planned: 16, Jobs: 6, Shards: []int{2}, Of: 3}, sum.Missing)

	// While a job of the run is queued, nothing is resubmitted.
	require.NoError(t, os.WriteFile(filepath.Join(fake, "queue"), []byte("99\n101_[2]\n102\n"), 0o644))
	code, _, errs = runCmd("sweep", "--resume", "--slurm", "--out", run)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "jobs 101, 102 of this run are still queued or running (squeue -j 101,102)")
	require.NoError(t, os.WriteFile(filepath.Join(fake, "queue"), []byte("99\n"), 0o644))

	// A dry run shows what a resume would submit.
	code, out, errs = runCmd("sweep", "--resume", "--slurm", "--out", run, "--dry-run")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "sbatch --parsable --array=2 ")
	assert.Len(t, sbatchLog(), 2)

	// sbatch's refusal is an error, naming what sbatch said.
	require.NoError(t, os.WriteFile(filepath.Join(fake, "fail"), nil, 0o644))
	code, _, errs = runCmd("sweep", "--resume", "--slurm", "--out", run)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "Invalid partition name specified")
	require.NoError(t, os.Remove(filepath.Join(fake, "fail")))

	// The resume resubmits shard 2 alone, with the run's options.
	code, out, errs = runCmd("sweep", "--resume", "--slurm", "--out", run)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "submitted array job 103 (shards 2 of 3) and merge job 104")
	assert.Equal(t, []string{
		"--parsable --array=2 " + filepath.Join(sdir, "sweep.sbatch"),
		"--parsable --dependency=afterany:103 " + filepath.Join(sdir, "merge.sbatch"),
	}, sbatchLog()[2:])
	script, err = os.ReadFile(filepath.Join(sdir, "sweep.sbatch"))
	require.NoError(t, err)
	assert.Contains(t, string(script), "#SBATCH -p debug\n")
	state, err = slurm.ReadState(run)
	require.NoError(t, err)
	assert.Len(t, state.Submissions, 2)

	// Once shard 2 has run, there is nothing to resubmit; a failed job is
	// resubmitted with --retry-failed.
	code, _, errs = runCmd("sweep", "--resume", "--out", run, "--shard", "2/3", "--quiet")
	require.Equal(t, 0, code, errs)
	code, out, errs = runCmd("sweep", "--resume", "--slurm", "--out", run)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "nothing to submit: the 16 jobs of the run in "+run+" all have rows")
	rowsFile := rundir.RowsFile(run, 2, 3)
	rows, err := record.ReadFile(rowsFile, false)
	require.NoError(t, err)
	rows[0].Status, rows[0].Answer = record.Timeout, "unknown"
	require.NoError(t, rundir.WriteRows(rowsFile, rows))
	code, out, errs = runCmd("sweep", "--resume", "--slurm", "--out", run)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "1 shard has jobs that failed, timed out or ran out of memory, which --retry-failed runs again")
	code, out, errs = runCmd("sweep", "--resume", "--retry-failed", "--slurm", "--out", run, "--slurm-opts", "")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "(shards 3 of 3)")
	script, err = os.ReadFile(filepath.Join(sdir, "sweep.sbatch"))
	require.NoError(t, err)
	assert.Contains(t, string(script), " --retry-failed\n")
	assert.NotContains(t, string(script), "-p debug", "--slurm-opts given again replaces the run's")

	// Without sbatch there is no submitting.
	t.Setenv("PATH", t.TempDir())
	code, _, errs = runCmd("sweep", "--resume", "--retry-failed", "--slurm", "--out", run)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "sbatch is not on PATH")
}

// A submitted run records the definitions of its external solvers, and the
// tasks load the run's copy of them; the first task records the program it
// ran, and a task that finds another program or definition is refused.
func TestSlurmExternalSolvers(t *testing.T) {
	fakeSlurm(t)
	dir := t.TempDir()
	prog := filepath.Join(dir, "prog.sh")
	script := []byte("#!/bin/sh\nexec picosat \"$@\"\n")
	require.NoError(t, os.WriteFile(prog, script, 0o755))
	defsText := func(extra string) string {
		return `{"solvers": [{"name": "test-slurm-prog", "input": "cnf", "command": ["` + prog + `", "{input}"` + extra + `], "output": "sat"}]}`
	}
	defs := writeFile(t, dir, "solvers.json", defsText(""))
	run := filepath.Join(dir, "run")
	code, _, errs := runCmd("sweep", "--slurm", "--out", run, "--shards", "2", "--n", "6", "--ratio", "3", "--count", "2",
		"--solvers", "enum,test-slurm-prog", "--timeout", "20s", "--solvers-file", defs)
	require.Equal(t, 0, code, errs)
	info, err := rundir.ReadInfo(run)
	require.NoError(t, err)
	require.Len(t, info.ExternalSolvers, 1)
	b := info.ExternalSolvers[0]
	assert.Equal(t, []string{prog, "{input}"}, b.Definition.Command)
	assert.Equal(t, defs, b.Source)
	assert.False(t, b.ProgramRecorded(), "the submitting machine's programs are not the tasks'")
	bin, err := os.ReadFile(filepath.Join(run, "slurm", "nashbench"))
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprintf("%x", sha256.Sum256(bin)), info.Versions.BinarySHA256, "the binary the tasks run")
	snapshot := filepath.Join(run, "slurm", "solvers.json")
	got, err := os.ReadFile(snapshot)
	require.NoError(t, err)
	assert.Equal(t, defsText(""), string(got))

	// The user edits the file after submitting; the tasks use the copy.
	writeFile(t, dir, "solvers.json", defsText(`, "--flag"`))
	code, _, errs = runCmd("sweep", "--resume", "--out", run, "--shard", "1/2", "--solvers-file", snapshot, "--quiet")
	require.Equal(t, 0, code, errs)
	info, err = rundir.ReadInfo(run)
	require.NoError(t, err)
	require.Len(t, info.ExternalSolvers, 1)
	b = info.ExternalSolvers[0]
	assert.Equal(t, prog, b.Path)
	assert.Equal(t, fmt.Sprintf("%x", sha256.Sum256(script)), b.SHA256, "recorded by the first task")
	require.Len(t, info.Machines, 1)
	assert.Nil(t, info.Machines[0].Versions, "the task ran the submitted binary")

	// A task that would load the edited file is refused.
	code, _, errs = runCmd("sweep", "--resume", "--out", run, "--shard", "2/2", "--solvers-file", defs, "--quiet")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "external solver test-slurm-prog: definition field command")
	// So is a task on a node with another program.
	require.NoError(t, os.WriteFile(prog, append(script, "# other\n"...), 0o755))
	code, _, errs = runCmd("sweep", "--resume", "--out", run, "--shard", "2/2", "--solvers-file", snapshot, "--quiet")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "external solver test-slurm-prog: program sha256 "+b.SHA256+" in the run's run.json, ")
}
