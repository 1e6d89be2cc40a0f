package reduction

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testgen"
)

func models(f *instances.CNF) map[uint64]bool {
	out := map[uint64]bool{}
	for _, m := range testgen.Models(f) {
		out[m] = true
	}
	return out
}

func isEquilibrium(t *testing.T, g *game.Game, a []bool) bool {
	_, ok, err := g.Check(a)
	require.NoError(t, err)
	return ok
}

func TestPayoffs(t *testing.T) {
	// (x1 or not x2) over 2 variables: S = 6, M*S = 24.
	f := &instances.CNF{Vars: 2, Clauses: [][]int{{1, -2}}}
	g, l, err := Reduce(f, Corrected)
	require.NoError(t, err)
	require.Equal(t, 4, g.Players())
	assert.Equal(t, 3, l.Switch())
	// Clause: 24 - 6*(a1 + 1 - a2) + a1 + a2 = 18 - 5 a1 + 7 a2.
	assert.Equal(t, []int64{-5, 7, -1, 0}, g.Row(2, nil))
	assert.Equal(t, int64(18), g.Base(2))
	assert.Equal(t, int64(24-3), g.Base(3))
	assert.Equal(t, int64(-1), g.Delta(3))
	assert.Equal(t, []string{"x1", "x2", "C1", "switch"}, g.Names)
	lit, _, err := Reduce(f, Literal)
	require.NoError(t, err)
	assert.Equal(t, int64(0), lit.Delta(2))
	assert.Equal(t, int64(0), lit.Delta(3))
}

// With the corrected reduction, on tiny formulas and over every profile of
// every player, the non-trivial equilibria are exactly the models other than
// all-false, with clause and switch players closed.
func TestCorrectedAllProfiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for range 150 {
		n := 1 + rng.IntN(4)
		f := testgen.Formula(rng, n, rng.IntN(7))
		g, l, err := Reduce(f, Corrected)
		require.NoError(t, err)
		sat := models(f)
		k := g.Players()
		for bits := uint64(1); bits < 1<<k; bits++ {
			a := testgen.Profile(bits, k)
			want := bits < 1<<n && sat[bits]
			require.Equal(t, want, isEquilibrium(t, g, a), "formula %v profile %v", f.Clauses, a)
			if want {
				assert.Equal(t, a[:n], l.Assignment(a))
			}
		}
	}
}

// For formulas up to 8 variables: every model but all-false is a non-trivial
// equilibrium, no non-model is, and opening any clause or switch player
// breaks the equilibrium. Unsatisfiable formulas have none.
func TestCorrectedModels(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	unsat, sat := 0, 0
	for range 300 {
		n := 1 + rng.IntN(8)
		f := testgen.Formula(rng, n, rng.IntN(6*n))
		g, l, err := Reduce(f, Corrected)
		require.NoError(t, err)
		ms := models(f)
		if len(ms) == 0 {
			unsat++
		} else {
			sat++
		}
		assert.Equal(t, ms[0], AllFalseSatisfies(f))
		for bits := uint64(1); bits < 1<<n; bits++ {
			p := l.Profile(testgen.Profile(bits, n))
			require.Equal(t, ms[bits], isEquilibrium(t, g, p), "formula %v assignment %b", f.Clauses, bits)
			if ms[bits] {
				for o := n; o < l.Players(); o++ {
					p[o] = true
					assert.False(t, isEquilibrium(t, g, p), "player %s opened", g.Name(o))
					p[o] = false
				}
			}
		}
	}
	assert.Positive(t, unsat)
	assert.Positive(t, sat)
}

// As printed, every unsatisfiable formula still has a non-trivial
// equilibrium: variables all false, the switch player open.
func TestLiteralAlwaysNonTrivial(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	unsat := 0
	for range 400 {
		n := 1 + rng.IntN(6)
		f := testgen.Formula(rng, n, 2+rng.IntN(8*n))
		if len(models(f)) > 0 {
			continue
		}
		unsat++
		g, l, err := Reduce(f, Literal)
		require.NoError(t, err)
		p := l.Profile(make([]bool, n))
		p[l.Switch()] = true
		assert.True(t, isEquilibrium(t, g, p), "formula %v", f.Clauses)
		// The corrected reduction has no such equilibrium.
		gc, _, err := Reduce(f, Corrected)
		require.NoError(t, err)
		assert.False(t, isEquilibrium(t, gc, p))
	}
	assert.Greater(t, unsat, 20)
}

func TestReduceRejects(t *testing.T) {
	_, _, err := Reduce(&instances.CNF{Vars: 2, Clauses: [][]int{{1, 3}}}, Corrected)
	assert.ErrorContains(t, err, "literal 3 outside 1..2")
	_, _, err = Reduce(&instances.CNF{Vars: game.MaxStructuredPlayers, Clauses: nil}, Corrected)
	assert.ErrorContains(t, err, "players, more than")
	_, err = ParseVariant("printed")
	assert.ErrorContains(t, err, "unknown reduction \"printed\"")
}

