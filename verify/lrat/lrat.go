// Package lrat checks LRAT refutations: proofs of unsatisfiability in which
// every added clause carries the hints (the ids of the clauses) that derive
// it, as CaDiCaL writes them with --lrat (1.7 and later). With the hints,
// checking takes one pass over the proof and no search: each hint clause is
// looked at once, so the check is linear in the size of the proof, where a
// DRAT check (package verify/drat) searches for the propagations itself.
//
// # Proof format
//
// The clauses of the formula are numbered 1..m in the order of
// instances.CNF.Clauses (the order of the DIMACS file the solver read). A
// text proof has one step a line:
//
//	id lit* 0 hint* 0    add the clause of the literals, with this id
//	id d id* 0           delete the clauses of these ids
//
// and lines starting with "c" are comments. The binary format (CaDiCaL's
// default with --lrat) has the same steps: byte 'a', the id, the literals,
// 0, the hints, 0; or byte 'd', the ids, 0; each number x (literal, id or
// hint) written as the variable-byte encoding of 2|x| + (x < 0), as in binary
// DRAT. A proof is read as binary when its first byte is 'a' or 'd', which
// no text proof starts with. The id before "d" in a text deletion is not
// used (CaDiCaL writes the id of the latest clause).
//
// # What is accepted
//
// Check accepts a proof when every step is valid and one added clause is
// the empty clause:
//
//   - an added clause's id is larger than every earlier id (and than m);
//   - its hints name present clauses: of the formula or added earlier, and
//     not deleted. Under the assignment that makes every literal of the
//     clause false, each hint clause in turn must be unit (all its literals
//     false but one, which is then assigned true; a hint whose one literal
//     that is not false is already true is accepted and changes nothing, as
//     lrat-check does) or falsified; a falsified hint ends the check of the
//     step and must be the last hint. A step whose hints end without a
//     falsified clause is invalid. So the clause is RUP by its hints, and
//     it is implied by the present clauses;
//   - a tautology (a clause with a literal and its negation) is implied by
//     anything: it is accepted without looking at its hints beyond
//     checking that they name present clauses;
//   - negative hints, which LRAT uses for RAT steps, are rejected: Check
//     does not support RAT (CaDiCaL writes none), so a proof with one fails
//     with an error that says so;
//   - a deletion names present clauses (of the formula or added); a
//     deleted clause cannot be used as a hint later, and deleting it again
//     is an error.
//
// Steps after the empty clause are checked like the others. Acceptance is
// sound: every added clause is implied by the formula, so the empty clause
// is too. Literals may name variables beyond the formula's (up to
// MaxExtraVars more), although without RAT no step can define them.
//
// # Cost
//
// Time is linear in the proof's size: each literal of each hint clause is
// looked at once, plus one pass over the literals of each step. The proof
// is read as a stream. Memory is the present clauses, kept in one array
// that is compacted when deleted clauses make up half of it, plus a table
// from ids to clauses of 16 bytes per id up to the largest (ids are dense
// in cadical's proofs; from the first id beyond twice the clauses so far,
// plus 65536, on, ids go to a map instead, so that sparse ids cost memory
// by their number, not their size).
package lrat

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/nashbench/nashbench/instances"
)

// Stats counts what a check did. The counters are exact: a function of the
// formula and the proof alone.
type Stats struct {
	Lemmas    int   // added clauses in the proof, the empty clause and any steps after it included
	Deletions int   // clauses deleted (a deletion step may delete several)
	Hints     int64 // hint clauses checked, over all added clauses
	Binary    bool  // whether the proof was read as binary LRAT
}

// MaxExtraVars is how many variables beyond the formula's the literals of a
// proof may name.
const MaxExtraVars = 1 << 22

// ErrNoEmptyClause is returned (wrapped) when every step of the proof is
// valid but none adds the empty clause.
var ErrNoEmptyClause = errors.New("lrat: the proof has no empty clause")

// ErrRAT is returned (wrapped in a *StepError) for a step with a negative
// hint: a RAT step, which Check does not support.
var ErrRAT = errors.New("RAT step not supported (negative hint)")

// StepError says which step of a proof is wrong and why.
type StepError struct {
	Line   int    // 1-based line of the step in a text proof; 0 in a binary proof
	Offset int64  // byte offset where the step starts in the proof
	ID     int64  // the id of an added clause; 0 for a deletion or a step that cannot be read
	Msg    string // what is wrong
	Err    error  // a sentinel the message stands for (ErrRAT), or nil
}

func (e *StepError) Error() string {
	where := fmt.Sprintf("byte %d", e.Offset)
	if e.Line > 0 {
		where = fmt.Sprintf("line %d", e.Line)
	}
	if e.ID > 0 {
		return fmt.Sprintf("lrat: %s (clause %d): %s", where, e.ID, e.Msg)
	}
	return fmt.Sprintf("lrat: %s: %s", where, e.Msg)
}

func (e *StepError) Unwrap() error { return e.Err }

// Check reports whether proof is a valid LRAT refutation of f, as the
// package comment defines: nil when it is, otherwise an error that names
// the failing step's line (or byte offset in a binary proof) and what is
// wrong (a *StepError), or ErrNoEmptyClause. It reads the proof once, as a
// stream. It returns ctx's error, wrapped, when ctx ends first. The Stats
// are filled as far as the check got.
func Check(ctx context.Context, f *instances.CNF, proof io.Reader) (Stats, error) {
	if f == nil {
		return Stats{}, errors.New("lrat: nil formula")
	}
	if err := f.Validate(); err != nil {
		return Stats{}, fmt.Errorf("lrat: formula: %w", err)
	}
	c := newChecker(ctx, f, proof)
	err := c.run()
	return c.stats, err
}
