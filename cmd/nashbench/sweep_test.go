package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/rundir"
)

func TestSweepCommands(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	code, out, errs := runCmd("sweep", "--n", "5,6", "--ratio", "3,6", "--count", "2", "--solvers", "enum,gophersat", "--out", run, "--quiet")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "satisfiable")
	rows, err := rundir.Read(run)
	require.NoError(t, err)
	assert.Len(t, rows, 2*2*2*2)
	summary, err := os.ReadFile(filepath.Join(run, "summary.txt"))
	require.NoError(t, err)
	assert.Equal(t, out, string(summary))
	assert.FileExists(t, filepath.Join(run, "time-vs-n.svg"))
	// summary.json holds the same statistics; rows.csv one line per row.
	var sum struct {
		Cells []struct {
			Solver string `json:"solver"`
			Jobs   int    `json:"jobs"`
		} `json:"cells"`
		Phase []struct {
			N        int      `json:"n"`
			Ratio    float64  `json:"ratio"`
			Fraction *float64 `json:"fraction"`
			Low      float64  `json:"low"`
			High     float64  `json:"high"`
		} `json:"phase"`
		Crossover []json.RawMessage `json:"crossover"`
		Growth    []json.RawMessage `json:"growth"`
	}
	js, err := os.ReadFile(filepath.Join(run, "summary.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(js, &sum), string(js))
	assert.Len(t, sum.Cells, 4)
	require.Len(t, sum.Phase, 4)
	for _, p := range sum.Phase {
		require.NotNil(t, p.Fraction)
		assert.True(t, p.Low <= *p.Fraction && *p.Fraction <= p.High, "%+v", p)
	}
	assert.NotNil(t, sum.Crossover, "an empty list, not null")
	csvFile, err := os.Open(filepath.Join(run, "rows.csv"))
	require.NoError(t, err)
	defer csvFile.Close()
	recs, err := csv.NewReader(csvFile).ReadAll()
	require.NoError(t, err)
	assert.Len(t, recs, 1+len(rows))
	assert.Equal(t, []string{"instance", "kind", "solver"}, recs[0][:3])

	// Shards of the same sweep, merged, answer the same.
	for _, shard := range []string{"1/2", "2/2"} {
		code, _, errs = runCmd("sweep", "--n", "5,6", "--ratio", "3,6", "--count", "2", "--solvers", "enum,gophersat", "--out", filepath.Join(dir, "sharded"), "--shard", shard, "--quiet")
		require.Equal(t, 0, code, errs)
	}
	merged := filepath.Join(dir, "merged")
	code, _, errs = runCmd("merge", "--out", merged, filepath.Join(dir, "sharded"))
	require.Equal(t, 0, code, errs)
	mrows, err := rundir.Read(merged)
	require.NoError(t, err)
	answers := func(rs []record.Row) map[string]string {
		m := map[string]string{}
		for _, r := range rs {
			m[r.Instance+" "+r.Solver] = string(r.Answer)
		}
		return m
	}
	assert.Equal(t, answers(rows), answers(mrows))
	// The shards shared one run.json; the merge has one of its own.
	sinfo, err := rundir.ReadInfo(filepath.Join(dir, "sharded"))
	require.NoError(t, err)
	assert.Equal(t, 2, sinfo.Shards)
	minfo, err := rundir.ReadInfo(merged)
	require.NoError(t, err)
	assert.Equal(t, sinfo.Experiment, minfo.Experiment)
	assert.Equal(t, 1, minfo.Shards)
	assert.Len(t, minfo.Machines, 2)

	code, out, errs = runCmd("plot", run)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, 12, strings.Count(out, "\n"), "four plots as SVG, PDF and PNG")
}

// plot's failures are bad input (a run without a decided row) or output
// that cannot be written: exit 2, as for every command, not 1, which says
// that an answer failed verification.
func TestPlotFailuresExit2(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	code, _, errs := runCmd("sweep", "--n", "5,6", "--ratio", "3", "--count", "1", "--solvers", "enum", "--out", run, "--quiet")
	require.Equal(t, 0, code, errs)
	// A directory where a plot goes: it cannot be written.
	require.NoError(t, os.RemoveAll(filepath.Join(run, "cactus.svg")))
	require.NoError(t, os.Mkdir(filepath.Join(run, "cactus.svg"), 0o755))
	code, _, errs = runCmd("plot", run)
	assert.Equal(t, 2, code, errs)
	assert.Contains(t, errs, "plot: ")
	assert.Contains(t, errs, "cactus.svg")

	// Every job timed out: nothing is decided.
	timedOut := filepath.Join(dir, "timed-out")
	code, _, errs = runCmd("sweep", "--n", "12", "--ratio", "4", "--count", "1", "--solvers", "enum", "--timeout", "1ns", "--out", timedOut, "--quiet")
	require.Equal(t, 0, code, errs)
	code, _, errs = runCmd("plot", timedOut)
	assert.Equal(t, 2, code, errs)
	assert.Contains(t, errs, "plot: no decided rows to plot")
}

