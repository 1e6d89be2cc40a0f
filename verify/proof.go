package verify

import (
	"context"
	"errors"
	"io"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/solvers"
)

// errNoProofChecker says that this build cannot check proofs: the answer
// is then checked as if it came without one.
var errNoProofChecker = errors.New("verify: no DRAT checker in this build")

// checkDRAT checks that proof is a DRAT refutation of f.
//
// It is the one place to call the DRAT checker of package verify/drat,
// drat.Check(ctx, f, proof) (drat.Stats, error), once that package is on
// main; until then proofs go unchecked (errNoProofChecker). Tests replace
// it to exercise the checks around it.
var checkDRAT = func(ctx context.Context, f *instances.CNF, proof io.Reader) error {
	return errNoProofChecker
}

// refutes returns the formula a proof of a None answer on p must refute:
// for a corrected reduction, the formula with (x1 ∨ … ∨ xn) added, whose
// models are the game's non-trivial equilibria (the clause order a solver
// is given, see external.NonTrivial). It is built here, from the problem,
// so that a proof of anything else fails. Other problems have no formula
// of their own to refute: nil.
func refutes(p *solvers.Problem) *instances.CNF {
	f := formulaOf(p)
	if f == nil || f.Vars == 0 {
		return nil
	}
	all := make([]int, f.Vars)
	for v := range all {
		all[v] = v + 1
	}
	clauses := make([][]int, 0, len(f.Clauses)+1)
	clauses = append(clauses, f.Clauses...)
	return &instances.CNF{Vars: f.Vars, Clauses: append(clauses, all)}
}
