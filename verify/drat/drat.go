// Package drat checks DRAT refutations, the proofs of unsatisfiability that
// SAT solvers such as cadical write, so that an "unsat" answer of an external
// solver can be checked by code of this project.
//
// # Proof format
//
// A proof is a sequence of steps: a lemma (a clause to add) or a deletion (a
// clause to remove). Both the text format ("1 -2 0" adds a lemma, "d 1 -2 0"
// deletes; "c" starts a comment line) and the binary format (cadical's
// default: byte 'a' or 'd', then each literal l as the variable-byte encoding
// of 2|l| + (l < 0), then a 0 byte) are read. The format is detected as
// drat-trim detects it: the proof is binary when one of its first 12 bytes lies
// outside the text alphabet (digits, '-', space, tab, CR, LF, 'c', 'd'; letters
// too after a leading "c " comment). Literals may name variables beyond the
// formula's (extension variables); duplicate literals in a step are dropped.
//
// # What is accepted
//
// Check accepts a proof when the formula is refuted by unit propagation alone
// (whatever the proof), or when the following procedure, applied to the steps
// before the proof's first empty clause, ends in a conflict:
//
//   - a deletion removes one clause with the same set of literals, except that
//     it is ignored when no such clause is present, or when the clause is unit
//     or a pseudo-unit: under the assignment unit propagation derives from the
//     present clauses, exactly one of its literals is true and all others are
//     false;
//   - a lemma is checked against the present clauses: it must be RUP (unit
//     propagation on the clauses and the negation of the lemma conflicts) or
//     RAT on its first literal p (for every present clause D containing -p,
//     the lemma together with D without -p is RUP). A lemma that is neither is
//     discarded and the procedure goes on without it;
//   - after each added lemma, unit propagation on the present clauses is run;
//     a conflict ends the procedure: the empty clause is implied.
//
// So a proof is accepted when its valid lemmas refute the formula before the
// proof claims the empty clause; a proof without an empty clause (a truncated
// one, say) is rejected even when its lemmas already give a conflict, because
// the proof never claims the refutation. Steps after the first empty clause
// are read (they must be well formed) but not used. The accepted lemmas form a
// DRAT refutation in the usual sense, so acceptance is sound.
//
// Ignoring deletions of unit and pseudo-unit clauses is what drat-trim does by
// default (it ignores deletions of unit clauses and of reason clauses, which
// are pseudo-units), because solvers delete clauses satisfied at the top
// level, including the reasons of top-level literals, while they keep
// treating those literals as fixed. Honouring such deletions would undo
// top-level assignments the later lemmas rely on. Keeping a clause is always
// sound (a proof with fewer deletions is still a refutation); the cost is that
// a RAT lemma that needs the deletion is rejected. The test for a pseudo-unit
// is a function of the clauses alone, not of which clause a propagation
// happened to use as a reason, so the verdict does not depend on the order of
// propagation.
//
// # How it is checked
//
// As drat-trim does: a forward pass applies all steps without checking them,
// with two watched literals per clause, until unit propagation conflicts. A
// backward pass then undoes the steps in reverse order and checks only the
// lemmas that conflict analysis marks as used (the core), propagating over
// core clauses first so that the core stays small. When every core lemma is
// valid, the procedure above accepts too, and Check returns. When a core lemma
// is invalid, Check falls back to running the procedure itself, checking every
// lemma forward, and if the valid lemmas do refute the formula, runs the
// backward pass once more without the discarded lemmas to report the core.
//
// # Differences from drat-trim
//
// drat-trim's verdict depends on the core its propagation happens to find;
// Check's does not, and it differs from drat-trim's in a few cases. Check
// accepts a proof whose core uses an invalid lemma when the valid lemmas
// still refute the formula (drat-trim rejects it). It rejects a proof
// without an empty clause (drat-trim accepts one whose lemmas give a
// conflict). It checks RAT on the first literal only and against every
// present clause (drat-trim tries the other literals when the first fails,
// and in backward mode compares only with core clauses), so it rejects some
// RAT lemmas that drat-trim accepts.
package drat

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/nashbench/nashbench/instances"
)

// Stats counts what a check did.
type Stats struct {
	Lemmas      int  // lemmas (additions) in the proof, the empty clause and any steps after it included
	Deletions   int  // deletion steps in the proof
	Core        int  // lemmas the refutation uses, each of them checked (drat-trim's core lemmas)
	CoreClauses int  // clauses of the formula the refutation uses
	RAT         int  // core lemmas that are RAT but not RUP
	Discarded   int  // lemmas found invalid and left out (see the package comment)
	Ignored     int  // deletions not applied: of unit or pseudo-unit clauses, or of clauses not present
	Binary      bool // whether the proof was read as binary DRAT

	// Propagations counts the literals that unit propagation assigned, over
	// all passes of the check: a measure of its work.
	Propagations int64
}

// ErrNoEmptyClause is returned (wrapped) when the proof has no empty clause
// and the formula is not refuted by unit propagation alone.
var ErrNoEmptyClause = errors.New("drat: the proof has no empty clause")

// LemmaError says which lemma of a proof fails and why.
type LemmaError struct {
	Lemma  int    // 1-based index of the lemma among the proof's lemmas (deletions are not counted)
	Line   int    // 1-based line where the lemma starts in a text proof; 0 in a binary proof
	Offset int64  // byte offset where the lemma starts in the proof
	Msg    string // what is wrong
}

func (e *LemmaError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("drat: lemma %d (line %d): %s", e.Lemma, e.Line, e.Msg)
	}
	return fmt.Sprintf("drat: lemma %d (byte %d): %s", e.Lemma, e.Offset, e.Msg)
}

// Check reports whether proof is a valid DRAT refutation of f: nil when it
// derives the empty clause by valid RUP/RAT steps (as the package comment
// defines), an error saying which lemma fails otherwise (a *LemmaError), or
// why the proof cannot be read (its line or byte offset). It returns ctx's
// error, wrapped, when ctx ends first. The Stats are filled as far as the
// check got.
func Check(ctx context.Context, f *instances.CNF, proof io.Reader) (Stats, error) {
	if f == nil {
		return Stats{}, errors.New("drat: nil formula")
	}
	if err := f.Validate(); err != nil {
		return Stats{}, fmt.Errorf("drat: formula: %w", err)
	}
	c := newChecker(ctx, f)
	if err := c.parse(proof); err != nil {
		return c.stats, err
	}
	err := c.run()
	return c.stats, err
}
