package bench

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/verify"
)

// formulaInput is a generated formula's input, or its reduction game alone
// (no formula: the prover must work on the game).
func formulaInput(t *testing.T, n int, ratio float64, seed uint64, index int, gameOnly bool) *Input {
	t.Helper()
	f, _, err := instances.Spec{N: n, M: instances.ClausesForRatio(n, ratio), K: 3, Seed: seed, Index: index}.Generate()
	require.NoError(t, err)
	p, err := solvers.FromFormula(f, reduction.Corrected)
	require.NoError(t, err)
	if gameOnly {
		return &Input{Path: "game.json", Problem: &solvers.Problem{Game: p.Game}}
	}
	return &Input{Path: "f.cnf", Problem: p, IsCNF: true}
}

// liarExcept answers every solve with "no", except the prover's, which
// runs in this process.
func liarExcept(prover string) Executor {
	return func(ctx context.Context, solver string, p *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
		if solver == prover {
			return InProcess(ctx, solver, p, opt)
		}
		return &solvers.Result{Answer: solvers.None}, nil
	}
}

// Negative answers beyond the exhaustive check's reach are certified: by
// the solver's own proof (gophersat), else by the prover's, checked; a
// prover that finds an equilibrium where the solver said none fails the
// answer; with certification off the record says why it is unchecked.
func TestCertifyNegativeAnswers(t *testing.T) {
	ctx := context.Background()
	// n = 40 at ratio 6: unsatisfiable, and 2^40 assignments are far
	// beyond the check limit.
	unsat := formulaInput(t, 40, 6, 3, 0, false)
	require.Greater(t, verify.Cost(unsat.Problem), verify.DefaultCheckLimit)
	sat := formulaInput(t, 40, 2, 3, 0, false)
	// The reduction game of an unsatisfiable formula with 5 variables and
	// 30 clauses: 36 players, beyond the exhaustive search of profiles.
	var noPNE *Input
	for i := 0; noPNE == nil; i++ {
		in := formulaInput(t, 5, 6, 1, i, false)
		if s, err := verify.Exhaustive(ctx, in.Problem); err == nil && s.Count == 0 && !reduction.AllFalseSatisfies(in.Problem.Formula) {
			noPNE = formulaInput(t, 5, 6, 1, i, true)
		}
	}
	require.Equal(t, 36, noPNE.Problem.Game.Players())

	tests := []struct {
		name    string
		run     Executor
		solver  string
		in      *Input
		certify bool
		limit   time.Duration
		check   record.Check
		prover  string
		failed  bool
		note    string
	}{
		{"gophersat proves its own no", InProcess, "gophersat", unsat, true, 0, record.CheckProof, "gophersat", false, ""},
		{"another solver's no, proved again", liarExcept("gophersat"), "minisat", unsat, true, 0, record.CheckProof, "gophersat", false, ""},
		{"a no on a game, proved on its CNF", liarExcept("gophersat-pb"), "enum", noPNE, true, 0, record.CheckProof, "gophersat-pb", false, ""},
		{"a wrong no", liarExcept("gophersat"), "minisat", sat, true, 0, record.CheckNone, "", true, ""},
		{"certification off", liarExcept("gophersat"), "minisat", unsat, false, 0, record.CheckNone, "", false, "--certify=false"},
		{"checks off", liarExcept("gophersat"), "minisat", unsat, true, -1, record.CheckNone, "", false, "--check-limit 0"},
	}
	// No time limit: with one, gophersat runs in a pooled worker process,
	// which outlives the test (TestSweepExternal counts the children).
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := Solve(ctx, tt.run, tt.solver, tt.in, solvers.Options{Certify: tt.certify}, Limits{CheckLimit: tt.limit})
			require.NoError(t, err)
			assert.Equal(t, tt.check, rec.Check, "%+v", rec)
			assert.Equal(t, tt.prover, rec.Prover)
			assert.Equal(t, tt.failed, rec.Failed(), rec.Error)
			if tt.failed {
				assert.Contains(t, rec.Error, "the prover gophersat found one")
			}
			if tt.check == record.CheckProof {
				assert.Equal(t, "drat", rec.ProofFormat)
				assert.Positive(t, rec.ProofBytes)
				assert.Positive(t, rec.Stats["proof-lemmas"])
				require.NotNil(t, rec.Verified)
				assert.True(t, *rec.Verified)
				if tt.prover != tt.solver {
					assert.Positive(t, rec.ProofSeconds)
				}
			}
			assert.Contains(t, rec.CheckNote, tt.note)
			if tt.note == "" {
				assert.Empty(t, rec.CheckNote)
			}
		})
	}
}
