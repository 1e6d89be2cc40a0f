package game_test

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	. "github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/testgen"
)

// randRat draws a rational in [0, 1] with a small denominator, corners often.
func randRat(rng *rand.Rand) *big.Rat {
	switch rng.IntN(4) {
	case 0:
		return big.NewRat(0, 1)
	case 1:
		return big.NewRat(1, 1)
	}
	q := 1 + rng.Int64N(7)
	return big.NewRat(rng.Int64N(q+1), q)
}

func randProfile(rng *rand.Rand, k int) []*big.Rat {
	a := make([]*big.Rat, k)
	for i := range a {
		a[i] = randRat(rng)
	}
	return a
}

func with(a []*big.Rat, i int, x *big.Rat) []*big.Rat {
	b := append([]*big.Rat(nil), a...)
	b[i] = x
	return b
}

// naiveBest computes player i's best response from the definition: u_i is
// piecewise linear in a_i with kinks only where two competitors' lines
// cross, so its maximum over [0, 1] is at 0, 1 or a crossing; u_i is
// evaluated there with UtilityRat.
func naiveBest(t *testing.T, g *Game, a []*big.Rat, i int) (lo, hi, val *big.Rat) {
	k := g.Players()
	mu0, err := g.MuRat(with(a, i, new(big.Rat)))
	require.NoError(t, err)
	cands := []*big.Rat{big.NewRat(0, 1), big.NewRat(1, 1)}
	for j := range k {
		for l := range k {
			if j == i || l == i || g.Entry(j, i) == g.Entry(l, i) {
				continue
			}
			// mu0_j + D[j][i] x = mu0_l + D[l][i] x
			x := new(big.Rat).Sub(mu0[l], mu0[j])
			x.Quo(x, big.NewRat(g.Entry(j, i)-g.Entry(l, i), 1))
			if x.Sign() > 0 && x.Cmp(big.NewRat(1, 1)) < 0 {
				cands = append(cands, x)
			}
		}
	}
	for _, x := range cands {
		u, err := g.UtilityRat(with(a, i, x), i)
		require.NoError(t, err)
		switch {
		case val == nil || u.Cmp(val) > 0:
			val, lo, hi = u, x, x
		case u.Cmp(val) == 0:
			if x.Cmp(lo) < 0 {
				lo = x
			}
			if x.Cmp(hi) > 0 {
				hi = x
			}
		}
	}
	return lo, hi, val
}

func TestBestResponseMatchesNaive(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(21, 21))
	intervals := 0
	for range 500 {
		k := 2 + rng.IntN(4)
		g := testgen.Game(rng, k, 3)
		a := randProfile(rng, k)
		for i := range k {
			br, err := g.BestResponse(a, i)
			require.NoError(t, err)
			lo, hi, val := naiveBest(t, g, a, i)
			require.Zero(t, val.Cmp(br.Value), "value, game %v at %v player %d", g, a, i)
			require.Zero(t, lo.Cmp(br.Lo), "lo, game %v at %v player %d: %s vs %s", g, a, i, lo, br.Lo)
			require.Zero(t, hi.Cmp(br.Hi), "hi, game %v at %v player %d", g, a, i)
			if br.Lo.Cmp(br.Hi) < 0 {
				intervals++
				mid := new(big.Rat).Add(br.Lo, br.Hi)
				mid.Quo(mid, big.NewRat(2, 1))
				u, err := g.UtilityRat(with(a, i, mid), i)
				require.NoError(t, err)
				assert.Zero(t, u.Cmp(br.Value), "the best-response set is an interval")
			}
			// A grid never beats the value.
			for n := int64(0); n <= 12; n++ {
				u, err := g.UtilityRat(with(a, i, big.NewRat(n, 12)), i)
				require.NoError(t, err)
				require.LessOrEqual(t, u.Cmp(br.Value), 0)
			}
		}
	}
	assert.Positive(t, intervals, "flat best responses should occur")
}

