package gophersat

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/crillab/gophersat/solver"

	"github.com/nashbench/nashbench/encodings"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/solvers"
)

// NamePairwise is the name of the solver of the pairwise encoding.
const NamePairwise = "gophersat-pairwise"

func init() {
	solvers.Register(NamePairwise, func() solvers.Solver { return Pairwise{} })
}

// Pairwise is the "gophersat-pairwise" solver: gophersat-pb on the
// pairwise encoding of Lemma 1 (encodings.EncodePBPairwise), which compares
// each witness with each rival directly instead of through an integer
// bound on the rivals' maximum. It decides, counts and lists as
// gophersat-pb does, with the same range, and is gophersat-pb itself on
// the games where that encoding leaves every player's condition to the
// cap rows (reduction games). Under Options.Certify (without Count) it
// takes gophersat-pb's certified route, on gophersat-pb's CNF, which is
// the CNF package verify checks proofs against.
type Pairwise struct{}

// Describe implements solvers.Describer.
func (Pairwise) Describe(context.Context) solvers.Description {
	return solvers.Description{Input: "game", Version: moduleVersion()}
}

// Solve implements solvers.Solver.
func (Pairwise) Solve(ctx context.Context, p *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
	if p.Game == nil {
		return nil, errors.New("gophersat-pairwise: the problem has no game")
	}
	if err := encodings.CheckRange(p.Game); err != nil {
		return nil, renameRefusal(err)
	}
	if ctx.Done() != nil {
		return isolate.Pooled(ctx, NamePairwise, p, opt)
	}
	res, err := solvePBWith(p, opt, encodings.EncodePBPairwise, NamePairwise)
	return res, renameRefusal(err)
}

// renameRefusal puts gophersat-pairwise's name in the refusals that the
// encodings word for gophersat-pb.
func renameRefusal(err error) error {
	var r *solvers.RefusedError
	if errors.As(err, &r) && strings.HasPrefix(r.Reason, NamePB+":") {
		return &solvers.RefusedError{Reason: NamePairwise + strings.TrimPrefix(r.Reason, NamePB)}
	}
	return err
}

// solvePBWith is solvePB with another encoder: it decides and counts
// p.Game's non-trivial equilibria in-process with the encoding encode
// makes, every model checked with game.Check; name is the solver's, for
// errors.
func solvePBWith(p *solvers.Problem, opt solvers.Options, encode func(*game.Game) (*encodings.PB, error), name string) (*solvers.Result, error) {
	if opt.Certify && !opt.Count {
		return solveCertifiedCNF(context.Background(), p)
	}
	g := p.Game
	x, err := encode(g)
	if err != nil {
		return nil, err
	}
	res := &solvers.Result{Answer: solvers.None}
	var found [][]bool
	if pb := x.Problem(); pb == nil {
		if a := x.Profile(nil); x.NonTrivial(a) != nil {
			found = append(found, a)
		}
		res.Stats = solverStats(solver.Stats{}, 0)
		res.Stats["vars"], res.Stats["constraints"] = 0, 0
	} else {
		s := solver.New(problem(pb))
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
		solves := enumerate(s, visit, x.Actions())
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
