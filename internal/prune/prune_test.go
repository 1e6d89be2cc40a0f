package prune

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/reduction"
)

// games draws small games of the shapes the analysis treats specially:
// plain random ones, null players, twins and constant players, structured
// ones (a common row plus exceptions), and reduction games.
var games = []struct {
	name string
	draw func(rng *rand.Rand) *game.Game
}{
	{"plain", func(rng *rand.Rand) *game.Game { return testgen.Game(rng, 2+rng.IntN(6), 3) }},
	{"null-twins-constant", func(rng *rand.Rand) *game.Game {
		k := 3 + rng.IntN(5)
		D, d := testgen.Game(rng, k, 3).Matrix()
		for i := range k {
			switch rng.IntN(5) {
			case 0: // null
				for j := range k {
					D[j][i] = 0
				}
				D[i][i] = rng.Int64N(3) - 1
			case 1: // nobody moves its progress
				for j := range k {
					if j != i {
						D[i][j] = 0
					}
				}
			case 2: // a twin
				t := rng.IntN(k)
				copy(D[i], D[t])
				d[i] = d[t]
			}
		}
		return must(game.New(nil, D, d))
	}},
	{"structured", func(rng *rand.Rand) *game.Game {
		// Most rows receive the same from every column, with exceptions.
		k := 3 + rng.IntN(6)
		c := make([]int64, k)
		for q := range c {
			c[q] = rng.Int64N(5) - 2
		}
		D := make([][]int64, k)
		d := make([]int64, k)
		for i := range k {
			D[i] = make([]int64, k)
			if rng.IntN(3) > 0 {
				copy(D[i], c)
			}
			for range rng.IntN(3) {
				D[i][rng.IntN(k)] += 5 * (rng.Int64N(3) - 1)
			}
			d[i] = rng.Int64N(11) - 5
		}
		return must(game.New(nil, D, d))
	}},
	{"scaled", func(rng *rand.Rand) *game.Game {
		// Common factors in rows and columns, ties broken by small
		// offsets: rows whose coefficients share a gcd, steps of a size.
		k := 2 + rng.IntN(5)
		D, d := testgen.Game(rng, k, 3).Matrix()
		f := int64(2 + rng.IntN(700))
		for i := range k {
			for j := range k {
				D[i][j] *= f
			}
			d[i] = d[i]*f + rng.Int64N(3) - 1
		}
		return must(game.New(nil, D, d))
	}},
	{"reduction", func(rng *rand.Rand) *game.Game {
		f := testgen.Formula(rng, 1+rng.IntN(5), 1+rng.IntN(14))
		v := reduction.Corrected
		if rng.IntN(4) == 0 {
			v = reduction.Literal
		}
		g, _, err := reduction.Reduce(f, v)
		if err != nil {
			panic(err)
		}
		return g
	}},
}

func must(g *game.Game, err error) *game.Game {
	if err != nil {
		panic(err)
	}
	return g
}

// profiles calls f with every profile of g whose null players play their
// fixed action (closed unless fixed open).
func profiles(v *View, f func(a []bool)) {
	n := len(v.Active)
	a := make([]bool, v.K)
	for bits := range uint64(1) << n {
		for i := range a {
			a[i] = v.Fixed[i]
		}
		for q, p := range v.Active {
			a[p] = bits>>q&1 == 1
		}
		f(a)
	}
}

func maxOf(mu []int64, skip int, only []int) int64 {
	m := int64(math.MinInt64)
	if only != nil {
		for _, l := range only {
			m = max(m, mu[l])
		}
		return m
	}
	for l, x := range mu {
		if l != skip {
			m = max(m, x)
		}
	}
	return m
}

// Every conclusion of the analysis holds at every profile, for every
// combination of options.
func TestAnalysisSound(t *testing.T) {
	t.Parallel()
	opts := []Options{{}, {NoPrune: true}, {NoConstant: true}, {NoCap: true}}
	for q, kind := range games {
		t.Run(kind.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(q), 41))
			for n := range 150 {
				g := kind.draw(rng)
				opt := opts[n%len(opts)]
				checkPlan(t, g, opt, fmt.Sprintf("game %d (%+v): %v", n, opt, g))
			}
		})
	}
}

