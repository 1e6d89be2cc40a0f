package gophersat

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/encodings"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/verify"
)

// gophersat proves its "no" on the formula path: every refutation of
// random 3-SAT at the threshold checks (verify.Answer with no exhaustive
// search, so the proof alone decides), and a "yes" comes without one.
func TestCertifiedFormula(t *testing.T) {
	ctx := context.Background()
	unsat := 0
	for _, n := range []int{12, 30, 60} {
		for i := range 8 {
			f, _, err := instances.Spec{N: n, M: instances.ClausesForRatio(n, 4.6), K: 3, Seed: 5, Index: i}.Generate()
			require.NoError(t, err)
			p, err := solvers.FromFormula(f, reduction.Corrected)
			require.NoError(t, err)
			r, err := solveCNF(p, solvers.Options{Certify: true})
			require.NoError(t, err)
			out, err := verify.Answer(ctx, p, r, 0)
			require.NoError(t, err, "n=%d i=%d", n, i)
			if r.Answer == solvers.None {
				unsat++
				require.NotNil(t, r.Proof)
				assert.Equal(t, record.CheckProof, out.Check)
				assert.True(t, strings.HasSuffix(string(r.Proof.DRAT), "0\n"))
			} else {
				assert.Nil(t, r.Proof)
			}
		}
	}
	assert.Greater(t, unsat, 5, "the corpus should hold unsatisfiable formulas")

	// A formula with an empty clause, and one that unit propagation
	// refutes before any search.
	for _, f := range []*instances.CNF{
		{Vars: 2, Clauses: [][]int{{1, 2}, {}}},
		{Vars: 2, Clauses: [][]int{{1}, {-1}}},
		{Vars: 3, Clauses: [][]int{{1}, {-1, 2}, {-2}}},
	} {
		p, err := solvers.FromFormula(f, reduction.Corrected)
		require.NoError(t, err)
		r, err := solveCNF(p, solvers.Options{Certify: true})
		require.NoError(t, err)
		require.Equal(t, solvers.None, r.Answer)
		out, err := verify.Answer(ctx, p, r, 0)
		require.NoError(t, err)
		assert.Equal(t, record.CheckProof, out.Check, "%v", f.Clauses)
	}

	// Counting blocks models: a proof after the first model would refute
	// the formula with them blocked, and none is given.
	f, _, err := instances.Spec{N: 12, M: 30, K: 3, Seed: 1}.Generate()
	require.NoError(t, err)
	p, err := solvers.FromFormula(f, reduction.Corrected)
	require.NoError(t, err)
	r, err := solveCNF(p, solvers.Options{Certify: true, Count: true})
	require.NoError(t, err)
	require.Positive(t, r.Count)
	assert.Nil(t, r.Proof)
}

// gophersat-pb under Certify decides the game's CNF encoding and proves a
// "no": on random games and reduction games (the literal reduction, whose
// game the formula path cannot take) its answers agree with an exhaustive
// search, and every refutation checks against the encoding.
func TestCertifiedGameCNF(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(21, 22))
	var ps []*solvers.Problem
	for range 40 {
		ps = append(ps, &solvers.Problem{Game: testgen.Game(rng, 3+rng.IntN(6), 20)})
	}
	for range 10 {
		f := testgen.Formula(rng, 3+rng.IntN(2), 5+rng.IntN(6)) // at most 15 players: the exhaustive search stays fast
		g, _, err := reduction.Reduce(f, reduction.Corrected)
		require.NoError(t, err)
		ps = append(ps, &solvers.Problem{Game: g}) // the game alone: no formula path
	}
	proofs := 0
	for i, p := range ps {
		want, err := verify.Exhaustive(ctx, p)
		require.NoError(t, err)
		r, err := solvePB(p, solvers.Options{Certify: true}, encodings.EncodePB, NamePB)
		require.NoError(t, err)
		assert.Equal(t, want.Count > 0, r.Answer == solvers.Found, "game %d", i)
		out, err := verify.Answer(ctx, p, r, 0)
		require.NoError(t, err, "game %d", i)
		if r.Answer == solvers.None {
			proofs++
			assert.Equal(t, record.CheckProof, out.Check, "game %d", i)
		}
	}
	assert.Greater(t, proofs, 5)
}
