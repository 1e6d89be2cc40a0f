package gophersat

import (
	"context"
	"errors"
	"strings"

	"github.com/nashbench/nashbench/encodings"
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
	res, err := solvePB(p, opt, encodings.EncodePBPairwise, NamePairwise)
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