func checkPlan(t *testing.T, g *game.Game, opt Options, what string) {
	t.Helper()
	v := NewView(g)
	k := v.K
	// The view reproduces D and the bounds of progress.
	for j := range k {
		for q, p := range v.Active {
			require.Equal(t, g.Entry(j, p), v.Entry(j, q), what)
		}
	}
	lo, hi := make([]int64, k), make([]int64, k)
	for j := range k {
		lo[j], hi[j] = math.MaxInt64, math.MinInt64
	}
	profiles(v, func(a []bool) {
		for j, m := range g.Mu(a, nil) {
			lo[j], hi[j] = min(lo[j], m), max(hi[j], m)
		}
	})
	require.Equal(t, lo, v.Lo, what)
	require.Equal(t, hi, v.Hi, what)

	p := Analyze(v, opt, nil)
	profiles(v, func(a []bool) {
		mu := g.Mu(a, nil)
		all := maxOf(mu, -1, nil)
		require.Equal(t, all, maxOf(mu, -1, p.L), "L holds the max: %s at %v", what, a)
		for i := range k {
			if !p.Lead[i] {
				require.LessOrEqual(t, mu[i], maxOf(mu, i, nil), "%d leads alone: %s at %v", i, what, a)
			}
		}
		_, eq, err := g.Check(a)
		require.NoError(t, err)
		nontrivial := game.NonTrivial(a)
		if p.Cap && eq && nontrivial {
			require.LessOrEqual(t, all, p.V, "cap: %s at %v", what, a)
		}
		for _, pl := range p.Players {
			i := pl.I
			b := int64(0)
			if a[i] {
				b = 1
			}
			if p.InL[i] {
				require.Equal(t, maxOf(mu, i, nil), maxOf(mu, -1, pl.Li), "L_%d: %s at %v", i, what, a)
			}
			left := maxOf(mu, i, nil)
			flipped := append([]bool(nil), a...)
			flipped[i] = !a[i]
			muF := g.Mu(flipped, nil)
			s := 2*b - 1
			for _, cd := range pl.Cands {
				if cd.B != b {
					continue
				}
				h := muF[cd.J] + s*g.Delta(i)
				require.LessOrEqual(t, cd.HMin, h, what)
				require.GreaterOrEqual(t, cd.HMax, h, what)
			}
			holds := left <= maxOf(muF, i, nil)+s*g.Delta(i)
			capped := !p.Cap || all <= p.V
			if pl.Skip && pl.Has[b] && capped {
				require.True(t, holds, "player %d skipped: %s at %v", i, what, a)
			}
			if eq && capped {
				require.True(t, pl.Has[b], "no candidate for %d at an equilibrium: %s at %v", i, what, a)
			}
			if !pl.Skip && eq && capped {
				witness := false
				for _, cd := range pl.Cands {
					witness = witness || cd.B == b && left <= muF[cd.J]+s*g.Delta(i)
				}
				require.True(t, witness, "no candidate of %d is a witness: %s at %v", i, what, a)
				require.LessOrEqual(t, left, pl.UB[b], "UB of %d: %s at %v", i, what, a)
			}
		}
		if p.Cap {
			for _, l := range p.L {
				r, ok := p.CapRow(l)
				sat := true
				if ok {
					var s int64
					for t, q := range r.Q {
						if a[v.Active[q]] {
							s += r.W[t]
						}
					}
					sat = s <= r.R
				}
				require.Equal(t, mu[l] <= p.V, sat, "cap row of %d: %s at %v", l, what, a)
			}
		}
	})
}

// On reduction games every player is skipped under the cap, and the cap
// rows are the clauses: three literals each.
func TestReductionIsTheFormula(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for range 50 {
		n := 3 + rng.IntN(30)
		f := testgen.Formula(rng, n, 1+rng.IntN(5*n))
		g, l, err := reduction.Reduce(f, reduction.Corrected)
		require.NoError(t, err)
		p := Analyze(NewView(g), Options{}, nil)
		require.True(t, p.Cap)
		for _, pl := range p.Players {
			require.True(t, pl.Skip, "player %d of %v: %+v V=%d", pl.I, f.Clauses, pl, p.V)
		}
		for _, c := range p.L {
			if c == l.Switch() {
				continue
			}
			r, ok := p.CapRow(c)
			if !ok {
				continue // a clause with complementary literals
			}
			lits := map[int]bool{}
			for _, x := range f.Clauses[c-l.Vars] {
				lits[x] = true
			}
			require.LessOrEqual(t, len(r.Q), len(lits), "%v: %+v U=%d X=%v %v V=%d base=%d", f.Clauses[c-l.Vars], r, p.View.U[c], p.View.Xcol[c], p.View.Xval[c], p.V, p.View.Base[c])
		}
	}
}

