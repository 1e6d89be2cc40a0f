package lp

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/internal/highs"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/enum"
)

var inf = math.Inf(1)

// mixed is a small MIP with every kind of row and bound the writer handles:
// max 3x + 2y - z + w
//
//	r1: x + y + x <= 4  (duplicate entries are summed: 2x + y <= 4)
//	r2: 1 <= x - z <= 3 (ranged)
//	r3: y + w = 2
//	r4: -y - z >= -5
//	r5: free (omitted)
//	r6: no entries, 0 <= . <= 1
//
// x integer in 0..1 (binary), y integer in -2..3 (general), z in -inf..5,
// w free, v fixed at 2.5 and in no row.
func mixed() (*highs.Model, []string, []string) {
	return &highs.Model{
		Maximize: true,
		ColCosts: []float64{3, 2, -1, 1, 0},
		ColLower: []float64{0, -2, -inf, -inf, 2.5},
		ColUpper: []float64{1, 3, 5, inf, 2.5},
		RowLower: []float64{-inf, 1, 2, -5, -inf, 0},
		RowUpper: []float64{4, 3, 2, inf, inf, 1},
		ConstMatrix: []highs.Nonzero{
			{Row: 0, Col: 0, Val: 1}, {Row: 0, Col: 1, Val: 1}, {Row: 0, Col: 0, Val: 1},
			{Row: 1, Col: 0, Val: 1}, {Row: 1, Col: 2, Val: -1},
			{Row: 2, Col: 1, Val: 1}, {Row: 2, Col: 3, Val: 1},
			{Row: 3, Col: 1, Val: -1}, {Row: 3, Col: 2, Val: -1},
			{Row: 4, Col: 0, Val: 1},
		},
		VarTypes: []highs.VarType{highs.Integer, highs.Integer, highs.Continuous, highs.Continuous, highs.Continuous},
	}, []string{"x", "y", "z", "w", "v"}, []string{"r1", "r2", "r3", "r4", "r5", "r6"}
}

func TestWriteLPText(t *testing.T) {
	m, cols, rows := mixed()
	var buf bytes.Buffer
	require.NoError(t, writeLP(&buf, m, cols, rows))
	want := `\ written by nashbench (5 columns, 6 rows)
Maximize
 obj: + 3 x + 2 y - 1 z + 1 w + 0 v
Subject To
 r1: + 2 x + 1 y <= 4
 r2_lo: + 1 x - 1 z >= 1
 r2_hi: + 1 x - 1 z <= 3
 r3: + 1 y + 1 w = 2
 r4: - 1 y - 1 z >= -5
\ row r5 is free and omitted
 r6_lo: + 0 x >= 0
 r6_hi: + 0 x <= 1
Bounds
 -2 <= y <= 3
 -inf <= z <= 5
 w free
 v = 2.5
Binary
 x
General
 y
End
`
	assert.Equal(t, want, buf.String())

	// Default names, and long rows wrapped.
	wide := &highs.Model{ColCosts: make([]float64, 100), RowLower: []float64{1}, RowUpper: []float64{inf}}
	for j := range 100 {
		wide.ConstMatrix = append(wide.ConstMatrix, highs.Nonzero{Row: 0, Col: j, Val: float64(j + 1)})
	}
	buf.Reset()
	require.NoError(t, writeLP(&buf, wide, nil, nil))
	for _, line := range strings.Split(buf.String(), "\n") {
		assert.LessOrEqual(t, len(line), maxLine)
	}
	assert.Contains(t, buf.String(), " r1: + 1 x1 + 2 x2")
	assert.Contains(t, buf.String(), "+ 100 x100 >= 1\n")
}

func TestWriteLPErrors(t *testing.T) {
	m, cols, rows := mixed()
	tests := []struct {
		name   string
		change func(m *highs.Model, cols, rows []string) ([]string, []string)
		msg    string
	}{
		{"offset", func(m *highs.Model, c, r []string) ([]string, []string) { m.Offset = 1; return c, r }, "offset"},
		{"no columns", func(m *highs.Model, c, r []string) ([]string, []string) {
			*m = highs.Model{}
			return nil, nil
		}, "no columns"},
		{"dimensions", func(m *highs.Model, c, r []string) ([]string, []string) {
			m.RowUpper = m.RowUpper[:1]
			return c, r
		}, "dimensions"},
		{"count", func(m *highs.Model, c, r []string) ([]string, []string) { return c[:2], r }, "2 column names for 5"},
		{"duplicate", func(m *highs.Model, c, r []string) ([]string, []string) {
			c = append([]string(nil), c...)
			c[1] = "x"
			return c, r
		}, "duplicate column name"},
		{"exponent-like", func(m *highs.Model, c, r []string) ([]string, []string) {
			c = append([]string(nil), c...)
			c[0] = "e1"
			return c, r
		}, "not a valid LP column name"},
		{"keyword", func(m *highs.Model, c, r []string) ([]string, []string) {
			r = append([]string(nil), r...)
			r[0] = "free"
			return c, r
		}, "not a valid LP row name"},
		{"space", func(m *highs.Model, c, r []string) ([]string, []string) {
			c = append([]string(nil), c...)
			c[0] = "a b"
			return c, r
		}, "not a valid"},
		{"outside", func(m *highs.Model, c, r []string) ([]string, []string) {
			m.ConstMatrix = append(m.ConstMatrix, highs.Nonzero{Row: 9, Col: 0, Val: 1})
			return c, r
		}, "outside"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mm := *m
			mm.RowUpper = append([]float64(nil), m.RowUpper...)
			mm.ConstMatrix = append([]highs.Nonzero(nil), m.ConstMatrix...)
			c, r := tt.change(&mm, cols, rows)
			err := writeLP(&bytes.Buffer{}, &mm, c, r)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

// Every formulation's names are valid LP names, so it always writes.
func TestFormulationNamesValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for range 20 {
		g := testgen.Kinds[rng.IntN(len(testgen.Kinds))].Draw(rng)
		for _, name := range names {
			var buf bytes.Buffer
			require.NoError(t, Export(&buf, g, name), name)
		}
	}
	require.ErrorContains(t, Export(&bytes.Buffer{}, testgen.Game(rng, 2, 1), "nope"), "unknown formulation")
}

var glpkObjective = regexp.MustCompile(`(?m)^Objective:\s+\S+ = (\S+)`)

// glpsol solves an LP file; it returns whether a feasible (optimal) point
// exists and the objective value.
func glpsol(t *testing.T, bin, lp string) (bool, float64) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "glpsol.out")
	log, err := exec.Command(bin, "--lp", lp, "-o", out).CombinedOutput()
	if err != nil {
		text, _ := os.ReadFile(lp)
		t.Fatalf("glpsol: %v\n%s\n%s", err, log, text)
	}
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	switch {
	case bytes.Contains(log, []byte("HAS NO")):
		return false, 0
	case bytes.Contains(b, []byte("OPTIMAL")):
		m := glpkObjective.FindSubmatch(b)
		require.NotNil(t, m, "%s", b)
		v, err := strconv.ParseFloat(string(m[1]), 64)
		require.NoError(t, err)
		return true, v
	}
	t.Fatalf("glpsol: unexpected outcome:\n%s\n%s", log, b)
	return false, 0
}

