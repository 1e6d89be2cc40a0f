package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// copyHistory copies the committed history into a temporary directory.
func copyHistory(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files, err := filepath.Glob("../../results/history/*.txt")
	require.NoError(t, err)
	require.NotEmpty(t, files, "the committed history is empty")
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o666))
	}
	return dir
}

// The gate fails on a planted counter regression, naming benchmark,
// metric and both values: the tracking suite linked with
// internal/prune.plant set (plant.go) loses a pruning rule, and
// highs-compact's models grow. Accepting the change with a reason lets the
// same tree pass.
//
// With -short the regression is planted in the entry instead: the planted
// build's highs-compact takes about 80 s on its bigger models (23 s at
// n = 16 alone), the plain suite about a second. track, regress and
// --accept run all the same.
func TestGateFailsOnPlantedRegression(t *testing.T) {
	hist := copyHistory(t)
	if !testing.Short() {
		t.Setenv("GOFLAGS", "-ldflags=-X=github.com/nashbench/nashbench/internal/prune.plant=no-constant")
		// The planted MIPs of the game benchmarks would add minutes:
		// the regression looked for is BenchmarkSolve's.
		t.Setenv("NASHBENCH_BENCH_GAME_SOLVERS", "enum")
	}
	code, out, errs := runCmd("track", "--quick", "--history", hist, "--machine", "planted")
	require.Equal(t, 0, code, "%s\n%s", out, errs)
	assert.Contains(t, out, "quick suite track/2")
	if testing.Short() {
		plantInEntry(t, strings.TrimSpace(strings.SplitN(out, ": ", 2)[0]))
	}

	code, out, errs = runCmd("regress", "--gate-times=false", hist)
	require.Equal(t, 1, code, "%s\n%s", out, errs)
	m := regexp.MustCompile(`REGRESSION BenchmarkSolve/highs-compact/n=8 columns/op: 32 -> ([0-9]+) `).FindStringSubmatch(out)
	require.NotNil(t, m, out)
	cols, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	assert.Greater(t, cols, 32)
	assert.Contains(t, errs, "regress: ")
	assert.Contains(t, errs, "accept a deliberate change with --accept")

	code, out, errs = runCmd("regress", "--accept", "planted: no constant candidates", hist)
	require.Equal(t, 0, code, "%s\n%s", out, errs)
	assert.Contains(t, out, "planted: no constant candidates")
	code, out, errs = runCmd("regress", "--gate-times=false", hist)
	require.Equal(t, 0, code, "%s\n%s", out, errs)
	assert.Contains(t, out, "accepted: BenchmarkSolve/highs-compact/n=8 columns/op: planted: no constant candidates")
}

// plantInEntry grows highs-compact's columns at n = 8 in the history entry
// file by a quarter, as the planted build does (32 to 40 and more).
func plantInEntry(t *testing.T, file string) {
	t.Helper()
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	lines := strings.Split(string(b), "\n")
	planted := 0
	for i, l := range lines {
		if strings.HasPrefix(l, "BenchmarkSolve/highs-compact/n=8-") && strings.Contains(l, " 32.00 columns/op") {
			lines[i] = strings.Replace(l, " 32.00 columns/op", " 40.00 columns/op", 1)
			planted++
		}
	}
	require.Positive(t, planted, "no line of highs-compact at n = 8 with 32 columns in %s:\n%s", file, b)
	require.NoError(t, os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o666))
}

func TestTrackRegressBisectBadInput(t *testing.T) {
	empty := t.TempDir()
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"track", "--commits", "no-such-commit..HEAD"}, 2, "no-such-commit"},
		{[]string{"track", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"track", "--solvers-file", "/no/such/file"}, 2, "solvers file: stat /no/such/file"},
		{[]string{"regress", empty}, 2, "has no entries (nashbench track adds them)"},
		{[]string{"regress", filepath.Join(empty, "none")}, 2, "no such file"},
		// An empty HISTORY is a mistake, not the repository's history:
		// regress --accept would write there.
		{[]string{"regress", "--accept", "why", ""}, 2, "HISTORY is empty"},
		{[]string{"regress", "--window", "0", empty}, 2, "--window 0: want 1 or more"},
		{[]string{"regress", "--alpha", "1", empty}, 2, "--alpha 1"},
		{[]string{"bisect", "--metric", "columns/op"}, 2, "--bench and --metric are required"},
		{[]string{"bisect", "--bench", "BenchmarkSolve/enum/n=6", "--metric", "profiles/op", "no-such-commit"}, 2, "GOOD"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, errs := runCmd(tt.args...)
			assert.Equal(t, tt.code, code, errs)
			assert.Contains(t, errs, tt.err)
		})
	}
}
