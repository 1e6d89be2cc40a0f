package lrat_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"sync"
	"testing"

	gsolver "github.com/crillab/gophersat/solver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/nashbench/nashbench/verify/drat"
	"github.com/nashbench/nashbench/verify/lrat"
)

// The corpus: cadical's binary LRAT proofs of unsatisfiable uniform random
// 3-SAT formulas at ratio 4.26 (seed corpusSeed), kept in testdata because
// the Debian package of cadical (1.5) cannot write LRAT. A file
// n<N>-i<I>.lrat.gz proves instance I at n = N unsatisfiable;
// n<N>-i<I>-nontrivial.lrat.gz proves the same formula with the clause
// (x1 ∨ … ∨ xn) added, as package verify builds the formula a proof of a
// corrected reduction problem must refute. Regenerate with
//
//	go test ./verify/lrat -run TestCadicalCorpus -update
//
// and a cadical with --lrat (CaDiCaL 1.7 or later) in PATH or in
// NASHBENCH_LRAT_CADICAL.
var update = flag.Bool("update", false, "regenerate testdata/*.lrat.gz with a cadical that has --lrat")

const corpusSeed = 777

// corpusSizes is how many unsatisfiable formulas the corpus has per n, and
// how many of them also with the non-triviality clause.
var corpusSizes = []struct{ n, plain, nontrivial int }{
	{20, 3, 2}, {50, 3, 2}, {100, 2, 1}, {150, 2, 1}, {200, 1, 1},
}

// item is one formula of the corpus with its proof.
type item struct {
	name   string
	n      int
	f      *instances.CNF
	binary []byte // cadical's proof
	text   []byte // the same steps as text LRAT
	steps  []step
}

// formula draws instance index at n, with the non-triviality clause when
// nontrivial.
func formula(tb testing.TB, seed uint64, n, index int, nontrivial bool) *instances.CNF {
	tb.Helper()
	f, _, err := instances.Spec{N: n, M: instances.ClausesForRatio(n, 4.26), K: 3, Seed: seed, Index: index}.Generate()
	require.NoError(tb, err)
	if nontrivial {
		all := make([]int, n)
		for v := range all {
			all[v] = v + 1
		}
		f = &instances.CNF{Vars: f.Vars, Clauses: append(slices.Clone(f.Clauses), all)}
	}
	return f
}

var corpusName = regexp.MustCompile(`^n(\d+)-i(\d+)(-nontrivial)?\.lrat\.gz$`)

var shared struct {
	once  sync.Once
	items []item
	err   error
}

// corpus loads the testdata proofs (once).
func corpus(t testing.TB) []item {
	t.Helper()
	shared.once.Do(func() {
		files, err := filepath.Glob(filepath.Join("testdata", "*.lrat.gz"))
		if err != nil || len(files) == 0 {
			shared.err = fmt.Errorf("no testdata/*.lrat.gz (%v)", err)
			return
		}
		for _, file := range files {
			m := corpusName.FindStringSubmatch(filepath.Base(file))
			if m == nil {
				shared.err = fmt.Errorf("%s: not a corpus name", file)
				return
			}
			n, _ := strconv.Atoi(m[1])
			index, _ := strconv.Atoi(m[2])
			b, err := readGzip(file)
			if err != nil {
				shared.err = err
				return
			}
			steps, err := parseBinary(b)
			if err != nil {
				shared.err = fmt.Errorf("%s: %w", file, err)
				return
			}
			shared.items = append(shared.items, item{name: filepath.Base(file), n: n,
				f: formula(t, corpusSeed, n, index, m[3] != ""), binary: b, text: writeText(steps), steps: steps})
		}
		sort.SliceStable(shared.items, func(i, j int) bool { return shared.items[i].n < shared.items[j].n })
	})
	require.NoError(t, shared.err)
	return shared.items
}

