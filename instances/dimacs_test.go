package instances

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/internal/testtool"
)

// randomCNF returns a formula with clauses of varied lengths (empty clauses,
// repeated and complementary literals included), unlike the k-SAT generators.
func randomCNF(rng *rand.Rand) *CNF {
	n := rng.IntN(30)
	f := &CNF{Vars: n, Clauses: [][]int{}}
	for range rng.IntN(40) {
		c := []int{}
		if n > 0 {
			for range rng.IntN(6) {
				l := 1 + rng.IntN(n)
				if rng.IntN(2) == 0 {
					l = -l
				}
				c = append(c, l)
			}
		}
		f.Clauses = append(f.Clauses, c)
	}
	return f
}

func roundTrip(t *testing.T, f *CNF, comments ...string) *CNF {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, WriteDIMACS(&buf, f, comments...))
	g, err := ReadDIMACS(&buf, "roundtrip", Limits{})
	require.NoError(t, err, "reading back:\n%s", buf.String())
	return g
}

func TestRoundTripRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range 300 {
		f := randomCNF(rng)
		require.Equal(t, f, roundTrip(t, f, "formula", fmt.Sprint(i), "two\nlines", ""), "formula %d", i)
	}
	for i := range 50 {
		f, err := RandomKSAT(rng, 1+rng.IntN(50), rng.IntN(200), 1+rng.IntN(3))
		require.NoError(t, err)
		require.Equal(t, f, roundTrip(t, f), "k-SAT formula %d", i)
	}
}

func TestReadAccepts(t *testing.T) {
	cnf := func(vars int, clauses ...[]int) *CNF {
		if clauses == nil {
			clauses = [][]int{}
		}
		return &CNF{Vars: vars, Clauses: clauses}
	}
	three := cnf(3, []int{1, -2}, []int{2, 3, -1})
	tests := []struct {
		name, in string
		want     *CNF
	}{
		{"plain", "p cnf 3 2\n1 -2 0\n2 3 -1 0\n", three},
		{"comments everywhere", "c head\nc more\np cnf 3 2\nc between\n1 -2 0\nc x 1 2 0\n2 3 -1 0\nc tail\n", three},
		{"comment inside clause", "p cnf 3 2\n1\nc note\n-2 0 2 3 -1 0\n", three},
		{"clause spanning lines", "p cnf 3 2\n1\n-2\n0\n2\n3 -1\n0\n", three},
		{"several per line", "p cnf 3 2\n1 -2 0 2 3 -1 0\n", three},
		{"blank lines", "\n\np cnf 3 2\n\n1 -2 0\n   \n2 3 -1 0\n\n\n", three},
		{"CRLF", "c x\r\np cnf 3 2\r\n1 -2 0\r\n2 3 -1 0\r\n", three},
		{"tabs and spaces", "p\tcnf  3\t 2\n\t1\t-2 0\n  2  3\t-1   0  \n", three},
		{"no final newline", "p cnf 3 2\n1 -2 0\n2 3 -1 0", three},
		{"leading space before c and p", "  c x\n\tp cnf 3 2\n1 -2 0\n2 3 -1 0\n", three},
		{"SATLIB trailer", "p cnf 3 2\n 1 -2 0\n 2 3 -1 0\n%\n0\n\n", three},
		{"garbage after trailer", "p cnf 3 2\n1 -2 0\n2 3 -1 0\n%\n0\nnot DIMACS 1 2\np cnf\n", three},
		{"empty clause", "p cnf 3 3\n1 -2 0\n0\n2 3 -1 0\n", cnf(3, []int{1, -2}, []int{}, []int{2, 3, -1})},
		{"only empty clauses", "p cnf 0 2\n0 0\n", cnf(0, []int{}, []int{})},
		{"no clauses", "p cnf 5 0\n", cnf(5)},
		{"repeated literals kept", "p cnf 2 1\n1 1 -1 2 0\n", cnf(2, []int{1, 1, -1, 2})},
		{"leading zeros", "p cnf 010 1\n-007 0\n", cnf(10, []int{-7})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ReadDIMACS(strings.NewReader(tt.in), "in.cnf", Limits{})
			require.NoError(t, err)
			assert.Equal(t, tt.want, f)
		})
	}
}

