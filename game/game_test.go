package game_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	. "github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/testgen"
)

func flip(a []bool, i int) []bool {
	b := append([]bool(nil), a...)
	b[i] = !b[i]
	return b
}

// bruteForce decides equilibrium from the definition: no player's utility
// rises by flipping. It returns the first improving player and its gain.
func bruteForce(g *Game, a []bool) (int, int64) {
	i := testgen.Deviator(g, a)
	if i < 0 {
		return -1, 0
	}
	return i, g.Utility(flip(a, i), i) - g.Utility(a, i)
}

// maxes returns max_{j!=i} mu_j before and after i flips.
func maxes(g *Game, a []bool, i int) (int64, int64) {
	mu, mu2 := g.Mu(a, nil), g.Mu(flip(a, i), nil)
	z, zt := int64(-1<<62), int64(-1<<62)
	for j := range mu {
		if j != i {
			z, zt = max(z, mu[j]), max(zt, mu2[j])
		}
	}
	return z, zt
}

func sign(a bool) int64 {
	if a {
		return 1
	}
	return -1
}

func TestNewRejects(t *testing.T) {
	big := Bound
	tests := []struct {
		name  string
		names []string
		D     [][]int64
		base  []int64
		msg   string
	}{
		{"one player", nil, [][]int64{{1}}, []int64{0}, "at least 2 players"},
		{"rows", nil, [][]int64{{1, 2}}, []int64{0, 0}, "D has 1 row,"},
		{"ragged", nil, [][]int64{{1, 2}, {1}}, []int64{0, 0}, "row 2 of D has 1 entry,"},
		{"names", []string{"a"}, [][]int64{{1, 2}, {1, 2}}, []int64{0, 0}, "1 name for 2 players"},
		{"entry", nil, [][]int64{{big + 1, 0}, {0, 0}}, []int64{0, 0}, "beyond ±2^61"},
		{"sum", nil, [][]int64{{big, big}, {0, 0}}, []int64{0, 0}, "player 1's progress can leave ±2^61"},
		{"sum of the second", nil, [][]int64{{0, 0}, {big, big}}, []int64{0, 0}, "player 2's progress can leave ±2^61"},
		{"base", nil, [][]int64{{0, 0}, {0, 0}}, []int64{-big - 1, 0}, "d[1] = "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.names, tt.D, tt.base)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

// Lemma 1, as Check implements it, agrees with best responses computed from
// the definition of u, and reports the same first deviator and gain.
func TestCheckMatchesBruteForce(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 1))
	equilibria := 0
	for range 2000 {
		k := 2 + rng.IntN(4)
		g := testgen.Game(rng, k, 4)
		for bits := range uint64(1) << k {
			a := testgen.Profile(bits, k)
			dev, ok, err := g.Check(a)
			require.NoError(t, err)
			who, gain := bruteForce(g, a)
			require.Equal(t, who < 0, ok, "game %v profile %v", g, a)
			if ok {
				equilibria++
				continue
			}
			assert.Equal(t, who, dev.Player)
			assert.Equal(t, gain, dev.Gain)
		}
	}
	assert.Positive(t, equilibria)
}

func TestCheckExtremePayoffs(t *testing.T) {
	// Entries near the bound: the check must not overflow.
	h := Bound / 2
	g, err := New(nil, [][]int64{{h, -h}, {-h, h}}, []int64{0, 0})
	require.NoError(t, err)
	for bits := range uint64(4) {
		a := testgen.Profile(bits, 2)
		_, ok, err := g.Check(a)
		require.NoError(t, err)
		who, _ := bruteForce(g, a)
		assert.Equal(t, who < 0, ok)
	}
	_, _, err = g.Check([]bool{true})
	assert.ErrorContains(t, err, "profile has 1 action, want 2")
}

// ERRATA, Theorem 2: constraint (N) as printed, z - z~ >= (2a_i-1) delta_i,
// disagrees with the equilibrium condition on some games; the corrected sign
// (<=) never does.
func TestConstraintNSign(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	printedWrong := 0
	for range 1000 {
		k := 2 + rng.IntN(3)
		g := testgen.Game(rng, k, 3)
		for bits := range uint64(1) << k {
			a := testgen.Profile(bits, k)
			who, _ := bruteForce(g, a)
			printed, corrected := true, true
			for i := range k {
				z, zt := maxes(g, a, i)
				rhs := sign(a[i]) * g.Delta(i)
				printed = printed && z-zt >= rhs
				corrected = corrected && z-zt <= rhs
			}
			require.Equal(t, who < 0, corrected, "corrected (N) on %v at %v", g, a)
			if printed != (who < 0) {
				printedWrong++
			}
		}
	}
	assert.Positive(t, printedWrong, "the printed sign of (N) should disagree with equilibrium on some games")
}

