// Package verify checks solvers' answers with code that shares nothing with
// any solver: a witness against the game (Lemma 1) and, for a reduction
// game, against the formula; a negative answer or a count by an exhaustive
// search that is cheap enough to run.
package verify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
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
		return fmt.Errorf("profile has %d actions, want %d", len(a), p.Game.Players())
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

// How an answer was established independently of the solver: the values
// of a record's check field.
const (
	CheckWitness    = "witness"    // a verified equilibrium or model
	CheckExhaustive = "exhaustive" // an exhaustive search found none
	CheckProof      = "proof"      // a checked proof (reserved)
	CheckNone       = "none"       // nothing independent
)

// DefaultCheckLimit is how long an exhaustive search may be expected to take
// for Answer to run it by default.
const DefaultCheckLimit = time.Second

// Answer checks a solver's result on p and says how its answer was
// established. A witness is checked with Result. A negative answer, and a
// count when the result has one, are checked by Exhaustive when Cost(p) is at
// most limit (0: never); the search is stopped at twice the limit, leaving
// the answer unchecked. A non-nil error is a failed verification: a bad
// witness, a "no" refuted by an equilibrium the search found, or a wrong
// count.
func Answer(ctx context.Context, p *solvers.Problem, r *solvers.Result, limit time.Duration) (check string, err error) {
	check = CheckNone
	if r.Answer == solvers.Found {
		if err := Result(p, r); err != nil {
			return check, err
		}
		check = CheckWitness
	}
	if r.Counted && (r.Answer == solvers.Found && r.Count == 0 || r.Answer == solvers.None && r.Count > 0) {
		return check, fmt.Errorf("answer %s contradicts count %d", r.Answer, r.Count)
	}
	counting := r.Counted
	if r.Answer != solvers.None && !counting || limit <= 0 || Cost(p) > limit {
		return check, nil
	}
	sctx, cancel := context.WithTimeout(ctx, 2*limit)
	defer cancel()
	s, err := Exhaustive(sctx, p)
	if err != nil {
		return check, nil // too slow after all: unchecked, not wrong
	}
	if r.Answer == solvers.None && s.Count > 0 {
		return check, fmt.Errorf("the solver said no non-trivial equilibrium exists, but an exhaustive search over %s found %d, such as %s", s.Space, s.Count, profileString(s.First))
	}
	if counting && s.Count != r.Count {
		return check, fmt.Errorf("the solver counted %d non-trivial equilibria, an exhaustive search over %s found %d", r.Count, s.Space, s.Count)
	}
	if r.Answer == solvers.None {
		check = CheckExhaustive
	}
	return check, nil
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
