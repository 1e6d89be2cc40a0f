// Package verify checks solvers' answers independently of the solvers: a
// witness against the game (Lemma 1) and, for a reduction game, against
// the formula; a negative answer by a checked proof of unsatisfiability
// (verify/drat, verify/lrat), a checked certificate of the native search
// (verify/searchcert), or by an exhaustive search that is cheap enough to
// run; a count by that search.
//
// It shares no solver code. Beyond the problem and result types (package
// solvers) and the game model (package game), what it shares with the
// solvers is package encodings (and through it the analysis of
// internal/prune that the encoding starts from), for one purpose only: a
// proof that a game has no non-trivial equilibrium refutes, unless the
// problem is a corrected reduction, the game's CNF encoding
// (encodings.EncodeCNF,
// the formula that gophersat-pb under Options.Certify and the external
// SAT solvers are given), so verify rebuilds that encoding from the game
// and checks the proof against it. A proof for a corrected reduction
// refutes the formula with the non-triviality clause, which verify builds
// itself.
package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/verify/drat"
	"github.com/nashbench/nashbench/verify/lrat"
	"github.com/nashbench/nashbench/verify/searchcert"
)

// Result checks a result's witness and listed equilibria: each must be a
// non-trivial profile that the Lemma 1 check accepts and, for a corrected
// reduction game, map to a model of the formula. Results without a witness
// pass (see Exhaustive for negative answers).
func Result(p *solvers.Problem, r *solvers.Result) error {
	if r.Answer != solvers.Found {
		return nil
	}
	if err := Profile(p, r.Witness); err != nil {
		return fmt.Errorf("witness: %w", err)
	}
	for i, a := range r.Listed {
		if err := Profile(p, a); err != nil {
			return fmt.Errorf("listed equilibrium %d: %w", i+1, err)
		}
	}
	return nil
}

// Profile checks that a is a non-trivial pure equilibrium of p's game and,
// for a corrected reduction game, that its assignment satisfies the formula.
func Profile(p *solvers.Problem, a []bool) error {
	if len(a) != p.Game.Players() {
		return fmt.Errorf("profile has %s, want %d", plural.Count(len(a), "action", "actions"), p.Game.Players())
	}
	if !game.NonTrivial(a) {
		return errors.New("profile is all-closed (trivial)")
	}
	dev, ok, err := p.Game.Check(a)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("not an equilibrium: %s gains %d by flipping", p.Game.Name(dev.Player), dev.Gain)
	}
	if p.Formula != nil && p.Variant == reduction.Corrected && !p.Formula.Satisfies(p.Layout.Assignment(a)) {
		return errors.New("the assignment it maps to does not satisfy the formula")
	}
	return nil
}

// DefaultCheckLimit is how long an exhaustive search may be expected to take
// for Answer to run it by default.
const DefaultCheckLimit = time.Second

// Outcome says how a result was established independently of its solver.
type Outcome struct {
	// Check is how the answer was: record.CheckWitness, record.CheckProof,
	// record.CheckExhaustive or record.CheckNone.
	Check record.Check
	// CountCheck is how the count was, when the result has one:
	// record.CheckExhaustive, record.CheckProof (a count of 0 whose "no"
	// a checked proof established) or record.CheckNone; "" without a
	// count.
	CountCheck record.Check
	// Proof holds the DRAT checker's counters when it checked the
	// result's proof to a verdict (Check is record.CheckProof, or Answer failed
	// the proof); nil otherwise.
	Proof *drat.Stats
	// LRAT holds the LRAT checker's counters likewise, for a proof in
	// LRAT (Proof is then nil).
	LRAT *lrat.Stats
	// Search holds the counters of the check of a native search
	// certificate (solvers.ProofSearch; Proof and LRAT are then nil).
	Search *searchcert.Stats
}

// Stats returns the proof checker's counters, for a record's stats beside
// the solver's own; nil when no proof was checked:
//
//   - proof-lemmas: lemmas (added clauses) in the proof, the empty
//     clause included;
//   - proof-deletions: deletion steps in the proof;
//   - proof-core: the lemmas the refutation uses, each of them checked
//     (drat-trim's core lemmas);
//   - proof-core-clauses: the formula's clauses the refutation uses;
//   - proof-rat: core lemmas that are RAT but not RUP;
//   - proof-propagations: literals unit propagation assigned over all
//     passes of the check, a measure of its work.
//
// For an LRAT proof (Outcome.LRAT), they are proof-lemmas and
// proof-deletions (clauses deleted) as for DRAT, and proof-hints, the hint
// clauses checked: the LRAT check's work. For a native search certificate
// (Outcome.Search), they are the LRAT part's, and proof-theory-lemmas,
// the lemmas checked by their bound on the game.
//
// Each is a function of the formula and the proof alone (drat.Check and
// lrat.Check are sequential and look at no clock), so, like the solvers'
// counters, they are exact and comparable between runs.
func (o Outcome) Stats() map[string]float64 {
	if o.Search != nil {
		return o.Search.Map()
	}
	if o.LRAT != nil {
		return lratStats(o.LRAT)
	}
	if o.Proof == nil {
		return nil
	}
	return map[string]float64{
		"proof-lemmas":       float64(o.Proof.Lemmas),
		"proof-deletions":    float64(o.Proof.Deletions),
		"proof-core":         float64(o.Proof.Core),
		"proof-core-clauses": float64(o.Proof.CoreClauses),
		"proof-rat":          float64(o.Proof.RAT),
		"proof-propagations": float64(o.Proof.Propagations),
	}
}

