package external

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/encodings"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	_ "github.com/nashbench/nashbench/solvers/gophersat"
	"github.com/nashbench/nashbench/solvers/mip"
	"github.com/nashbench/nashbench/verify"
	"github.com/nashbench/nashbench/verify/drat"
)

func formulaProblem(t *testing.T, f *instances.CNF) *solvers.Problem {
	t.Helper()
	p, err := solvers.FromFormula(f, reduction.Corrected)
	require.NoError(t, err)
	return p
}

func gameProblem(t *testing.T, path string) *solvers.Problem {
	t.Helper()
	g, err := game.ReadFile(filepath.Join("..", "..", "examples", path))
	require.NoError(t, err)
	return &solvers.Problem{Game: g}
}

// shippedSolver returns the shipped definition's solver. A missing binary
// fails the test (scripts/test installs every one), unless
// NASHBENCH_NO_EXTERNAL=1, which skips (testtool.Missing).
func shippedSolver(t *testing.T, name string) *Solver {
	t.Helper()
	for _, d := range Shipped() {
		if d.Name == name {
			s := New(d)
			if m := s.Describe(t.Context()).Missing; m != "" {
				testtool.Missing(t, fmt.Sprintf("%s: %s: install it (%s; scripts/test does)", name, m, d.Description))
			}
			return s
		}
	}
	t.Fatalf("no shipped definition %q", name)
	return nil
}

// TestShipped runs every shipped definition on a problem with a
// non-trivial equilibrium and one without, and checks the answers as the
// harness does.
func TestShipped(t *testing.T) {
	// F's non-trivial models are the equilibria; G has only all-false.
	f := &instances.CNF{Vars: 3, Clauses: [][]int{{1, -2}, {2, 3}}}
	g := &instances.CNF{Vars: 3, Clauses: [][]int{{-1}, {-2, 3}, {-3}}}
	for _, d := range Shipped() {
		t.Run(d.Name, func(t *testing.T) {
			s := shippedSolver(t, d.Name)
			desc := s.Describe(t.Context())
			if len(d.Version) > 0 {
				assert.NotEmpty(t, desc.Version, "the version command says nothing")
			}
			cases := []struct {
				p    *solvers.Problem
				want solvers.Answer
			}{
				{gameProblem(t, "leader-followers.json"), solvers.Found},
				{gameProblem(t, "equals.json"), solvers.None},
			}
			if d.Input == "cnf" {
				cases = append(cases, []struct {
					p    *solvers.Problem
					want solvers.Answer
				}{{formulaProblem(t, f), solvers.Found}, {formulaProblem(t, g), solvers.None}}...)
			}
			for _, tt := range cases {
				r, err := s.Solve(t.Context(), tt.p, solvers.Options{Count: true})
				require.NoError(t, err)
				assert.Equal(t, tt.want, r.Answer)
				assert.False(t, r.Counted, "external solvers do not count")
				out, err := verify.Answer(t.Context(), tt.p, r, time.Second)
				require.NoError(t, err)
				assert.NotEqual(t, record.CheckNone, out.Check)
			}
		})
	}
}

// fake returns a solver running a shell script with the definition's
// other fields.
func fake(t *testing.T, script string, d Definition) *Solver {
	t.Helper()
	path := filepath.Join(t.TempDir(), "solver.sh")
	require.NoError(t, os.WriteFile(path, []byte("#!/bin/sh\n"+script), 0o755))
	if d.Name == "" {
		d.Name = "fake"
	}
	if d.Input == "" {
		d.Input, d.Output = "cnf", "sat"
	}
	for i, a := range d.Command {
		d.Command[i] = strings.ReplaceAll(a, "SCRIPT", path)
	}
	if d.Command == nil {
		d.Command = []string{path, "{input}"}
	}
	require.NoError(t, d.check())
	return New(d)
}