func TestReadRejects(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"empty input", "", 1, "empty input"},
		{"only comments", "c a\nc b\n", 2, "no p cnf header"},
		{"only blank lines", "\n\n\n", 3, "no p cnf header"},
		{"clause before header", "c x\n1 2 0\np cnf 2 1\n", 2, "clause before p cnf header"},
		{"trailer before header", "%\n0\n", 1, "no p cnf header"},
		{"header too short", "p cnf 3\n", 1, "malformed header"},
		{"header too long", "p cnf 3 2 1\n", 1, "malformed header"},
		{"header not cnf", "p sat 3 2\n", 1, "malformed header"},
		{"header glued", "pcnf 3 2\n", 1, "malformed header"},
		{"header non-ASCII space", "p cnf 3\u00a02\n", 1, "malformed header"},
		{"header with trailing comment", "p cnf 3 2 c x\n", 1, "malformed header"},
		{"header non-integer vars", "p cnf x 2\n", 1, "variable count \"x\" is not a non-negative integer"},
		{"header non-integer clauses", "p cnf 3 2.5\n", 1, "clause count \"2.5\" is not a non-negative integer"},
		{"header negative vars", "p cnf -3 2\n", 1, "variable count \"-3\""},
		{"header negative clauses", "c\np cnf 3 -2\n", 2, "clause count \"-2\""},
		{"header plus sign", "p cnf +3 2\n", 1, "variable count \"+3\""},
		{"header overflow", "p cnf 99999999999999999999999 1\n", 1, "variable count"},
		{"second header", "p cnf 3 1\nc\np cnf 3 1\n1 0\n", 3, "second p header (first at line 1)"},
		{"vars beyond limit", "p cnf 10000001 1\n", 1, "variable count 10000001 exceeds limit 10000000"},
		{"clauses beyond limit", "p cnf 1 50000001\n", 1, "clause count 50000001 exceeds limit 50000000"},
		{"variable beyond header", "p cnf 3 1\n1 2\n-4 0\n", 3, "literal -4 exceeds variable count 3"},
		{"huge literal", "p cnf 3 1\n1 123456789012345678901234567890 0\n", 2, "literal 123456789012345678901234567890 exceeds"},
		{"non-integer token", "p cnf 3 1\n1 x 0\n", 2, `"x" is not an integer`},
		{"float token", "p cnf 3 1\n1 2.0 0\n", 2, `"2.0" is not an integer`},
		{"plus sign literal", "p cnf 3 1\n+1 0\n", 2, `invalid literal "+1": literals are written without '+' (1)`},
		{"plus minus literal", "p cnf 3 1\n+-1 0\n", 2, `"+-1" is not an integer`},
		{"lone plus", "p cnf 3 1\n1 + 0\n", 2, `"+" is not an integer`},
		{"negative zero", "p cnf 3 1\n1 -0 2 0\n", 2, `invalid literal "-0": 0 ends a clause and has no sign`},
		{"negative zeros", "p cnf 3 1\n1 2\n-00 0\n", 3, `invalid literal "-00"`},
		{"exponent", "p cnf 3 1\n1e3 2 0\n", 2, `"1e3" is not an integer`},
		{"lone minus", "p cnf 3 1\n1 - 2 0\n", 2, `"-" is not an integer`},
		{"comment mid line", "p cnf 3 1\n1 2 0 c done\n", 2, `"c" is not an integer`},
		{"too few clauses", "p cnf 3 3\n1 0\n2 0\n", 3, "clause count mismatch: expected 3 (header), got 2"},
		{"too many clauses", "p cnf 3 1\n1 0\n2 0\n3 0\nc end\n", 5, "expected 1 (header), got 3"},
		{"trailer counts not", "p cnf 3 2\n1 0\n%\n0\n", 3, "expected 2 (header), got 1"},
		{"open last clause", "p cnf 3 2\n1 0\n2\n3\n", 4, "clause starting at line 3 not terminated by 0"},
		{"open clause before trailer", "p cnf 3 1\n1 2\n%\n0\n", 3, "clause starting at line 2 not terminated by 0"},
		{"header inside clause", "p cnf 3 1\n1 2\np cnf 3 1\n", 3, "second p header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ReadDIMACS(strings.NewReader(tt.in), "bad.cnf", Limits{})
			require.Error(t, err)
			assert.Nil(t, f)
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "error %v is not a *ParseError", err)
			assert.Equal(t, "bad.cnf", pe.File)
			assert.Equal(t, tt.line, pe.Line, "line of %v", err)
			assert.Contains(t, pe.Msg, tt.msg)
			assert.True(t, strings.HasPrefix(err.Error(), fmt.Sprintf("bad.cnf:%d: ", tt.line)), err.Error())
		})
	}
}

