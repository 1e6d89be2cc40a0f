package external

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/verify"
)

// lratDef is a definition whose certify_command writes LRAT.
func lratDef(t *testing.T, name string, command, certify []string) *Solver {
	t.Helper()
	d := Definition{Name: name, Input: "cnf", Output: "sat", Command: command, CertifyCommand: certify, ProofFormat: solvers.ProofLRAT}
	require.NoError(t, d.check())
	return New(d)
}

// TestCertifyLRAT: a definition with "proof_format": "lrat" gives its
// proofs back as LRAT (written to a .lrat file), which package verify
// checks with its LRAT checker against F ∧ (x1 ∨ … ∨ xn), the clauses
// numbered as in the input file.
func TestCertifyLRAT(t *testing.T) {
	dir := t.TempDir()
	script := func(name, proof string) string {
		path := filepath.Join(dir, name+".sh")
		// The proof file's name ends in .lrat; the input's clauses are
		// F's in order, then (x1 ∨ x2 ∨ x3).
		body := "#!/bin/sh\ncase \"$2\" in *.lrat) ;; *) exit 3;; esac\n" +
			"grep -q '^1 2 3 0$' \"$1\" || exit 4\n" +
			"printf '" + proof + "' > \"$2\"\necho 's UNSATISFIABLE'\nexit 20\n"
		require.NoError(t, os.WriteFile(path, []byte(body), 0o755))
		return path
	}
	// Clauses 1 (-1), 2 (-2 3), 3 (-3), 4 (1 2 3): the empty clause
	// follows from 1, 3, 2 and 4.
	p := formulaProblem(t, &instances.CNF{Vars: 3, Clauses: [][]int{{-1}, {-2, 3}, {-3}}})
	good := script("good", `5 0 1 3 2 4 0\n`)
	s := lratDef(t, "fake-lrat", []string{good, "{input}"}, []string{good, "{input}", "{proof}"})
	r, err := s.Solve(t.Context(), p, solvers.Options{Certify: true})
	require.NoError(t, err)
	require.Equal(t, solvers.None, r.Answer)
	require.NotNil(t, r.Proof)
	assert.Equal(t, solvers.ProofLRAT, r.Proof.Format())
	assert.Nil(t, r.Proof.DRAT)
	assert.Equal(t, "5 0 1 3 2 4 0\n", string(r.Proof.LRAT))
	out, err := verify.Answer(t.Context(), p, r, 0)
	require.NoError(t, err)
	assert.Equal(t, record.CheckProof, out.Check)
	assert.Equal(t, map[string]float64{"proof-lemmas": 1, "proof-deletions": 0, "proof-hints": 4}, out.Stats())

	// Hints that derive no conflict fail the answer.
	bad := script("bad", `5 0 1 3 4 0\n`)
	s = lratDef(t, "fake-lrat", []string{bad, "{input}"}, []string{bad, "{input}", "{proof}"})
	r, err = s.Solve(t.Context(), p, solvers.Options{Certify: true})
	require.NoError(t, err)
	_, err = verify.Answer(t.Context(), p, r, 0)
	require.ErrorContains(t, err, "does not check: lrat: line 1 (clause 5): not implied by its 3 hints")
}

// TestCadicalLRAT runs a cadical that writes LRAT (skipped without one:
// the Debian package's 1.5 does not) defined with "proof_format": "lrat",
// text and binary, on formulas and on games (their CNF encoding), and
// checks its proofs through verify.Answer; a proof cut before its empty
// clause fails.
func TestCadicalLRAT(t *testing.T) {
	bin, why := testtool.LRATCadical(t)
	if bin == "" {
		t.Skip(why)
	}
	for _, args := range [][]string{{"--lrat", "--no-binary"}, {"--lrat"}} {
		s := lratDef(t, "cadical-lrat", []string{bin, "{input}"}, append(append([]string{bin}, args...), "{input}", "{proof}"))
		rng := rand.New(rand.NewPCG(5, 6))
		checked, cut := 0, 0
		for i := range 40 {
			var p *solvers.Problem
			if i%3 != 0 {
				f, err := instances.RandomKSAT(rng, 25, 140, 3)
				require.NoError(t, err)
				p = formulaProblem(t, f)
			} else {
				p = &solvers.Problem{Game: testgen.Game(rng, 2+rng.IntN(5), 3)}
			}
			r, err := s.Solve(t.Context(), p, solvers.Options{Certify: true})
			require.NoError(t, err)
			if r.Answer != solvers.None {
				continue
			}
			require.NotNil(t, r.Proof)
			require.Equal(t, solvers.ProofLRAT, r.Proof.Format())
			out, err := verify.Answer(t.Context(), p, r, -1)
			require.NoError(t, err, "%v: problem %d", args, i)
			require.Equal(t, record.CheckProof, out.Check)
			require.NotNil(t, out.LRAT)
			checked++
			if len(args) == 2 { // text: cut the last line, the empty clause
				text := strings.TrimSuffix(string(r.Proof.LRAT), "\n")
				text = text[:strings.LastIndex(text, "\n")+1]
				_, err = verify.Answer(t.Context(), p, &solvers.Result{Answer: solvers.None, Proof: solvers.NewProof(solvers.ProofLRAT, []byte(text))}, -1)
				require.ErrorContains(t, err, "no empty clause")
				cut++
			}
		}
		assert.Greater(t, checked, 15, "%v: negative answers with proofs", args)
		t.Logf("%v: %d proofs checked, %d cut short rejected", args, checked, cut)
	}
}
