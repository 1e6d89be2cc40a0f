package main

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crillab/gophersat/solver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/enum"
)

// TestMain lets the test binary serve as the worker process that solvers
// with a time limit (gophersat, ...) run in: isolate starts the running
// executable, as the real main does. It also serves as nashbench itself
// in the Slurm test's jobs (serveCLI).
func TestMain(m *testing.M) {
	isolate.Serve()
	serveCLI()
	os.Exit(m.Run())
}

// opbSat solves an OPB text with gophersat. (Tests of this package run
// sequentially, and nothing else here uses gophersat in-process.)
func opbSat(t *testing.T, text string) bool {
	t.Helper()
	pb, err := solver.ParseOPB(strings.NewReader(text))
	require.NoError(t, err)
	return solver.New(pb).Solve() == solver.Sat
}

func TestExportPBFormulas(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(4, 4))
	sawSat, sawUnsat := false, false
	for i := range 30 {
		f := testgen.Formula(rng, 2+rng.IntN(7), rng.IntN(25))
		var buf bytes.Buffer
		require.NoError(t, instances.WriteDIMACS(&buf, f))
		path := filepath.Join(dir, "f.cnf")
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))

		code, out, errs := runCmd("export", "--formulation", "pb", path)
		require.Equal(t, 0, code, errs)
		assert.True(t, strings.HasPrefix(out, "* #variable= "), out)
		assert.Contains(t, out, "* instance: "+path)
		nonTrivial := 0
		for _, m := range testgen.Models(f) {
			if m != 0 {
				nonTrivial++
			}
		}
		sat := opbSat(t, out)
		assert.Equal(t, nonTrivial > 0, sat, "formula %d: %v", i, f)
		sawSat, sawUnsat = sawSat || sat, sawUnsat || !sat
	}
	assert.True(t, sawSat && sawUnsat, "both answers occur")
}

func TestExportPBGame(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(5, 5))
	for range 20 {
		g := testgen.Game(rng, 2+rng.IntN(5), 2)
		var buf bytes.Buffer
		require.NoError(t, game.WriteJSON(&buf, g, ""))
		path := filepath.Join(dir, "g.json")
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
		outPath := filepath.Join(dir, "g.opb")

		code, out, errs := runCmd("export", path, "-o", outPath, "--formulation", "pb")
		require.Equal(t, 0, code, errs)
		assert.Empty(t, out)
		b, err := os.ReadFile(outPath)
		require.NoError(t, err)
		want, err := enum.Solver{}.Solve(context.Background(), &solvers.Problem{Game: g}, solvers.Options{})
		require.NoError(t, err)
		assert.Equal(t, want.Answer == solvers.Found, opbSat(t, string(b)))

		// Standard output gets the same bytes.
		code, out, errs = runCmd("export", "--formulation", "pb", "-o", "-", path)
		require.Equal(t, 0, code, errs)
		assert.Equal(t, string(b), out)
	}
}

func TestExportReductionNote(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "allfalse.cnf")
	// Only all-false satisfies it: the OPB is unsatisfiable, the formula not.
	require.NoError(t, os.WriteFile(path, []byte("p cnf 2 2\n-1 0\n-2 0\n"), 0o644))
	code, out, errs := runCmd("export", "--formulation", "pb", path)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "all-false satisfies it (it does: true)")
	assert.False(t, opbSat(t, out))
	f, err := instances.ReadFile(path)
	require.NoError(t, err)
	assert.True(t, reduction.AllFalseSatisfies(f))
}

