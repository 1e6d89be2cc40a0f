package encodings

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/crillab/gophersat/solver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// projected returns the assignments of variables 1..n (bit v-1 for
// variable v) that extend to models of clauses over nVars variables,
// enumerated with gophersat, each blocked once found.
func projected(nVars int, clauses [][]int, n int) map[uint64]bool {
	set := map[uint64]bool{}
	for _, c := range clauses {
		if len(c) == 0 {
			return set
		}
	}
	s := solver.New(solver.ParseSliceNb(clauses, nVars))
	Enumerate(s, func(m []bool) bool {
		set[maskOf(m[:n])] = true
		return false
	}, n)
	return set
}

func withEncoding(t *testing.T, force string, chains bool) {
	oldF, oldC := forceEncoding, useChains
	forceEncoding, useChains = force, chains
	t.Cleanup(func() { forceEncoding, useChains = oldF, oldC })
}

var forcedEncodings = []string{"", "bdd", "totalizer", "adder"}

// TestTranslateConstraint checks each encoding on random single
// constraints, with several goals or one: the clauses' models projected
// onto the constraint's variables are exactly the assignments that meet
// every goal.
func TestTranslateConstraint(t *testing.T) {
	for _, force := range forcedEncodings {
		t.Run("force="+force, func(t *testing.T) {
			withEncoding(t, force, true)
			rng := rand.New(rand.NewPCG(7, uint64(len(force))))
			used := cnfStats{}
			for it := range 300 {
				n := 1 + rng.IntN(7)
				lits := make([]int, n)
				w := make([]int64, n)
				top := []int64{1, 1, 3, 20, 1 << 10, 1 << 16}[rng.IntN(6)]
				for q := range lits {
					lits[q] = q + 1
					if rng.IntN(2) == 0 {
						lits[q] = -lits[q]
					}
					w[q] = 1 + rng.Int64N(top)
					if q > 0 && rng.IntN(3) == 0 {
						w[q] = w[rng.IntN(q)] // ties
					}
				}
				var total int64
				for _, x := range w {
					total += x
				}
				// Goals: decreasing degrees, each but the last guarded by a
				// literal of its own (variables n+1...); some beyond reach
				// (with no guard: no model) or met always.
				nGoals := 1 + rng.IntN(3)
				goals := make([]goal, nGoals)
				T := rng.Int64N(total+2) + 1
				for q := range goals {
					goals[q].T = T
					T -= 1 + rng.Int64N(max(total/3, 1))
					if q < nGoals-1 {
						goals[q].or = []int{n + 1 + q}
					}
				}
				tr := &translator{nVars: n + nGoals - 1}
				tr.translate(lits, w, goals)
				used.bdds += tr.stats.bdds
				used.totalizers += tr.stats.totalizers
				used.adders += tr.stats.adders
				used.clauses += tr.stats.clauses

				m := n + nGoals - 1
				want := map[uint64]bool{}
				for mask := range uint64(1) << m {
					var sum int64
					for q, l := range lits {
						if (l > 0) == (mask>>q&1 == 1) {
							sum += w[q]
						}
					}
					ok := true
					for _, g := range goals {
						ok = ok && (sum >= g.T || len(g.or) == 1 && mask>>(g.or[0]-1)&1 == 1)
					}
					if ok {
						want[mask] = true
					}
				}
				got := projected(tr.nVars, tr.clauses, m)
				require.Equal(t, want, got, "it %d: %v * %v, goals %+v, %+v\n%v", it, w, lits, goals, tr.stats, tr.clauses)
			}
			t.Logf("%+v", used)
			switch force {
			case "bdd":
				assert.Zero(t, used.adders+used.totalizers)
			case "adder":
				assert.Zero(t, used.bdds+used.totalizers)
				assert.Positive(t, used.adders)
			case "totalizer": // for the cardinality constraints
				assert.Positive(t, used.totalizers)
			}
		})
	}
}

