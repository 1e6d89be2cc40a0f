package encodings

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/crillab/gophersat/solver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func withMaxDegree(t *testing.T, d int64) {
	old := maxDegree
	maxDegree = d
	t.Cleanup(func() { maxDegree = old })
}

// solveWith reports whether b's constraints, with the given literals
// forced, are satisfiable (gophersat, all degrees small).
func solveWith(b *builder, units ...int) bool {
	c := &builder{nVars: b.nVars}
	for _, x := range b.cons {
		c.cons = append(c.cons, pbc{lits: slices.Clone(x.lits), w: slices.Clone(x.w), card: x.card})
	}
	for _, u := range units {
		c.clause(u)
	}
	return satisfiable(c.simplify())
}

// TestSplit checks that a constraint with large weights, split into digits,
// has exactly the original's models on its own variables, guarded or not,
// and that every constraint kept has degree at most maxDegree.
func TestSplit(t *testing.T) {
	for _, tt := range []struct {
		name   string
		degree int64
		bits   int
	}{
		{"degree 2^16, weights 2^40", 1 << 16, 40},
		{"degree 2^16, weights 2^58", 1 << 16, 58},
		{"degree 2^4, weights 2^12", 1 << 4, 12},
		{"degree 2^6, weights 2^30", 1 << 6, 30},
	} {
		t.Run(tt.name, func(t *testing.T) {
			withMaxDegree(t, tt.degree)
			rng := rand.New(rand.NewPCG(uint64(tt.bits), uint64(tt.degree)))
			for range 150 {
				n := 1 + rng.IntN(6)
				big := int64(1) << tt.bits
				ts := make([]term, n)
				var sumPos int64
				for q := range ts {
					w := rng.Int64N(big) + 1
					switch rng.IntN(4) {
					case 0:
						w = rng.Int64N(5) + 1 // small beside large
					case 1:
						if q > 0 {
							w = abs64(ts[rng.IntN(q)].w) // ties
						}
					}
					if rng.IntN(3) == 0 {
						w = -w
					} else {
						sumPos += w
					}
					ts[q] = term{q + 1, w}
				}
				rhs := rng.Int64N(sumPos+2) - 1
				guarded := rng.IntN(2) == 0
				b := &builder{nVars: n + 1} // variable n+1: the guard
				guard := 0
				if guarded {
					guard = n + 1
				}
				b.geIf(guard, slices.Clone(ts), rhs)
				for _, c := range b.cons {
					require.LessOrEqual(t, c.card, maxDegree)
					for _, w := range c.w {
						require.LessOrEqual(t, w, c.card)
					}
				}
				for bits := range 1 << n {
					var sum int64
					units := []int{}
					for q, x := range ts {
						if bits>>q&1 == 1 {
							sum += x.w
							units = append(units, q+1)
						} else {
							units = append(units, -(q + 1))
						}
					}
					want := sum >= rhs
					if guarded {
						assert.True(t, solveWith(b, append(units, -guard)...), "guard off: %v >= %d", ts, rhs)
						units = append(units, guard)
					}
					require.Equal(t, want, solveWith(b, units...), "%v >= %d at %b", ts, rhs, bits)
				}
			}
		})
	}
}

// TestGophersatDegreeBits shows why maxDegree exists: gophersat v1.4.0
// keeps a constraint's degree in 30 bits, so w x1 + w x2 >= 2w - 2 (both
// needed) is solved right up to a degree of 2^30 - 1, and above it turns
// into a weaker constraint that x2 alone satisfies.
func TestGophersatDegreeBits(t *testing.T) {
	for _, tt := range []struct {
		card  int
		exact bool
	}{
		{int(maxDegree), true},
		{1<<30 - 1, true},
		{1 << 31, false},
	} {
		t.Run(fmt.Sprint(tt.card), func(t *testing.T) {
			w := tt.card/2 + 1
			c := solver.NewPBClause(solver.IntsToLits(1, 2), []int{w, w}, tt.card)
			assert.Equal(t, tt.exact, c.Cardinality() == tt.card, "stored degree %d", c.Cardinality())
			pb := &solver.Problem{NbVars: 2, Model: make(solver.Model, 2), Clauses: []*solver.Clause{c}}
			s := solver.New(pb)
			require.Equal(t, solver.Sat, s.Solve())
			m := s.Model()
			assert.Equal(t, tt.exact, m[0] && m[1], "model %v", m)
		})
	}
}