// TestFailures: a solver that cannot run, crashes, or says something
// unreadable fails with an error naming it and the problem, never an
// answer.
func TestFailures(t *testing.T) {
	p := formulaProblem(t, &instances.CNF{Vars: 3, Clauses: [][]int{{1, -2}, {2, 3}}})
	for _, tt := range []struct {
		name, script string
		d            Definition
		err          string
	}{
		{name: "missing binary", d: Definition{Command: []string{"nashbench-no-such-solver", "{input}"}},
			err: "fake: missing: nashbench-no-such-solver not in PATH"},
		{name: "missing path", d: Definition{Command: []string{"/nonexistent/solver", "{input}"}},
			err: "fake: missing: /nonexistent/solver not found"},
		{name: "garbage", script: "echo hello; echo 's MAYBE'; exit 10\n",
			err: `fake: reading its answer (sat convention): line 2: unknown status line "s MAYBE"`},
		{name: "crash", script: "echo dying >&2; kill -SEGV $$\n", err: "fake: solver.sh: signal: segmentation fault; its stderr ends: dying"},
		{name: "exit status", script: "echo oops >&2; exit 1\n", err: "no status line (s SATISFIABLE, s UNSATISFIABLE or s UNKNOWN); exit status 1; its stderr ends: oops"},
		{name: "no answer file", script: "exit 0\n", d: Definition{Output: "minisat", Input: "cnf", Command: []string{"SCRIPT", "{input}", "{output}"}},
			err: "fake: no answer file (exit status 0)"},
		{name: "model out of range", script: "echo 's SATISFIABLE'; echo 'v 1 2 3 4 0'; exit 10\n",
			err: "literal 4: the formula has variables 1..3"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := fake(t, tt.script, tt.d)
			r, err := s.Solve(t.Context(), p, solvers.Options{})
			require.Error(t, err, "answered %+v", r)
			assert.False(t, solvers.IsRefused(err))
			assert.Contains(t, err.Error(), tt.err)
		})
	}
}

// TestFakeAnswers: answers come back through the placeholders and map to
// profiles; a wrong model is left to package verify, which fails it.
func TestFakeAnswers(t *testing.T) {
	p := formulaProblem(t, &instances.CNF{Vars: 3, Clauses: [][]int{{1, -2}, {2, 3}}})
	// Reads its input, writes a model to {output} in MiniSat's format, and
	// checks that {timeout} is a number of seconds.
	s := fake(t, `grep -q '^p cnf 3 3$' "$1" || exit 7
[ "$3" -ge 1 ] || exit 8
printf 'SAT\n1 -2 3 0\n' > "$2"; exit 10
`, Definition{Input: "cnf", Output: "minisat", Command: []string{"SCRIPT", "{input}", "{output}", "{timeout}"}})
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	r, err := s.Solve(ctx, p, solvers.Options{})
	require.NoError(t, err)
	require.Equal(t, solvers.Found, r.Answer)
	assert.Equal(t, p.Layout.Profile([]bool{true, false, true}), r.Witness)
	require.NoError(t, verify.Result(p, r))

	// All-false is no witness: verify refuses it.
	bad := fake(t, "echo 's SATISFIABLE'; echo 'v -1 -2 -3 0'; exit 10\n", Definition{})
	r, err = bad.Solve(t.Context(), p, solvers.Options{})
	require.NoError(t, err)
	require.Error(t, verify.Result(p, r))
}

// alive reports whether a process exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// pid (comm) state ...: the state follows the last ')'.
	s := string(b)
	return !strings.HasPrefix(strings.TrimSpace(s[strings.LastIndexByte(s, ')')+1:]), "Z")
}

// TestKilledAtDeadline: a solver that runs past the deadline is killed
// with its children (its whole process group), and the answer is Unknown.
func TestKilledAtDeadline(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("needs /proc to see processes")
	}
	pids := filepath.Join(t.TempDir(), "pids")
	s := fake(t, `sleep 600 &
echo $$ $! > "$2"
wait
`, Definition{Command: []string{"SCRIPT", "{input}", pids}})
	p := formulaProblem(t, &instances.CNF{Vars: 2, Clauses: [][]int{{1, 2}}})
	const deadline = 500 * time.Millisecond
	ctx, cancel := context.WithTimeout(t.Context(), deadline)
	defer cancel()
	start := time.Now()
	r, err := s.Solve(ctx, p, solvers.Options{})
	require.NoError(t, err)
	assert.Equal(t, solvers.Unknown, r.Answer)
	// The test's own deadline and the stop allowance (the script would
	// sleep 600 s).
	assert.Less(t, time.Since(start), deadline+testtool.StopAllowance)
	b, err := os.ReadFile(pids)
	require.NoError(t, err)
	var sh, child int
	_, err = fmt.Sscan(string(b), &sh, &child)
	require.NoError(t, err)
	// Killed at the deadline; gone within the stop allowance.
	require.Eventually(t, func() bool { return !alive(sh) && !alive(child) }, testtool.StopAllowance, 20*time.Millisecond,
		"the script (%d) or its child (%d) outlived the deadline", sh, child)
}

