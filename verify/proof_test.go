package verify

import (
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/encodings"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/verify/drat"
	"github.com/nashbench/nashbench/verify/lrat"
)

// withChecker replaces the DRAT checker for a test; it records the
// formula and proof it was given.
func withChecker(t *testing.T, verdict error) (formula **instances.CNF, proof *string) {
	old := checkDRAT
	t.Cleanup(func() { checkDRAT = old })
	formula, proof = new(*instances.CNF), new(string)
	checkDRAT = func(_ context.Context, f *instances.CNF, r io.Reader) (drat.Stats, error) {
		b, err := io.ReadAll(r)
		if err != nil {
			return drat.Stats{}, err
		}
		*formula, *proof = f, string(b)
		return drat.Stats{Lemmas: 2, Core: 1, Propagations: 7}, verdict
	}
	return formula, proof
}

// TestAnswerProof: a negative answer with a proof is checked against the
// formula built from the problem; a proof that does not check fails the
// answer, a missing checker leaves it to the exhaustive search.
func TestAnswerProof(t *testing.T) {
	// Only all-false satisfies F: no non-trivial equilibrium.
	f := &instances.CNF{Vars: 3, Clauses: [][]int{{-1}, {-2, 3}, {-3}}}
	p, err := solvers.FromFormula(f, reduction.Corrected)
	require.NoError(t, err)
	none := &solvers.Result{Answer: solvers.None, Proof: &solvers.Proof{DRAT: []byte("-1 0\n0\n")}}
	ctx := context.Background()

	t.Run("checks", func(t *testing.T) {
		formula, proof := withChecker(t, nil)
		out, err := Answer(ctx, p, none, time.Second)
		require.NoError(t, err)
		assert.Equal(t, record.CheckProof, out.Check)
		assert.Equal(t, "-1 0\n0\n", *proof)
		// The checker's counters, for the record's stats.
		assert.Equal(t, &drat.Stats{Lemmas: 2, Core: 1, Propagations: 7}, out.Proof)
		assert.Equal(t, map[string]float64{"proof-lemmas": 2, "proof-deletions": 0, "proof-core": 1,
			"proof-core-clauses": 0, "proof-rat": 0, "proof-propagations": 7}, out.Stats())
		// F ∧ (x1 ∨ x2 ∨ x3), built here, in the solver's clause order.
		assert.Equal(t, &instances.CNF{Vars: 3, Clauses: [][]int{{-1}, {-2, 3}, {-3}, {1, 2, 3}}}, *formula)
		assert.Len(t, f.Clauses, 3, "the problem's formula is left alone")
	})
	t.Run("real checker", func(t *testing.T) {
		// F ∧ (x1 ∨ x2 ∨ x3) needs no lemma: unit propagation refutes it.
		out, err := Answer(ctx, p, none, 0)
		require.NoError(t, err)
		assert.Equal(t, record.CheckProof, out.Check)
		require.NotNil(t, out.Proof)
		st := out.Stats()
		assert.Equal(t, 2.0, st["proof-lemmas"], "-1 and the empty clause")
		assert.Positive(t, st["proof-propagations"])
		again, err := Answer(ctx, p, none, 0)
		require.NoError(t, err)
		assert.Equal(t, st, again.Stats())
	})
	t.Run("does not check", func(t *testing.T) {
		withChecker(t, errors.New("line 2: clause is not RAT"))
		out, err := Answer(ctx, p, none, time.Second)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "proof that no non-trivial equilibrium exists does not check: line 2: clause is not RAT")
		assert.NotNil(t, out.Proof, "the counters of the failed check")
	})
	t.Run("no checker", func(t *testing.T) {
		withChecker(t, errNoProofChecker)
		out, err := Answer(ctx, p, none, time.Second)
		require.NoError(t, err)
		assert.Equal(t, record.CheckExhaustive, out.Check)
		assert.Nil(t, out.Proof)
		assert.Nil(t, out.Stats())
		out, err = Answer(ctx, p, none, 0)
		require.NoError(t, err)
		assert.Equal(t, record.CheckNone, out.Check)
	})
	t.Run("a checked proof is enough", func(t *testing.T) {
		// The checker is the authority on its formula: what it accepts
		// stands, and the exhaustive search is not run on top.
		withChecker(t, nil)
		sat, err := solvers.FromFormula(&instances.CNF{Vars: 2, Clauses: [][]int{{1, 2}}}, reduction.Corrected)
		require.NoError(t, err)
		out, err := Answer(ctx, sat, none, time.Second)
		require.NoError(t, err)
		assert.Equal(t, record.CheckProof, out.Check)
	})
	t.Run("not a formula problem", func(t *testing.T) {
		// A game's proof refutes the game's CNF encoding, rebuilt here.
		formula, _ := withChecker(t, nil)
		g, err := game.New(nil, [][]int64{{-3, 1}, {1, -3}}, []int64{0, 0})
		require.NoError(t, err)
		out, err := Answer(ctx, &solvers.Problem{Game: g}, none, 0)
		require.NoError(t, err)
		assert.Equal(t, record.CheckProof, out.Check)
		want, _, err := encodings.EncodeCNF(ctx, g)
		require.NoError(t, err)
		assert.Equal(t, want, *formula)

		// Neither a formula nor a game: nothing to refute, the proof is
		// not checked.
		formula, _ = withChecker(t, nil)
		out, err = Answer(ctx, &solvers.Problem{}, none, 0)
		require.NoError(t, err)
		assert.Equal(t, record.CheckNone, out.Check)
		assert.Nil(t, *formula)
	})
}