func TestSweepBadFlags(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"--n", "5,x"}, `--n: "x" is not a number`},
		{[]string{"--ratio", ""}, "--ratio: empty list"},
		{[]string{"--shard", "3/2"}, `--shard "3/2"`},
		{[]string{"--solvers", "enum,nope"}, `unknown solver "nope"`},
		{[]string{"--count", "0"}, "count 0"},
		{[]string{"--n", "2"}, "n=2"},
		{[]string{"--resume"}, "--resume needs the --out"},
		{[]string{"--corpus", filepath.Join(dir, "none")}, "no such file"},
		{[]string{"stray"}, `unexpected argument "stray"`},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			args := append([]string{"sweep", "--quiet", "--out", filepath.Join(dir, "x")}, tt.args...)
			if tt.msg == "--resume needs the --out" {
				args = []string{"sweep", "--resume"}
			}
			code, _, errs := runCmd(args...)
			assert.Equal(t, 2, code)
			assert.Contains(t, errs, tt.msg)
		})
	}
}

func TestCompareCommand(t *testing.T) {
	dir := t.TempDir()
	var old, slow strings.Builder
	old.WriteString("pkg: p\n")
	slow.WriteString("pkg: p\n")
	for i := range 8 {
		old.WriteString("BenchmarkSolve/enum/n=8-2 100 " + []string{"1000", "1010", "990", "1005"}[i%4] + " ns/op\n")
		slow.WriteString("BenchmarkSolve/enum/n=8-2 100 " + []string{"1500", "1510", "1490", "1505"}[i%4] + " ns/op\n")
	}
	a := writeFile(t, dir, "old.txt", old.String())
	b := writeFile(t, dir, "new.txt", slow.String())
	code, out, errs := runCmd("compare", a, a)
	assert.Equal(t, 0, code, errs)
	assert.Contains(t, out, "BenchmarkSolve/enum/n=8 ")
	assert.NotContains(t, out, "configurations differ")
	// A run on a machine with 8 cores compares, and says so.
	c := writeFile(t, dir, "eight.txt", strings.ReplaceAll(old.String(), "-2 ", "-8 "))
	code, out, errs = runCmd("compare", a, c)
	assert.Equal(t, 0, code, errs)
	assert.Contains(t, out, "gomaxprocs: 2 -> 8")
	code, out, errs = runCmd("compare", a, b)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "REGRESSION")
	assert.Contains(t, errs, "1 benchmark regressed in ns/op")
	code, _, _ = runCmd("compare", "--threshold", "0.6", a, b)
	assert.Equal(t, 0, code, "a 50% slowdown is within a 60% threshold")
	code, _, errs = runCmd("compare", a, filepath.Join(dir, "missing.txt"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "missing.txt")
}