func writeFile(t *testing.T, f func(*bytes.Buffer) error) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, f(&buf))
	p := filepath.Join(t.TempDir(), "model.lp")
	require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o644))
	return p
}

// glpsol reads what WriteLP writes and finds the same optimum as HiGHS.
func TestWriteLPGlpsol(t *testing.T) {
	bin := testtool.Need(t, "glpsol")
	m, cols, rows := mixed()
	hs, err := highs.NewSolver(context.Background())
	require.NoError(t, err)
	defer hs.Close()
	want, err := hs.Solve(context.Background(), m, highs.Options{})
	require.NoError(t, err)
	require.Equal(t, highs.Optimal, want.Status)
	ok, obj := glpsol(t, bin, writeFile(t, func(b *bytes.Buffer) error { return writeLP(b, m, cols, rows) }))
	require.True(t, ok)
	assert.InDelta(t, want.Objective, obj, 1e-9)

	// The formulations of random games: feasible exactly when enumeration
	// finds a non-trivial equilibrium.
	rng := rand.New(rand.NewPCG(6, 6))
	for n := range 12 {
		g := testgen.Kinds[n%len(testgen.Kinds)].Draw(rng)
		p := &solvers.Problem{Game: g}
		want, err := enum.Solver{}.Solve(context.Background(), p, solvers.Options{})
		require.NoError(t, err)
		for _, name := range []string{"paper", "compact"} {
			ok, _ := glpsol(t, bin, writeFile(t, func(b *bytes.Buffer) error { return Export(b, g, name) }))
			assert.Equal(t, want.Answer == solvers.Found, ok, "%s on game %v", name, g)
		}
	}
	// And a reduction game with its clause players.
	f := testgen.Formula(rng, 5, 12)
	p, err := solvers.FromFormula(f, reduction.Corrected)
	require.NoError(t, err)
	want2, err := enum.Solver{}.Solve(context.Background(), p, solvers.Options{})
	require.NoError(t, err)
	ok, _ = glpsol(t, bin, writeFile(t, func(b *bytes.Buffer) error { return Export(b, p.Game, "compact") }))
	assert.Equal(t, want2.Answer == solvers.Found, ok)
}

// cbc reads the same files.
func TestWriteLPCbc(t *testing.T) {
	bin := testtool.Need(t, "cbc")
	m, cols, rows := mixed()
	lp := writeFile(t, func(b *bytes.Buffer) error { return writeLP(b, m, cols, rows) })
	out, err := exec.Command(bin, lp, "solve").CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "Optimal solution found")
	// 3x + 2y - z + w at x=1, y=2 (2x+y<=4), z=-2 (x-z<=3), w=0 (y+w=2): 3+4+2+0 = 9.
	assert.Regexp(t, `Objective value:\s+9\.0`, string(out))
}

// The header's counts are spelled in the singular for one column or row.
func TestWriteLPHeaderPlurals(t *testing.T) {
	m := &highs.Model{
		ColCosts: []float64{1}, ColLower: []float64{0}, ColUpper: []float64{1},
		RowLower: []float64{0}, RowUpper: []float64{1},
		ConstMatrix: []highs.Nonzero{{Row: 0, Col: 0, Val: 1}},
		VarTypes:    []highs.VarType{highs.Integer},
	}
	var buf bytes.Buffer
	require.NoError(t, writeLP(&buf, m, []string{"x"}, []string{"r"}))
	assert.True(t, strings.HasPrefix(buf.String(), "\\ written by nashbench (1 column, 1 row)\n"), buf.String())
}

// names are Build's formulations.
var names = []string{"compact", "paper", "paper-printed", "pairwise", "top2"}
