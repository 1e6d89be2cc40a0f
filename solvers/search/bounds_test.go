package search

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
)

// gain is player i's exact gain from opening at profile a (a_i ignored),
// from the game's own utilities.
func gain(g *game.Game, a []bool, i int) int64 {
	b := append([]bool(nil), a...)
	b[i] = true
	open := g.Utility(b, i)
	b[i] = false
	return open - g.Utility(b, i)
}

// completions calls f with every profile that extends the partial profile
// (val: -1 unassigned), the players in skip left as they are.
func completions(val []int8, f func(a []bool)) {
	var free []int
	a := make([]bool, len(val))
	for u, v := range val {
		if v < 0 {
			free = append(free, u)
		} else {
			a[u] = v == 1
		}
	}
	for mask := range 1 << len(free) {
		for q, u := range free {
			a[u] = mask>>q&1 == 1
		}
		f(a)
	}
}

// testEngine returns an engine on g without the non-triviality clause,
// with the players of val assigned as decisions, nothing propagated; pair
// picks the pairwise bound or the interval one.
func testEngine(g *game.Game, val []int8, pair bool) *engine {
	cfg := defaultConfig()
	cfg.pair = pair
	m := newModel(g, cfg)
	m.nt = false
	e := newEngine(m, false)
	for u, v := range val {
		if v >= 0 && !m.free[u] {
			e.newLevel()
			e.assign(mkLit(u, v == 1), rDecision)
		}
	}
	return e
}

func randomPartial(rng *rand.Rand, g *game.Game) []int8 {
	val := make([]int8, g.Players())
	for u := range val {
		val[u] = -1
		if g.Null(u) && g.Delta(u) == 0 {
			val[u] = 0 // free players are closed at level 0
		} else if rng.IntN(2) == 0 {
			val[u] = int8(rng.IntN(2))
		}
	}
	return val
}

func randomTestGame(rng *rand.Rand) *game.Game {
	k := 2 + rng.IntN(7)
	switch rng.IntN(3) {
	case 0:
		return smallGame(rng, k, 1+rng.Int64N(3))
	case 1:
		return raceGame(rng, k)
	}
	return uniformGame(rng, k)
}

// TestBoundsBruteForce: under random partial profiles, every player's
// bounds, pairwise and interval, contain its gain in every completion and
// are exact on full profiles; the engine's incremental bounds equal those
// computed from scratch; the pairwise bound is at least as tight as the
// interval one; and every explanation is a true lemma: in every
// completion of its partial profile, the player gains strictly by its
// forced action.
func TestBoundsBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 3000
	if testing.Short() {
		n = 600
	}
	decided := [2]int{}
	for range n {
		g := randomTestGame(rng)
		k := g.Players()
		val := randomPartial(rng, g)
		for mode, pair := range []bool{false, true} {
			e := testEngine(g, val, pair)
			require.Equal(t, pair, e.pair)
			for i := range k {
				lb, ub := e.bounds(i)
				lo, hi, pa, pb := scratchBounds(g, val, i)
				col := make([]int64, k)
				for j := range k {
					col[j] = g.Entry(j, i)
				}
				zl, zu := zBounds(i, g.Delta(i), col, lo, hi)
				a, b := witnesses(i, col, lo)
				for m := range k {
					pa[m], pb[m] = pdiff(g, val, i, a, m), pdiff(g, val, i, b, m)
				}
				pl, pu := pairBounds(i, g.Delta(i), col, pa, pb, b)
				if pair {
					require.Equal(t, [2]int64{pl, pu}, [2]int64{lb, ub}, "player %d of %v under %v", i, g, val)
				} else {
					require.Equal(t, [2]int64{zl, zu}, [2]int64{lb, ub}, "player %d of %v under %v", i, g, val)
				}
				require.GreaterOrEqual(t, pl, zl)
				require.LessOrEqual(t, pu, zu)
				full := true
				for u, v := range val {
					full = full && (v >= 0 || u == i)
				}
				completions(val, func(a []bool) {
					x := gain(g, a, i)
					require.LessOrEqual(t, lb, x, "player %d of %v under %v at %v", i, g, val, a)
					require.GreaterOrEqual(t, ub, x, "player %d of %v under %v at %v", i, g, val, a)
					if full {
						require.Equal(t, x, lb)
						require.Equal(t, x, ub)
					}
				})
				if lb <= 0 && ub >= 0 {
					continue
				}
				decided[mode]++
				open := lb > 0
				lits, _ := e.explain(i, open, len(e.trail))
				require.Equal(t, mkLit(i, open), lits[0])
				sub := make([]int8, k)
				for u := range sub {
					sub[u] = -1
					if g.Null(u) && g.Delta(u) == 0 {
						sub[u] = 0
					}
				}
				for _, q := range lits[1:] {
					u := q >> 1
					require.NotEqual(t, int32(i), u)
					require.Equal(t, int8(-1), sub[u], "player twice")
					sub[u] = int8(q&1) ^ 1 // the literal is false
					require.Equal(t, val[u], sub[u], "not from the profile")
				}
				completions(sub, func(a []bool) {
					x := gain(g, a, i)
					if open {
						require.Positive(t, x, "lemma %v of %v", lits, g)
					} else {
						require.Negative(t, x, "lemma %v of %v", lits, g)
					}
				})
			}
		}
	}
	require.Greater(t, decided[0], n/4)
	require.Greater(t, decided[1], decided[0])
}