// TestCertify: with Options.Certify, cadical writes a DRAT proof of a
// negative answer, and it comes back in the result; without, or for a
// positive answer, there is none.
func TestCertify(t *testing.T) {
	s := shippedSolver(t, "cadical")
	no := formulaProblem(t, &instances.CNF{Vars: 3, Clauses: [][]int{{-1}, {-2, 3}, {-3}}})
	yes := formulaProblem(t, &instances.CNF{Vars: 3, Clauses: [][]int{{1, -2}, {2, 3}}})
	r, err := s.Solve(t.Context(), no, solvers.Options{Certify: true})
	require.NoError(t, err)
	require.Equal(t, solvers.None, r.Answer)
	require.NotNil(t, r.Proof)
	// Text DRAT: lines of literals ending in 0, the empty clause last.
	assert.True(t, strings.HasSuffix(string(r.Proof.DRAT), "0\n"), "%q", r.Proof.DRAT)
	for line := range strings.Lines(string(r.Proof.DRAT)) {
		f := strings.Fields(strings.TrimPrefix(line, "d "))
		require.NotEmpty(t, f)
		assert.Equal(t, "0", f[len(f)-1], "%q", line)
	}
	r, err = s.Solve(t.Context(), no, solvers.Options{})
	require.NoError(t, err)
	assert.Nil(t, r.Proof)
	r, err = s.Solve(t.Context(), yes, solvers.Options{Certify: true})
	require.NoError(t, err)
	assert.Equal(t, solvers.Found, r.Answer)
	assert.Nil(t, r.Proof)
}

// TestGamesInCNF: a SAT solver decides any game through its CNF encoding
// (encodings.EncodeCNF), the literal reduction's too.
func TestGamesInCNF(t *testing.T) {
	s := shippedSolver(t, "cadical")
	eq := gameProblem(t, "equals.json")
	r, err := s.Solve(t.Context(), eq, solvers.Options{Certify: true})
	require.NoError(t, err)
	assert.Equal(t, solvers.None, r.Answer)
	require.NotNil(t, r.Proof, "a proof of the game's encoding")
	out, err := verify.Answer(t.Context(), eq, r, -1)
	require.NoError(t, err)
	assert.Equal(t, record.CheckProof, out.Check, "checked against the same encoding")
	p := gameProblem(t, "leader-followers.json")
	r, err = s.Solve(t.Context(), p, solvers.Options{})
	require.NoError(t, err)
	require.Equal(t, solvers.Found, r.Answer)
	require.NoError(t, verify.Result(p, r))

	// Under the literal reduction every formula has a non-trivial
	// equilibrium, unsatisfiable ones included.
	lit, err := solvers.FromFormula(&instances.CNF{Vars: 2, Clauses: [][]int{{1, 2}, {-1, 2}, {1, -2}, {-1, -2}}}, reduction.Literal)
	require.NoError(t, err)
	r, err = shippedSolver(t, "minisat").Solve(t.Context(), lit, solvers.Options{})
	require.NoError(t, err)
	require.Equal(t, solvers.Found, r.Answer)
	require.NoError(t, verify.Result(lit, r))
}

// TestRefusals: games beyond the exact range of an LP formulation are
// refused, naming the solver.
func TestRefusals(t *testing.T) {
	big := &solvers.Problem{Game: scaledGame(rand.New(rand.NewPCG(1, 2)), 4, 30)}
	for _, name := range []string{"cbc-compact", "glpsol-paper"} {
		_, err := shippedSolver(t, name).Solve(t.Context(), big, solvers.Options{})
		require.True(t, solvers.IsRefused(err), "%s: %v", name, err)
		assert.Contains(t, err.Error(), name+" decides exactly only while the progress spread")
	}
}

// scaledGame draws a small game times 2^b with each entry moved by -1, 0
// or 1: differences of 1 between numbers of size 2^b, where floating point
// stops deciding exactly.
func scaledGame(rng *rand.Rand, k int, b uint) *game.Game {
	D, d := testgen.Game(rng, k, 3).Matrix()
	for i := range k {
		for j := range k {
			D[i][j] = D[i][j]<<b + rng.Int64N(3) - 1
		}
		d[i] = d[i]<<b + rng.Int64N(3) - 1
	}
	g, err := game.New(nil, D, d)
	if err != nil {
		panic(err)
	}
	return g
}

