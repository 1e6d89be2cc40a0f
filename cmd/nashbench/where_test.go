package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A sweep says what it runs before the first job, and its last line names
// what it wrote; it leaves no lock file.
func TestSweepSaysWhereItIs(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	code, _, errs := runCmd("sweep", "--n", "5,6", "--ratio", "3,4.26", "--count", "2", "--solvers", "enum", "--out", out)
	require.Equal(t, 0, code, errs)
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	assert.Equal(t, "sweep: n = 5, 6; ratios 3, 4.26; 2 instances per point; solvers enum; 8 jobs; timeout 30s per job", lines[0])
	assert.Equal(t, "sweep: writing to "+out, lines[1])
	last := lines[len(lines)-1]
	assert.Contains(t, last, "wrote summary.txt, summary.json, rows.csv")
	assert.Contains(t, last, "time-vs-n")
	assert.True(t, strings.HasSuffix(last, " in "+out), last)
	assert.Contains(t, errs, "sweep: 8/8 jobs done, 0 left, ")
	locks, err := filepath.Glob(filepath.Join(out, "*.lock"))
	require.NoError(t, err)
	assert.Empty(t, locks)
}

// A decimal comma splits a ratio in two: a ratio above 20 is refused
// unless --force, and nothing is written.
func TestSweepRefusesRatioAbove20(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	code, _, errs := runCmd("sweep", "--n", "5", "--ratio", "4,26", "--count", "1", "--solvers", "enum", "--out", out, "--quiet")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--ratio 4,26: the ratio 26 is above 20")
	assert.Contains(t, errs, "write 4.26")
	assert.NoDirExists(t, out)
	code, _, errs = runCmd("sweep", "--n", "5", "--ratio", "4,26", "--count", "1", "--solvers", "enum", "--out", out, "--quiet", "--force")
	assert.Equal(t, 0, code, errs)
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, errs := runCmd(args...)
		require.Equal(t, 0, code, errs)
		for _, want := range []string{"nashbench ", "go         go1.", "highs      ", "gophersat  v"} {
			assert.Contains(t, out, want)
		}
	}
}

// The paper's MIP warns once that it is expected to be slow.
func TestPaperFormulationWarns(t *testing.T) {
	dir := t.TempDir()
	f := writeFile(t, dir, "f.cnf", "p cnf 2 1\n1 2 0\n")
	code, _, errs := runCmd("solve", "--solver", "highs-paper", f)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, 1, strings.Count(errs, "expected to take minutes from n = 10"), errs)
	code, _, errs = runCmd("solve", "--solver", "highs-compact", f)
	require.Equal(t, 0, code, errs)
	assert.NotContains(t, errs, "expected to take minutes")
	_ = os.Remove(f)
}

// diff matches two runs of one experiment by content: no regression
// between equal runs; a run whose time limit forces timeouts has them.
func TestDiffRuns(t *testing.T) {
	dir := t.TempDir()
	sweep := func(name, timeout string) string {
		out := filepath.Join(dir, name)
		code, _, errs := runCmd("sweep", "--n", "14", "--ratio", "4.26", "--count", "2", "--solvers", "enum", "--timeout", timeout, "--out", out, "--quiet", "--check-limit", "0")
		require.Contains(t, []int{0}, code, errs)
		return out
	}
	a, b := sweep("a", "30s"), sweep("b", "30s")
	code, out, errs := runCmd("diff", a, b)
	assert.Equal(t, 0, code, errs)
	assert.Contains(t, out, "2 jobs matched")
	assert.Contains(t, out, "no status or answer changed")

	c := sweep("c", "1ns")
	code, out, errs = runCmd("diff", a, c)
	assert.Equal(t, 1, code, out)
	assert.Contains(t, out, "REGRESSION enum")
	assert.Contains(t, errs, "2 status regressions")
	code, out, _ = runCmd("diff", c, a)
	assert.Equal(t, 0, code, "timeout -> solved is no regression: %s", out)
	code, _, errs = runCmd("diff", "--skip-timed-out", c, a)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "no job in common", "every job of c timed out and is left out")
}
