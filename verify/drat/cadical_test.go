package drat_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/nashbench/nashbench/verify/drat"
)

// cadical solves the formula in file cnf, writing its proof (binary or text)
// to file proof; it returns the exit status (10 sat, 20 unsat) and the wall
// time of the run.
func cadical(tb testing.TB, bin, cnf, proof string, binary bool) (int, time.Duration) {
	tb.Helper()
	args := []string{"-q", cnf, proof}
	if !binary {
		args = append([]string{"--no-binary"}, args...)
	}
	start := time.Now()
	out, err := exec.Command(bin, args...).CombinedOutput()
	took := time.Since(start)
	var ee *exec.ExitError
	require.True(tb, errors.As(err, &ee), "cadical %v: %v\n%s", args, err, out)
	code := ee.ExitCode()
	require.True(tb, code == 10 || code == 20, "cadical %v: exit status %d\n%s", args, code, out)
	return code, took
}

func writeCNF(tb testing.TB, path string, f *instances.CNF) {
	tb.Helper()
	var buf bytes.Buffer
	require.NoError(tb, instances.WriteDIMACS(&buf, f))
	require.NoError(tb, os.WriteFile(path, buf.Bytes(), 0o644))
}

// proved is an unsatisfiable formula with cadical's proofs of it.
type proved struct {
	f      *instances.CNF
	cnf    string // its file
	text   []byte // cadical --no-binary proof
	binary []byte // cadical's default (binary) proof
	solve  time.Duration
}

// unsatCorpus draws random 3-SAT formulas (n variables from ns, ratio from
// ratios) until count of them are unsatisfiable by cadical's exit status,
// and returns them with cadical's text and binary proofs.
func unsatCorpus(tb testing.TB, dir string, seed uint64, count int, draw func(*rand.Rand) (n, m int)) []proved {
	tb.Helper()
	bin := testtool.Need(tb, "cadical")
	rng := rand.New(rand.NewPCG(seed, 7))
	var out []proved
	for i := 0; len(out) < count; i++ {
		require.Less(tb, i, 20*count, "too few unsatisfiable formulas")
		n, m := draw(rng)
		f, err := instances.RandomKSAT(rng, n, m, 3)
		require.NoError(tb, err)
		p := proved{f: f, cnf: filepath.Join(dir, fmt.Sprintf("f%d.cnf", i))}
		writeCNF(tb, p.cnf, f)
		proof := filepath.Join(dir, fmt.Sprintf("f%d.drat", i))
		code, took := cadical(tb, bin, p.cnf, proof, true)
		if code != 20 {
			continue
		}
		p.solve = took
		p.binary, err = os.ReadFile(proof)
		require.NoError(tb, err)
		code, _ = cadical(tb, bin, p.cnf, proof, false)
		require.Equal(tb, 20, code)
		p.text, err = os.ReadFile(proof)
		require.NoError(tb, err)
		out = append(out, p)
	}
	return out
}

// The tests share one corpus: 200 unsatisfiable formulas, n = 20..50 at
// ratios 5 to 6, made on first use.
var shared struct {
	once sync.Once
	dir  string
	all  []proved
	ok   bool
}

func corpus(t *testing.T) []proved {
	t.Helper()
	testtool.Need(t, "cadical")
	shared.once.Do(func() {
		dir, err := os.MkdirTemp("", "drat-test-")
		require.NoError(t, err)
		shared.dir = dir
		shared.all = unsatCorpus(t, dir, 1, 200, func(rng *rand.Rand) (int, int) {
			n := 20 + rng.IntN(31)
			return n, instances.ClausesForRatio(n, 5+rng.Float64())
		})
		shared.ok = true
	})
	require.True(t, shared.ok, "making the corpus failed in an earlier test")
	return shared.all
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// TestCadicalProofs checks that cadical's proofs, binary and text, of 200
// unsatisfiable formulas are accepted, and that both encode the same steps.
func TestCadicalProofs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for i, p := range corpus(t) {
		for _, binary := range []bool{true, false} {
			proof := p.text
			if binary {
				proof = p.binary
			}
			st, err := drat.Check(ctx, p.f, bytes.NewReader(proof))
			require.NoError(t, err, "formula %d, binary %v", i, binary)
			assert.Equal(t, binary, st.Binary, "formula %d", i)
			assert.Zero(t, st.Discarded, "formula %d", i)
			assert.Positive(t, st.CoreClauses, "formula %d", i)
			assert.LessOrEqual(t, st.Core, st.Lemmas, "formula %d", i)
		}
		text, err := parseText(string(p.text))
		require.NoError(t, err)
		bin, err := parseBinary(p.binary)
		require.NoError(t, err)
		require.Equal(t, text, bin, "formula %d: the text and binary proofs differ", i)
	}
}

// firstEmpty returns the index of the first empty lemma, or len(steps).
func firstEmpty(steps []pstep) int {
	for i, st := range steps {
		if !st.del && len(st.lits) == 0 {
			return i
		}
	}
	return len(steps)
}

// lemmaSteps returns the indices of the non-empty lemmas before end.
func lemmaSteps(steps []pstep, end int) []int {
	var out []int
	for i, st := range steps[:end] {
		if !st.del && len(st.lits) > 0 {
			out = append(out, i)
		}
	}
	return out
}

