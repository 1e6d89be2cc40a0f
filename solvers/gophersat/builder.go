package gophersat

import (
	"slices"

	"github.com/crillab/gophersat/solver"
)

// term is coefficient w on literal lit (a variable id, or its negation).
type term struct {
	lit int
	w   int64
}

// pbc is a normalized constraint: sum w[q]*lits[q] >= card with every
// w[q] in 1..card, card >= 1.
type pbc struct {
	lits []int
	w    []int64
	card int64
}

// builder collects the constraints of an encoding over variables 1..nVars.
// Coefficients are plain int64: checkMagnitude has bounded every sum an
// encoding can form well below the limit of gophersat's int weights.
type builder struct {
	nVars   int
	cons    []pbc
	coef    []int64 // scratch for norm, by variable
	touched []int
}

func (b *builder) newVar() int {
	b.nVars++
	return b.nVars
}

// ge adds sum ts >= rhs.
func (b *builder) ge(ts []term, rhs int64) { b.geIf(0, ts, rhs) }

// geIf adds (all guards true) -> sum ts >= rhs; guards 0 are ignored.
// A guard must not occur in ts.
func (b *builder) geIf(guard int, ts []term, rhs int64, more ...int) {
	c, nontrivial := b.norm(ts, rhs)
	if !nontrivial {
		return
	}
	for _, g := range append([]int{guard}, more...) {
		if g != 0 {
			c.lits = append(c.lits, -g)
			c.w = append(c.w, c.card)
		}
	}
	b.cons = append(b.cons, c)
}

// clause adds the disjunction of lits (the empty clause makes the problem
// unsatisfiable).
func (b *builder) clause(lits ...int) {
	ts := make([]term, len(lits))
	for q, l := range lits {
		ts[q] = term{l, 1}
	}
	b.ge(ts, 1)
}

// norm merges the terms by variable and rewrites sum ts >= rhs with
// positive weights on literals, saturated at the degree. It reports false
// when every assignment satisfies the constraint.
func (b *builder) norm(ts []term, rhs int64) (pbc, bool) {
	if len(b.coef) <= b.nVars {
		b.coef = append(b.coef, make([]int64, 2*(b.nVars+1)-len(b.coef))...)
	}
	b.touched = b.touched[:0]
	for _, t := range ts {
		v, w := t.lit, t.w
		if v < 0 { // w * not x = w - w * x
			v, w = -v, -w
			rhs -= t.w
		}
		if b.coef[v] == 0 {
			b.touched = append(b.touched, v)
		}
		b.coef[v] += w
	}
	slices.Sort(b.touched)
	var c pbc
	for _, v := range b.touched {
		w := b.coef[v]
		b.coef[v] = 0
		switch {
		case w > 0:
			c.lits = append(c.lits, v)
			c.w = append(c.w, w)
		case w < 0: // w * x = w + |w| * not x
			c.lits = append(c.lits, -v)
			c.w = append(c.w, -w)
			rhs -= w
		}
	}
	if rhs <= 0 {
		return pbc{}, false
	}
	c.card = rhs
	for q := range c.w {
		c.w[q] = min(c.w[q], rhs)
	}
	return c, true
}

// simplified is an encoding after unit propagation: value[v] is +1 or -1
// for the variables it fixes, 0 for the others, and no remaining constraint
// mentions a fixed variable or is satisfied by every assignment.
type simplified struct {
	nVars int
	value []int8
	cons  []pbc
	unsat bool
}

// simplify propagates the constraints that force literals until nothing
// changes.
func (b *builder) simplify() *simplified {
	s := &simplified{nVars: b.nVars, value: make([]int8, b.nVars+1)}
	cons := make([]pbc, 0, len(b.cons))
	for _, c := range b.cons {
		cons = append(cons, pbc{lits: slices.Clone(c.lits), w: slices.Clone(c.w), card: c.card})
	}
	val := func(l int) int8 {
		if l < 0 {
			return -s.value[-l]
		}
		return s.value[l]
	}
	for changed := true; changed; {
		changed = false
		out := cons[:0]
		for _, c := range cons {
			// Drop the fixed literals.
			q := 0
			for p, l := range c.lits {
				switch val(l) {
				case 1:
					c.card -= c.w[p]
				case 0:
					c.lits[q], c.w[q] = l, c.w[p]
					q++
				}
			}
			c.lits, c.w = c.lits[:q], c.w[:q]
			if c.card <= 0 {
				changed = true
				continue
			}
			var sum int64
			for q := range c.w {
				c.w[q] = min(c.w[q], c.card)
				sum += c.w[q]
			}
			if sum < c.card {
				s.unsat = true
				return s
			}
			forced := false
			for q, l := range c.lits {
				if sum-c.w[q] < c.card {
					if l > 0 {
						s.value[l] = 1
					} else {
						s.value[-l] = -1
					}
					forced = true
				}
			}
			if forced {
				changed = true
				// Keep it: the next pass removes the literals just
				// fixed and drops it if it is satisfied.
			}
			out = append(out, c)
		}
		cons = out
	}
	s.cons = cons
	return s
}

// problem returns a fresh gophersat problem for s (a problem cannot be
// solved twice). Clauses and cardinality constraints are passed as such,
// the rest as PB constraints.
func (s *simplified) problem() *solver.Problem {
	pb := &solver.Problem{NbVars: s.nVars, Model: make(solver.Model, s.nVars)}
	if s.unsat {
		pb.Status = solver.Unsat
		return pb
	}
	for v := 1; v <= s.nVars; v++ {
		switch s.value[v] {
		case 1:
			pb.Units = append(pb.Units, solver.IntToLit(int32(v)))
			pb.Model[v-1] = 1
		case -1:
			pb.Units = append(pb.Units, solver.IntToLit(int32(-v)))
			pb.Model[v-1] = -1
		}
	}
	for _, c := range s.cons {
		lits := make([]solver.Lit, len(c.lits))
		for q, l := range c.lits {
			lits[q] = solver.IntToLit(int32(l))
		}
		same := true
		for _, w := range c.w {
			same = same && w == c.w[0]
		}
		switch {
		case same && (c.card+c.w[0]-1)/c.w[0] == 1:
			pb.Clauses = append(pb.Clauses, solver.NewClause(lits))
		case same:
			pb.Clauses = append(pb.Clauses, solver.NewCardClause(lits, int((c.card+c.w[0]-1)/c.w[0])))
		default:
			w := make([]int, len(c.w))
			for q, x := range c.w {
				w[q] = int(x)
			}
			pb.Clauses = append(pb.Clauses, solver.NewPBClause(lits, w, int(c.card)))
		}
	}
	if len(pb.Clauses) == 0 {
		pb.Status = solver.Sat
	}
	return pb
}
