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
