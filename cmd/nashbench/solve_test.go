package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/record"
)

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	return p
}

func records(t *testing.T, out string) []record.Record {
	t.Helper()
	var recs []record.Record
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var r record.Record
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r), sc.Text())
		recs = append(recs, r)
	}
	return recs
}

func TestSolveCNF(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := runCmd("gen", "--n", "10", "--count", "8", "--seed", "3", "--out", dir)
	require.Equal(t, 0, code, errs)
	files, err := filepath.Glob(filepath.Join(dir, "*.cnf"))
	require.NoError(t, err)
	code, out, errs := runCmd(append([]string{"solve", "--count", "--json"}, files...)...)
	require.Equal(t, 0, code, errs)
	recs := records(t, out)
	require.Len(t, recs, len(files))
	answers := map[string]int{}
	for i, r := range recs {
		f, err := instances.ReadFile(files[i])
		require.NoError(t, err)
		models := int64(len(testgen.Models(f)))
		assert.Equal(t, files[i], r.Instance)
		assert.Equal(t, "cnf", r.Kind)
		assert.Equal(t, "enum", r.Solver)
		require.NotNil(t, r.Count)
		assert.Equal(t, models, *r.Count)
		answers[string(r.Answer)]++
		if models > 0 {
			assert.Equal(t, record.SAT, r.Answer)
			require.NotNil(t, r.Verified)
			assert.True(t, *r.Verified)
			require.Len(t, r.Witness, f.Vars)
			assign := make([]bool, f.Vars)
			for v, lit := range r.Witness {
				assert.Equal(t, v+1, max(lit, -lit))
				assign[v] = lit > 0
			}
			assert.True(t, f.Satisfies(assign))
		} else {
			assert.Equal(t, record.UNSAT, r.Answer)
			assert.Nil(t, r.Witness)
			require.NotNil(t, r.Verified, "a no of 10 variables is checked exhaustively")
			assert.True(t, *r.Verified)
			assert.Equal(t, record.CheckExhaustive, r.Check)
		}
	}
	assert.Positive(t, answers["sat"])
	assert.Positive(t, answers["unsat"])

	// The readable form says the same.
	code, out, _ = runCmd("solve", files[0])
	require.Equal(t, 0, code)
	assert.Contains(t, out, files[0]+": "+string(recs[0].Answer)+" (enum, ")
}

// The printed reduction makes an unsatisfiable formula look satisfiable;
// the witness then fails the check against the formula, and the exit is 1.
func TestSolveLiteralFailsVerification(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "unsat.cnf", "p cnf 1 2\n1 0\n-1 0\n")
	code, out, errs := runCmd("solve", "--json", "--reduction", "literal", p)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "failed verification")
	r := records(t, out)[0]
	assert.Equal(t, record.SAT, r.Answer)
	require.NotNil(t, r.Verified)
	assert.False(t, *r.Verified)
	code, out, _ = runCmd("solve", "--json", p)
	assert.Equal(t, 0, code)
	assert.Equal(t, record.UNSAT, records(t, out)[0].Answer)
}

func TestSolveGame(t *testing.T) {
	dir := t.TempDir()
	// The corrected reduction of x1 and not x1: no non-trivial equilibrium.
	none := filepath.Join(dir, "none.json")
	code, _, errs := runCmd("reduce", writeFile(t, dir, "unsat.cnf", "p cnf 1 2\n1 0\n-1 0\n"), "-o", none)
	require.Equal(t, 0, code, errs)
	g, err := game.ReadFile(none)
	require.NoError(t, err)
	var want int64
	for bits := range uint64(1) << g.Players() {
		a := testgen.Profile(bits, g.Players())
		if testgen.Equilibrium(g, a) {
			require.False(t, game.NonTrivial(a), "fixture has a non-trivial equilibrium")
			want++
		}
	}
	some := writeFile(t, dir, "some.json", `{"players": ["a", "b", "c"], "delta": [1, 3, 4], "Delta": [[0, 2, 2], [1, 0, 1], [0, 1, 0]], "d": [10, 6, 2]}`)
	code, out, errs := runCmd("solve", "--json", "--count", none, some)
	require.Equal(t, 0, code, errs)
	recs := records(t, out)
	require.Len(t, recs, 2)
	assert.Equal(t, record.NoPNE, recs[0].Answer)
	assert.Equal(t, want, *recs[0].Count)
	assert.Equal(t, want == 1, *recs[0].TrivialPNE)
	assert.Equal(t, record.PNE, recs[1].Answer)
	assert.Equal(t, "game", recs[1].Kind)
	assert.Equal(t, []int{0, 1, 1}, recs[1].Witness)
	assert.True(t, *recs[1].Verified)
	assert.Equal(t, int64(1), *recs[1].Count)
	assert.False(t, *recs[1].TrivialPNE)
}

func TestSolveBadInput(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.cnf", "p cnf 2 1\n1 2 0\n")
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"unknown solver", []string{"--solver", "nope", good}, `unknown solver "nope" (have `},
		{"no files", nil, "no input files"},
		{"missing file", []string{filepath.Join(dir, "missing.cnf")}, "no such file"},
		{"bad dimacs", []string{writeFile(t, dir, "bad.cnf", "p cnf 2 1\n1 3 0\n")}, "bad.cnf:2:"},
		{"bad game", []string{writeFile(t, dir, "bad.json", "{\n\"d\": [1,\n}")}, "bad.json:3: invalid JSON"},
		{"bad reduction", []string{"--reduction", "printed", good}, `unknown reduction "printed"`},
		{"bad flag", []string{"--timeout", "soon", good}, "invalid value"},
		{"too large to enumerate", []string{writeFile(t, dir, "big.cnf", bigFormula(45))}, "more than the limit of 40"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCmd(append([]string{"solve"}, tt.args...)...)
			assert.Equal(t, 2, code)
			assert.Contains(t, errs, tt.msg)
		})
	}
	// A bad file among good ones: the good ones are still answered.
	code, out, _ := runCmd("solve", filepath.Join(dir, "bad.cnf"), good)
	assert.Equal(t, 2, code)
	assert.Contains(t, out, good+": sat")
}