// --resume continues the experiment in run.json, not the default one, and
// refuses flags that contradict it.
func TestSweepResumeRunJSON(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	exp := []string{"--n", "5,6", "--ratio", "3,6", "--count", "1", "--solvers", "enum,gophersat", "--timeout", "20s"}
	code, _, errs := runCmd(append([]string{"sweep", "--out", run, "--quiet"}, exp...)...)
	require.Equal(t, 0, code, errs)
	info, err := rundir.ReadInfo(run)
	require.NoError(t, err)
	rowsPath := filepath.Join(run, "rows.jsonl")
	rows, err := record.ReadFile(rowsPath, false)
	require.NoError(t, err)
	require.Len(t, rows, 8)
	require.NoError(t, rundir.WriteRows(rowsPath, rows[:3]))

	code, _, errs = runCmd("sweep", "--resume", "--out", run, "--quiet")
	require.Equal(t, 0, code, errs)
	after, err := rundir.Read(run)
	require.NoError(t, err)
	require.Len(t, after, 8, "the missing jobs of the recorded experiment, no more")
	for _, r := range after {
		assert.Contains(t, []int{5, 6}, r.N)
		assert.Equal(t, 1, r.Attempt)
	}
	again, err := rundir.ReadInfo(run)
	require.NoError(t, err)
	assert.Equal(t, info.Experiment, again.Experiment)

	tests := []struct {
		args []string
		msg  []string
	}{
		{[]string{"--n", "6"}, []string{"--n 6 contradicts the run in " + run, "sizes 5,6"}},
		{[]string{"--ratio", "3"}, []string{"--ratio 3 contradicts", "ratios 3,6"}},
		{[]string{"--solvers", "enum"}, []string{"--solvers enum contradicts", "solvers enum,gophersat"}},
		{[]string{"--timeout", "1m"}, []string{"--timeout 1m0s contradicts", "timeout_seconds 20s"}},
		{[]string{"--seed", "2"}, []string{"--seed 2 contradicts", "seed 1"}},
		{[]string{"--planted"}, []string{"--planted true contradicts", "planted false"}},
		{[]string{"--reduction", "literal"}, []string{"--reduction literal contradicts", "reduction corrected"}},
		{[]string{"--corpus", dir}, []string{"--corpus " + dir + " contradicts", "corpus (none)"}},
		{[]string{"--shard", "1/2"}, []string{"--shard 1/2 contradicts", "which is split into 1 shard\n"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, errs := runCmd(append([]string{"sweep", "--resume", "--out", run, "--quiet"}, tt.args...)...)
			assert.Equal(t, 2, code)
			for _, m := range tt.msg {
				assert.Contains(t, errs, m)
			}
		})
	}
	// Flags that agree with the run are fine, in any order of sizes, ratios
	// and solvers; the run keeps its own order.
	code, _, errs = runCmd("sweep", "--resume", "--out", run, "--quiet", "--n", "6,5", "--ratio", "6,3", "--solvers", "gophersat,enum", "--timeout", "20s")
	assert.Equal(t, 0, code, errs)
	again, err = rundir.ReadInfo(run)
	require.NoError(t, err)
	assert.Equal(t, info.Experiment, again.Experiment)
	// Without --resume the directory is refused.
	code, _, errs = runCmd(append([]string{"sweep", "--out", run, "--quiet"}, exp...)...)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "pass --resume")

	// A directory of an older nashbench (no run.json) is continued only
	// with every flag of its experiment.
	require.NoError(t, os.Remove(filepath.Join(run, rundir.InfoFile)))
	code, _, errs = runCmd("sweep", "--resume", "--out", run, "--quiet", "--n", "5")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "has rows but no run.json")
	assert.Contains(t, errs, "missing: --ratio --count --k --seed --planted --solvers --timeout --reduction")
	code, _, errs = runCmd(append([]string{"sweep", "--resume", "--out", run, "--quiet", "--k", "3", "--seed", "1", "--planted=false", "--reduction", "corrected"}, exp...)...)
	require.Equal(t, 0, code, errs)
	again, err = rundir.ReadInfo(run)
	require.NoError(t, err)
	assert.Equal(t, info.Experiment, again.Experiment)
}

// --retry-failed reruns the failed jobs and keeps their earlier rows.
func TestSweepRetryFailed(t *testing.T) {
	run := filepath.Join(t.TempDir(), "run")
	code, _, errs := runCmd("sweep", "--n", "5,6", "--ratio", "3", "--count", "1", "--solvers", "enum,gophersat", "--out", run, "--quiet")
	require.Equal(t, 0, code, errs)
	code, _, errs = runCmd("sweep", "--retry-failed", "--out", run, "--quiet")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--retry-failed needs --resume")

	rowsPath := filepath.Join(run, "rows.jsonl")
	rows, err := record.ReadFile(rowsPath, false)
	require.NoError(t, err)
	require.Len(t, rows, 4)
	rows[0].Status, rows[0].Answer, rows[0].Error, rows[0].Verified, rows[0].Witness = record.Error, "unknown", "worker crashed", nil, nil
	require.NoError(t, rundir.WriteRows(rowsPath, rows))
	// The failed row fails the sweep (a solver failed: 3) until it is retried.
	code, _, errs = runCmd("sweep", "--resume", "--out", run, "--quiet")
	assert.Equal(t, 3, code)
	assert.Contains(t, errs, "worker crashed")

	code, _, errs = runCmd("sweep", "--resume", "--retry-failed", "--out", run, "--quiet")
	require.Equal(t, 0, code, errs)
	after, err := rundir.Read(run)
	require.NoError(t, err)
	require.Len(t, after, 4)
	hist, err := rundir.ReadHistory(run)
	require.NoError(t, err)
	require.Len(t, hist, 1)
	assert.Equal(t, "worker crashed", hist[0].Error)
	for _, r := range after {
		if r.Key() == hist[0].Key() {
			assert.Equal(t, 2, r.Attempt)
			assert.Empty(t, r.Error)
		}
	}

	// merge carries the history along.
	merged := filepath.Join(t.TempDir(), "merged")
	code, _, errs = runCmd("merge", "--out", merged, run)
	require.Equal(t, 0, code, errs)
	mhist, err := rundir.ReadHistory(merged)
	require.NoError(t, err)
	assert.Len(t, mhist, 1)
	mrows, err := rundir.Read(merged)
	require.NoError(t, err)
	assert.Len(t, mrows, 4)
}

