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
	"github.com/nashbench/nashbench/internal/testtool"
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

// A structured game beyond the dense limit is refused at once rather than
// read row by row (k^2 entries: hours at 4 million players).
func TestRefusesBeyondDense(t *testing.T) {
	f := &instances.CNF{Vars: game.MaxPlayers}
	p, err := solvers.FromFormula(f, reduction.Corrected)
	require.NoError(t, err)
	_, err = enum.Solver{}.Solve(context.Background(), p, solvers.Options{})
	assert.ErrorContains(t, err, "16385 players, more than 16384")
	assert.True(t, solvers.IsRefused(err), err)
}

// A count that cannot finish stops soon after its deadline with Unknown.
func TestDeadline(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	f, err := instances.RandomKSAT(rng, 36, 153, 3)
	require.NoError(t, err)
	p, err := solvers.FromFormula(f, reduction.Corrected)
	require.NoError(t, err)
	const deadline = 100 * time.Millisecond
	for _, workers := range []int{1, 2} {
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		start := time.Now()
		r, err := enum.Solver{}.Solve(ctx, p, solvers.Options{Count: true, Workers: workers})
		cancel()
		require.NoError(t, err)
		assert.Equal(t, solvers.Unknown, r.Answer)
		assert.False(t, r.Counted)
		// The test's own deadline and the stop allowance: the count checks
		// the context every few profiles, but the race detector slows each
		// profile about tenfold, and a loaded 2-core machine more (a count
		// that ignored the deadline takes minutes).
		assert.Less(t, time.Since(start), deadline+testtool.StopAllowance)
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

// splitGames are the games the Workers and Shard tests split: small random
// games (some players null, of every sign, so that free players occur) and
// reduction games of random 3-SAT, satisfiable or not.
func splitGames(t *testing.T) []*solvers.Problem {
	t.Helper()
	rng := rand.New(rand.NewPCG(14, 14))
	var ps []*solvers.Problem
	for range 12 {
		k := 2 + rng.IntN(9)
		D, d := testgen.Game(rng, k, 2).Matrix()
		for i := range k {
			if rng.IntN(4) == 0 {
				for j := range k {
					if j != i {
						D[j][i] = 0
					}
				}
			}
		}
		g, err := game.New(nil, D, d)
		require.NoError(t, err)
		ps = append(ps, &solvers.Problem{Game: g})
	}
	for i := range 8 {
		n := 6 + i
		f, _, err := instances.Spec{N: n, M: instances.ClausesForRatio(n, 3+0.2*float64(i)), K: 3, Seed: 14, Index: i}.Generate()
		require.NoError(t, err)
		p, err := solvers.FromFormula(f, reduction.Corrected)
		require.NoError(t, err)
		ps = append(ps, p)
	}
	return ps
}

// Workers changes neither the answer nor the count, nor which witness and
// listed equilibria come back: all are the first ones of the one walk.
func TestWorkersGiveTheSameResult(t *testing.T) {
	for gi, p := range splitGames(t) {
		want := solve(t, p, solvers.Options{Count: true, List: 5})
		wantDecide := solve(t, p, solvers.Options{})
		require.Equal(t, want.Count > 0, wantDecide.Answer == solvers.Found, "game %d", gi)
		for workers := 2; workers <= 8; workers++ {
			got := solve(t, p, solvers.Options{Count: true, List: 5, Workers: workers})
			assert.Equal(t, want.Answer, got.Answer, "game %d, %d workers", gi, workers)
			assert.Equal(t, want.Count, got.Count, "game %d, %d workers", gi, workers)
			assert.Equal(t, want.Listed, got.Listed, "game %d, %d workers", gi, workers)
			assert.Equal(t, want.Stats["profiles"], got.Stats["profiles"], "game %d, %d workers", gi, workers)
			dec := solve(t, p, solvers.Options{Workers: workers})
			assert.Equal(t, wantDecide.Answer, dec.Answer, "game %d, %d workers", gi, workers)
			assert.Equal(t, wantDecide.Witness, dec.Witness, "game %d, %d workers", gi, workers)
			assert.Equal(t, wantDecide.Stats["profiles"], dec.Stats["profiles"], "game %d, %d workers: the walk up to its witness", gi, workers)
		}
	}
}

// The counters are the same at every run with the same Workers: blocks
// that other workers walked first, or that a worker began after the
// witness's block, change nothing. (They once did: solve --workers 2 gave
// 69, 71 or 88 checks on one game.)
func TestWorkersCountersAreReproducible(t *testing.T) {
	for gi, p := range splitGames(t) {
		for _, opt := range []solvers.Options{{Workers: 1}, {Workers: 3}, {Workers: 8}, {Count: true, Workers: 3}, {Count: true, Workers: 8}} {
			want := solve(t, p, opt).Stats
			for range 10 {
				assert.Equal(t, want, solve(t, p, opt).Stats, "game %d, %+v", gi, opt)
			}
		}
	}
}

// The shards of a game partition its walk: their counts sum to the full
// count and their listed equilibria, in shard order, are the full list,
// whatever the Workers of each (up to more than a shard has blocks). A
// shard answers Found or, having none, Unknown: never None.
func TestShardsSumToTheCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 15))
	for gi, p := range splitGames(t) {
		want := solve(t, p, solvers.Options{Count: true, List: 1000})
		for _, shards := range []int{1, 2, 3, 7, 100} {
			var sum int64
			var listed [][]bool
			var profiles float64
			found := false
			for i := range shards {
				opt := solvers.Options{Count: true, List: 1000, Workers: 1 + rng.IntN(40), Shard: solvers.Shard{Index: i, Count: shards}}
				r := solve(t, p, opt)
				require.True(t, r.Counted)
				sum += r.Count
				listed = append(listed, r.Listed...)
				profiles += r.Stats["profiles"]
				if i == 0 { // it holds the all-closed profile, however many shards
					assert.Positive(t, r.Stats["profiles"], "game %d, shard %v", gi, opt.Shard)
				}
				if shards > 1 {
					assert.NotEqual(t, solvers.None, r.Answer, "game %d, shard %v", gi, opt.Shard)
				}
				assert.Equal(t, r.Count > 0, r.Answer == solvers.Found, "game %d, shard %v", gi, opt.Shard)
				found = found || r.Answer == solvers.Found
				dec := solve(t, p, solvers.Options{Shard: opt.Shard})
				assert.Equal(t, r.Answer, dec.Answer, "game %d, shard %v", gi, opt.Shard)
			}
			assert.Equal(t, want.Count, sum, "game %d, %d shards", gi, shards)
			assert.Equal(t, want.Listed, listed, "game %d, %d shards", gi, shards)
			assert.Equal(t, want.Stats["profiles"], profiles, "game %d, %d shards", gi, shards)
			assert.Equal(t, want.Answer == solvers.Found, found, "game %d, %d shards", gi, shards)
		}
	}
}

