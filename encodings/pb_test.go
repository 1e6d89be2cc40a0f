package encodings_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/encodings"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/enum"
	"github.com/nashbench/nashbench/solvers/gophersat"
	"github.com/nashbench/nashbench/verify"
)

// randomGame draws a k-player game with entries in [-r, r] and makes some
// players null (their column zero off the diagonal) and some deltas zero.
func randomGame(rng *rand.Rand, k int, r int64) *game.Game {
	D, d := testgen.Game(rng, k, r).Matrix()
	return nullSome(rng, D, d, 4, 5)
}

// encodingVariants are the switches of the encoding that must not change
// any answer.
var encodingVariants = []struct {
	name         string
	unary        int64
	share, dedup bool
	split        int
	degree       int64 // encodings.MaxDegree(): small ones make the encoding split into digits
	noCap        bool  // every player's condition encoded, none left to the cap rows
}{
	{"default", 1024, true, true, 12, 1 << 16, false},
	{"binary", 0, true, true, 12, 1 << 16, false},
	{"no-shared-selectors", 1024, false, true, 12, 1 << 16, false},
	{"no-dedup", 1024, true, false, 12, 1 << 16, false},
	{"no-split", 1024, true, true, -1, 1 << 16, false},
	{"binary-plain", 0, false, false, -1, 1 << 16, false},
	{"binary-digits", 0, true, true, 12, 16, false},
	{"no-cap", 1024, true, true, 12, 1 << 16, true},
}

// checkPB runs gophersat-pb in-process against enum on p, deciding and
// counting.
func checkPB(t *testing.T, p *solvers.Problem, count bool) {
	t.Helper()
	opt := solvers.Options{Count: count, List: 4}
	want, err := enum.Solver{}.Solve(context.Background(), p, opt)
	require.NoError(t, err)
	got, err := gophersat.PB{}.Solve(context.Background(), p, opt)
	require.NoError(t, err)
	require.Equal(t, want.Answer, got.Answer, "game %v", p.Game)
	require.NoError(t, verify.Result(p, got), "game %v", p.Game)
	if count {
		require.Equal(t, want.Count, got.Count, "game %v", p.Game)
		assert.Len(t, got.Listed, int(min(want.Count, 4)))
		seen := map[string]bool{}
		for _, a := range got.Listed {
			seen[string(bitsOf(a))] = true
		}
		assert.Len(t, seen, len(got.Listed), "listed equilibria are distinct")
	} else {
		assert.False(t, got.Counted)
	}
}

func TestPBRandomGames(t *testing.T) {
	for _, v := range encodingVariants {
		t.Run(v.name, func(t *testing.T) {
			encodings.WithVariant(t, v.unary, v.share, v.dedup, v.split, v.degree, v.noCap)
			rng := rand.New(rand.NewPCG(11, uint64(len(v.name))))
			n := 600
			if v.name != "default" {
				n = 200
			}
			for it := range n {
				k := 2 + rng.IntN(7) // 2..8
				g := randomGame(rng, k, 3)
				checkPB(t, &solvers.Problem{Game: g}, it%2 == 0)
			}
		})
	}
}

// TestPBWideRange uses payoffs whose Z ranges exceed the unary limit, so the
// default encoding takes the binary path on its own.
func TestPBWideRange(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for it := range 150 {
		k := 2 + rng.IntN(5)
		g := randomGame(rng, k, 3)
		D := make([][]int64, k)
		for i := range D {
			D[i] = make([]int64, k)
			for j := range D[i] {
				D[i][j] = g.Entry(i, j) * 700
			}
		}
		base := make([]int64, k)
		for i := range base {
			base[i] = g.Base(i)*700 + rng.Int64N(3) - 1 // break some ties
		}
		g2, err := game.New(nil, D, base)
		require.NoError(t, err)
		checkPB(t, &solvers.Problem{Game: g2}, it%2 == 0)
	}
}

// Reduction games, with the cap rows (then the encoding is the formula's
// clauses) and without (then every variable player's condition is
// encoded, as for any game).
func TestPBReductionGames(t *testing.T) {
	for _, noCap := range []bool{false, true} {
		t.Run(fmt.Sprintf("noCap=%v", noCap), func(t *testing.T) {
			encodings.WithCapRows(t, !noCap)
			rng := rand.New(rand.NewPCG(3, 9))
			for it := range 200 {
				n := 1 + rng.IntN(12)
				m := rng.IntN(5 * n)
				if it%3 == 0 {
					m = 2*n + rng.IntN(3*n) // fewer models, to count
				}
				f := testgen.Formula(rng, n, m)
				p := problemOf(t, f)
				models := bruteNonTrivial(f)
				// Game input only: gophersat-pb must not need the formula.
				gp := &solvers.Problem{Game: p.Game}
				checkPB(t, gp, models <= 200)
				r, err := gophersat.PB{}.Solve(context.Background(), gp, solvers.Options{})
				require.NoError(t, err)
				assert.Equal(t, models > 0, r.Answer == solvers.Found)
				// With the formula given, the witness must also be a model.
				r2, err := gophersat.PB{}.Solve(context.Background(), p, solvers.Options{})
				require.NoError(t, err)
				require.NoError(t, verify.Result(p, r2))
			}
		})
	}
}

