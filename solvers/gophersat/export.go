package gophersat

import (
	"github.com/nashbench/nashbench/game"
)

// encoded is the PB encoding of a game after unit propagation, as the
// solver and the exports (OPB, CNF) take it.
type encoded struct {
	g    *game.Game // as given, for the players' names
	plan *plan      // of the normalized game
	enc  *encoding  // nil when every player is null
	simp *simplified
}

// encodeGame normalizes g and encodes it; it refuses what gophersat-pb
// refuses.
func encodeGame(g *game.Game) (*encoded, error) {
	ng, err := normalize(g)
	if err != nil {
		return nil, err
	}
	x := &encoded{g: g, plan: newPlan(ng)}
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

// trivial reports whether no constraint is left to solve: every player is
// null (then sat says whether the profile of best responses is a
// non-trivial equilibrium, or a free player can make it one), or unit
// propagation refutes the encoding (sat is false).
func (x *encoded) trivial() (sat, ok bool) {
	switch {
	case x.simp == nil:
		return x.plan.anyFixed || len(x.plan.free) > 0, true
	case x.simp.unsat:
		return false, true
	}
	return false, false
}

// profile maps a model of the encoding (model[v-1] is variable v; missing
// variables are false) to the equilibrium it stands for, with a free
// player opened if it is all-closed.
func (x *encoded) profile(model []bool) []bool {
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
