package instances

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func checkKSAT(t *testing.T, f *CNF, n, m, k int) {
	t.Helper()
	require.Equal(t, n, f.Vars)
	require.Len(t, f.Clauses, m)
	require.NoError(t, f.Validate())
	for i, c := range f.Clauses {
		require.Len(t, c, k, "clause %d", i)
		seen := map[int]bool{}
		for _, l := range c {
			v := max(l, -l)
			require.False(t, seen[v], "clause %d %v repeats variable %d", i, c, v)
			seen[v] = true
		}
	}
}

func TestRandomKSATShape(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 0))
	for _, p := range []struct{ n, m, k int }{
		{10, 43, 3}, {3, 50, 3}, {1, 5, 1}, {5, 0, 2}, {40, 30, 20}, {25, 10, 25}, {1000, 10, 17},
	} {
		f, err := RandomKSAT(rng, p.n, p.m, p.k)
		require.NoError(t, err, "%+v", p)
		checkKSAT(t, f, p.n, p.m, p.k)
		if p.k == p.n {
			for _, c := range f.Clauses { // every variable, each once
				vars := map[int]bool{}
				for _, l := range c {
					vars[max(l, -l)] = true
				}
				require.Len(t, vars, p.n)
			}
		}
	}
}

func TestRandomKSATReproducible(t *testing.T) {
	gen := func(seed, index uint64) *CNF {
		f, err := RandomKSAT(rand.New(rand.NewPCG(seed, index)), 20, 85, 3)
		require.NoError(t, err)
		return f
	}
	assert.Equal(t, gen(1, 0), gen(1, 0))
	assert.NotEqual(t, gen(1, 0), gen(1, 1))
	assert.NotEqual(t, gen(1, 0), gen(2, 0))

	// Pin the exact output, so a change to the generator (which would make
	// published instances irreproducible) fails here.
	s := Spec{N: 5, M: 3, K: 3, Seed: 1}
	f, _, err := s.Generate()
	require.NoError(t, err)
	assert.Equal(t, pinnedUF, f.Clauses, "generator output changed")
	s.Planted = true
	f, model, err := s.Generate()
	require.NoError(t, err)
	assert.Equal(t, pinnedPlanted, f.Clauses, "planted generator output changed")
	assert.Equal(t, pinnedModel, model)
}

// Outputs of Spec{N: 5, M: 3, K: 3, Seed: 1}.Generate, plain and planted.
var (
	pinnedUF      = [][]int{{3, 4, 2}, {-4, -3, -1}, {-5, -4, -3}}
	pinnedPlanted = [][]int{{-3, 5, 2}, {4, 1, -2}, {1, -2, 4}}
	pinnedModel   = []bool{true, false, true, false, true}
)

func TestRandomKSATStatistics(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 0))
	const n, m, k = 50, 20000, 3
	f, err := RandomKSAT(rng, n, m, k)
	require.NoError(t, err)
	neg := 0
	count := make([]int, n+1)
	pos := make([][k]int, n+1) // how often each variable stands at each position
	for _, c := range f.Clauses {
		for i, l := range c {
			if l < 0 {
				neg++
			}
			count[max(l, -l)]++
			pos[max(l, -l)][i]++
		}
	}
	total := m * k
	// Binomial(60000, 1/2) has sd ~122; allow about 8 sd.
	assert.InDelta(t, 0.5, float64(neg)/float64(total), 0.017, "fraction of negated literals")
	// Each variable expects total/n = 1200 occurrences (sd ~34), 400 per position.
	for v := 1; v <= n; v++ {
		assert.InDelta(t, 1200, count[v], 300, "occurrences of variable %d", v)
		for i := range k {
			assert.InDelta(t, 400, pos[v][i], 150, "occurrences of variable %d at position %d", v, i)
		}
	}
}

func TestPlanted(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 0))
	for _, p := range []struct{ n, m, k int }{
		{10, 43, 3}, {20, 200, 3}, {3, 100, 3}, {8, 50, 1}, {30, 60, 5},
	} {
		f, model, err := Planted(rng, p.n, p.m, p.k)
		require.NoError(t, err)
		checkKSAT(t, f, p.n, p.m, p.k)
		require.Len(t, model, p.n)
		assert.True(t, f.Satisfies(model), "%+v", p)
	}
	// k = 1: every clause is a unit literal agreeing with the model.
	f, model, err := Planted(rng, 8, 50, 1)
	require.NoError(t, err)
	for _, c := range f.Clauses {
		assert.Equal(t, c[0] > 0, model[max(c[0], -c[0])-1])
	}
	// The hidden model is roughly balanced.
	_, model, err = Planted(rng, 10000, 0, 3)
	require.NoError(t, err)
	trues := 0
	for _, b := range model {
		if b {
			trues++
		}
	}
	assert.InDelta(t, 5000, trues, 400)
}

func TestGeneratorErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	tests := []struct {
		n, m, k int
		msg     string
	}{
		{0, 1, 1, "need n >= 1"},
		{-5, 1, 1, "need n >= 1"},
		{3, 1, 0, "need k >= 1"},
		{3, 1, 4, "k = 4 exceeds n = 3"},
		{3, -1, 3, "need m >= 0"},
		{defaultLimits.MaxVars + 1, 1, 3, "exceeds the limit"},
		{10, defaultLimits.MaxClauses + 1, 3, "exceeds the limit"},
		{100, defaultLimits.MaxLiterals/50 + 1, 50, "exceeds the limit"},
		{100, math.MaxInt, 3, "exceeds the limit"},
	}
	for _, tt := range tests {
		f, err := RandomKSAT(rng, tt.n, tt.m, tt.k)
		assert.Nil(t, f)
		assert.ErrorContains(t, err, tt.msg, "%+v", tt)
		f, model, err := Planted(rng, tt.n, tt.m, tt.k)
		assert.Nil(t, f)
		assert.Nil(t, model)
		assert.ErrorContains(t, err, tt.msg, "%+v", tt)
	}
	_, _, err := Spec{N: 10, M: 10, K: 3, Index: -1}.Generate()
	assert.Error(t, err)
	_, _, err = Spec{N: 10, M: 10}.Generate()
	assert.ErrorContains(t, err, "need k >= 1")
}

func TestClausesForRatio(t *testing.T) {
	tests := []struct {
		n     int
		ratio float64
		want  int
	}{
		{10, 4.26, 43}, {20, 4.26, 85}, {20, 4.55, 91}, {50, 4.26, 213}, {100, 4.26, 426},
		{10, 0, 0}, {1, 0.5, 1}, {3, 0.5, 2}, {10, -1, -1}, {10, math.NaN(), -1}, {10, math.Inf(1), -1},
		{1 << 30, 4, -1},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ClausesForRatio(tt.n, tt.ratio), "n=%d ratio=%v", tt.n, tt.ratio)
	}
}

func TestSpec(t *testing.T) {
	s := Spec{N: 10, M: 43, K: 3, Ratio: 4.26, Seed: 1, Index: 0}
	assert.Equal(t, "uf3-n10-m43-s1-i000000.cnf", s.FileName())
	s.Index = 7
	s.Planted = true
	assert.Equal(t, "planted3-n10-m43-s1-i000007.cnf", s.FileName())
	assert.Equal(t, "uf3-n10-m43-s18446744073709551615-i123456.cnf",
		Spec{N: 10, M: 43, K: 3, Seed: math.MaxUint64, Index: 123456}.FileName())

	// Same spec, same formula; another index, another formula.
	for _, planted := range []bool{false, true} {
		s := Spec{N: 20, M: 85, K: 3, Seed: 9, Index: 3, Planted: planted}
		f1, m1, err := s.Generate()
		require.NoError(t, err)
		f2, m2, err := s.Generate()
		require.NoError(t, err)
		assert.Equal(t, f1, f2)
		assert.Equal(t, m1, m2)
		s.Index++
		f3, _, err := s.Generate()
		require.NoError(t, err)
		assert.NotEqual(t, f1, f3)
		checkKSAT(t, f1, 20, 85, 3)
		if planted {
			require.NotNil(t, m1)
			assert.True(t, f1.Satisfies(m1))
		} else {
			assert.Nil(t, m1)
		}
	}
	// Spec.Generate is RandomKSAT seeded with PCG(Seed, Index).
	f, _, err := Spec{N: 20, M: 85, K: 3, Seed: 9, Index: 3}.Generate()
	require.NoError(t, err)
	g, err := RandomKSAT(rand.New(rand.NewPCG(9, 3)), 20, 85, 3)
	require.NoError(t, err)
	assert.Equal(t, g, f)
}

func TestSpecComments(t *testing.T) {
	s := Spec{N: 45, M: 43, K: 3, Ratio: 4.26, Seed: 1, Index: 2, Planted: true}
	f, model, err := s.Generate()
	require.NoError(t, err)
	cs := s.Comments(model)
	assert.Equal(t, "nashbench planted 3-SAT", cs[0])
	assert.Equal(t, "n=45 m=43 k=3 ratio=4.26 seed=1 index=2", cs[1])
	assert.Equal(t, "rng: math/rand/v2 PCG(seed, index)", cs[2])
	require.Len(t, cs, 6) // 45 variables at 20 per line

	// The model lines parse back to the hidden model.
	var got []bool
	for _, c := range cs[3:] {
		fields := strings.Fields(strings.TrimPrefix(c, "model:"))
		for _, fl := range fields {
			got = append(got, !strings.HasPrefix(fl, "-"))
		}
	}
	assert.Equal(t, model, got)

	var buf bytes.Buffer
	require.NoError(t, WriteDIMACS(&buf, f, cs...))
	assert.True(t, strings.HasPrefix(buf.String(), "c nashbench planted 3-SAT\nc n=45 m=43 k=3 ratio=4.26 seed=1 index=2\n"))
	g, err := ReadDIMACS(&buf, "x", Limits{})
	require.NoError(t, err)
	assert.Equal(t, f, g)

	plain := Spec{N: 10, M: 40, K: 3, Seed: 5}.Comments(nil)
	assert.Equal(t, []string{"nashbench uniform random 3-SAT", "n=10 m=40 k=3 ratio=4 seed=5 index=0", "rng: math/rand/v2 PCG(seed, index)"}, plain)
}