func TestRejectsBadShards(t *testing.T) {
	p := splitGames(t)[0]
	for _, s := range []solvers.Shard{{Index: 2, Count: 2}, {Index: -1, Count: 3}, {Index: 1, Count: 0}, {Count: -1}} {
		_, err := enum.Solver{}.Solve(context.Background(), p, solvers.Options{Shard: s})
		assert.ErrorContains(t, err, "want 0 <= index < count", "shard %+v", s)
	}
}

// Payoffs near game.Bound, with columns that share large entries (so that
// the common offsets, and the shift, are large) and ties: the walk's sums
// must not overflow, and the count must match the brute force.
func TestExtremePayoffs(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 16))
	levels := func(s int64) []int64 { return []int64{-s, -s + 1, 0, 1, s - 1, s} }
	refused := 0
	for range 300 {
		k := 2 + rng.IntN(6)
		s := game.Bound / int64(k+1)
		if rng.IntN(3) == 0 {
			s = game.Bound / 2 // few such entries fit in a row: New refuses the rest
		}
		lv := levels(s)
		D := make([][]int64, k)
		d := make([]int64, k)
		for i := range D {
			D[i] = make([]int64, k)
			for j := range D[i] {
				D[i][j] = lv[rng.IntN(len(lv))]
			}
			d[i] = lv[rng.IntN(len(lv))] / 2
		}
		g, err := game.New(nil, D, d)
		if err != nil {
			refused++
			continue // a row that can leave ±Bound
		}
		var want int64
		for bits := uint64(1); bits < 1<<k; bits++ {
			if testgen.Equilibrium(g, testgen.Profile(bits, k)) {
				want++
			}
		}
		for _, workers := range []int{1, 3} {
			r := solve(t, &solvers.Problem{Game: g}, solvers.Options{Count: true, Workers: workers})
			require.Equal(t, want, r.Count, "game %v", g)
		}
	}
	assert.Less(t, refused, 150)
	// Every column's most common entry is ±Bound/4 (twice; the rest
	// distinct), so the offsets add up to more than Bound: the walk must
	// not use them all.
	for k := 5; k <= 14; k += 3 {
		s := game.Bound/4 - 1<<20
		D := make([][]int64, k)
		d := make([]int64, k)
		for j := range D {
			D[j] = make([]int64, k)
			for i := range D[j] {
				D[j][i] = int64((j*k + i) * (1 - 2*(i%2)))
			}
			d[j] = rng.Int64N(2*s+1) - s
		}
		for i := range k {
			D[(i+1)%k][i], D[(i+2)%k][i] = s, s
			D[(i+3)%k][i], D[(i+4)%k][i] = -s, -s
		}
		g, err := game.New(nil, D, d)
		require.NoError(t, err)
		var want int64
		for bits := uint64(1); bits < 1<<k; bits++ {
			if testgen.Equilibrium(g, testgen.Profile(bits, k)) {
				want++
			}
		}
		r := solve(t, &solvers.Problem{Game: g}, solvers.Options{Count: true})
		require.Equal(t, want, r.Count, "game %v", g)
	}
}
