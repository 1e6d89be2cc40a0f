package gophersat

import (
	"context"
	"fmt"

	"github.com/crillab/gophersat/solver"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/solvers"
)

// solvePB decides (and counts) the non-trivial equilibria of p.Game
// in-process, through the PB encoding. It never looks at p.Formula.
func solvePB(p *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
	if opt.Certify && !opt.Count {
		return solveCertifiedCNF(context.Background(), p)
	}
	g := p.Game
	x, err := encodeGame(g)
	if err != nil {
		return nil, err
	}
	pl := x.plan
	res := &solvers.Result{Answer: solvers.None}
	var found [][]bool // equilibria over the active players, free ones closed
	if x.enc == nil {
		// Every player is at its best response in the start profile; it
		// counts unless it is all-closed with no free player to open.
		if pl.anyFixed || len(pl.free) > 0 {
			found = append(found, pl.start)
		}
		// No solver ran: its counters are zero.
		res.Stats = solverStats(solver.Stats{}, 0)
		res.Stats["vars"], res.Stats["constraints"] = 0, 0
	} else {
		enc, simp := x.enc, x.simp
		s := solver.New(simp.problem())
		var bad error
		n := len(pl.active)
		visit := func(m []bool) bool {
			a := pl.profile(m)
			if _, ok, err := g.Check(a); err != nil || !ok {
				bad = fmt.Errorf("gophersat-pb: the encoding admitted %v, which is not an equilibrium", a)
				return true
			}
			found = append(found, a)
			return !opt.Count
		}
		solves := enumerate(s, visit, n)
		if bad != nil {
			return nil, bad
		}
		res.Stats = solverStats(s.Stats, solves)
		res.Stats["vars"] = float64(enc.b.nVars)
		res.Stats["constraints"] = float64(len(enc.b.cons))
		if enc.b.splits > 0 {
			res.Stats["splits"] = float64(enc.b.splits)
		}
	}
	for _, a := range found {
		if w := pl.nonTrivial(a); w != nil {
			res.Answer, res.Witness = solvers.Found, w
			break
		}
	}
	if opt.Count {
		c, err := pl.count(int64(len(found)))
		if err != nil {
			return nil, err
		}
		res.Count, res.Counted = c, true
		res.Listed = solvers.ExpandFree(found, pl.free, opt.List)
	}
	return res, nil
}

// errTooWide refuses a game with a constraint of so many terms that no
// split keeps its degree within maxDegree (tens of thousands of terms).
var errTooWide error = &solvers.RefusedError{Reason: "gophersat-pb: a constraint of the encoding has too many terms to keep its weights within gophersat's exact range"}

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