// TestLPRange: cbc and glpsol decide exactly on games at the edge of the
// ranges they accept (mip.CompactRange, mip.PaperRange, measured on HiGHS;
// on scaled random games cbc and glpsol first answered wrongly at spreads
// of about 2^24 and beyond, so the margin holds for them too).
func TestLPRange(t *testing.T) {
	limits := map[string]int64{"compact": mip.CompactRange, "paper": mip.PaperRange}
	for _, name := range []string{"cbc-compact", "cbc-paper", "glpsol-compact", "glpsol-paper"} {
		t.Run(name, func(t *testing.T) {
			s := shippedSolver(t, name)
			limit := limits[s.def.Formulation]
			decided := 0
			for n := range 12 {
				// The largest scale at which the game is within range.
				var g *game.Game
				for b := uint(30); b > 0; b-- {
					rng := rand.New(rand.NewPCG(7, uint64(n)))
					g = scaledGame(rng, 2+rng.IntN(5), b)
					if ng, err := game.Normalize(g); err == nil && mip.Spread(ng) <= limit {
						assert.Greater(t, mip.Spread(ng), limit>>6, "game %d: not at the edge", n)
						break
					}
				}
				p := &solvers.Problem{Game: g}
				truth, err := verify.Exhaustive(t.Context(), p)
				require.NoError(t, err)
				r, err := s.Solve(t.Context(), p, solvers.Options{})
				if solvers.IsRefused(err) {
					continue
				}
				require.NoError(t, err)
				decided++
				want := solvers.None
				if truth.Count > 0 {
					want = solvers.Found
				}
				require.Equal(t, want, r.Answer, "game %d: %v", n, g)
				require.NoError(t, verify.Result(p, r))
			}
			assert.Greater(t, decided, 6, "too few games in range")
		})
	}
}

// TestProofsChecked: cadical's proofs of negative answers, on formulas and
// on games that are not reductions, are checked by verify/drat; a proof cut
// short, or of another formula, fails verification.
func TestProofsChecked(t *testing.T) {
	s := shippedSolver(t, "cadical")
	rng := rand.New(rand.NewPCG(5, 6))
	checked, cutShort := 0, 0
	for i := range 60 {
		var p *solvers.Problem
		if i%3 != 0 {
			f, err := instances.RandomKSAT(rng, 25, 140, 3) // ratio 5.6: mostly unsatisfiable, not by propagation alone
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
		out, err := verify.Answer(t.Context(), p, r, -1)
		require.NoError(t, err)
		require.Equal(t, record.CheckProof, out.Check)
		checked++

		// Cut before its empty clause, the proof refutes nothing.
		text := string(r.Proof.DRAT)
		end := strings.Index("\n"+text, "\n0\n")
		require.GreaterOrEqual(t, end, 0, "no empty clause in %q", text)
		cut := *r
		cut.Proof = &solvers.Proof{DRAT: []byte(text[:end])}
		_, err = verify.Answer(t.Context(), p, &cut, -1)
		if upRefutes(t, p) {
			// Unit propagation refutes the formula: any proof says as
			// much, an empty one too.
			require.NoError(t, err)
			continue
		}
		require.ErrorContains(t, err, "does not check", "a proof without its empty clause")
		cutShort++
	}
	assert.Greater(t, cutShort, 5, "proofs with lemmas before the empty clause")
	assert.Greater(t, checked, 20, "negative answers with proofs")
	// A proof of one formula does not pass for another (satisfiable) one.
	no := formulaProblem(t, &instances.CNF{Vars: 3, Clauses: [][]int{{-1}, {-2, 3}, {-3}}})
	r, err := s.Solve(t.Context(), no, solvers.Options{Certify: true})
	require.NoError(t, err)
	other := formulaProblem(t, &instances.CNF{Vars: 3, Clauses: [][]int{{1, -2}, {2, 3}}})
	_, err = verify.Answer(t.Context(), other, r, -1)
	require.Error(t, err)
}

// upRefutes reports whether unit propagation alone refutes the CNF a
// solver gets for p (then every proof checks, an empty one included).
func upRefutes(t *testing.T, p *solvers.Problem) bool {
	t.Helper()
	var f *instances.CNF
	if p.Formula != nil {
		all := make([]int, p.Formula.Vars)
		for v := range all {
			all[v] = v + 1
		}
		f = &instances.CNF{Vars: p.Formula.Vars, Clauses: append(slices.Clone(p.Formula.Clauses), all)}
	} else {
		var err error
		f, _, err = encodings.EncodeCNF(t.Context(), p.Game)
		require.NoError(t, err)
	}
	_, err := drat.Check(t.Context(), f, strings.NewReader("0\n"))
	return err == nil
}