// At the sizes it now reaches, gophersat-pb answers as gophersat does on
// the formula, with the formula's clauses (and the non-triviality clause)
// as its whole encoding, and so the same search (-short: one instance per
// size).
func TestPBLargeReductions(t *testing.T) {
	for _, tt := range []struct{ n, count int }{{100, 4}, {150, 3}, {200, 1}} {
		if testing.Short() {
			tt.count = 1 // one instance per size
		}
		for i := range tt.count {
			f, _, err := instances.Spec{N: tt.n, M: instances.ClausesForRatio(tt.n, 4.26), K: 3, Seed: 1, Index: i}.Generate()
			require.NoError(t, err)
			p := problemOf(t, f)
			want, err := gophersat.CNF{}.Solve(context.Background(), p, solvers.Options{})
			require.NoError(t, err)
			gp := &solvers.Problem{Game: p.Game}
			got, err := gophersat.PB{}.Solve(context.Background(), gp, solvers.Options{})
			require.NoError(t, err)
			require.Equal(t, want.Answer, got.Answer, "n=%d instance %d", tt.n, i)
			require.NoError(t, verify.Result(gp, got))
			assert.Equal(t, float64(tt.n), got.Stats["vars"])
			assert.LessOrEqual(t, got.Stats["constraints"], float64(len(f.Clauses)+1))
		}
	}
}

func TestPBRandom3SAT(t *testing.T) {
	for _, n := range []int{8, 12, 16} {
		for i := range 15 {
			f, _, err := instances.Spec{N: n, M: instances.ClausesForRatio(n, 4.26), K: 3, Seed: 5, Index: i}.Generate()
			require.NoError(t, err)
			p := problemOf(t, f)
			t.Run(fmt.Sprintf("n=%d/i=%d", n, i), func(t *testing.T) {
				checkPB(t, &solvers.Problem{Game: p.Game}, true)
				c, err := gophersat.CNF{}.Solve(context.Background(), p, solvers.Options{Count: true})
				require.NoError(t, err)
				r, err := gophersat.PB{}.Solve(context.Background(), p, solvers.Options{Count: true})
				require.NoError(t, err)
				assert.Equal(t, c.Count, r.Count)
			})
		}
	}
}

func TestPBSmallCases(t *testing.T) {
	mk := func(D [][]int64, d []int64) *game.Game {
		g, err := game.New(nil, D, d)
		require.NoError(t, err)
		return g
	}
	tests := []struct {
		name  string
		g     *game.Game
		want  solvers.Answer
		count int64
	}{
		{"all null, all closing", mk([][]int64{{-1, 0}, {0, -2}}, []int64{0, 0}), solvers.None, 0},
		{"all null, one opens", mk([][]int64{{1, 0}, {0, -2}}, []int64{0, 0}), solvers.Found, 1},
		{"all null, two free", mk([][]int64{{0, 0}, {0, 0}}, []int64{3, 1}), solvers.Found, 3},
		{"all null, free and fixed", mk([][]int64{{0, 0}, {0, 2}}, []int64{0, 0}), solvers.Found, 2},
		{"all zero, three", mk([][]int64{{0, 0, 0}, {0, 0, 0}, {0, 0, 0}}, []int64{0, 0, 0}), solvers.Found, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &solvers.Problem{Game: tt.g}
			r, err := gophersat.PB{}.Solve(context.Background(), p, solvers.Options{Count: true, List: 10})
			require.NoError(t, err)
			assert.Equal(t, tt.want, r.Answer)
			assert.Equal(t, tt.count, r.Count)
			assert.Len(t, r.Listed, int(tt.count))
			require.NoError(t, verify.Result(p, r))
			checkPB(t, p, true)
		})
	}
}

func TestPBHugePayoffs(t *testing.T) {
	b := game.Bound / 2
	g, err := game.New(nil, [][]int64{{b, -b}, {b, 1}}, []int64{0, 0})
	require.NoError(t, err)
	_, err = gophersat.PB{}.Solve(context.Background(), &solvers.Problem{Game: g}, solvers.Options{})
	require.Error(t, err)
	assert.True(t, solvers.IsRefused(err), "%v", err)
	assert.Contains(t, err.Error(), "magnitude is about 2^63.0")
	assert.Contains(t, err.Error(), "magnitudes up to 2^57")
	err = encodings.WriteOPB(&discard{}, g)
	require.Error(t, err)
	assert.True(t, solvers.IsRefused(err), "%v", err)
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
