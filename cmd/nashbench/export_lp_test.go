package main

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
)

// glpsolFeasible solves an LP file with glpsol and reports whether it has a
// feasible point.
func glpsolFeasible(t *testing.T, bin, lp string) bool {
	t.Helper()
	out := filepath.Join(t.TempDir(), "glpsol.out")
	log, err := exec.Command(bin, "--lp", lp, "-o", out).CombinedOutput()
	require.NoError(t, err, "%s", log)
	report, err := os.ReadFile(out)
	require.NoError(t, err)
	switch {
	case bytes.Contains(log, []byte("HAS NO")): // PRIMAL or INTEGER FEASIBLE SOLUTION
		return false
	case bytes.Contains(report, []byte("INTEGER OPTIMAL")):
		return true
	}
	t.Fatalf("glpsol: unexpected outcome:\n%s\n%s", log, report)
	return false
}

// exportAndCompare exports path with each MIP formulation, solves the LP
// file with glpsol and compares with the in-process HiGHS solver of the same
// model. It returns the answer.
func exportAndCompare(t *testing.T, bin, path string, forms ...string) bool {
	t.Helper()
	in, err := bench.Load(path, reduction.Corrected)
	require.NoError(t, err)
	var answer bool
	for q, form := range forms {
		lp := filepath.Join(t.TempDir(), form+".lp")
		code, out, errs := runCmd("export", "--formulation", form, path, "-o", lp)
		require.Equal(t, 0, code, errs)
		assert.Empty(t, out)
		text, err := os.ReadFile(lp)
		require.NoError(t, err)
		assert.Contains(t, string(text), "\\ instance: "+path)
		assert.Contains(t, string(text), "\\ formulation: "+form)

		s, err := solvers.New("highs-" + form)
		require.NoError(t, err)
		res, err := s.Solve(context.Background(), in.Problem, solvers.Options{})
		require.NoError(t, err)
		require.NotEqual(t, solvers.Unknown, res.Answer)
		found := res.Answer == solvers.Found
		assert.Equal(t, found, glpsolFeasible(t, bin, lp), "%s on %s", form, path)
		if q == 0 {
			answer = found
		} else {
			assert.Equal(t, answer, found, "formulations disagree on %s", path)
		}
	}
	return answer
}

func TestExportLPGlpsolGames(t *testing.T) {
	bin := testtool.Need(t, "glpsol")
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(12, 12))
	seen := map[bool]int{}
	for i := range 16 {
		k := 2 + rng.IntN(5)
		g := testgen.Game(rng, k, 2)
		if i%3 == 0 { // a null player
			D, d := g.Matrix()
			for j := range k {
				D[j][0] = 0
			}
			D[0][0] = rng.Int64N(3) - 1
			var err error
			g, err = game.New(nil, D, d)
			require.NoError(t, err)
		}
		var buf bytes.Buffer
		require.NoError(t, game.WriteJSON(&buf, g, ""))
		path := filepath.Join(dir, "g.json")
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
		seen[exportAndCompare(t, bin, path, "compact", "paper")]++
	}
	assert.Positive(t, seen[true])
	assert.Positive(t, seen[false])
}

func TestExportLPGlpsolFormulas(t *testing.T) {
	bin := testtool.Need(t, "glpsol")
	dir := t.TempDir()
	seen := map[bool]int{}
	for i := range 8 {
		// Small formulas for the paper's model (glpsol needs seconds on it
		// from n = 6); random 3-SAT at the threshold for the compact one.
		rng := rand.New(rand.NewPCG(13, uint64(i)))
		small := testgen.Formula(rng, 2+rng.IntN(2), 1+rng.IntN(5))
		f, _, err := instances.Spec{N: 12, M: instances.ClausesForRatio(12, 4.26), K: 3, Seed: 1, Index: i}.Generate()
		require.NoError(t, err)
		for q, tc := range []struct {
			f     *instances.CNF
			forms []string
		}{{small, []string{"compact", "paper"}}, {f, []string{"compact"}}} {
			var buf bytes.Buffer
			require.NoError(t, instances.WriteDIMACS(&buf, tc.f))
			path := filepath.Join(dir, "f.cnf")
			require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
			found := exportAndCompare(t, bin, path, tc.forms...)
			// The model is feasible iff the formula has a model other
			// than all-false.
			nonTrivial := false
			for _, m := range testgen.Models(tc.f) {
				nonTrivial = nonTrivial || m != 0
			}
			assert.Equal(t, nonTrivial, found, "formula %d.%d: %v", i, q, tc.f.Clauses)
			seen[found]++
		}
	}
	assert.Positive(t, seen[true])
	assert.Positive(t, seen[false])
}

// The printed form exports too (its answers are wrong; see solvers/mip).
func TestExportLPPaperPrinted(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.cnf")
	require.NoError(t, os.WriteFile(path, []byte("p cnf 2 1\n1 2 0\n"), 0o644))
	code, out, errs := runCmd("export", "--formulation", "paper-printed", path)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "\\ formulation: paper-printed")
	assert.Contains(t, out, "all-false satisfies it (it does: false)")
	assert.Contains(t, out, "\nSubject To\n")
	assert.Contains(t, out, "\nEnd\n")
}