// ERRATA, Corollary 1: the sufficient condition holds with what player i
// gives (D[j][i]) and fails with what it receives (D[i][j]), as printed.
func TestCorollary1Index(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	printedCounter, correctedUsed := 0, 0
	for range 3000 {
		g := testgen.Game(rng, 3, 4)
		k := g.Players()
		for bits := range uint64(1) << k {
			a := testgen.Profile(bits, k)
			pred := g.Corollary1()
			printed, corrected := true, true
			for i := range k {
				loR, hiR := int64(1<<62), int64(-1<<62)
				for j := range k {
					if j != i {
						loR, hiR = min(loR, g.Entry(i, j)), max(hiR, g.Entry(i, j))
					}
				}
				d := g.Delta(i)
				if a[i] {
					printed = printed && hiR < d
					corrected = corrected && pred[i] == Opens
				} else {
					printed = printed && d < loR
					corrected = corrected && pred[i] == Closes
				}
			}
			who, _ := bruteForce(g, a)
			if corrected {
				correctedUsed++
				require.Negative(t, who, "corrected Corollary 1 promised an equilibrium: %v at %v", g, a)
			}
			if printed && who >= 0 {
				printedCounter++
			}
		}
	}
	assert.Positive(t, correctedUsed, "the corrected condition should apply somewhere")
	assert.Positive(t, printedCounter, "the printed index should have counterexamples")
}

// ERRATA, Corollary 2: from all-closed, i deviates iff
// max_{j!=i} d_j - max_{j!=i}(d_j + Delta_ij) > -delta_i, strictly; at
// equality it is indifferent, which the printed >= gets wrong.
func TestCorollary2Strict(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	ties := 0
	for range 3000 {
		k := 2 + rng.IntN(3)
		g := testgen.Game(rng, k, 3)
		zero := make([]bool, k)
		pred := g.Corollary2()
		for i := range k {
			m0, m1 := int64(-1<<62), int64(-1<<62)
			for j := range k {
				if j != i {
					m0 = max(m0, g.Base(j))
					m1 = max(m1, g.Base(j)+g.Entry(j, i))
				}
			}
			deviates := g.Utility(flip(zero, i), i) > g.Utility(zero, i)
			require.Equal(t, deviates, pred[i], "Corollary2 on %v, player %d", g, i)
			if m0-m1 == -g.Delta(i) {
				ties++
				assert.False(t, deviates, "at equality the printed weak inequality predicts a deviation that does not pay")
			}
		}
	}
	assert.Positive(t, ties)
}

func TestMuBoundsAndNull(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for range 300 {
		k := 2 + rng.IntN(4)
		D, d := testgen.Game(rng, k, 5).Matrix()
		// Zero some columns so that null players occur.
		for i := range k {
			if rng.IntN(2) == 0 {
				for j := range k {
					if j != i {
						D[j][i] = 0
					}
				}
			}
		}
		g, err := New(nil, D, d)
		require.NoError(t, err)
		lo, hi := g.MuBounds()
		for j := range k {
			seenLo, seenHi := int64(1<<62), int64(-1<<62)
			for bits := range uint64(1) << k {
				m := g.Mu(testgen.Profile(bits, k), nil)[j]
				seenLo, seenHi = min(seenLo, m), max(seenHi, m)
			}
			assert.Equal(t, seenLo, lo[j])
			assert.Equal(t, seenHi, hi[j])
		}
		for i := range k {
			if !g.Null(i) {
				continue
			}
			// A null player's best response is fixed by the sign of delta.
			for bits := range uint64(1) << k {
				a := testgen.Profile(bits, k)
				gain := g.Utility(flip(a, i), i) - g.Utility(a, i)
				want := g.Delta(i)
				if a[i] {
					want = -want
				}
				assert.Equal(t, want, gain)
			}
		}
	}
}

func TestWelfare(t *testing.T) {
	g, err := New(nil, [][]int64{{2, 1}, {-3, 1}}, []int64{5, 7})
	require.NoError(t, err)
	w, err := g.Welfare([]bool{true, true})
	require.NoError(t, err)
	assert.Equal(t, int64(5+2+1+7-3+1), w)
	b := Bound
	D := make([][]int64, 5)
	for i := range D {
		D[i] = make([]int64, 5)
	}
	g, err = New(nil, D, []int64{b, b, b, b, b}) // 5 * 2^61 > 2^63
	require.NoError(t, err)
	_, err = g.Welfare(make([]bool, 5))
	assert.ErrorContains(t, err, "overflows")
}

// ERRATA, Corollary 3: welfare is separable, so the optimum opens i iff
// delta_i + sum_{j!=i} Delta_ij > 0; equilibria can miss it.
func TestWelfareSeparable(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 14))
	missed := 0
	for range 500 {
		k := 2 + rng.IntN(4)
		g := testgen.Game(rng, k, 4)
		opt := g.WelfareOptimum()
		best, err := g.Welfare(opt)
		require.NoError(t, err)
		bestEq, anyEq := int64(-1<<62), false
		for bits := range uint64(1) << k {
			a := testgen.Profile(bits, k)
			w, err := g.Welfare(a)
			require.NoError(t, err)
			require.LessOrEqual(t, w, best, "the separable optimum is beaten by %v", a)
			if testgen.Equilibrium(g, a) {
				anyEq, bestEq = true, max(bestEq, w)
			}
		}
		if anyEq && bestEq < best {
			missed++
		}
	}
	assert.Positive(t, missed, "some games' equilibria should all miss the welfare optimum")
}