// merge refuses runs of different experiments, naming the parameter.
func TestMergeDifferentExperiments(t *testing.T) {
	dir := t.TempDir()
	var runs []string
	for _, seed := range []string{"1", "2"} {
		run := filepath.Join(dir, "seed"+seed)
		code, _, errs := runCmd("sweep", "--n", "5,6", "--ratio", "3", "--count", "1", "--solvers", "enum", "--seed", seed, "--out", run, "--quiet")
		require.Equal(t, 0, code, errs)
		runs = append(runs, run)
	}
	out := filepath.Join(dir, "merged")
	code, _, errs := runCmd("merge", "--out", out, runs[0], runs[1])
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "are different experiments: seed 1 in the first, 2 in the second")
	assert.NoDirExists(t, out)

	// A run without run.json (an older nashbench's) does not mix with one
	// that has it.
	require.NoError(t, os.Remove(filepath.Join(runs[1], rundir.InfoFile)))
	code, _, errs = runCmd("merge", "--out", out, runs[0], runs[1])
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "has no run.json")
}

// TestMergeKeepsOutRows: merge never drops rows that --out holds, and
// never writes into one of its inputs, but a merge rerun into its own
// earlier output (the Slurm merge job after a resume) goes through.
func TestMergeKeepsOutRows(t *testing.T) {
	dir := t.TempDir()
	sweep := func(out string, more ...string) {
		args := append([]string{"sweep", "--n", "5", "--ratio", "3", "--count", "2", "--solvers", "enum", "--out", out, "--quiet"}, more...)
		code, _, errs := runCmd(args...)
		require.Equal(t, 0, code, errs)
	}
	full := filepath.Join(dir, "full")
	sweep(full)
	shards := filepath.Join(dir, "shards")
	sweep(shards, "--shard", "1/2")
	fullRows, err := os.ReadFile(filepath.Join(full, "rows.jsonl"))
	require.NoError(t, err)
	require.NoError(t, os.Symlink(shards, filepath.Join(dir, "link")))

	for _, tc := range []struct {
		name, out, want string
	}{
		{"a complete run's rows", full, "holds 1 row that the inputs lack"},
		{"an input", shards, "is the directory of input"},
		{"an input through a symlink", filepath.Join(dir, "link"), "is the directory of input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := runCmd("merge", "--out", tc.out, shards)
			assert.Equal(t, 2, code, errs)
			assert.Contains(t, errs, tc.want)
		})
	}
	got, err := os.ReadFile(filepath.Join(full, "rows.jsonl"))
	require.NoError(t, err)
	assert.Equal(t, fullRows, got, "the refused merge left --out's rows alone")
	assert.NoFileExists(t, filepath.Join(shards, "rows.jsonl"))

	// A shard's directory that is not an input is refused too: its rows
	// files would stay beside the merge's.
	other := filepath.Join(dir, "other")
	sweep(other, "--shard", "2/2")
	code, _, errs := runCmd("merge", "--out", other, shards)
	assert.Equal(t, 2, code, errs)
	assert.Contains(t, errs, "holds a shard's rows (rows-2-of-2.jsonl)")

	// Merging again into the earlier merge, after the other shard ran.
	merged := filepath.Join(dir, "merged")
	code, _, errs = runCmd("merge", "--out", merged, shards)
	require.Equal(t, 0, code, errs)
	sweep(shards, "--shard", "2/2")
	code, _, errs = runCmd("merge", "--out", merged, shards)
	require.Equal(t, 0, code, errs)
	rows, err := record.ReadFile(filepath.Join(merged, "rows.jsonl"), false)
	require.NoError(t, err)
	assert.Len(t, rows, 2, "both shards' jobs")
}

// A bad --mem or --jobs is named with its value (bench.ParseMemory's
// tests have the sizes).
func TestSweepBadMemAndJobs(t *testing.T) {
	code, _, errs := runCmd("sweep", "--n", "5", "--mem", "lots", "--out", t.TempDir())
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, `--mem: "lots"`)
	code, _, errs = runCmd("sweep", "--n", "5", "--jobs", "-1", "--out", t.TempDir())
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--jobs -1")
}

// An output that cannot be written (a summary) is an output failure:
// exit 2, with the rows safe.
func TestSweepOutputFailureExits2(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	require.NoError(t, os.MkdirAll(filepath.Join(out, "summary.txt"), 0o755))
	code, _, errs := runCmd("sweep", "--n", "5", "--ratio", "3", "--count", "1", "--solvers", "enum", "--out", out, "--quiet")
	assert.Equal(t, 2, code, errs)
	assert.Contains(t, errs, "summary.txt")
	rows, err := rundir.Read(out)
	require.NoError(t, err)
	assert.Len(t, rows, 1)
}