func readGzip(file string) ([]byte, error) {
	fh, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	z, err := gzip.NewReader(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return io.ReadAll(z)
}

// solveLRAT runs cadical on f with an LRAT proof (binary or text) and
// returns the proof, or nil when f is satisfiable.
func solveLRAT(tb testing.TB, bin, dir string, f *instances.CNF, binary bool) []byte {
	tb.Helper()
	return solve(tb, bin, dir, f, "--lrat", map[bool]string{true: "--binary", false: "--no-binary"}[binary])
}

func solve(tb testing.TB, bin, dir string, f *instances.CNF, args ...string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	require.NoError(tb, instances.WriteDIMACS(&buf, f))
	cnf, proof := filepath.Join(dir, "f.cnf"), filepath.Join(dir, "f.proof")
	require.NoError(tb, os.WriteFile(cnf, buf.Bytes(), 0o644))
	out, err := exec.Command(bin, append(append([]string{"-q"}, args...), cnf, proof)...).CombinedOutput()
	var ee *exec.ExitError
	require.True(tb, errors.As(err, &ee), "cadical: %v\n%s", err, out)
	switch ee.ExitCode() {
	case 10:
		return nil
	case 20:
		b, err := os.ReadFile(proof)
		require.NoError(tb, err)
		return b
	}
	tb.Fatalf("cadical: exit status %d\n%s", ee.ExitCode(), out)
	return nil
}

// regenerate writes the corpus anew.
func regenerate(t *testing.T) {
	bin, why := testtool.LRATCadical(t)
	if bin == "" {
		t.Fatal(why)
	}
	old, _ := filepath.Glob(filepath.Join("testdata", "*.lrat.gz"))
	for _, f := range old {
		require.NoError(t, os.Remove(f))
	}
	require.NoError(t, os.MkdirAll("testdata", 0o755))
	dir := t.TempDir()
	write := func(name string, proof []byte) {
		var buf bytes.Buffer
		z, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, err := z.Write(proof)
		require.NoError(t, err)
		require.NoError(t, z.Close())
		require.NoError(t, os.WriteFile(filepath.Join("testdata", name), buf.Bytes(), 0o644))
	}
	for _, size := range corpusSizes {
		found := 0
		for index := 0; found < size.plain; index++ {
			require.Less(t, index, 100, "too few unsatisfiable formulas at n = %d", size.n)
			proof := solveLRAT(t, bin, dir, formula(t, corpusSeed, size.n, index, false), true)
			if proof == nil {
				continue
			}
			write(fmt.Sprintf("n%d-i%d.lrat.gz", size.n, index), proof)
			if found < size.nontrivial {
				proof := solveLRAT(t, bin, dir, formula(t, corpusSeed, size.n, index, true), true)
				require.NotNil(t, proof, "n = %d, index %d", size.n, index)
				write(fmt.Sprintf("n%d-i%d-nontrivial.lrat.gz", size.n, index), proof)
			}
			found++
		}
	}
}

// accepts checks that proof (binary and text) is accepted, and by the
// independent routes: the oracle, and the DRAT checker on the proof
// without its hints.
func accepts(t *testing.T, name string, f *instances.CNF, steps []step) {
	t.Helper()
	ctx := context.Background()
	var lemmas, deletions int
	var hints int64
	for _, s := range steps {
		if s.del {
			deletions += len(s.hints)
		} else {
			lemmas++
			hints += int64(len(s.hints))
		}
	}
	for _, binary := range []bool{true, false} {
		proof := writeText(steps)
		if binary {
			proof = writeBinary(steps)
		}
		st, err := lrat.Check(ctx, f, bytes.NewReader(proof))
		require.NoError(t, err, "%s, binary %v", name, binary)
		assert.Equal(t, lrat.Stats{Lemmas: lemmas, Deletions: deletions, Hints: hints, Binary: binary}, st, name)
	}
	require.NoError(t, oracle(f, steps), name)
	st, err := drat.Check(ctx, f, bytes.NewReader(toDRAT(f, steps)))
	require.NoError(t, err, "%s: the proof without its hints, as DRAT", name)
	assert.Zero(t, st.Discarded, name)
}

// TestCadicalCorpus checks that every proof of the corpus is accepted, in
// binary (as cadical wrote it) and in text, with exact counters, and that
// the oracle and the DRAT checker (on the proof without its hints) accept
// it too. With -update it first writes the corpus anew.
func TestCadicalCorpus(t *testing.T) {
	t.Parallel()
	if *update {
		regenerate(t)
	}
	items := corpus(t)
	want := 0
	for _, size := range corpusSizes {
		want += size.plain + size.nontrivial
	}
	require.Len(t, items, want, "the corpus's files")
	for _, it := range items {
		accepts(t, it.name, it.f, it.steps)
		st, err := lrat.Check(context.Background(), it.f, bytes.NewReader(it.binary))
		require.NoError(t, err, it.name)
		assert.True(t, st.Binary)
		assert.Positive(t, st.Hints)
		for _, s := range it.steps {
			for _, h := range s.hints {
				require.Positive(t, h, "%s: cadical wrote a RAT step", it.name)
			}
		}
	}
}

// TestCadicalFresh solves new formulas with the cadical of this machine
// when it writes LRAT (the Debian package's 1.5 does not; the corpus then
// stands in): random 3-SAT at n = 50..200 and the same with the
// non-triviality clause. Every proof, binary and text, is accepted, has no
// RAT step, and is accepted without its hints by the DRAT checker, which
// also accepts cadical's own DRAT proof of the formula.
func TestCadicalFresh(t *testing.T) {
	bin, why := testtool.LRATCadical(t)
	if bin == "" {
		t.Skip(why)
	}
	if testing.Short() {
		t.Skip("-short")
	}
	ctx := context.Background()
	dir := t.TempDir()
	checked := 0
	for _, n := range []int{50, 100, 150, 200} {
		found := 0
		for index := 0; found < 3 && index < 40; index++ {
			if solveLRAT(t, bin, dir, formula(t, 4242, n, index, false), true) == nil {
				continue // satisfiable
			}
			found++
			for _, nontrivial := range []bool{false, true} {
				f := formula(t, 4242, n, index, nontrivial)
				bproof := solveLRAT(t, bin, dir, f, true)
				require.NotNil(t, bproof, "more clauses than an unsatisfiable formula")
				name := fmt.Sprintf("n=%d index %d nontrivial %v", n, index, nontrivial)
				st, err := lrat.Check(ctx, f, bytes.NewReader(bproof))
				require.NoError(t, err, name)
				require.True(t, st.Binary)
				tproof := solveLRAT(t, bin, dir, f, false)
				tst, err := lrat.Check(ctx, f, bytes.NewReader(tproof))
				require.NoError(t, err, name)
				require.False(t, tst.Binary)
				steps, err := parseBinary(bproof)
				require.NoError(t, err)
				accepts(t, name, f, steps)
				dratProof := solve(t, bin, dir, f, "--no-binary")
				_, err = drat.Check(ctx, f, bytes.NewReader(dratProof))
				require.NoError(t, err, "%s: cadical's DRAT proof", name)
				checked++
			}
		}
	}
	t.Logf("%d fresh proofs accepted", checked)
}

// mutant is a change to a proof.
type mutant struct {
	name string
	// apply returns the changed steps, or nil when the proof offers no
	// place for the change.
	apply func(rng *rand.Rand, f *instances.CNF, steps []step) []step
	// always says the change always breaks a proof (the others are judged
	// by the oracle: a changed proof may still be valid).
	always bool
}

// additions returns the indices of the added clauses with at least min
// hints (and at least one literal when nonEmpty).
func additions(steps []step, min int, nonEmpty bool) []int {
	var out []int
	for i, s := range steps {
		if !s.del && len(s.hints) >= min && (!nonEmpty || len(s.lits) > 0) {
			out = append(out, i)
		}
	}
	return out
}

func pick(rng *rand.Rand, xs []int) (int, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	return xs[rng.IntN(len(xs))], true
}

var mutants = []mutant{
	{name: "hint removed", apply: func(rng *rand.Rand, _ *instances.CNF, steps []step) []step {
		i, ok := pick(rng, additions(steps, 1, false))
		if !ok {
			return nil
		}
		out := cloneSteps(steps)
		j := rng.IntN(len(out[i].hints))
		out[i].hints = slices.Delete(out[i].hints, j, j+1)
		return out
	}},
	{name: "last hint removed", always: true, apply: func(rng *rand.Rand, _ *instances.CNF, steps []step) []step {
		i, ok := pick(rng, additions(steps, 1, false))
		if !ok {
			return nil
		}
		out := cloneSteps(steps)
		out[i].hints = out[i].hints[:len(out[i].hints)-1]
		return out
	}},
	{name: "hint replaced", apply: func(rng *rand.Rand, _ *instances.CNF, steps []step) []step {
		i, ok := pick(rng, additions(steps, 1, false))
		if !ok {
			return nil
		}
		out := cloneSteps(steps)
		j := rng.IntN(len(out[i].hints))
		h := out[i].hints[j]
		for h == out[i].hints[j] {
			h = 1 + rng.Int64N(out[i].id-1)
		}
		out[i].hints[j] = h
		return out
	}},
	{name: "literal flipped", apply: func(rng *rand.Rand, _ *instances.CNF, steps []step) []step {
		i, ok := pick(rng, additions(steps, 0, true))
		if !ok {
			return nil
		}
		out := cloneSteps(steps)
		j := rng.IntN(len(out[i].lits))
		out[i].lits[j] = -out[i].lits[j]
		return out
	}},
	{name: "clause deleted before a hint uses it", always: true, apply: func(rng *rand.Rand, _ *instances.CNF, steps []step) []step {
		i, ok := pick(rng, additions(steps, 1, false))
		if !ok {
			return nil
		}
		h := steps[i].hints[rng.IntN(len(steps[i].hints))]
		out := cloneSteps(steps[:i])
		out = append(out, step{del: true, hints: []int64{h}})
		for _, s := range steps[i:] {
			s = s.clone()
			if s.del {
				s.hints = slices.DeleteFunc(s.hints, func(x int64) bool { return x == h })
				if len(s.hints) == 0 {
					continue
				}
			}
			out = append(out, s)
		}
		return out
	}},
	{name: "empty clause removed", always: true, apply: func(_ *rand.Rand, _ *instances.CNF, steps []step) []step {
		return slices.DeleteFunc(cloneSteps(steps), func(s step) bool { return !s.del && len(s.lits) == 0 })
	}},
}

// TestMutants changes the corpus's proofs: a hint removed (the last one,
// which ends the step, and any one), a hint replaced by the id of another
// clause, a literal of an added clause flipped, a clause deleted just
// before a hint uses it, the empty clause removed. Each mutant is judged
// by the oracle, and the checker must agree on it (in binary and text);
// the changes marked always must be rejected every time, and every kind
// must give rejections. The counts are logged (-v). Six mutants of each
// kind are made of each proof up to n = 100 (two with -short), one of the
// larger ones (in binary only: the race detector's time).
func TestMutants(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 6))
	rejected := map[string]int{}
	valid := map[string]int{}
	for _, it := range corpus(t) {
		reps, small := 1, it.n <= 100
		if small {
			reps = 6
			if testing.Short() {
				reps = 2
			}
		}
		for _, m := range mutants {
			for range reps {
				steps := m.apply(rng, it.f, it.steps)
				if steps == nil {
					continue
				}
				want := oracle(it.f, steps)
				if m.always {
					require.Error(t, want, "%s: %s: the oracle accepts", it.name, m.name)
				}
				proofs := [][]byte{writeBinary(steps)}
				if small {
					proofs = append(proofs, writeText(steps))
				}
				for _, proof := range proofs {
					_, err := lrat.Check(ctx, it.f, bytes.NewReader(proof))
					if want == nil {
						require.NoError(t, err, "%s: %s: the oracle accepts", it.name, m.name)
					} else {
						require.Error(t, err, "%s: %s: the oracle rejects: %v", it.name, m.name, want)
					}
				}
				if want == nil {
					valid[m.name]++
				} else {
					rejected[m.name]++
				}
			}
		}
	}
	for _, m := range mutants {
		assert.Positive(t, rejected[m.name], m.name)
		t.Logf("%s: %d rejected, %d still valid proofs (accepted by both)", m.name, rejected[m.name], valid[m.name])
	}
}