// A profile is a continuous equilibrium iff every player's utility equals
// its naive best value; a discrete profile that is a continuous equilibrium
// is a discrete one (flipping is one of the continuous deviations).
func TestCheckContinuous(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(22, 22))
	equilibria, interior, cornerOnlyDiscrete := 0, 0, 0
	for range 150 {
		k := 2 + rng.IntN(3)
		g := testgen.Game(rng, k, 3)
		var profiles [][]*big.Rat
		for bits := range uint64(1) << k {
			profiles = append(profiles, RatProfile(testgen.Profile(bits, k)))
		}
		for range 25 {
			profiles = append(profiles, randProfile(rng, k))
		}
		for pi, a := range profiles {
			dev, ok, err := g.CheckContinuous(a)
			require.NoError(t, err)
			want, first := true, -1
			for i := range k {
				u, err := g.UtilityRat(a, i)
				require.NoError(t, err)
				_, _, val := naiveBest(t, g, a, i)
				if val.Cmp(u) != 0 {
					want = false
					if first < 0 {
						first = i
						require.False(t, ok)
						assert.Equal(t, i, dev.Player)
						assert.Zero(t, new(big.Rat).Sub(val, u).Cmp(dev.Gain))
						assert.Zero(t, u.Cmp(dev.Utility))
					}
				}
			}
			require.Equal(t, want, ok, "game %v at %v", g, a)
			if pi < 1<<k {
				_, discrete, err := g.Check(testgen.Profile(uint64(pi), k))
				require.NoError(t, err)
				if ok {
					assert.True(t, discrete, "a corner continuous equilibrium must be a discrete one")
				} else if discrete {
					cornerOnlyDiscrete++
				}
			}
			if ok {
				equilibria++
				for _, x := range a {
					if x.Sign() > 0 && x.Cmp(big.NewRat(1, 1)) < 0 {
						interior++
						break
					}
				}
			}
		}
	}
	t.Logf("%d equilibria, %d with an interior action; %d discrete equilibria that are not continuous ones", equilibria, interior, cornerOnlyDiscrete)
	assert.Positive(t, equilibria)
	assert.Positive(t, interior, "some equilibria found should have an interior action")
	assert.Positive(t, cornerOnlyDiscrete, "some discrete equilibria should not be continuous ones")
}

func TestCheckContinuousRejects(t *testing.T) {
	g, err := New(nil, [][]int64{{1, 2}, {3, 4}}, []int64{0, 0})
	require.NoError(t, err)
	_, _, err = g.CheckContinuous([]*big.Rat{big.NewRat(1, 2)})
	assert.ErrorContains(t, err, "profile has 1 action, want 2")
	_, _, err = g.CheckContinuous([]*big.Rat{big.NewRat(1, 2), nil})
	assert.ErrorContains(t, err, "action of player 2 is nil")
	_, _, err = g.CheckContinuous([]*big.Rat{big.NewRat(3, 2), big.NewRat(0, 1)})
	assert.ErrorContains(t, err, "is 3/2, outside [0, 1]")
	_, err = g.BestResponse([]*big.Rat{big.NewRat(-1, 2), big.NewRat(0, 1)}, 0)
	assert.ErrorContains(t, err, "outside [0, 1]")
	_, err = g.BestResponse([]*big.Rat{big.NewRat(1, 2), big.NewRat(0, 1)}, 2)
	assert.ErrorContains(t, err, "no player 2")
}