// TestTranslateChains checks the reading of unary integers: constraints
// over free variables and a chain y_0 <- y_1 <- ... (y_q implies y_{q-1},
// as the builder makes them), normalized by the builder, have the same
// models as their translation with the chain's clauses.
func TestTranslateChains(t *testing.T) {
	for _, force := range forcedEncodings {
		t.Run("force="+force, func(t *testing.T) {
			withEncoding(t, force, true)
			rng := rand.New(rand.NewPCG(8, uint64(len(force))))
			grouped := 0
			for it := range 300 {
				n, m := rng.IntN(5), 2+rng.IntN(6)
				chain := make([]int, m)
				for q := range chain {
					chain[q] = n + 1 + q
				}
				var ts []term
				for q := range n {
					ts = append(ts, term{q + 1, rng.Int64N(41) - 20})
				}
				neg := rng.IntN(2) == 0
				uw := 1 + rng.Int64N(5)
				for _, v := range chain {
					switch rng.IntN(4) {
					case 0: // left out
					case 1:
						ts = append(ts, term{v, rng.Int64N(11) - 5}) // another weight
					default:
						if neg {
							ts = append(ts, term{-v, uw})
						} else {
							ts = append(ts, term{v, uw})
						}
					}
				}
				var maxSum int64
				for _, x := range ts {
					maxSum += abs64(x.w)
				}
				rhs := rng.Int64N(2*maxSum+1) - maxSum
				b := &builder{nVars: n + m, chains: [][]int{chain}}
				b.ge(ts, rhs)
				if len(b.cons) == 0 {
					continue // always true
				}
				c := b.cons[0]
				tr := &translator{nVars: n + m}
				for q := 1; q < m; q++ {
					tr.add(-chain[q], chain[q-1])
				}
				lits, w, unary, uwGot := newChainIndex(n+m, b.chains).split(c)
				if len(unary) > 0 {
					grouped++
				}
				tr.constraint(lits, w, unary, uwGot, c.card)

				want := map[uint64]bool{}
				for mask := range uint64(1) << (n + m) {
					inChain := true
					for q := 1; q < m; q++ {
						if mask>>(chain[q]-1)&1 == 1 && mask>>(chain[q-1]-1)&1 == 0 {
							inChain = false
						}
					}
					var sum int64
					for _, x := range ts {
						v := abs(x.lit)
						if (x.lit > 0) == (mask>>(v-1)&1 == 1) {
							sum += x.w
						}
					}
					if inChain && sum >= rhs {
						want[mask] = true
					}
				}
				got := projected(tr.nVars, tr.clauses, n+m)
				require.Equal(t, want, got, "it %d: %v >= %d, split %v %v | %v * %d", it, ts, rhs, lits, w, unary, uwGot)
			}
			assert.Greater(t, grouped, 100)
		})
	}
}

// TestBDDSizes checks the BDD's known sizes: at least r of n is the
// sequential counter with r(n-r+1) nodes, and weights that are powers of
// two in a degree that is a power of two give a chain.
func TestBDDSizes(t *testing.T) {
	for _, tt := range []struct{ n, r, nodes int }{{5, 1, 5}, {5, 5, 5}, {10, 3, 24}, {40, 20, 420}} {
		t.Run(fmt.Sprintf("%d of %d", tt.r, tt.n), func(t *testing.T) {
			lits := make([]int, tt.n)
			w := make([]int64, tt.n)
			for q := range lits {
				lits[q], w[q] = q+1, 1
			}
			b := newBDD(lits, w, []goal{{nil, int64(tt.r)}}, 1<<20)
			require.NotNil(t, b)
			assert.Equal(t, tt.nodes, len(b.nodes)-2)
		})
	}
	b := newBDD([]int{1, 2, 3}, []int64{1, 1, 1}, []goal{{nil, 2}}, 3)
	assert.Nil(t, b, "4 nodes exceed the limit of 3")
}

// TestEncodingCosts checks the size estimates against what the encodings
// add.
func TestEncodingCosts(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for range 200 {
		n := 2 + rng.IntN(30)
		lits := make([]int, n)
		w := make([]int64, n)
		for q := range lits {
			lits[q], w[q] = q+1, 1+rng.Int64N(1<<rng.IntN(17))
		}
		var total int64
		for _, x := range w {
			total += x
		}
		goals := []goal{{nil, 1 + rng.Int64N(total)}}
		tr := &translator{nVars: n}
		tr.adder(lits, w, goals)
		assert.Equal(t, adderCost(w, goals), len(tr.clauses), "%v >= %d", w, goals[0].T)

		r := 1 + rng.IntN(n)
		goals = []goal{{nil, int64(r)}, {[]int{n + 1}, int64(max(r-2, 1))}}
		tr = &translator{nVars: n + 1}
		tr.totalizer(lits, r, goals)
		assert.Equal(t, totalizerCost(n, r, goals), len(tr.clauses), "%d of %d", r, n)
	}
}
