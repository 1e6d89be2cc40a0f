package continuous

import (
	"context"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/highs"
	"github.com/nashbench/nashbench/internal/testgen"
)

func newSolver(t *testing.T) *highs.Solver {
	t.Helper()
	s, err := highs.NewSolver(context.Background())
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSizes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, k := range []int{3, 20} {
		g := testgen.Game(rng, k, 3)
		for _, f := range []Formulation{Printed, Corrected} {
			m, err := Build(g, f)
			require.NoError(t, err)
			s := SizeOf(m)
			assert.Equal(t, 7*k+2*k*(k-1), s.Cols)
			assert.Equal(t, 2*k+k*(k-1), s.Binaries)
			assert.Equal(t, 9*k+3*k*(k-1), s.Rows)
			t.Logf("k=%d %s: %+v", k, f, s)
		}
	}
}

func TestFormulationNames(t *testing.T) {
	for _, f := range []Formulation{Printed, Corrected} {
		g, err := ParseFormulation(f.String())
		require.NoError(t, err)
		assert.Equal(t, f, g)
	}
	_, err := ParseFormulation("theorem5")
	assert.ErrorContains(t, err, `unknown formulation "theorem5"`)
}

func TestRefusesInexactPayoffs(t *testing.T) {
	big := int64(1)<<53 + 1
	for _, tc := range []struct {
		D    [][]int64
		d    []int64
		want string
	}{
		{[][]int64{{big, 0}, {0, 0}}, []int64{0, 0}, "D[0][0] = 9007199254740993 exceeds 2^53"},
		{[][]int64{{0, 0}, {0, 0}}, []int64{0, -big}, "d[1] = -9007199254740993 exceeds 2^53"},
		{[][]int64{{1 << 52, 1 << 52}, {0, 0}}, []int64{1, 0}, "P1's progress ranges over [1, 9007199254740993], beyond ±2^53"},
	} {
		g, err := game.New(nil, tc.D, tc.d)
		require.NoError(t, err)
		_, err = Solve(context.Background(), g, Corrected, Options{})
		assert.ErrorContains(t, err, tc.want)
	}
}

func TestSimplest(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		tol  float64
		want string
	}{
		{0.5, 1e-6, "1/2"},
		{1.0 / 3, 1e-6, "1/3"},
		{1.0/3 + 5e-7, 1e-6, "1/3"},
		{0.2857142857, 1e-9, "2/7"},
		{0.999999999, 1e-6, "1"},
		{-1e-9, 1e-6, "0"},
		{1.5, 1e-6, "1"},
		{0.123456789, 1e-12, ""}, // checked below: within tol
		{355.0 / 1133, 1e-12, "355/1133"},
	} {
		r := simplestNear(tc.x, tc.tol)
		f, _ := r.Float64()
		if tc.want != "" {
			assert.Equal(t, tc.want, r.RatString(), "x=%v", tc.x)
		}
		if tc.x >= 0 && tc.x <= 1 {
			assert.InDelta(t, tc.x, f, tc.tol)
		}
	}
}

// A game whose every equilibrium has an interior action: player 0 gains 1
// by opening and lifts player 1 by 2; player 2 sits at 1. Player 0's utility
// x - max(2x, 1) peaks where the two tie, at x = 1/2, and players 1 and 2
// are indifferent.
func TestInteriorExample(t *testing.T) {
	g, err := game.New(nil, [][]int64{{1, 0, 0}, {2, 0, 0}, {0, 0, 0}}, []int64{0, 0, 1})
	require.NoError(t, err)
	s := newSolver(t)
	r, err := Solve(context.Background(), g, Corrected, Options{Solver: s})
	require.NoError(t, err)
	require.Equal(t, Found, r.Status)
	assert.Equal(t, "1/2", r.Profile[0].RatString())
	r, err = Solve(context.Background(), g, Printed, Options{Solver: s})
	require.NoError(t, err)
	assert.Equal(t, Infeasible, r.Status, "the printed form needs delta_0 = Delta_0j for the tied j")
	assert.Nil(t, r.Profile)
}

