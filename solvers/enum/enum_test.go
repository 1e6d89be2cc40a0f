package enum_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/enum"
	"github.com/nashbench/nashbench/verify"
)

func solve(t *testing.T, p *solvers.Problem, opt solvers.Options) *solvers.Result {
	t.Helper()
	r, err := enum.Solver{}.Solve(context.Background(), p, opt)
	require.NoError(t, err)
	require.NoError(t, verify.Result(p, r))
	return r
}

// modelCount counts the models of f by brute force, sharing nothing with
// the reduction or the enumerator.
func modelCount(f *instances.CNF) int64 { return int64(len(testgen.Models(f))) }

// countModels counts models through the game: non-trivial equilibria, plus
// all-false when it satisfies f.
func countModels(t *testing.T, f *instances.CNF, workers int) int64 {
	p, err := solvers.FromFormula(f, reduction.Corrected)
	require.NoError(t, err)
	r := solve(t, p, solvers.Options{Count: true, List: 3, Workers: workers})
	require.Len(t, r.Listed, int(min(r.Count, 3)))
	c := r.Count
	if reduction.AllFalseSatisfies(f) {
		c++
	}
	d := solve(t, p, solvers.Options{Workers: workers})
	assert.Equal(t, r.Count > 0, d.Answer == solvers.Found)
	return c
}

func TestCountsMatchBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	for i := range 300 {
		n := 1 + rng.IntN(16)
		var f *instances.CNF
		if i%2 == 0 {
			f = testgen.Formula(rng, n, rng.IntN(5*n+1))
		} else {
			var err error
			f, err = instances.RandomKSAT(rng, max(n, 3), int(4.26*float64(max(n, 3))), 3)
			require.NoError(t, err)
		}
		require.Equal(t, modelCount(f), countModels(t, f, 1+i%3), "formula %v", f.Clauses)
	}
}

func TestCountEdgeCases(t *testing.T) {
	tests := []struct {
		name string
		f    instances.CNF
		want int64
	}{
		{"unique model", instances.CNF{Vars: 3, Clauses: [][]int{{1}, {-2}, {3}}}, 1},
		{"all-false the only model", instances.CNF{Vars: 3, Clauses: [][]int{{-1}, {-2}, {-3}}}, 1},
		{"no model", instances.CNF{Vars: 2, Clauses: [][]int{{1}, {-1}}}, 0},
		{"no model, 3-SAT", instances.CNF{Vars: 3, Clauses: unsat3()}, 0},
		{"repeated literals", instances.CNF{Vars: 3, Clauses: [][]int{{1, 1, 1}, {-2, -2, 3}}}, 3},
		{"tautology", instances.CNF{Vars: 2, Clauses: [][]int{{1, -1, 2}}}, 4},
		{"unused variables", instances.CNF{Vars: 5, Clauses: [][]int{{1, 2}}}, 24},
		{"no clauses", instances.CNF{Vars: 4}, 16},
		{"empty clause", instances.CNF{Vars: 2, Clauses: [][]int{{1}, {}}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, modelCount(&tt.f))
			assert.Equal(t, tt.want, countModels(t, &tt.f, 1))
			assert.Equal(t, tt.want, countModels(t, &tt.f, 3))
		})
	}
}

// unsat3 is every clause over x1..x3: no assignment escapes all eight.
func unsat3() [][]int {
	var cs [][]int
	for s := range 8 {
		c := []int{1, 2, 3}
		for b := range 3 {
			if s>>b&1 == 1 {
				c[b] = -c[b]
			}
		}
		cs = append(cs, c)
	}
	return cs
}

// On arbitrary small games, null players of each sign included, the count
// and the decision match a brute force over every profile.
func TestGamesMatchBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	found := 0
	for range 2000 {
		k := 2 + rng.IntN(6)
		D, d := testgen.Game(rng, k, 3).Matrix()
		for i := range k { // make some players null
			if rng.IntN(3) == 0 {
				for j := range k {
					if j != i {
						D[j][i] = 0
					}
				}
			}
		}
		g, err := game.New(nil, D, d)
		require.NoError(t, err)
		var want int64
		for bits := uint64(1); bits < 1<<k; bits++ {
			if testgen.Equilibrium(g, testgen.Profile(bits, k)) {
				want++
			}
		}
		p := &solvers.Problem{Game: g}
		r := solve(t, p, solvers.Options{Count: true, Workers: 1 + rng.IntN(3)})
		require.Equal(t, want, r.Count, "game %v", g)
		dec := solve(t, p, solvers.Options{})
		require.Equal(t, want > 0, dec.Answer == solvers.Found)
		if want > 0 {
			found++
		}
	}
	assert.Greater(t, found, 100)
}

// With the literal reduction, an unsatisfiable formula still has non-trivial
// equilibria, which the enumerator finds.
func TestLiteralReduction(t *testing.T) {
	f := &instances.CNF{Vars: 3, Clauses: unsat3()}
	p, err := solvers.FromFormula(f, reduction.Literal)
	require.NoError(t, err)
	r := solve(t, p, solvers.Options{Count: true})
	assert.Equal(t, solvers.Found, r.Answer)
	assert.Positive(t, r.Count)
}

func TestRefusesTooManyPlayers(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	f, err := instances.RandomKSAT(rng, 45, 100, 3)
	require.NoError(t, err)
	p, err := solvers.FromFormula(f, reduction.Corrected)
	require.NoError(t, err)
	_, err = enum.Solver{}.Solve(context.Background(), p, solvers.Options{})
	assert.ErrorContains(t, err, "45 players to enumerate (2^45 profiles), more than the limit of 40")
	_, err = enum.Solver{}.Solve(context.Background(), p, solvers.Options{MaxPlayers: 10})
	assert.ErrorContains(t, err, "limit of 10")
}

// A count that cannot finish stops soon after its deadline with Unknown.
func TestDeadline(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	f, err := instances.RandomKSAT(rng, 36, 153, 3)
	require.NoError(t, err)
	p, err := solvers.FromFormula(f, reduction.Corrected)
	require.NoError(t, err)
	for _, workers := range []int{1, 2} {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		start := time.Now()
		r, err := enum.Solver{}.Solve(ctx, p, solvers.Options{Count: true, Workers: workers})
		cancel()
		require.NoError(t, err)
		assert.Equal(t, solvers.Unknown, r.Answer)
		assert.False(t, r.Counted)
		// 100 ms is the promise on one core; the race detector slows each
		// profile about tenfold, and a loaded 2-core machine more, hence
		// the margin (a count that ignored the deadline takes minutes).
		assert.Less(t, time.Since(start), 100*time.Millisecond+5*time.Second)
	}
}

// Profiles are uint64 masks: 64 players to enumerate are refused, whatever
// the limit, rather than silently skipping the 64th.
func TestRefuses64Players(t *testing.T) {
	k := 64
	D := make([][]int64, k)
	for i := range D {
		D[i] = make([]int64, k)
		for j := range D[i] {
			D[i][j] = 1
		}
	}
	g, err := game.New(nil, D, make([]int64, k))
	require.NoError(t, err)
	_, err = enum.Solver{}.Solve(context.Background(), &solvers.Problem{Game: g}, solvers.Options{MaxPlayers: 100})
	assert.ErrorContains(t, err, "more than 63")
}