func bigFormula(n int) string {
	f := &instances.CNF{Vars: n}
	for v := 1; v+1 <= n; v++ {
		f.Clauses = append(f.Clauses, []int{v, -(v + 1)})
	}
	var buf bytes.Buffer
	if err := instances.WriteDIMACS(&buf, f); err != nil {
		panic(err)
	}
	return buf.String()
}

func TestReduce(t *testing.T) {
	dir := t.TempDir()
	cnf := writeFile(t, dir, "f.cnf", "c a comment\np cnf 3 2\n1 -2 3 0\n-1 2 0\n")
	out := filepath.Join(dir, "g.json")
	code, _, errs := runCmd("reduce", cnf, "-o", out)
	require.Equal(t, 0, code, errs)
	g, err := game.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, 3+2+1, g.Players())
	assert.Equal(t, "C2", g.Name(4))

	code, stdout, _ := runCmd("reduce", "--reduction", "literal", cnf)
	require.Equal(t, 0, code)
	lit, err := game.ReadJSON(strings.NewReader(stdout), "stdout")
	require.NoError(t, err)
	assert.Equal(t, int64(0), lit.Delta(5))
	assert.Equal(t, int64(-1), g.Delta(5))

	// Counts of one are singular.
	code, stdout, errs = runCmd("reduce", writeFile(t, dir, "one.cnf", "p cnf 1 1\n1 0\n"))
	require.Equal(t, 0, code, errs)
	assert.Contains(t, stdout, ": 1 variable player x1..x1, 1 clause player C1..C1, one switch player;")
	code, _, errs = runCmd("reduce", writeFile(t, dir, "bad.cnf", "p cnf 1 1\n1 x 0\n"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "bad.cnf:2:")
	code, _, errs = runCmd("reduce")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "want exactly one DIMACS file")
}

func TestHelp(t *testing.T) {
	code, out, _ := runCmd("help")
	assert.Equal(t, 0, code)
	for _, c := range []string{"gen", "reduce", "solve"} {
		assert.Contains(t, out, "\n  "+c+" ")
	}
	code, _, errs := runCmd("frobnicate")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, `unknown command "frobnicate"`)
}

// A flag error is printed once, by the flag package with the usage, and
// exits 2 as flag.ExitOnError would.
func TestFlagErrorPrintedOnce(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		msg  string
	}{
		{"unknown flag", []string{"solve", "--bogus", "x.cnf"}, "flag provided but not defined: -bogus"},
		{"bad value", []string{"gen", "--n", "abc"}, `invalid value "abc" for flag -n`},
		{"missing value", []string{"sweep", "--n"}, "flag needs an argument: -n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCmd(tt.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Equal(t, 1, strings.Count(errs, tt.msg), errs)
			assert.Contains(t, errs, "usage: nashbench "+tt.args[0])
		})
	}
}

// Sizes are checked at the p line, before anything large is built: reduce
// writes the k x k matrix, so it stops at game.MaxPlayers players; solve
// builds the game's structure only, so a formula solver still takes a
// formula whose game is beyond the dense limit.
func TestFormulaSizeLimits(t *testing.T) {
	dir := t.TempDir()
	huge := writeFile(t, dir, "huge.cnf", "c absurd\np cnf 4194303 0\n")
	empty := writeFile(t, dir, "empty.cnf", "p cnf 0 0\n")
	var big strings.Builder
	big.WriteString("p cnf 10000 7000\n") // k = 17001 > 16384
	for i := 1; i <= 7000; i++ {
		fmt.Fprintf(&big, "%d 0\n", i)
	}
	wide := writeFile(t, dir, "wide.cnf", big.String())

	code, out, errs := runCmd("reduce", huge)
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Contains(t, errs, huge+":2: reduction: 4194303 variables and 0 clauses make 4194304 players, more than 16384")
	code, _, errs = runCmd("reduce", wide)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, wide+":1: reduction: 10000 variables and 7000 clauses make 17001 players")
	assert.Contains(t, errs, "17001 players, more than 16384, the most reduce writes as a matrix")
	code, _, errs = runCmd("reduce", empty)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, empty+":1: reduction: the empty formula")
	assert.Contains(t, errs, "games need at least 2\n")
	assert.NotContains(t, errs, "the most reduce writes", "the matrix limit is not why the empty formula is refused")
	code, _, errs = runCmd("solve", empty)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, empty+":1: reduction: the empty formula")

	code, out, errs = runCmd("solve", "--solver", "gophersat", "--json", wide)
	require.Equal(t, 0, code, errs)
	recs := records(t, out)
	require.Len(t, recs, 1)
	assert.Equal(t, record.SAT, recs[0].Answer)
	// enum cannot enumerate it: it refuses at once.
	code, out, _ = runCmd("solve", "--solver", "enum", "--json", wide)
	assert.Equal(t, 2, code)
	recs = records(t, out)
	require.Len(t, recs, 1)
	assert.Equal(t, record.Refused, recs[0].Status)
}