func TestReadLimits(t *testing.T) {
	lim := Limits{MaxVars: 5, MaxClauses: 3, MaxLiterals: 4}
	tests := []struct {
		in   string
		line int
		msg  string // "" means accepted
	}{
		{"p cnf 5 3\n1 2 0\n3 0\n0\n", 0, ""},
		{"p cnf 6 1\n1 0\n", 1, "variable count 6 exceeds limit 5"},
		{"p cnf 5 4\n1 0\n", 1, "clause count 4 exceeds limit 3"},
		{"p cnf 5 3\n1 2 0\n3 4\n5 0\n", 4, "more than 4 literals"},
	}
	for _, tt := range tests {
		f, err := ReadDIMACS(strings.NewReader(tt.in), "lim", lim)
		if tt.msg == "" {
			require.NoError(t, err)
			require.NotNil(t, f)
			continue
		}
		var pe *ParseError
		require.True(t, errors.As(err, &pe), "%q: %v", tt.in, err)
		assert.Equal(t, tt.line, pe.Line)
		assert.Contains(t, pe.Msg, tt.msg)
	}
	// Zero fields mean the defaults.
	assert.Equal(t, defaultLimits, Limits{}.withDefaults())
	assert.Equal(t, Limits{MaxVars: 1, MaxClauses: defaultLimits.MaxClauses, MaxLiterals: defaultLimits.MaxLiterals},
		Limits{MaxVars: 1}.withDefaults())
}

func TestSATLIBTrailer(t *testing.T) {
	// The shape of SATLIB's uf20-91 files: comments, a header, clauses with
	// leading spaces, then "%" and "0" lines, which are not an empty clause.
	rng := rand.New(rand.NewPCG(20, 91))
	f, err := RandomKSAT(rng, 20, 91, 3)
	require.NoError(t, err)
	var b strings.Builder
	b.WriteString("c This Formular is generated by mcnf\nc\nc    horn? no\nc    forced? no\nc    mixed sat? no\nc    clause length = 3\nc\np cnf 20  91 \n")
	for _, c := range f.Clauses {
		fmt.Fprintf(&b, " %d %d %d 0\n", c[0], c[1], c[2])
	}
	b.WriteString("%\n0\n\n")
	g, err := ReadDIMACS(strings.NewReader(b.String()), "uf20-01.cnf", Limits{})
	require.NoError(t, err)
	require.Len(t, g.Clauses, 91)
	assert.Equal(t, f, g)
}

func TestLongLines(t *testing.T) {
	long := "c " + strings.Repeat("x", MaxLineLength-2) // exactly MaxLineLength bytes
	f, err := ReadDIMACS(strings.NewReader("p cnf 1 1\n"+long+"\r\n1 0\n"), "long", Limits{})
	require.NoError(t, err)
	assert.Equal(t, &CNF{Vars: 1, Clauses: [][]int{{1}}}, f)

	_, err = ReadDIMACS(strings.NewReader("p cnf 1 1\n1 0\n"+long+"x\n"), "long", Limits{})
	var pe *ParseError
	require.True(t, errors.As(err, &pe), "%v", err)
	assert.Equal(t, 3, pe.Line)
	assert.Contains(t, pe.Msg, "line longer than")

	for _, tail := range []string{"x\n", "x\r\n", "x", "xxxxxxxx\n", "xxxxxxxx"} {
		_, err = ReadDIMACS(strings.NewReader("p cnf 1 1\n1 0\n"+long+tail), "long", Limits{})
		require.True(t, errors.As(err, &pe), "%v", err)
		assert.Equal(t, 3, pe.Line)
		assert.Contains(t, pe.Msg, "line longer than 16777216 bytes")
	}

	// A clause too long for one line is written over several, and reads back.
	n := defaultLimits.MaxVars
	c := make([]int, 300_000)
	for i := range c {
		c[i] = -(n - i)
	}
	g := &CNF{Vars: n, Clauses: [][]int{{1}, c, {}}}
	var buf bytes.Buffer
	require.NoError(t, WriteDIMACS(&buf, g))
	for _, l := range strings.Split(buf.String(), "\n") {
		require.LessOrEqual(t, len(l), wrapLength+20)
	}
	assert.Greater(t, strings.Count(buf.String(), "\n"), 4)
	require.Equal(t, g, roundTrip(t, g))
}