// Answer checks a solver's result on p and says how its answer (and count)
// were established. A witness is checked with Result. A negative answer
// that comes with a proof (Result.Proof) is checked by the DRAT or LRAT
// checker (verify/drat, verify/lrat) against the formula built here from
// the problem (see refutes), whatever it costs. Otherwise a negative
// answer, and a count when the result has one, are checked by Exhaustive
// when Cost(p) is at most limit (0: never); the search is stopped at twice
// the limit, leaving them unchecked. A non-nil error is a failed
// verification: a bad witness, a proof that does not check, a "no"
// refuted by an equilibrium the search found, or a wrong count.
func Answer(ctx context.Context, p *solvers.Problem, r *solvers.Result, limit time.Duration) (Outcome, error) {
	out := Outcome{Check: record.CheckNone}
	if r.Counted {
		out.CountCheck = record.CheckNone
	}
	if r.Answer == solvers.Found {
		if err := Result(p, r); err != nil {
			return out, err
		}
		out.Check = record.CheckWitness
	}
	if r.Counted && (r.Answer == solvers.Found && r.Count == 0 || r.Answer == solvers.None && r.Count > 0) {
		return out, fmt.Errorf("answer %s contradicts count %d", r.Answer, r.Count)
	}
	if r.Answer == solvers.None && r.Proof != nil && r.Proof.Format() == solvers.ProofSearch {
		// Checked against the game itself (verify/searchcert).
		st, err := checkSearch(ctx, p, r.Proof.Data())
		switch {
		case err == nil:
			out.Check, out.Search = record.CheckProof, &st
		case errors.Is(err, errNoProofChecker) || ctx.Err() != nil:
		default:
			out.Search = &st
			return out, fmt.Errorf("the solver's proof that no non-trivial equilibrium exists does not check: %v", err)
		}
	} else if r.Answer == solvers.None && r.Proof != nil {
		// Without the formula to refute (no formula or game, or the
		// encoding refused the game), the proof is unchecked, not wrong:
		// the answer is then checked below as without one.
		if f, err := refutes(ctx, p); err == nil {
			ds, ls, err := checkProof(ctx, f, r.Proof.Format(), bytes.NewReader(r.Proof.Data()))
			switch {
			case err == nil:
				out.Check, out.Proof, out.LRAT = record.CheckProof, ds, ls
			case errors.Is(err, errNoProofChecker) || ctx.Err() != nil:
			default:
				out.Proof, out.LRAT = ds, ls
				return out, fmt.Errorf("the solver's proof that no non-trivial equilibrium exists does not check: %v", err)
			}
		}
	}
	if r.Counted && out.Check == record.CheckProof {
		// The count is 0 (checked above against the answer), and the
		// proof that no non-trivial equilibrium exists proves it.
		out.CountCheck = record.CheckProof
	}
	if r.Answer != solvers.None && !r.Counted || out.Check == record.CheckProof || limit <= 0 || Cost(p) > limit {
		return out, nil
	}
	sctx, cancel := context.WithTimeout(ctx, 2*limit)
	defer cancel()
	s, err := Exhaustive(sctx, p)
	if err != nil {
		return out, nil // too slow after all: unchecked, not wrong
	}
	if r.Answer == solvers.None && s.Count > 0 {
		return out, fmt.Errorf("the solver said no non-trivial equilibrium exists, but an exhaustive search over %s found %d, such as %s", s.Space, s.Count, profileString(s.First))
	}
	if r.Counted && s.Count != r.Count {
		return out, fmt.Errorf("the solver counted %d non-trivial equilibria, an exhaustive search over %s found %d", r.Count, s.Space, s.Count)
	}
	if r.Answer == solvers.None && out.Check == record.CheckNone {
		out.Check = record.CheckExhaustive
	}
	if r.Counted {
		out.CountCheck = record.CheckExhaustive
	}
	return out, nil
}

func profileString(a []bool) string {
	b := make([]byte, len(a))
	for i, v := range a {
		b[i] = '0'
		if v {
			b[i] = '1'
		}
	}
	return string(b)
}
