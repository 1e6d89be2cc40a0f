package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/nashbench/nashbench/encodings"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/verify/drat"
	"github.com/nashbench/nashbench/verify/lrat"
	"github.com/nashbench/nashbench/verify/searchcert"
)

// errNoProofChecker says that a proof cannot be checked here (a problem
// with neither a formula nor a game, or a formula of no variables): the
// answer is then checked as if it came without one.
var errNoProofChecker = errors.New("verify: no way to check this proof")

// checkDRAT checks that proof is a DRAT refutation of f with package
// verify/drat, as drat-trim would: every lemma the refutation uses must be
// RUP or RAT (drat.Check also accepts a proof whose invalid lemmas the
// rest can do without; a solver that writes one is wrong, so it fails
// here). It returns the check's counters, as far as it got. Tests replace
// it to exercise the checks around it.
var checkDRAT = func(ctx context.Context, f *instances.CNF, proof io.Reader) (drat.Stats, error) {
	st, err := drat.Check(ctx, f, proof)
	if err != nil {
		return st, err
	}
	if st.Discarded > 0 {
		return st, fmt.Errorf("%d of its lemmas are neither RUP nor RAT", st.Discarded)
	}
	return st, nil
}

// checkLRAT checks that proof is an LRAT refutation of f with package
// verify/lrat, whose hints number f's clauses 1..m in order. Tests replace
// it, as checkDRAT.
var checkLRAT = func(ctx context.Context, f *instances.CNF, proof io.Reader) (lrat.Stats, error) {
	return lrat.Check(ctx, f, proof)
}

// checkProof checks a proof in format (solvers.ProofDRAT or ProofLRAT) as
// a refutation of f, with the checker of its format: checkDRAT or
// checkLRAT. It returns the counters of the checker that ran, as far as
// it got (the other is nil); an unknown format is an error.
func checkProof(ctx context.Context, f *instances.CNF, format string, proof io.Reader) (*drat.Stats, *lrat.Stats, error) {
	switch format {
	case solvers.ProofDRAT:
		st, err := checkDRAT(ctx, f, proof)
		return &st, nil, err
	case solvers.ProofLRAT:
		st, err := checkLRAT(ctx, f, proof)
		return nil, &st, err
	}
	return nil, nil, fmt.Errorf("a proof in format %q, which no checker reads", format)
}

// checkSearch checks a native search certificate (solvers.ProofSearch)
// against p's game with package verify/searchcert, which recomputes every
// bound from the game. Tests replace it, as checkDRAT.
var checkSearch = func(ctx context.Context, p *solvers.Problem, proof []byte) (searchcert.Stats, error) {
	if p.Game == nil {
		return searchcert.Stats{}, errNoProofChecker
	}
	return searchcert.Check(ctx, p.Game, bytes.NewReader(proof))
}

// lratStats are Outcome.Stats for an LRAT proof.
func lratStats(st *lrat.Stats) map[string]float64 {
	return map[string]float64{
		"proof-lemmas":    float64(st.Lemmas),
		"proof-deletions": float64(st.Deletions),
		"proof-hints":     float64(st.Hints),
	}
}

// refutes returns the formula a proof of a None answer on p must refute,
// its clauses in the order the solver was given them (LRAT hints number
// them):
// for a corrected reduction, the formula with (x1 ∨ … ∨ xn) added, whose
// models are the game's non-trivial equilibria (the clause order a solver
// is given, see external.NonTrivial). It is built here, from the problem,
// so that a proof of anything else fails. Any other problem's formula is
// its game's CNF encoding (encodings.EncodeCNF), the formula that the
// solvers given a game in CNF refute (gophersat-pb under Options.Certify,
// the external SAT solvers), rebuilt here from the game.
func refutes(ctx context.Context, p *solvers.Problem) (*instances.CNF, error) {
	f := formulaOf(p)
	if f == nil {
		if p.Game == nil {
			return nil, errNoProofChecker
		}
		enc, _, err := encodings.EncodeCNF(ctx, p.Game)
		return enc, err
	}
	if f.Vars == 0 {
		return nil, errNoProofChecker
	}
	all := make([]int, f.Vars)
	for v := range all {
		all[v] = v + 1
	}
	clauses := make([][]int, 0, len(f.Clauses)+1)
	clauses = append(clauses, f.Clauses...)
	return &instances.CNF{Vars: f.Vars, Clauses: append(clauses, all)}, nil
}