func TestExportBadUsage(t *testing.T) {
	dir := t.TempDir()
	cnf := filepath.Join(dir, "a.cnf")
	require.NoError(t, os.WriteFile(cnf, []byte("p cnf 1 1\n1 0\n"), 0o644))
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no formulation", []string{cnf}, 2, "--formulation is required (one of cnf, compact, nfg, paper, paper-printed, pb"},
		{"unknown formulation", []string{"--formulation", "mps", cnf}, 2, `unknown formulation "mps" (known: cnf, compact, nfg, paper, paper-printed, pb`},
		{"no input", []string{"--formulation", "pb"}, 2, "want exactly one input"},
		{"two inputs", []string{"--formulation", "pb", cnf, cnf}, 2, "want exactly one input"},
		{"missing file", []string{"--formulation", "pb", filepath.Join(dir, "nope.cnf")}, 2, "nope.cnf"},
		{"unwritable output", []string{"--formulation", "pb", cnf, "-o", filepath.Join(dir, "no", "dir", "x.opb")}, 2, "export: -o: write " + filepath.Join(dir, "no", "dir", "x.opb") + ": no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCmd(append([]string{"export"}, tt.args...)...)
			assert.Equal(t, tt.code, code, errs)
			assert.Empty(t, out)
			assert.Contains(t, errs, tt.msg)
		})
	}
}

func TestExportHelp(t *testing.T) {
	code, _, errs := runCmd("export", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, errs, "usage: nashbench export")
	assert.Contains(t, errs, "pb: pseudo-Boolean OPB file")
	assert.Contains(t, errs, "cnf: DIMACS CNF file")
}

// cnfSat reads a DIMACS text and solves it with gophersat.
func cnfSat(t *testing.T, text string) bool {
	t.Helper()
	f, err := instances.ReadDIMACS(strings.NewReader(text), "export", instances.Limits{})
	require.NoError(t, err, text)
	if len(f.Clauses) == 0 {
		return true
	}
	return solver.New(solver.ParseSliceNb(f.Clauses, f.Vars)).Solve() == solver.Sat
}

func TestExportCNF(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(6, 6))
	sawSat, sawUnsat := false, false
	for i := range 30 {
		f := testgen.Formula(rng, 2+rng.IntN(7), rng.IntN(25))
		var buf bytes.Buffer
		require.NoError(t, instances.WriteDIMACS(&buf, f))
		path := filepath.Join(dir, "f.cnf")
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))

		code, out, errs := runCmd("export", "--formulation", "cnf", path)
		require.Equal(t, 0, code, errs)
		assert.True(t, strings.HasPrefix(out, "c instance: "+path+"\n"), out)
		assert.Contains(t, out, "c the formula is satisfiable iff this CNF is satisfiable, or all-false satisfies it")
		nonTrivial := 0
		for _, m := range testgen.Models(f) {
			if m != 0 {
				nonTrivial++
			}
		}
		sat := cnfSat(t, out)
		assert.Equal(t, nonTrivial > 0, sat, "formula %d: %v", i, f)
		if !strings.Contains(out, "c unit propagation refutes") && !strings.Contains(out, "c every player is null") {
			assert.Contains(t, out, "c variable 1: action of player 1 (x1), true = open")
		}
		sawSat, sawUnsat = sawSat || sat, sawUnsat || !sat
	}
	assert.True(t, sawSat && sawUnsat, "both answers occur")

	for range 20 {
		g := testgen.Game(rng, 2+rng.IntN(5), 2)
		var buf bytes.Buffer
		require.NoError(t, game.WriteJSON(&buf, g, ""))
		path := filepath.Join(dir, "g.json")
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
		outPath := filepath.Join(dir, "g.cnf")

		code, out, errs := runCmd("export", path, "-o", outPath, "--formulation", "cnf")
		require.Equal(t, 0, code, errs)
		assert.Empty(t, out)
		b, err := os.ReadFile(outPath)
		require.NoError(t, err)
		want, err := enum.Solver{}.Solve(context.Background(), &solvers.Problem{Game: g}, solvers.Options{})
		require.NoError(t, err)
		assert.Equal(t, want.Answer == solvers.Found, cnfSat(t, string(b)))
		assert.NotContains(t, string(b), "c the formula is satisfiable", "a game has no formula")
	}
}
