package gophersat

import (
	"context"
	"fmt"

	"github.com/crillab/gophersat/solver"

	"github.com/nashbench/nashbench/encodings"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/solvers"
)

// solvePB decides (and counts) the non-trivial equilibria of p.Game
// in-process, through the PB encoding encode makes (encodings.EncodePB for
// gophersat-pb, encodings.EncodePBPairwise for gophersat-pairwise), every
// model checked with game.Check; name is the solver's, for errors. It
// never looks at p.Formula.
func solvePB(p *solvers.Problem, opt solvers.Options, encode func(*game.Game) (*encodings.PB, error), name string) (*solvers.Result, error) {
	if opt.Certify && !opt.Count {
		return solveCertifiedCNF(context.Background(), p)
	}
	g := p.Game
	x, err := encode(g)
	if err != nil {
		return nil, err
	}
	res := &solvers.Result{Answer: solvers.None}
	var found [][]bool // equilibria over the active players, free ones closed
	if pb := x.Problem(); pb == nil {
		// Every player is at its best response in the start profile; it
		// counts unless it is all-closed with no free player to open.
		if a := x.Profile(nil); x.NonTrivial(a) != nil {
			found = append(found, a)
		}
		// No solver ran: its counters are zero.
		res.Stats = solverStats(solver.Stats{}, 0)
		res.Stats["vars"], res.Stats["constraints"] = 0, 0
	} else {
		s := solver.New(NewProblem(pb))
		var bad error
		visit := func(m []bool) bool {
			a := x.Profile(m)
			if _, ok, err := g.Check(a); err != nil || !ok {
				bad = fmt.Errorf("%s: the encoding admitted %v, which is not an equilibrium", name, a)
				return true
			}
			found = append(found, a)
			return !opt.Count
		}
		solves := Enumerate(s, visit, x.Actions())
		if bad != nil {
			return nil, bad
		}
		res.Stats = solverStats(s.Stats, solves)
		vars, constraints, splits := x.Size()
		res.Stats["vars"] = float64(vars)
		res.Stats["constraints"] = float64(constraints)
		if splits > 0 {
			res.Stats["splits"] = float64(splits)
		}
	}
	for _, a := range found {
		if w := x.NonTrivial(a); w != nil {
			res.Answer, res.Witness = solvers.Found, w
			break
		}
	}
	if opt.Count {
		c, err := x.Count(int64(len(found)))
		if err != nil {
			return nil, err
		}
		res.Count, res.Counted = c, true
		res.Listed = solvers.ExpandFree(found, x.Free(), opt.List)
	}
	return res, nil
}

// NewProblem returns a fresh gophersat problem for p (a problem cannot be
// solved twice), as gophersat-pb solves it: clauses and cardinality
// constraints are passed as such, the rest as PB constraints. It is
// exported for package encodings' tests, which solve encodings the same
// way and cannot import this package (it imports theirs).
func NewProblem(p *encodings.Problem) *solver.Problem {
	pb := &solver.Problem{NbVars: p.Vars, Model: make(solver.Model, p.Vars)}
	if p.Unsat {
		pb.Status = solver.Unsat
		return pb
	}
	for _, u := range p.Units {
		pb.Units = append(pb.Units, solver.IntToLit(int32(u)))
		if u > 0 {
			pb.Model[u-1] = 1
		} else {
			pb.Model[-u-1] = -1
		}
	}
	for _, c := range p.Constraints {
		lits := make([]solver.Lit, len(c.Lits))
		for q, l := range c.Lits {
			lits[q] = solver.IntToLit(int32(l))
		}
		same := true
		for _, w := range c.W {
			same = same && w == c.W[0]
		}
		switch {
		case same && (c.Degree+c.W[0]-1)/c.W[0] == 1:
			pb.Clauses = append(pb.Clauses, solver.NewClause(lits))
		case same:
			pb.Clauses = append(pb.Clauses, solver.NewCardClause(lits, int((c.Degree+c.W[0]-1)/c.W[0])))
		default:
			w := make([]int, len(c.W))
			for q, x := range c.W {
				w[q] = int(x)
			}
			pb.Clauses = append(pb.Clauses, solver.NewPBClause(lits, w, int(c.Degree)))
		}
	}
	if len(pb.Clauses) == 0 {
		pb.Status = solver.Sat
	}
	return pb
}