// spread's bounds are the least and greatest values of its sum over the
// cube and its divisor is the gcd of the sum's coefficients: not just a
// common divisor, since witnessMax's rounding is only as tight as it. The
// shapes include rows that differ in U (a common row and rows without it,
// with entries of one size or of several: gcdTree).
func TestSpreadExact(t *testing.T) {
	t.Parallel()
	for q, kind := range games {
		t.Run(kind.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(q), 43))
			for n := range 60 {
				g := kind.draw(rng)
				v := NewView(g)
				for j := range v.K {
					for m := range v.K {
						for skip := -1; skip < len(v.Active); skip++ {
							lo, hi, gg := v.spread(j, m, skip, true)
							lo0, hi0, g0 := v.spread(j, m, skip, false)
							require.Equal(t, [3]int64{lo, hi, 0}, [3]int64{lo0, hi0, g0})
							var wlo, whi, wg int64
							for c := range v.Active {
								if c == skip {
									continue
								}
								x := v.Entry(j, c) - v.Entry(m, c)
								wlo, whi = wlo+min(x, 0), whi+max(x, 0)
								wg = gcd(wg, abs(x))
							}
							what := fmt.Sprintf("game %d, spread(%d, %d, %d): %v", n, j, m, skip, g)
							require.Equal(t, [3]int64{wlo, whi, wg}, [3]int64{lo, hi, gg}, what)
						}
					}
				}
			}
		})
	}
}

// Small reduction games (3-SAT at ratio 4.26, the bench corpus's instances
// and more) are covered by the cap like large ones: every player is
// skipped and V is the switch player's progress, so what is left is "mu_C
// <= V" per clause. Once the common row of a small game was ambiguous
// (about half the clauses hold each variable), clause rows came with and
// without it; spread then took gcdC = 1 as the divisor of the difference
// of two such rows instead of 2n+2, witnessMax lost its rounding, V rose
// to M(2n+2)+n-1 and no player was covered (871 columns for the bench's
// n = 6 corpus instead of 24). The same holds when all-false is a model
// (every clause given a negative literal).
func TestSmallReductionsCovered(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		n int
		V int64 // M(2n+2) - (n+1), the switch player's progress
	}{
		{3, 28}, {4, 35}, {5, 42}, {6, 49}, {7, 56}, {8, 63},
	} {
		t.Run(fmt.Sprintf("n=%d", tt.n), func(t *testing.T) {
			count := 8
			if testing.Short() {
				count = 4 // the bench's corpus, instances 0 to 3
			}
			for i := range count {
				for _, allFalse := range []bool{false, true} {
					f, _, err := instances.Spec{N: tt.n, M: instances.ClausesForRatio(tt.n, 4.26), K: 3, Seed: 1, Index: i}.Generate()
					require.NoError(t, err)
					if allFalse {
						testgen.MakeAllFalseModel(f)
						require.True(t, reduction.AllFalseSatisfies(f))
					}
					g, l, err := reduction.Reduce(f, reduction.Corrected)
					require.NoError(t, err)
					what := fmt.Sprintf("n=%d instance %d (all-false %v): %v", tt.n, i, allFalse, f.Clauses)
					for _, opt := range []Options{{}, {NoConstant: true}} {
						// Exact with or without the witness bounds (which
						// the cover needs).
						checkPlan(t, g, opt, what)
						p := Analyze(NewView(g), opt, nil)
						require.True(t, p.Cap, what)
						if opt.NoConstant {
							continue
						}
						assert.Equal(t, tt.V, p.V, what)
						assert.Equal(t, g.Base(l.Switch()), p.V, what)
						covered := 0
						for _, pl := range p.Players {
							if pl.Skip && pl.Has[0] && pl.Has[1] {
								covered++
							}
						}
						assert.Equal(t, tt.n, covered, "players covered: %s", what)
						for _, c := range p.L {
							r, ok := p.CapRow(c)
							if c == l.Switch() || !ok {
								continue
							}
							assert.LessOrEqual(t, len(r.Q), 3, "cap row of %d: %s", c, what)
						}
					}
				}
			}
		})
	}
}

// SubTerms merges two sorted sparse forms: terms of one side only, with
// the sign of y's flipped, and no term where they cancel.
func TestSubTerms(t *testing.T) {
	for _, tc := range []struct {
		name   string
		xq, yq []int
		xw, yw []int64
		q      []int
		w      []int64
	}{
		{"empty", nil, nil, nil, nil, nil, nil},
		{"x only", []int{1, 4}, nil, []int64{2, -3}, nil, []int{1, 4}, []int64{2, -3}},
		{"y only", nil, []int{0, 2}, nil, []int64{5, -1}, []int{0, 2}, []int64{-5, 1}},
		{"interleaved, one cancels", []int{0, 2, 5}, []int{1, 2, 5, 7}, []int64{1, 4, 3}, []int64{6, 1, 3, 2},
			[]int{0, 1, 2, 7}, []int64{1, -6, 3, -2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, w := SubTerms([]int{9}, []int64{9}, tc.xq, tc.xw, tc.yq, tc.yw)
			assert.Equal(t, append([]int{9}, tc.q...), q, "appends after what q holds")
			assert.Equal(t, append([]int64{9}, tc.w...), w)
		})
	}
}
