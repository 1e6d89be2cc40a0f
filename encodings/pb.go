package encodings

import (
	"fmt"
	"slices"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/solvers"
)

// PB is the pseudo-Boolean encoding of a game's non-trivial equilibrium
// question (see encode.go) after unit propagation: what gophersat-pb
// solves, and what the OPB and CNF exports write. Variables 1..Actions()
// are the actions (true = open) of the game's non-null players in
// increasing order; the others are auxiliary.
type PB struct {
	g    *game.Game // as given, for the players' names
	plan *plan      // of the normalized game
	enc  *encoding  // nil when every player is null
	simp *simplified
}

// EncodePB normalizes g and encodes it. It refuses (solvers.IsRefused) a
// game beyond the encoding's exact range (see CheckRange), or one with a
// constraint too wide to split into small weights.
func EncodePB(g *game.Game) (*PB, error) {
	ng, err := normalize(g)
	if err != nil {
		return nil, err
	}
	x := &PB{g: g, plan: newPlan(ng)}
	if len(x.plan.active) == 0 {
		return x, nil
	}
	x.enc = encode(x.plan)
	if x.enc.b.tooWide {
		return nil, errTooWide
	}
	x.simp = x.enc.b.simplify()
	return x, nil
}

// CheckRange returns the refusal that EncodePB, EncodeOPB and EncodeCNF
// give a game beyond the encoding's exact range (more than
// game.MaxPlayers players, or a magnitude above 2^57 even after
// normalizing; see normalize), without encoding it, and nil for a game
// within the range.
func CheckRange(g *game.Game) error {
	_, err := normalize(g)
	return err
}

// errTooWide refuses a game with a constraint of so many terms that no
// split keeps its degree within maxDegree (tens of thousands of terms).
var errTooWide error = &solvers.RefusedError{Reason: "gophersat-pb: a constraint of the encoding has too many terms to keep its weights within gophersat's exact range"}

// Actions returns the number of action variables, 1..Actions().
func (x *PB) Actions() int { return len(x.plan.active) }

// Size returns the number of variables and constraints of the encoding
// before unit propagation, and how many constraints were split into
// digits to keep their weights small: gophersat-pb's counters vars,
// constraints and splits. All are zero when every player is null.
func (x *PB) Size() (vars, constraints, splits int) {
	if x.enc == nil {
		return 0, 0, 0
	}
	return x.enc.b.nVars, len(x.enc.b.cons), x.enc.b.splits
}

// Problem is a PB encoding after unit propagation, the form a PB solver
// takes: variables 1..Vars, the literals that propagation fixed (Units,
// by increasing variable), and the constraints left (none mentions a fixed
// variable or holds under every assignment). With Unsat, propagation
// refutes the encoding and there are neither units nor constraints.
type Problem struct {
	Vars        int
	Units       []int
	Constraints []Constraint
	Unsat       bool
}

// Constraint is sum W[q]*Lits[q] >= Degree over distinct variables (a
// negative literal is a negated variable), with every W[q] in 1..Degree
// and Degree at most 2^16 (see maxDegree).
type Constraint struct {
	Lits   []int
	W      []int64
	Degree int64
}

// Problem returns the encoding after unit propagation, nil when every
// player is null (the encoding has no variable: then the profile
// Profile(nil) is the one candidate, an equilibrium, and non-trivial iff
// NonTrivial says so). Its slices are the encoding's own: read them only.
func (x *PB) Problem() *Problem {
	if x.simp == nil {
		return nil
	}
	return x.simp.problem()
}

// problem returns s as a Problem (the tests solve the builder's
// constraints through it, as solvers/gophersat solves an encoding).
func (s *simplified) problem() *Problem {
	p := &Problem{Vars: s.nVars, Unsat: s.unsat}
	if s.unsat {
		return p
	}
	for v := 1; v <= s.nVars; v++ {
		if s.value[v] != 0 {
			p.Units = append(p.Units, int(s.value[v])*v)
		}
	}
	p.Constraints = make([]Constraint, len(s.cons))
	for q, c := range s.cons {
		p.Constraints[q] = Constraint{Lits: c.lits, W: c.w, Degree: c.card}
	}
	return p
}

// Profile returns the profile a model of the encoding stands for, every
// free player (null, with delta = 0) closed: model[q] is the action of
// variable q+1, for q < Actions(); null players play their best response.
// It is all-closed when the model closes every action and no null player
// opens (see NonTrivial).
func (x *PB) Profile(model []bool) []bool { return x.plan.profile(model) }

// NonTrivial returns a, or a with the first free player opened when a is
// all-closed, or nil when a is all-closed and the game has no free player.
func (x *PB) NonTrivial(a []bool) []bool { return x.plan.nonTrivial(a) }

// Count returns the number of non-trivial equilibria of the game, given
// the number of distinct equilibria found with the free players closed
// (see solvers.CountWithFree).
func (x *PB) Count(found int64) (int64, error) { return x.plan.count(found) }

// Free returns the free players (null, with delta = 0), whose actions
// Profile closes.
func (x *PB) Free() []int { return slices.Clone(x.plan.free) }

// trivial reports whether no constraint is left to solve: every player is
// null (then sat says whether the profile of best responses is a
// non-trivial equilibrium, or a free player can make it one), or unit
// propagation refutes the encoding (sat is false).
func (x *PB) trivial() (sat, ok bool) {
	switch {
	case x.simp == nil:
		return x.plan.anyFixed || len(x.plan.free) > 0, true
	case x.simp.unsat:
		return false, true
	}
	return false, false
}

// decode maps a model of the encoding (model[v-1] is variable v; missing
// variables are false) to the equilibrium it stands for, with a free
// player opened if it is all-closed: the mapping EncodeOPB and EncodeCNF
// return.
func (x *PB) decode(model []bool) []bool {
	m := make([]bool, len(x.plan.active))
	copy(m, model)
	if x.simp != nil {
		for q := range m {
			if v := x.simp.value[q+1]; v != 0 {
				m[q] = v > 0 // propagation fixed it, and the model must agree
			}
		}
	}
	a := x.plan.profile(m)
	if b := x.plan.nonTrivial(a); b != nil {
		return b
	}
	return a // no model maps here: the encoding excludes all-closed
}

// profile maps a model of the encoding to a profile of the game.
func (p *plan) profile(m []bool) []bool {
	a := append([]bool(nil), p.start...)
	for q, i := range p.active {
		a[i] = m[q]
	}
	return a
}

// nonTrivial returns a, or a with a free player opened when a is
// all-closed, or nil when a is all-closed with no free player.
func (p *plan) nonTrivial(a []bool) []bool {
	if game.NonTrivial(a) {
		return a
	}
	if len(p.free) == 0 {
		return nil
	}
	b := append([]bool(nil), a...)
	b[p.free[0]] = true
	return b
}

// count turns the number of equilibria found with the free players closed
// into the number of non-trivial equilibria (see solvers.CountWithFree).
func (p *plan) count(eqs int64) (int64, error) {
	allClosed := false
	if len(p.free) > 0 && !p.anyFixed {
		_, allClosed, _ = p.g.Check(p.start)
	}
	c, err := solvers.CountWithFree(uint64(eqs), len(p.free), allClosed)
	if err != nil {
		return 0, fmt.Errorf("gophersat-pb: %w", err)
	}
	return c, nil
}
