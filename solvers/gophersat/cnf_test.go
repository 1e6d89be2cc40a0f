package gophersat

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/crillab/gophersat/solver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/verify"
)

// bruteNonTrivial counts the models of f other than all-false.
func bruteNonTrivial(f *instances.CNF) int64 {
	var c int64
	for _, m := range testgen.Models(f) {
		if m != 0 {
			c++
		}
	}
	return c
}

func problemOf(t testing.TB, f *instances.CNF) *solvers.Problem {
	t.Helper()
	p, err := solvers.FromFormula(f, reduction.Corrected)
	require.NoError(t, err)
	return p
}

// checkCNF runs "gophersat" in-process on f, deciding and counting, and
// checks it against brute force.
func checkCNF(t *testing.T, f *instances.CNF) {
	t.Helper()
	p := problemOf(t, f)
	want := bruteNonTrivial(f)
	dec, err := CNF{}.Solve(context.Background(), p, solvers.Options{})
	require.NoError(t, err)
	assert.Equal(t, want > 0, dec.Answer == solvers.Found, "decision on %v", f)
	assert.NotEqual(t, solvers.Unknown, dec.Answer)
	assert.False(t, dec.Counted)
	require.NoError(t, verify.Result(p, dec))

	cnt, err := CNF{}.Solve(context.Background(), p, solvers.Options{Count: true, List: 3})
	require.NoError(t, err)
	assert.Equal(t, want, cnt.Count, "count on %v", f)
	assert.Equal(t, want > 0, cnt.Answer == solvers.Found)
	assert.Len(t, cnt.Listed, int(min(want, 3)))
	require.NoError(t, verify.Result(p, cnt))
	seen := map[string]bool{}
	for _, a := range cnt.Listed {
		seen[string(bitsOf(a))] = true
	}
	assert.Len(t, seen, len(cnt.Listed), "listed models are distinct")
}

func bitsOf(a []bool) []byte {
	b := make([]byte, len(a))
	for i, x := range a {
		b[i] = '0'
		if x {
			b[i] = '1'
		}
	}
	return b
}

func TestCNFEdgeCases(t *testing.T) {
	tests := []struct {
		name string
		f    *instances.CNF
		want int64 // non-trivial models
	}{
		{"no clauses", &instances.CNF{Vars: 3}, 7},
		{"no variables", &instances.CNF{Vars: 0, Clauses: [][]int{{}}}, 0},
		{"empty clause", &instances.CNF{Vars: 2, Clauses: [][]int{{1, 2}, {}}}, 0},
		{"unused variables", &instances.CNF{Vars: 5, Clauses: [][]int{{1}, {-2}}}, 8},
		{"repeated literals", &instances.CNF{Vars: 2, Clauses: [][]int{{1, 1, 1}, {-2, -2}}}, 1},
		{"tautologies only", &instances.CNF{Vars: 2, Clauses: [][]int{{1, -1}, {2, -2, 1}}}, 3},
		{"tautology and unit", &instances.CNF{Vars: 3, Clauses: [][]int{{1, -1}, {-3}}}, 3},
		{"all-false the only model", &instances.CNF{Vars: 3, Clauses: [][]int{{-1}, {-2}, {-3}}}, 0},
		{"all-false and one more", &instances.CNF{Vars: 2, Clauses: [][]int{{-1}}}, 1},
		{"unsat units", &instances.CNF{Vars: 1, Clauses: [][]int{{1}, {-1}}}, 0},
		{"single variable", &instances.CNF{Vars: 1}, 1},
		{"all true forced", &instances.CNF{Vars: 3, Clauses: [][]int{{1}, {2}, {3}}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, bruteNonTrivial(tt.f))
			checkCNF(t, tt.f)
		})
	}
}

func TestCNFWithoutGame(t *testing.T) {
	// A formula with neither variables nor clauses has no reduction game
	// (one player); the solver needs only the formula.
	p := &solvers.Problem{Formula: &instances.CNF{}}
	r, err := CNF{}.Solve(context.Background(), p, solvers.Options{Count: true})
	require.NoError(t, err)
	assert.Equal(t, solvers.None, r.Answer)
	assert.Equal(t, int64(0), r.Count)

	// Formula only, through a worker.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p = &solvers.Problem{Formula: &instances.CNF{Vars: 3, Clauses: [][]int{{1, 2}, {-1}}}}
	r, err = CNF{}.Solve(ctx, p, solvers.Options{Count: true})
	require.NoError(t, err)
	assert.Equal(t, solvers.Found, r.Answer)
	assert.Equal(t, int64(2), r.Count)
	assert.Equal(t, []bool{false, true}, r.Witness[:2])
}

func TestCNFRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 1))
	for range 400 {
		n := 1 + rng.IntN(12)
		m := rng.IntN(5 * n)
		checkCNF(t, testgen.Formula(rng, n, m))
	}
	// Random 3-SAT near the threshold, the benchmark's kind.
	for i := range 60 {
		f, _, err := instances.Spec{N: 14, M: instances.ClausesForRatio(14, 4.26), K: 3, Seed: 3, Index: i}.Generate()
		require.NoError(t, err)
		checkCNF(t, f)
	}
}

func TestCNFNotFormula(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	g := testgen.Game(rng, 3, 2)
	_, err := CNF{}.Solve(context.Background(), &solvers.Problem{Game: g}, solvers.Options{})
	assert.ErrorIs(t, err, solvers.ErrNotFormula)

	f := &instances.CNF{Vars: 2, Clauses: [][]int{{1, 2}}}
	p, err := solvers.FromFormula(f, reduction.Literal)
	require.NoError(t, err)
	_, err = CNF{}.Solve(context.Background(), p, solvers.Options{})
	assert.ErrorIs(t, err, solvers.ErrNotFormula)
	// Also with a deadline (checked before a worker is started).
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err = CNF{}.Solve(ctx, &solvers.Problem{Game: g}, solvers.Options{})
	assert.ErrorIs(t, err, solvers.ErrNotFormula)
}

// TestStats: both solvers report gophersat's counters, the same on a
// repeated solve (they are deterministic), and consistent with each other.
func TestStats(t *testing.T) {
	f, _, err := instances.Spec{N: 50, M: 218, K: 3, Seed: 1, Index: 1}.Generate()
	require.NoError(t, err)
	p := problemOf(t, f)
	keys := []string{"conflicts", "decisions", "restarts", "learned", "learned-binary", "learned-units", "deleted", "solves"}
	for _, tt := range []struct {
		name string
		s    solvers.Solver
		p    *solvers.Problem
	}{
		{NameCNF, CNF{}, p},
		{NamePB, PB{}, &solvers.Problem{Game: p.Game}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.s.Solve(context.Background(), tt.p, solvers.Options{})
			require.NoError(t, err)
			for _, k := range keys {
				assert.Contains(t, r.Stats, k)
			}
			assert.Equal(t, 1.0, r.Stats["solves"])
			assert.Positive(t, r.Stats["conflicts"])
			assert.Positive(t, r.Stats["decisions"])
			assert.LessOrEqual(t, r.Stats["learned-binary"], r.Stats["learned"])
			assert.LessOrEqual(t, r.Stats["deleted"], r.Stats["learned"])
			if tt.name == NameCNF {
				// Each conflict learns one clause or one unit, or ends
				// the search.
				assert.LessOrEqual(t, r.Stats["learned"]+r.Stats["learned-units"], r.Stats["conflicts"])
			}
			again, err := tt.s.Solve(context.Background(), tt.p, solvers.Options{})
			require.NoError(t, err)
			assert.Equal(t, r.Stats, again.Stats)

			// Counting adds a solve per model, and the counters keep
			// adding up over them.
			c, err := tt.s.Solve(context.Background(), tt.p, solvers.Options{Count: true})
			require.NoError(t, err)
			assert.Equal(t, float64(c.Count+1), c.Stats["solves"])
			assert.GreaterOrEqual(t, c.Stats["decisions"], r.Stats["decisions"])
		})
	}
}

// TestStatsTrivial: without a search (an empty clause), the counters are
// there, and zero.
func TestStatsTrivial(t *testing.T) {
	f := &instances.CNF{Vars: 2, Clauses: [][]int{{1}, {}}}
	r, err := CNF{}.Solve(context.Background(), problemOf(t, f), solvers.Options{})
	require.NoError(t, err)
	assert.Equal(t, solverStats(solver.Stats{}, 0), r.Stats)
}
