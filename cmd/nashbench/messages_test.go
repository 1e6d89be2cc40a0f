package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Counts of one are singular in the comments of every export formulation.
func TestExportNotesPlurals(t *testing.T) {
	dir := t.TempDir()
	one := writeFile(t, dir, "one.cnf", "p cnf 1 1\n1 0\n")
	for _, f := range []string{"pb", "cnf", "compact", "paper", "paper-printed"} {
		code, out, errs := runCmd("export", "--formulation", f, one)
		require.Equal(t, 0, code, errs)
		assert.Contains(t, out, "a formula with 1 variable and 1 clause: player 1 is its variable\n", f)
		assert.NotContains(t, out, "(1 columns", f)
	}
	two := writeFile(t, dir, "two.cnf", "p cnf 2 2\n1 0\n2 0\n")
	code, out, errs := runCmd("export", "--formulation", "pb", two)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "a formula with 2 variables and 2 clauses: players 1..2 are its variables\n")
}

// The sweep's Slurm script says "1 shard" and "1 job" in the singular.
func TestSlurmScriptPlurals(t *testing.T) {
	run := filepath.Join(t.TempDir(), "run")
	code, out, errs := runCmd("sweep", "--slurm", "--dry-run", "--out", run, "--shards", "1", "--n", "4", "--ratio", "1", "--count", "1", "--solvers", "enum", "--timeout", "5s")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "in 1 shard: array task i runs shard i/1.")
	assert.Contains(t, out, "# A task runs up to 1 job, 1 at a time,")
}

// Two ratios that give one clause each say "1 clause".
func TestSweepDuplicatePointsPlural(t *testing.T) {
	code, _, errs := runCmd("sweep", "--n", "4", "--ratio", "0.25,0.3", "--count", "1", "--solvers", "enum", "--out", filepath.Join(t.TempDir(), "run"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "both give 1 clause: give distinct points")
	assert.False(t, strings.Contains(errs, "1 clauses"), errs)
}

// A bad flag value is named with its flag and value.
func TestFlagValueErrors(t *testing.T) {
	dir := t.TempDir()
	one := writeFile(t, dir, "one.cnf", "p cnf 1 1\n1 0\n")
	bench := writeFile(t, dir, "old.txt", "BenchmarkX 1 100 ns/op\n")
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"solve", "--timeout", "-5s", one}, `invalid value "-5s" for flag -timeout: must not be negative (0: none)`},
		{[]string{"solve", "--check-limit", "-1s", one}, `invalid value "-1s" for flag -check-limit: must not be negative`},
		{[]string{"solve", "--workers", "0", one}, "solve: --workers 0: want at least 1"},
		{[]string{"solve", "--list", "-1", one}, "solve: --list -1: must not be negative"},
		{[]string{"solve", "--max-players", "64", one}, "solve: --max-players 64: want 0 (the solver's default) to 63"},
		{[]string{"solve", "--max-players", "-1", one}, "solve: --max-players -1:"},
		{[]string{"solve", "--timeout", "5", one}, `invalid value "5" for flag -timeout: a duration needs a unit, such as 5s`},
		{[]string{"solve", "--check-limit", "x", one}, `invalid value "x" for flag -check-limit: not a duration`},
		{[]string{"sweep", "--timeout", "-1s", "--out", filepath.Join(dir, "run")}, `invalid value "-1s" for flag -timeout: must not be negative`},
		{[]string{"sweep", "--check-limit", "-1s", "--out", filepath.Join(dir, "run")}, `invalid value "-1s" for flag -check-limit: must not be negative`},
		{[]string{"sweep", "--timeout", "5", "--out", filepath.Join(dir, "run")}, "a duration needs a unit, such as 5s"},
		{[]string{"analyze", "--timeout", "-1s", one}, `invalid value "-1s" for flag -timeout: must not be negative`},
		{[]string{"analyze", "--list", "0", one}, "analyze: --list 0: want at least 1"},
		{[]string{"compare", "--threshold", "-1", bench, bench}, "compare: --threshold -1: want 0 or more"},
		{[]string{"compare", "--alpha", "1", bench, bench}, "compare: --alpha 1: want a level between 0 and 1"},
		{[]string{"compare", "--metric", "foo/op", bench, bench}, `no benchmark is in both runs with unit "foo/op"`},
	} {
		t.Run(strings.Join(tt.args[:3], " "), func(t *testing.T) {
			code, _, errs := runCmd(tt.args...)
			assert.Equal(t, 2, code, errs)
			assert.Contains(t, errs, tt.msg)
		})
	}
	assert.NoDirExists(t, filepath.Join(dir, "run"))
	// 63 is accepted.
	code, _, errs := runCmd("solve", "--max-players", "63", one)
	assert.Equal(t, 0, code, errs)
}