// TestAnswerLRAT: a proof in LRAT is checked by the LRAT checker against
// the same formula, its clauses numbered in the solver's order, and its
// counters are the record's proof-lemmas, proof-deletions and proof-hints.
func TestAnswerLRAT(t *testing.T) {
	ctx := context.Background()
	// F ∧ (x1 ∨ x2 ∨ x3) is clauses 1 (-1), 2 (-2 3), 3 (-3), 4 (1 2 3):
	// 1 and 3 make x1 and x3 false, 2 then x2, and 4 is falsified.
	f := &instances.CNF{Vars: 3, Clauses: [][]int{{-1}, {-2, 3}, {-3}}}
	p, err := solvers.FromFormula(f, reduction.Corrected)
	require.NoError(t, err)
	answer := func(proof string) (Outcome, error) {
		return Answer(ctx, p, &solvers.Result{Answer: solvers.None, Proof: solvers.NewProof(solvers.ProofLRAT, []byte(proof))}, 0)
	}
	out, err := answer("5 0 1 3 2 4 0\n")
	require.NoError(t, err)
	assert.Equal(t, record.CheckProof, out.Check)
	assert.Nil(t, out.Proof, "no DRAT counters")
	assert.Equal(t, &lrat.Stats{Lemmas: 1, Hints: 4}, out.LRAT)
	assert.Equal(t, map[string]float64{"proof-lemmas": 1, "proof-deletions": 0, "proof-hints": 4}, out.Stats())

	// Hints that do not end in a conflict, and a proof that numbers the
	// non-triviality clause first, do not check; the counters of the
	// failed check stay.
	for proof, msg := range map[string]string{
		"5 0 1 3 4 0\n":   "lrat: line 1 (clause 5): not implied by its 3 hints",
		"5 0 2 4 3 1 0\n": "lrat: line 1 (clause 5): hint 1: clause 2 is not unit",
		"5 0 1 -3 0\n":    "lrat: line 1 (clause 5): hint 2 is -3: RAT step not supported",
		"5 -1 0 1 0\n":    "lrat: the proof has no empty clause",
	} {
		out, err = answer(proof)
		require.Error(t, err, proof)
		assert.Contains(t, err.Error(), "proof that no non-trivial equilibrium exists does not check: "+msg)
		assert.NotNil(t, out.LRAT, proof)
		assert.Nil(t, out.Proof, proof)
	}

	// The same text as DRAT is read by the DRAT checker (which accepts
	// any proof here: unit propagation refutes the formula).
	out, err = Answer(ctx, p, &solvers.Result{Answer: solvers.None, Proof: &solvers.Proof{DRAT: []byte("5 0 1 3 2 4 0\n")}}, 0)
	require.NoError(t, err)
	assert.NotNil(t, out.Proof)
	assert.Nil(t, out.LRAT)
	assert.Contains(t, out.Stats(), "proof-core")
}

// TestAnswerLRATCorpus checks cadical's LRAT proofs of package lrat's test
// corpus through Answer: a proof of F ∧ (x1 ∨ … ∨ xn) checks for the
// corrected reduction problem of F; the proof of F alone does not (its
// first clause id is F's last plus one, which the non-triviality clause
// has).
func TestAnswerLRATCorpus(t *testing.T) {
	ctx := context.Background()
	read := func(name string) []byte {
		fh, err := os.Open(filepath.Join("lrat", "testdata", name))
		require.NoError(t, err)
		defer fh.Close()
		z, err := gzip.NewReader(fh)
		require.NoError(t, err)
		b, err := io.ReadAll(z)
		require.NoError(t, err)
		return b
	}
	f, _, err := instances.Spec{N: 50, M: instances.ClausesForRatio(50, 4.26), K: 3, Seed: 777, Index: 3}.Generate()
	require.NoError(t, err)
	p, err := solvers.FromFormula(f, reduction.Corrected)
	require.NoError(t, err)
	proof := read("n50-i3-nontrivial.lrat.gz")
	out, err := Answer(ctx, p, &solvers.Result{Answer: solvers.None, Proof: solvers.NewProof(solvers.ProofLRAT, proof)}, 0)
	require.NoError(t, err)
	assert.Equal(t, record.CheckProof, out.Check)
	assert.Positive(t, out.Stats()["proof-hints"])
	assert.Positive(t, out.Stats()["proof-lemmas"])

	_, err = Answer(ctx, p, &solvers.Result{Answer: solvers.None, Proof: solvers.NewProof(solvers.ProofLRAT, read("n50-i3.lrat.gz"))}, 0)
	require.ErrorContains(t, err, "id 214 is not larger than the formula's 214 clauses")
}