// mutation changes a proof of f whose oracle conflict is at step end.
type mutation struct {
	name  string
	apply func(rng *rand.Rand, f *instances.CNF, steps []pstep, end int) []pstep
}

// Flips and deletions pick lemmas up to the conflict: cadical writes the
// units it propagates at the top level after its last conflict, and
// lemmas after the conflict are not used.
var mutations = []mutation{
	{"truncated before the empty clause", func(_ *rand.Rand, _ *instances.CNF, steps []pstep, _ int) []pstep {
		return slices.Clone(steps[:firstEmpty(steps)])
	}},
	{"truncated anywhere earlier", func(rng *rand.Rand, _ *instances.CNF, steps []pstep, _ int) []pstep {
		return slices.Clone(steps[:rng.IntN(firstEmpty(steps)+1)])
	}},
	{"truncated, the empty clause kept", func(rng *rand.Rand, _ *instances.CNF, steps []pstep, end int) []pstep {
		return append(slices.Clone(steps[:rng.IntN(end+1)]), pstep{})
	}},
	{"a literal flipped", func(rng *rand.Rand, _ *instances.CNF, steps []pstep, end int) []pstep {
		ls := lemmaSteps(steps, end+1)
		return flip(rng, steps, ls[rng.IntN(len(ls))])
	}},
	{"a lemma deleted", func(rng *rand.Rand, _ *instances.CNF, steps []pstep, end int) []pstep {
		ls := lemmaSteps(steps, end+1)
		i := ls[rng.IntN(len(ls))]
		return slices.Delete(slices.Clone(steps), i, i+1)
	}},
	{"a deletion inserted", func(rng *rand.Rand, f *instances.CNF, steps []pstep, end int) []pstep {
		// Delete a formula clause or an earlier lemma, in another order.
		at := rng.IntN(end + 1)
		cands := slices.Clone(f.Clauses)
		for _, i := range lemmaSteps(steps, at) {
			cands = append(cands, steps[i].lits)
		}
		lits := slices.Clone(cands[rng.IntN(len(cands))])
		rng.Shuffle(len(lits), func(i, j int) { lits[i], lits[j] = lits[j], lits[i] })
		return slices.Insert(slices.Clone(steps), at, pstep{del: true, lits: lits})
	}},
}

// flip negates a random literal of the lemma at step i.
func flip(rng *rand.Rand, steps []pstep, i int) []pstep {
	out := slices.Clone(steps)
	lits := slices.Clone(out[i].lits)
	j := rng.IntN(len(lits))
	lits[j] = -lits[j]
	out[i].lits = lits
	return out
}

// TestMutationsAgreeWithOracle mutates cadical's proofs and checks that
// Check decides every mutated proof as the oracle does: the same verdict
// and, when Check names an invalid lemma, the same first invalid lemma.
// It also checks that most mutations are rejected, so that the agreement is
// not merely on accepting.
func TestMutationsAgreeWithOracle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(2, 3))
	type tally struct{ tried, rejected, discarded int }
	tallies := make([]tally, len(mutations))
	for i, p := range corpus(t) {
		steps, err := parseText(string(p.text))
		require.NoError(t, err)
		orig := oracle(p.f, steps)
		require.True(t, orig.allValid, "formula %d: the oracle rejects cadical's proof", i)
		require.GreaterOrEqual(t, orig.conflict, 0, "formula %d: refuted by unit propagation alone", i)
		for k, mu := range mutations {
			mutated := mu.apply(rng, p.f, steps, orig.conflict)
			want := oracle(p.f, mutated)
			binary := (i+k)%2 == 0
			proof := writeText(mutated)
			if binary {
				proof = writeBinary(mutated)
			}
			st, err := drat.Check(ctx, p.f, bytes.NewReader(proof))
			where := fmt.Sprintf("formula %d, %s, binary %v:\n%s", i, mu.name, binary, writeText(mutated))
			tallies[k].tried++
			if want.accept {
				require.NoError(t, err, where)
				if st.Discarded > 0 {
					tallies[k].discarded++
				}
				continue
			}
			require.Error(t, err, where)
			tallies[k].rejected++
			var le *drat.LemmaError
			if errors.As(err, &le) && strings.Contains(le.Msg, "neither RUP nor RAT") {
				require.Equal(t, want.firstInvalid, le.Lemma, where)
			}
			if want.firstInvalid == 0 && firstEmpty(mutated) == len(mutated) {
				require.ErrorIs(t, err, drat.ErrNoEmptyClause, where)
			}
		}
	}
	for k, mu := range mutations {
		tl := tallies[k]
		t.Logf("%-35s %3d tried, %3d rejected (%.0f%%), %2d accepted with invalid lemmas discarded", mu.name, tl.tried, tl.rejected, 100*float64(tl.rejected)/float64(tl.tried), tl.discarded)
		require.Positive(t, tl.tried)
	}
	// Truncated proofs have no empty clause: all are rejected. A random
	// lemma is often not needed; among the last few lemmas most are.
	for k := range 3 {
		assert.Equal(t, tallies[k].tried, tallies[k].rejected, mutations[k].name)
	}
	for k, share := range []float64{3: 0.1, 4: 0.1, 5: 0.01} {
		if share > 0 {
			assert.GreaterOrEqual(t, float64(tallies[k].rejected), share*float64(tallies[k].tried), mutations[k].name)
		}
	}
}