// scratchBounds returns player i's z-intervals under the partial profile,
// and two rows for pdiff, from the game alone.
func scratchBounds(g *game.Game, val []int8, i int) (lo, hi, pa, pb []int64) {
	k := g.Players()
	lo, hi = make([]int64, k), make([]int64, k)
	for j := range k {
		lo[j], hi[j] = g.Base(j), g.Base(j)
		for u := range k {
			if u == i {
				continue
			}
			d := g.Entry(j, u)
			switch val[u] {
			case -1:
				lo[j] += min(0, d)
				hi[j] += max(0, d)
			case 1:
				lo[j] += d
				hi[j] += d
			}
		}
	}
	return lo, hi, make([]int64, k), make([]int64, k)
}

// pdiff is p(w, m) for player i under the partial profile: the least
// z_w - z_m over the completions, from the game alone.
func pdiff(g *game.Game, val []int8, i, w, m int) int64 {
	s := g.Base(w) - g.Base(m)
	for u := range val {
		if u == i {
			continue
		}
		x := g.Entry(w, u) - g.Entry(m, u)
		switch val[u] {
		case -1:
			s += min(0, x)
		case 1:
			s += x
		}
	}
	return s
}

// TestPropagationBruteForce: propagation from a random partial profile
// never loses an equilibrium: a conflict means no completion is one, and
// every equilibrium that extends the profile extends what it assigned.
func TestPropagationBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n := 3000
	if testing.Short() {
		n = 600
	}
	conflicts := 0
	for range n {
		g := randomTestGame(rng)
		val := randomPartial(rng, g)
		e := testEngine(g, val, rng.IntN(2) == 0)
		c := e.propagate()
		completions(val, func(a []bool) {
			_, eq, err := g.Check(a)
			require.NoError(t, err)
			if !eq {
				return
			}
			require.Nil(t, c, "a conflict, but %v is an equilibrium of %v", a, g)
			for u, v := range e.val {
				if v >= 0 {
					require.Equal(t, v == 1, a[u], "player %d: propagation excludes equilibrium %v of %v", u, a, g)
				}
			}
		})
		if c != nil {
			conflicts++
			// The conflict clause is false, and a true lemma.
			for _, q := range c.lits {
				require.Equal(t, int8(0), e.value(q))
			}
		}
	}
	require.Positive(t, conflicts)
}

// TestBoundArithmetic: games whose progress reaches ±2^61, the edge of
// game.Bound, are decided and counted as by brute force, and their
// certificates check: no sum in the bounds overflows.
func TestBoundArithmetic(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	B := game.Bound
	for range 300 {
		k := 2 + rng.IntN(4)
		D := make([][]int64, k)
		d := make([]int64, k)
		// Each row's negative and positive entries each sum to at most
		// 2^61 in size, with the base: mu spans all of [-2^61, 2^61].
		for i := range D {
			D[i] = make([]int64, k+1)
			for j := range D[i] {
				D[i][j] = B / int64(k+1)
				if rng.IntN(2) == 0 {
					D[i][j] = -D[i][j]
				}
				D[i][j] -= D[i][j] % 3 // ties now and then
				if rng.IntN(4) == 0 {
					D[i][j] = rng.Int64N(7) - 3
				}
			}
			d[i] = D[i][k]
			D[i] = D[i][:k]
		}
		g, err := game.New(nil, D, d)
		require.NoError(t, err)
		lo, hi := g.MuBounds()
		require.GreaterOrEqual(t, lo[0], -B)
		require.LessOrEqual(t, hi[0], B)
		want := int64(0)
		completions(make8(k), func(a []bool) {
			_, eq, _ := g.Check(a)
			if eq && game.NonTrivial(a) {
				want++
			}
		})
		for _, w := range []int{1, 2} {
			r := solveWith(t, Solver{}, g, certifyCount(w))
			require.Equal(t, want, r.Count, "%v", g)
		}
	}
}

func make8(k int) []int8 {
	v := make([]int8, k)
	for i := range v {
		v[i] = -1
	}
	return v
}