func TestWriteDIMACS(t *testing.T) {
	f := &CNF{Vars: 4, Clauses: [][]int{{1, -2, 3}, {}, {-4}}}
	var buf bytes.Buffer
	require.NoError(t, WriteDIMACS(&buf, f, "hello", "", "a\nb\r\n"))
	assert.Equal(t, "c hello\nc\nc a\nc b\nc\np cnf 4 3\n1 -2 3 0\n0\n-4 0\n", buf.String())

	buf.Reset()
	require.NoError(t, WriteDIMACS(&buf, &CNF{}))
	assert.Equal(t, "p cnf 0 0\n", buf.String())

	for _, bad := range []*CNF{
		{Vars: 2, Clauses: [][]int{{1, 3}}},
		{Vars: 2, Clauses: [][]int{{0}}},
		{Vars: 2, Clauses: [][]int{{-3}}},
		{Vars: -1},
		nil,
	} {
		buf.Reset()
		assert.Error(t, WriteDIMACS(&buf, bad), "%+v", bad)
		assert.Zero(t, buf.Len(), "nothing written for %+v", bad)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.cnf")
	require.NoError(t, os.WriteFile(path, []byte("p cnf 2 1\n1 -2 0\n"), 0o644))
	f, err := ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, &CNF{Vars: 2, Clauses: [][]int{{1, -2}}}, f)

	bad := filepath.Join(dir, "bad.cnf")
	require.NoError(t, os.WriteFile(bad, []byte("p cnf 2 1\n1 3 0\n"), 0o644))
	_, err = ReadFile(bad)
	assert.EqualError(t, err, bad+":2: literal 3 exceeds variable count 2")

	_, err = ReadFile(filepath.Join(dir, "missing.cnf"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestReadError(t *testing.T) {
	_, err := ReadDIMACS(errReader{}, "x.cnf", Limits{})
	assert.EqualError(t, err, "x.cnf: disk on fire")
}

// bruteForce reports whether f is satisfiable by trying every assignment.
func bruteForce(f *CNF) bool {
	assign := make([]bool, f.Vars)
	for bits := range 1 << f.Vars {
		for v := range assign {
			assign[v] = bits>>v&1 == 1
		}
		if f.Satisfies(assign) {
			return true
		}
	}
	return false
}

// TestExternalSolvers checks that minisat and picosat accept WriteDIMACS
// output and agree with brute force on it.
//
// The rule of every test's external programs (testtool.Need): a missing one
// fails the test, saying how to install it, unless NASHBENCH_NO_EXTERNAL=1
// skips it; ones that are there run either way.
func TestExternalSolvers(t *testing.T) {
	minisat, picosat := testtool.Need(t, "minisat"), testtool.Need(t, "picosat")
	rng := rand.New(rand.NewPCG(1, 2))
	formulas := []*CNF{
		{Vars: 3, Clauses: [][]int{}},          // no clauses
		{Vars: 2, Clauses: [][]int{{1}, {-1}}}, // unit conflict
	}
	for i := range 40 {
		n := 3 + rng.IntN(10)
		f, err := RandomKSAT(rng, n, ClausesForRatio(n, 3+float64(i%5)*0.7), 3)
		require.NoError(t, err)
		formulas = append(formulas, f)
	}
	dir := t.TempDir()
	var sat, unsat int
	for i, f := range formulas {
		path := filepath.Join(dir, fmt.Sprintf("f%d.cnf", i))
		var buf bytes.Buffer
		require.NoError(t, WriteDIMACS(&buf, f, "external solver check", fmt.Sprint("formula ", i)))
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
		want := bruteForce(f)
		if want {
			sat++
		} else {
			unsat++
		}
		wantCode := map[bool]int{true: 10, false: 20}[want]

		out, err := exec.Command(minisat, "-verb=0", path, filepath.Join(dir, "minisat.out")).CombinedOutput()
		var ee *exec.ExitError
		require.True(t, errors.As(err, &ee), "minisat on formula %d: %v\n%s", i, err, out)
		assert.Equal(t, wantCode, ee.ExitCode(), "minisat on formula %d:\n%s\n%s", i, buf.String(), out)

		out, err = exec.Command(picosat, path).Output()
		require.True(t, errors.As(err, &ee), "picosat on formula %d: %v\n%s", i, err, out)
		assert.Equal(t, wantCode, ee.ExitCode(), "picosat exit code on formula %d", i)
		status := map[bool]string{true: "s SATISFIABLE\n", false: "s UNSATISFIABLE\n"}[want]
		assert.True(t, strings.HasPrefix(string(out), status), "picosat on formula %d:\n%s\n%s", i, buf.String(), out)
	}
	// The ratios straddle the threshold, so both answers must be exercised.
	assert.Positive(t, sat)
	assert.Positive(t, unsat)
}

// A Header check is called with the header's counts, and its error is
// reported at the p line, before any clause is read.
func TestReadHeaderCheck(t *testing.T) {
	var got [2]int
	lim := Limits{Header: func(vars, clauses int) error {
		got = [2]int{vars, clauses}
		if vars+clauses > 10 {
			return fmt.Errorf("%d variables and %d clauses are too many", vars, clauses)
		}
		return nil
	}}
	_, err := ReadDIMACS(strings.NewReader("c big\np cnf 4194303 7\nx\n"), "big.cnf", lim)
	require.Error(t, err)
	assert.Equal(t, "big.cnf:2: 4194303 variables and 7 clauses are too many", err.Error())
	assert.Equal(t, [2]int{4194303, 7}, got)
	f, err := ReadDIMACS(strings.NewReader("p cnf 3 1\n1 -2 3 0\n"), "ok.cnf", lim)
	require.NoError(t, err)
	assert.Equal(t, 3, f.Vars)
	assert.Equal(t, [2]int{3, 1}, got)
}