// A worked example: three players, where the only equilibria are interior.
func TestBestResponseKink(t *testing.T) {
	// Player 0 gains 1 by opening; opening lifts player 1 by 2 and player 2
	// by 0. With d = (0, 0, 1) and the others closed, mu_1 = 2x and mu_2 = 1
	// cross at x = 1/2: u_0 = x - max(2x, 1) rises to 1/2 - 1 and then falls.
	g, err := New(nil, [][]int64{{1, 0, 0}, {2, 0, 0}, {0, 0, 0}}, []int64{0, 0, 1})
	require.NoError(t, err)
	a := []*big.Rat{new(big.Rat), new(big.Rat), new(big.Rat)}
	br, err := g.BestResponse(a, 0)
	require.NoError(t, err)
	assert.Equal(t, "1/2", br.Lo.RatString())
	assert.Equal(t, "1/2", br.Hi.RatString())
	assert.Equal(t, "-1/2", br.Value.RatString())
	dev, ok, err := g.CheckContinuous(a)
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Equal(t, 0, dev.Player)
	assert.Equal(t, "1/2", dev.Gain.RatString())
	_, ok, err = g.CheckContinuous(with(a, 0, big.NewRat(1, 2)))
	require.NoError(t, err)
	assert.True(t, ok)
}

// A player Corollary 1 determines has a strictly dominant action in the
// continuous game too: its best response is that corner alone, whatever the
// others do.
func TestCorollary1Continuous(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 23))
	used := 0
	for range 500 {
		k := 2 + rng.IntN(4)
		g := testgen.Game(rng, k, 4)
		pred := g.Corollary1()
		a := randProfile(rng, k)
		for i, p := range pred {
			if p == Undetermined {
				continue
			}
			used++
			br, err := g.BestResponse(a, i)
			require.NoError(t, err)
			want := big.NewRat(0, 1)
			if p == Opens {
				want = big.NewRat(1, 1)
			}
			assert.Zero(t, want.Cmp(br.Lo))
			assert.Zero(t, want.Cmp(br.Hi))
		}
	}
	assert.Positive(t, used)
}

func TestWelfareExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(24, 24))
	for range 200 {
		k := 2 + rng.IntN(4)
		g := testgen.Game(rng, k, 5)
		for bits := range uint64(1) << k {
			a := testgen.Profile(bits, k)
			w, err := g.Welfare(a)
			require.NoError(t, err)
			wb, err := g.WelfareBig(a)
			require.NoError(t, err)
			wr, err := g.WelfareRat(RatProfile(a))
			require.NoError(t, err)
			assert.Equal(t, w, wb.Int64())
			assert.Zero(t, wr.Cmp(new(big.Rat).SetInt64(w)))
		}
		// W is affine: W(a) = W(0) + sum_i slope_i a_i, on continuous profiles too.
		a := randProfile(rng, k)
		w0, err := g.WelfareRat(RatProfile(make([]bool, k)))
		require.NoError(t, err)
		for i, x := range a {
			s := new(big.Rat).SetInt(g.WelfareSlope(i))
			w0.Add(w0, s.Mul(s, x))
		}
		w, err := g.WelfareRat(a)
		require.NoError(t, err)
		assert.Zero(t, w.Cmp(w0))
	}
	// Column sums beyond int64.
	b := Bound
	k := 6
	D := make([][]int64, k)
	for i := range D {
		D[i] = make([]int64, k)
		D[i][0] = b
		if i == 1 {
			D[i][0] = -b
		}
	}
	g, err := New(nil, D, make([]int64, k))
	require.NoError(t, err)
	want := new(big.Int).Mul(big.NewInt(b), big.NewInt(int64(k-2)))
	assert.Zero(t, want.Cmp(g.WelfareSlope(0)), "got %v", g.WelfareSlope(0))
	for i := range D {
		D[i][0] = -b
	}
	g, err = New(nil, D, make([]int64, k))
	require.NoError(t, err)
	want = new(big.Int).Mul(big.NewInt(-b), big.NewInt(int64(k)))
	assert.Zero(t, want.Cmp(g.WelfareSlope(0)), "got %v", g.WelfareSlope(0))
	assert.Equal(t, []bool{false, false, false, false, false, false}, g.WelfareOptimum())
	wb, err := g.WelfareBig([]bool{true, false, false, false, false, false})
	require.NoError(t, err)
	assert.Zero(t, want.Cmp(wb))
}