// TestWeakening checks the corpus's proofs against satisfiable weakenings
// of their formulas: a clause that a hint uses is dropped, where gophersat
// finds the rest satisfiable, and the proof (which cannot refute a
// satisfiable formula) must be rejected, whether the clause is removed
// (the later clauses renumbered) or replaced by the tautology (x1 ∨ ¬x1)
// (the numbering kept).
func TestWeakening(t *testing.T) {
	// Not parallel: it solves with the gophersat library, whose learning
	// code writes package-level state.
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 8))
	weakened := 0
	for _, it := range corpus(t) {
		if it.n > 100 {
			continue // gophersat's time
		}
		m := int64(len(it.f.Clauses))
		var used []int
		for _, s := range it.steps {
			for _, h := range s.hints {
				if !s.del && h <= m && !slices.Contains(used, int(h)) {
					used = append(used, int(h))
				}
			}
		}
		rng.Shuffle(len(used), func(i, j int) { used[i], used[j] = used[j], used[i] })
		for _, j := range used[:min(len(used), 25)] {
			dropped := slices.Delete(slices.Clone(it.f.Clauses), j-1, j)
			if gsolver.New(gsolver.ParseSlice(dropped)).Solve() != gsolver.Sat {
				continue
			}
			taut := slices.Clone(it.f.Clauses)
			taut[j-1] = []int{1, -1}
			for _, g := range []*instances.CNF{{Vars: it.f.Vars, Clauses: dropped}, {Vars: it.f.Vars, Clauses: taut}} {
				for _, proof := range [][]byte{it.binary, it.text} {
					_, err := lrat.Check(ctx, g, bytes.NewReader(proof))
					require.Error(t, err, "%s without clause %d", it.name, j)
				}
			}
			weakened++
			break
		}
	}
	t.Logf("%d proofs rejected on satisfiable weakenings", weakened)
	assert.GreaterOrEqual(t, weakened, 8)
}