// ERRATA, Theorem 4: on random 3-player games the printed formulation is
// infeasible on a good share of games, although every game has an
// equilibrium (Theorem 3); the corrected one always returns a profile the
// exact verifier accepts. The share grows with the range of the entries, as
// exact coincidences delta_i = Delta_ij get rarer: over 1000 games it was
// 8% for entries in [-2, 2], 12% in [-3, 3], 24% in [-10, 10] and 29% in
// [-100, 100].
func TestRandomThreePlayer(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 7))
	s := newSolver(t)
	ctx := context.Background()
	const games = 200
	printedInfeasible, noCorner, interior := 0, 0, 0
	recov := map[string]int{}
	for range games {
		g := testgen.Game(rng, 3, 10)
		corner := false
		for bits := range uint64(8) {
			_, ok, err := g.CheckContinuous(game.RatProfile(testgen.Profile(bits, 3)))
			require.NoError(t, err)
			corner = corner || ok
		}
		if !corner {
			noCorner++
		}

		r, err := Solve(ctx, g, Corrected, Options{Solver: s})
		require.NoError(t, err, "game %v", g)
		require.Equal(t, Found, r.Status)
		_, ok, err := g.CheckContinuous(r.Profile)
		require.NoError(t, err)
		require.True(t, ok)
		recov[r.Recovery]++
		for _, x := range r.Profile {
			if x.Sign() > 0 && x.Cmp(big.NewRat(1, 1)) < 0 {
				interior++
				break
			}
		}

		p, err := Solve(ctx, g, Printed, Options{Solver: s})
		require.NoError(t, err, "game %v", g)
		switch p.Status {
		case Infeasible:
			printedInfeasible++
			// The printed form is exact at corners, so it is infeasible
			// only when no corner profile is an equilibrium.
			assert.False(t, corner, "printed infeasible although a corner equilibrium exists: game %v", g)
		case Found:
			_, ok, err := g.CheckContinuous(p.Profile)
			require.NoError(t, err)
			require.True(t, ok)
		default:
			t.Fatalf("printed: status %v", p.Status)
		}
	}
	t.Logf("%d games: printed infeasible on %d, no corner equilibrium on %d, corrected answer interior on %d; recoveries %v",
		games, printedInfeasible, noCorner, interior, recov)
	assert.GreaterOrEqual(t, printedInfeasible, games/8, "the printed formulation should miss equilibria on many games")
	assert.GreaterOrEqual(t, noCorner, printedInfeasible)
}

// Larger random games, where ties among several competitors and several
// interior players occur: the corrected formulation's answer always verifies.
// -short solves 3 games of each size instead of 8.
func TestRandomLarger(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(8, 8))
	s := newSolver(t)
	games := 8
	if testing.Short() {
		games = 3
	}
	for _, k := range []int{2, 4, 5, 6, 8} {
		for range games {
			g := testgen.Game(rng, k, 2)
			r, err := Solve(context.Background(), g, Corrected, Options{Solver: s})
			require.NoError(t, err, "k=%d game %v", k, g)
			require.Equal(t, Found, r.Status)
			_, ok, err := g.CheckContinuous(r.Profile)
			require.NoError(t, err)
			require.True(t, ok)
		}
	}
}

func TestCanceled(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	g := testgen.Game(rng, 3, 3)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := Solve(ctx, g, Corrected, Options{})
	require.NoError(t, err)
	assert.Equal(t, Unknown, r.Status)
	assert.Nil(t, r.Profile)
}

// An equilibrium with a large denominator: player 0's utility x - max(
// 100003x, 37) peaks at x = 37/100003. When HiGHS's value is off by 3e-7,
// snapping finds a simpler rational that is not an equilibrium, and the tie
// equation mu_1 = mu_2 recovers the exact one.
func TestRecoverByTies(t *testing.T) {
	g, err := game.New(nil, [][]int64{{1, 0, 0}, {100003, 0, 0}, {0, 0, 0}}, []int64{0, 0, 37})
	require.NoError(t, err)
	s := newSolver(t)
	m, err := Build(g, Corrected)
	require.NoError(t, err)
	sol, err := s.Solve(context.Background(), m, highs.Options{})
	require.NoError(t, err)
	require.Equal(t, highs.Optimal, sol.Status)
	l := layout{3}
	x := append([]float64(nil), sol.ColValues...)
	x[l.a(0)] += 3e-7
	p, how := recoverProfile(g, l, x)
	require.NotNil(t, p)
	assert.Equal(t, "ties", how)
	assert.Equal(t, "37/100003", p[0].RatString())

	r, err := Solve(context.Background(), g, Corrected, Options{Solver: s})
	require.NoError(t, err)
	require.Equal(t, Found, r.Status)
	assert.Equal(t, "37/100003", r.Profile[0].RatString())
	t.Logf("HiGHS's a_0 = %v, recovered by %s", r.Raw[0], r.Recovery)
}