// An output file that cannot be written is named as the user gave it, not
// as the temporary file beside it, and exits 2 (bad argument), not 1 (a
// failed verification for solve).
func TestUnwritableOutput(t *testing.T) {
	dir := t.TempDir()
	one := writeFile(t, dir, "one.cnf", "p cnf 1 1\n1 0\n")
	missing := filepath.Join(dir, "nonexistent")
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"reduce", one, "-o", filepath.Join(missing, "x.json")}, "reduce: -o: write " + filepath.Join(missing, "x.json") + ": no such file or directory"},
		{[]string{"export", "--formulation", "pb", one, "-o", filepath.Join(missing, "f.opb")}, "export: -o: write " + filepath.Join(missing, "f.opb") + ": no such file or directory"},
		{[]string{"gen", "--n", "3", "--out", filepath.Join(one, "x")}, "gen: --out " + filepath.Join(one, "x") + ": cannot create the directory: not a directory"},
	} {
		t.Run(tt.args[0], func(t *testing.T) {
			code, out, errs := runCmd(tt.args...)
			assert.Equal(t, 2, code, errs)
			assert.Empty(t, out)
			assert.Contains(t, errs, tt.msg)
			assert.NotContains(t, errs, ".tmp")
		})
	}
}

// A --mem that contradicts the run is shown in binary units and bytes, and
// the run's 0 as no limit.
func TestSweepResumeMemMessage(t *testing.T) {
	run := filepath.Join(t.TempDir(), "run")
	code, _, errs := runCmd("sweep", "--out", run, "--quiet", "--n", "4", "--count", "1", "--solvers", "enum", "--timeout", "20s")
	require.Equal(t, 0, code, errs)
	code, _, errs = runCmd("sweep", "--resume", "--out", run, "--quiet", "--mem", "1G")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--mem 1G (1073741824 bytes) contradicts the run in "+run+": its run.json has memory_bytes 0 (no memory limit)")
	code, _, errs = runCmd("sweep", "--resume", "--out", run, "--quiet", "--timeout", "0")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--timeout 0s (no time limit) contradicts")
}

// "writing to DIR" comes once the run is under way: never before a refusal.
func TestSweepWritingToAfterChecks(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	code, _, errs := runCmd("sweep", "--out", run, "--n", "4", "--count", "1", "--solvers", "enum")
	require.Equal(t, 0, code, errs)
	// The experiment as parsed, then where it goes.
	assert.True(t, strings.HasPrefix(errs, "sweep: n = 4; ratios 2, 3, 4, 4.26, 5, 6, 8, 10; 1 instance per point; solvers enum; 8 jobs; timeout 30s per job\nsweep: writing to "+run+"\n"), errs)
	assert.Equal(t, 1, strings.Count(errs, "writing to"))
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--out", run, "--n", "4", "--count", "1", "--solvers", "enum"}, "already has rows"},
		{[]string{"--out", filepath.Join(dir, "b"), "--n", "4", "--count", "0", "--solvers", "enum"}, "count 0"},
		{[]string{"--out", filepath.Join(dir, "c"), "--n", "4", "--count", "1", "--solvers", "nope"}, `unknown solver "nope"`},
	} {
		code, _, errs := runCmd(append([]string{"sweep"}, tt.args...)...)
		assert.Equal(t, 2, code, errs)
		assert.Contains(t, errs, tt.msg)
		assert.NotContains(t, errs, "writing to")
		assert.NotContains(t, errs, "sweep: n = ")
	}
	// A resumed run with nothing left to do still says where it writes.
	code, _, errs = runCmd("sweep", "--resume", "--out", run)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, errs, "\nsweep: writing to "+run+"\n")
}
