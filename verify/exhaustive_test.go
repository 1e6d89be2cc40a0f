package verify_test

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
	"github.com/nashbench/nashbench/verify"
)

// naiveCount counts non-trivial equilibria with game.Check on every profile:
// a third implementation, beside enum's and Exhaustive's.
func naiveCount(t *testing.T, g *game.Game) int64 {
	var c int64
	for m := uint64(1); m < 1<<g.Players(); m++ {
		_, ok, err := g.Check(testgen.Profile(m, g.Players()))
		require.NoError(t, err)
		if ok {
			c++
		}
	}
	return c
}

func TestExhaustiveGames(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, r := range []int64{1, 2, 5, 1000, 1 << 40, 1 << 57} {
		for range 150 {
			k := 2 + rng.IntN(7)
			g := testgen.Game(rng, k, r)
			p := &solvers.Problem{Game: g}
			s, err := verify.Exhaustive(context.Background(), p)
			require.NoError(t, err)
			want := naiveCount(t, g)
			require.Equal(t, want, s.Count, "r=%d game %v", r, g)
			assert.Equal(t, "profiles", s.Space)
			if want > 0 {
				require.NoError(t, verify.Profile(p, s.First))
			} else {
				assert.Nil(t, s.First)
			}
		}
	}
}

// TestExhaustiveExtremes puts progress at the ±2^61 bounds game.New allows,
// where a careless sum of three terms would overflow.
func TestExhaustiveExtremes(t *testing.T) {
	const b = game.Bound
	for _, tc := range []struct {
		D    [][]int64
		base []int64
	}{
		{[][]int64{{b, -b}, {-b, b}}, []int64{0, 0}},
		{[][]int64{{-b, 0, b}, {0, b, 0}, {b, 0, -b}}, []int64{0, -b, 0}},
		{[][]int64{{b / 2, b / 2, -b}, {-b / 2, -b / 2, b}, {b, -b, 0}}, []int64{0, 0, 0}},
	} {
		g, err := game.New(nil, tc.D, tc.base)
		require.NoError(t, err)
		s, err := verify.Exhaustive(context.Background(), &solvers.Problem{Game: g})
		require.NoError(t, err)
		assert.Equal(t, naiveCount(t, g), s.Count, "game %v", g)
	}
}

func TestExhaustiveFormulas(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 400 {
		n := 1 + rng.IntN(12)
		f := testgen.Formula(rng, n, rng.IntN(4*n+2))
		p, err := solvers.FromFormula(f, reduction.Corrected)
		require.NoError(t, err)
		s, err := verify.Exhaustive(context.Background(), p)
		require.NoError(t, err)
		var want int64
		for m := uint64(1); m < 1<<n; m++ {
			if f.Satisfies(testgen.Profile(m, n)) {
				want++
			}
		}
		require.Equal(t, want, s.Count, "%v", f)
		assert.Equal(t, "assignments", s.Space)
		if want > 0 {
			require.NoError(t, verify.Profile(p, s.First))
		}
		// The game itself, where it is small enough, says the same.
		if p.Game.Players() <= 14 {
			g, err := verify.Exhaustive(context.Background(), &solvers.Problem{Game: p.Game})
			require.NoError(t, err)
			require.Equal(t, s.Count, g.Count, "%v", f)
		}
	}
}

func TestExhaustiveLiteralSearchesTheGame(t *testing.T) {
	// x1 and not x1: unsatisfiable, yet the printed reduction's game has
	// non-trivial equilibria (clause or switch players open).
	f := &instances.CNF{Vars: 1, Clauses: [][]int{{1}, {-1}}}
	p, err := solvers.FromFormula(f, reduction.Literal)
	require.NoError(t, err)
	s, err := verify.Exhaustive(context.Background(), p)
	require.NoError(t, err)
	assert.Equal(t, "profiles", s.Space)
	assert.Positive(t, s.Count)
}

func TestExhaustiveStopsWithContext(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := verify.Exhaustive(ctx, &solvers.Problem{Game: testgen.Game(rng, 30, 5)})
	require.ErrorIs(t, err, context.Canceled)
	f := instances.CNF{Vars: 40, Clauses: [][]int{{1, 2, 3}}}
	_, err = verify.Exhaustive(ctx, &solvers.Problem{Formula: &f, Variant: reduction.Corrected})
	require.ErrorIs(t, err, context.Canceled)
}

func TestCost(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	small := verify.Cost(&solvers.Problem{Game: testgen.Game(rng, 10, 5)})
	large := verify.Cost(&solvers.Problem{Game: testgen.Game(rng, 30, 5)})
	assert.Less(t, small, time.Millisecond)
	assert.Greater(t, large, time.Minute)
	assert.Equal(t, time.Duration(1<<63-1), verify.Cost(&solvers.Problem{Game: testgen.Game(rng, 63, 1)}))
	f20 := &instances.CNF{Vars: 20, Clauses: make([][]int, 91)}
	for i := range f20.Clauses {
		f20.Clauses[i] = []int{1, 2, 3}
	}
	p := &solvers.Problem{Formula: f20, Variant: reduction.Corrected}
	assert.Less(t, verify.Cost(p), time.Second)
	p.Formula = &instances.CNF{Vars: 63}
	assert.Equal(t, time.Duration(1<<63-1), verify.Cost(p))
}

// The estimate follows the formula, not its length: at the threshold
// ratio the search rules a block out after a handful of clauses, so the
// default check limit covers random 3-SAT up to n = 31 (it stopped at 27
// while every block was charged all its clauses), and stops short of
// n = 34. The estimate counts clause tests, without a clock: the same on
// every run.
func TestCostFollowsTheFormula(t *testing.T) {
	for _, tt := range []struct {
		n      int
		within bool
	}{{24, true}, {28, true}, {31, true}, {34, false}, {40, false}} {
		for i := range 3 {
			f, _, err := instances.Spec{N: tt.n, M: instances.ClausesForRatio(tt.n, 4.26), K: 3, Seed: 11, Index: i}.Generate()
			require.NoError(t, err)
			p := &solvers.Problem{Formula: f, Variant: reduction.Corrected}
			c := verify.Cost(p)
			assert.Equal(t, tt.within, c <= verify.DefaultCheckLimit, "n=%d: estimated %v", tt.n, c)
			assert.Equal(t, c, verify.Cost(p))
		}
	}
}

// BenchmarkExhaustive measures the per-unit costs that Cost assumes: compare
// ns/op with the reported est-ns/op.
func BenchmarkExhaustive(b *testing.B) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{16, 20, 24, 28} {
		spec := instances.Spec{N: n, M: instances.ClausesForRatio(n, 4.26), K: 3, Seed: 1}
		f, _, err := spec.Generate()
		require.NoError(b, err)
		p, err := solvers.FromFormula(f, reduction.Corrected)
		require.NoError(b, err)
		b.Run("formula/n="+itoa(n), func(b *testing.B) {
			for b.Loop() {
				_, _ = verify.Exhaustive(context.Background(), p)
			}
			b.ReportMetric(float64(verify.Cost(p).Nanoseconds()), "est-ns/op")
		})
	}
	for _, k := range []int{12, 16} {
		p := &solvers.Problem{Game: testgen.Game(rng, k, 100)}
		b.Run("game/k="+itoa(k), func(b *testing.B) {
			for b.Loop() {
				_, _ = verify.Exhaustive(context.Background(), p)
			}
			b.ReportMetric(float64(verify.Cost(p).Nanoseconds()), "est-ns/op")
		})
	}
}

func itoa(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }
