package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/bench"
)

func TestSweepCommands(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	code, out, errs := runCmd("sweep", "--n", "5,6", "--ratio", "3,6", "--count", "2", "--solvers", "enum,gophersat", "--out", run, "--quiet")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "satisfiable")
	rows, err := bench.ReadRun(run)
	require.NoError(t, err)
	assert.Len(t, rows, 2*2*2*2)
	summary, err := os.ReadFile(filepath.Join(run, "summary.txt"))
	require.NoError(t, err)
	assert.Equal(t, out, string(summary))
	assert.FileExists(t, filepath.Join(run, "time-vs-n.svg"))

	// Shards of the same sweep, merged, answer the same.
	for _, shard := range []string{"1/2", "2/2"} {
		code, _, errs = runCmd("sweep", "--n", "5,6", "--ratio", "3,6", "--count", "2", "--solvers", "enum,gophersat", "--out", filepath.Join(dir, "sharded"), "--shard", shard, "--quiet")
		require.Equal(t, 0, code, errs)
	}
	merged := filepath.Join(dir, "merged")
	code, _, errs = runCmd("merge", "--out", merged, filepath.Join(dir, "sharded"))
	require.Equal(t, 0, code, errs)
	mrows, err := bench.ReadRun(merged)
	require.NoError(t, err)
	answers := func(rs []bench.Row) map[string]string {
		m := map[string]string{}
		for _, r := range rs {
			m[r.Instance+" "+r.Solver] = r.Answer
		}
		return m
	}
	assert.Equal(t, answers(rows), answers(mrows))

	code, out, errs = runCmd("plot", run)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, 4, strings.Count(out, "\n"))
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
	assert.Contains(t, errs, "1 benchmarks regressed in ns/op")
	code, _, _ = runCmd("compare", "--threshold", "0.6", a, b)
	assert.Equal(t, 0, code, "a 50% slowdown is within a 60% threshold")
	code, _, errs = runCmd("compare", a, filepath.Join(dir, "missing.txt"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "missing.txt")
}