// denseReduce is Theorem 1's construction entry by entry, as a matrix: the
// reference the structured game must equal.
func denseReduce(f *instances.CNF, v Variant) ([][]int64, []int64) {
	n, m := f.Vars, len(f.Clauses)
	k := n + m + 1
	S := int64(2*n + 2)
	self := int64(-1)
	if v == Literal {
		self = 0
	}
	D := make([][]int64, k)
	for i := range D {
		D[i] = make([]int64, k)
	}
	d := make([]int64, k)
	for j, c := range f.Clauses {
		p := n + j
		for t := range n {
			D[p][t] = 1
		}
		d[p] = M * S
		for _, lit := range c {
			if lit > 0 {
				D[p][lit-1] -= S
			} else {
				d[p] -= S
				D[p][-lit-1] += S
			}
		}
		D[p][p] = self
	}
	d[k-1] = M*S - int64(n+1)
	D[k-1][k-1] = self
	return D, d
}

func TestStructuredEqualsDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for range 200 {
		n := 1 + rng.IntN(12)
		f := testgen.Formula(rng, n, rng.IntN(30))
		if rng.IntN(5) == 0 && len(f.Clauses) > 0 { // a repeated literal adds up
			f.Clauses[0] = append(f.Clauses[0], f.Clauses[0][0])
		}
		for _, v := range []Variant{Corrected, Literal} {
			g, _, err := Reduce(f, v)
			require.NoError(t, err)
			D, d := denseReduce(f, v)
			gD, gd := g.Matrix()
			require.Equal(t, D, gD)
			require.Equal(t, d, gd)
			dense, err := game.New(nil, D, d)
			require.NoError(t, err)
			lo, hi := dense.MuBounds()
			glo, ghi := g.MuBounds()
			require.Equal(t, lo, glo)
			require.Equal(t, hi, ghi)
			for i := range g.Players() {
				require.Equal(t, dense.Null(i), g.Null(i))
			}
		}
	}
}

// A reduction game of 10,000 variables and 42,600 clauses (52,601 players:
// 2.8e9 entries as a matrix, 22 GB) fits in memory in proportion to the
// formula, and its profiles are checked in time in proportion to it.
func TestLargeReduction(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 52,601-player game")
	}
	f, model, err := instances.Spec{N: 10000, M: 42600, K: 3, Seed: 1, Planted: true}.Generate()
	require.NoError(t, err)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	g, l, err := Reduce(f, Corrected)
	require.NoError(t, err)
	runtime.GC()
	runtime.ReadMemStats(&after)
	require.Equal(t, 52601, g.Players())
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("the game holds %.1f MB", float64(held)/1e6)
	// About 120 bytes per player and 16 per literal (names, vectors,
	// exceptions, their column index); a bound with room, far below the
	// 22 GB of a matrix.
	assert.Less(t, held, int64(30<<20))

	// The planted model is an equilibrium; flipping one variable of it
	// breaks a clause or not, and the check agrees with the formula.
	a := l.Profile(model)
	_, ok, err := g.Check(a)
	require.NoError(t, err)
	assert.True(t, ok, "the planted model is a non-trivial equilibrium")
	rng := rand.New(rand.NewPCG(1, 1))
	for range 5 {
		b := append([]bool(nil), a...)
		x := rng.IntN(f.Vars)
		b[x] = !b[x]
		_, ok, err := g.Check(b)
		require.NoError(t, err)
		assert.Equal(t, f.Satisfies(l.Assignment(b)), ok, "flipping x%d", x+1)
	}
	// A clause player opening is never an equilibrium (it pays 1 to open).
	b := append([]bool(nil), a...)
	b[l.Vars] = true
	dev, ok, err := g.Check(b)
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Equal(t, l.Vars, dev.Player)
	runtime.KeepAlive(g)
}

// CheckSize accepts k = vars+clauses+1 up to the bound and not one more,
// without overflowing on absurd counts.
func TestCheckSize(t *testing.T) {
	const most = game.MaxPlayers
	for _, tt := range []struct {
		name          string
		vars, clauses int
		msg           string // "" means accepted
	}{
		{"at the bound", most - 1, 0, ""},
		{"at the bound with clauses", 100, most - 101, ""},
		{"one beyond", most, 0, "make 16385 players, more than 16384"},
		{"one beyond with clauses", 100, most - 100, "make 16385 players"},
		{"one variable", 1, most, "1 variable and 16384 clauses make 16386 players"},
		{"absurd", math.MaxInt, math.MaxInt, "more than 16384"},
		{"no variables", 0, 1, ""},
		{"empty formula", 0, 0, "the empty formula"},
		{"negative", -1, 3, "negative size"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckSize(tt.vars, tt.clauses, most)
			if tt.msg == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tt.msg)
				// Only a game over the bound is "too many players".
				assert.Equal(t, strings.Contains(tt.msg, "players") || strings.Contains(tt.msg, "more than"), errors.Is(err, ErrTooManyPlayers))
			}
		})
	}
	// Reduce applies the structured bound.
	_, _, err := Reduce(&instances.CNF{}, Corrected)
	assert.ErrorContains(t, err, "the empty formula")
}
