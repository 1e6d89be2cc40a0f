package game_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	. "github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/testgen"
)

// randomStructure draws a structured game with small entries, so that ties
// and cancellations (an exception undoing the rank-one entry) are common.
func randomStructure(rng *rand.Rand, k int) (Structure, []int64) {
	draw := func(r int64) int64 { return rng.Int64N(2*r+1) - r }
	s := Structure{U: make([]int64, k), V: make([]int64, k), E: make([][]Term, k)}
	for i := range k {
		if rng.IntN(3) > 0 {
			s.U[i] = draw(2)
		}
		if rng.IntN(3) > 0 {
			s.V[i] = draw(2)
		}
		for range rng.IntN(4) {
			j := rng.IntN(k)
			v := draw(3)
			if rng.IntN(4) == 0 {
				v = -s.U[i] * s.V[j] // cancels the rank-one entry
			}
			s.E[i] = append(s.E[i], Term{Col: j, Val: v})
		}
	}
	base := make([]int64, k)
	for i := range base {
		base[i] = draw(4)
	}
	return s, base
}

// A structured game is the dense game with D = U V^T + E in every respect:
// entries, rows, progress, bounds, null players, and the equilibrium check
// with the same first deviation.
func TestStructuredMatchesDense(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(21, 22))
	checked := 0
	for range 400 {
		k := 2 + rng.IntN(7)
		s, base := randomStructure(rng, k)
		g, err := NewStructured(nil, s, base)
		require.NoError(t, err)
		D := make([][]int64, k)
		for i := range k {
			D[i] = make([]int64, k)
			for j := range k {
				D[i][j] = s.U[i] * s.V[j]
			}
			for _, e := range s.E[i] {
				D[i][e.Col] += e.Val
			}
		}
		d, err := New(nil, D, append([]int64(nil), base...))
		require.NoError(t, err)
		require.Equal(t, d.String(), g.String())
		for i := range k {
			require.Equal(t, D[i], g.Row(i, nil))
			require.Equal(t, d.Null(i), g.Null(i), "Null(%d) on %v", i, d)
			require.Equal(t, d.Delta(i), g.Delta(i))
		}
		dlo, dhi := d.MuBounds()
		glo, ghi := g.MuBounds()
		require.Equal(t, dlo, glo, "%v", d)
		require.Equal(t, dhi, ghi, "%v", d)
		for bits := range uint64(1) << k {
			a := testgen.Profile(bits, k)
			require.Equal(t, d.Mu(a, nil), g.Mu(a, nil))
			dd, dok, err := d.Check(a)
			require.NoError(t, err)
			gd, gok, err := g.Check(a)
			require.NoError(t, err)
			require.Equal(t, dok, gok, "%v at %v", d, a)
			require.Equal(t, dd, gd, "%v at %v", d, a)
			checked++
		}
	}
	t.Logf("%d profiles checked", checked)
}

func TestNewStructuredRejects(t *testing.T) {
	big := Bound / 2
	for _, tt := range []struct {
		name string
		s    Structure
		base []int64
		want string
	}{
		{"one player", Structure{}, []int64{0}, "at least 2 players"},
		{"short U", Structure{U: []int64{1}}, []int64{0, 0}, "U has 1 entry and"},
		{"short E", Structure{E: [][]Term{nil}}, []int64{0, 0}, "E has 1 row,"},
		{"column out of range", Structure{E: [][]Term{{{Col: 2, Val: 1}}, nil}}, []int64{0, 0}, "column 2, want 0..1"},
		{"negative column", Structure{E: [][]Term{nil, {{Col: -1, Val: 1}}}}, []int64{0, 0}, "column -1"},
		{"base too large", Structure{}, []int64{Bound + 1, 0}, "beyond ±2^61"},
		{"rank-one too large", Structure{U: []int64{big, 0}, V: []int64{1, 1}}, []int64{0, 0}, "rank-one part"},
		{"V sum too large", Structure{V: []int64{Bound, Bound}}, []int64{0, 0}, "|V[j]| sum"},
		{"exceptions too large", Structure{E: [][]Term{{{Col: 0, Val: Bound / 8}, {Col: 1, Val: Bound / 6}}, nil}}, []int64{0, 0}, "exceptions"},
		{"progress leaves the bound", Structure{E: [][]Term{{{Col: 0, Val: Bound / 8}}, nil}}, []int64{Bound - 1, 0}, "can leave ±2^61"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewStructured(nil, tt.s, tt.base)
			assert.ErrorContains(t, err, tt.want)
		})
	}
	// Terms in one column add up, and may cancel.
	g, err := NewStructured(nil, Structure{E: [][]Term{{{Col: 1, Val: 2}, {Col: 1, Val: -2}}, {{Col: 0, Val: 5}}}}, []int64{0, 0})
	require.NoError(t, err)
	assert.Equal(t, int64(0), g.Entry(0, 1))
	assert.True(t, g.Null(1))
	assert.False(t, g.Null(0))
}

// Normalizing a structured game keeps it structured and keeps its
// equilibria; scaled games come back divided.
func TestNormalizeStructured(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	for range 300 {
		k := 2 + rng.IntN(6)
		s, base := randomStructure(rng, k)
		// Scale U (or V) and E, and shift d: normalization undoes both.
		f := int64(1 + rng.IntN(5))
		shift := rng.Int64N(1000)
		for i := range k {
			s.U[i] *= f // a common factor in U
			for q := range s.E[i] {
				s.E[i][q].Val *= f
			}
			base[i] = base[i]*f + shift
		}
		g, err := NewStructured(nil, s, base)
		require.NoError(t, err)
		n, err := Normalize(g)
		require.NoError(t, err)
		for bits := range uint64(1) << k {
			a := testgen.Profile(bits, k)
			_, okG, err := g.Check(a)
			require.NoError(t, err)
			_, okN, err := n.Check(a)
			require.NoError(t, err)
			require.Equal(t, okG, okN, "%v at %v", g, a)
		}
		glo, ghi := g.MuBounds()
		nlo, nhi := n.MuBounds()
		assert.LessOrEqual(t, slices.Max(nhi)-slices.Min(nlo), slices.Max(ghi)-slices.Min(glo))
	}
	// A reduction-sized structured game normalizes without its matrix.
	k := 60000
	s := Structure{U: make([]int64, k), V: make([]int64, k), E: make([][]Term, k)}
	base := make([]int64, k)
	for i := range k {
		s.U[i], s.V[i], base[i] = int64(i%2), 2*int64(1-i%2), 1000
	}
	g, err := NewStructured(nil, s, base)
	require.NoError(t, err)
	n, err := Normalize(g)
	require.NoError(t, err)
	assert.Equal(t, int64(1), n.Entry(1, 0), "U V^T halved")
	assert.Equal(t, int64(0), n.Entry(0, 1))
}
