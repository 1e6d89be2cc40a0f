package instances_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/enum"
)

// gameJSON generates s and returns its file's bytes.
func gameJSON(t *testing.T, s instances.GameSpec) string {
	t.Helper()
	g, err := s.Generate()
	require.NoError(t, err, "%+v", s)
	var buf bytes.Buffer
	require.NoError(t, game.WriteJSON(&buf, g, s.Comment()))
	return buf.String()
}

func rng(lo, hi int64) *instances.Range { return &instances.Range{Lo: lo, Hi: hi} }

func TestGameSpecReproducible(t *testing.T) {
	for _, f := range instances.GameFamilies() {
		s := instances.GameSpec{Family: f, Players: 7, Seed: 3, Index: 2}
		a := gameJSON(t, s)
		assert.Equal(t, a, gameJSON(t, s), f)
		other := s
		other.Seed = 4
		assert.NotEqual(t, a, gameJSON(t, other), "%s: another seed, another game", f)
		other = s
		other.Index = 3
		assert.NotEqual(t, a, gameJSON(t, other), "%s: another index, another game", f)
		// The game read back is the game written.
		g, err := game.ParseJSON([]byte(a), "x.json")
		require.NoError(t, err)
		want, err := s.Generate()
		require.NoError(t, err)
		assert.Equal(t, want.String(), g.String())
	}

	// Pin the exact output, so that a change to a generator (which would
	// change every sweep's games) is deliberate.
	want := map[string]string{
		"race": `{
  "comment": "nashbench race game: k=3 base=0:1000 own=-50:50 spill=0:100 seed=1 index=0; rng: math/rand/v2 PCG(seed, index)",
  "D": [
    [-48, 70, 56],
    [81, 9, 30],
    [13, 50, -43]
  ],
  "d": [598, 89, 716]
}
`,
		"uniform": `{
  "comment": "nashbench uniform game: k=3 base=-100:100 own=-100:100 spill=-100:100 seed=1 index=0; rng: math/rand/v2 PCG(seed, index)",
  "D": [
    [-96, 41, 11],
    [62, 18, -39],
    [-74, 0, -85]
  ],
  "d": [20, -83, 43]
}
`,
		"ring": `{
  "comment": "nashbench ring game (leader-follower ring): k=3 base=0:0 help=50:100 own=1:help-1 pred=-20:0 seed=1 index=0; rng: math/rand/v2 PCG(seed, index)",
  "D": [
    [36, -14, 56],
    [51, 54, -19],
    [-9, 91, 28]
  ],
  "d": [0, 0, 0]
}
`,
	}
	for f, w := range want {
		assert.Equal(t, w, gameJSON(t, instances.GameSpec{Family: f, Players: 3, Seed: 1}), f)
	}
}

func TestGameSpecRanges(t *testing.T) {
	in := func(t *testing.T, x int64, r instances.Range, what string) {
		t.Helper()
		require.True(t, r.Lo <= x && x <= r.Hi, "%s %d outside %s", what, x, r)
	}
	for _, s := range []instances.GameSpec{
		{Family: "race", Players: 9},
		{Family: "uniform", Players: 9},
		{Family: "race", Players: 9, Base: rng(0, 0), Own: rng(-3, -1), Spill: rng(5, 7)},
		{Family: "uniform", Players: 9, Base: rng(-1, 1), Own: rng(10, 10), Spill: rng(-2, 2)},
	} {
		base, own, spill := s.Ranges()
		seen := map[int64]bool{}
		for idx := range 20 {
			s.Index = idx
			g, err := s.Generate()
			require.NoError(t, err)
			for i := range s.Players {
				in(t, g.Base(i), base, "d")
				for j := range s.Players {
					x := g.Entry(i, j)
					if i == j {
						in(t, x, own, "delta")
					} else {
						in(t, x, spill, "spill")
						seen[x] = true
					}
				}
			}
		}
		// The draws cover the range, ends included.
		if spill.Hi-spill.Lo < 10 {
			for x := spill.Lo; x <= spill.Hi; x++ {
				assert.True(t, seen[x], "%+v: spill %d never drawn", s, x)
			}
		}
	}
	// The defaults are the paper's race and the uniform family.
	base, own, spill := instances.GameSpec{Family: "race"}.Ranges()
	assert.Equal(t, [3]instances.Range{{0, 1000}, {-50, 50}, {0, 100}}, [3]instances.Range{base, own, spill})
	base, own, spill = instances.GameSpec{Family: "uniform"}.Ranges()
	assert.Equal(t, [3]instances.Range{{-100, 100}, {-100, 100}, {-100, 100}}, [3]instances.Range{base, own, spill})
}

// TestRingStructure checks the ring family's shape: a level start, each
// player's help B_i to every rival but its predecessor, its own gain below
// the help, and a set-back of its predecessor.
func TestRingStructure(t *testing.T) {
	for _, s := range []instances.GameSpec{
		{Family: "ring", Players: 3}, {Family: "ring", Players: 11, Seed: 5},
		{Family: "ring", Players: 6, Spill: rng(2, 3)}, {Family: "ring", Players: 5, Base: rng(7, 7)},
	} {
		_, _, spill := s.Ranges()
		for idx := range 10 {
			s.Index = idx
			g, err := s.Generate()
			require.NoError(t, err)
			k := s.Players
			for i := range k {
				if s.Base == nil {
					require.Zero(t, g.Base(i))
				} else {
					require.Equal(t, s.Base.Lo, g.Base(i))
				}
				help := g.Entry((i+1)%k, i) // i's successor is not its predecessor for k >= 3
				require.True(t, spill.Lo <= help && help <= spill.Hi, "help %d", help)
				for j := range k {
					switch x := g.Entry(j, i); {
					case j == i:
						require.True(t, 1 <= x && x < help, "delta %d, help %d", x, help)
					case j == (i+k-1)%k:
						require.True(t, -20 <= x && x <= 0, "predecessor's %d", x)
					default:
						require.Equal(t, help, x)
					}
				}
			}
		}
	}
}

// profitable reports whether player i gains by flipping its action in a.
func profitable(g *game.Game, a []bool, i int) bool {
	b := slices.Clone(a)
	b[i] = !b[i]
	return g.Utility(b, i) > g.Utility(a, i)
}

// TestRingArgument checks, by brute force, the two facts behind the ring
// family's lack of non-trivial equilibria (docs/sweeps.md): the all-closed
// profile is an equilibrium (A), and in a profile with a "free" player
// (closed, and so is its successor) every open player gains by closing (B).
func TestRingArgument(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for k := 3; k <= 9; k++ {
		for idx := range 30 {
			g, err := instances.GameSpec{Family: "ring", Players: k, Seed: 2, Index: idx}.Generate()
			require.NoError(t, err)
			_, ok, err := g.Check(make([]bool, k))
			require.NoError(t, err)
			require.True(t, ok, "A: all-closed is an equilibrium of %v", g)
			for range 200 {
				a := make([]bool, k)
				for i := range a {
					a[i] = r.IntN(2) == 1
				}
				free := false
				for c := range k {
					free = free || !a[c] && !a[(c+1)%k]
				}
				if !free || !game.NonTrivial(a) {
					continue
				}
				for i := range k {
					if a[i] {
						require.True(t, profitable(g, a, i), "B: open player %d of %v in %v keeps its action", i, a, g)
					}
				}
			}
		}
	}
}

// noneFraction is the fraction of count games of family with k players
// that have no non-trivial pure equilibrium, by enum.
func noneFraction(t *testing.T, family string, k, count int) float64 {
	t.Helper()
	none := 0
	for idx := range count {
		g, err := instances.GameSpec{Family: family, Players: k, Seed: 1, Index: idx}.Generate()
		require.NoError(t, err)
		res, err := enum.Solver{}.Solve(context.Background(), &solvers.Problem{Game: g}, solvers.Options{})
		require.NoError(t, err)
		require.NotEqual(t, solvers.Unknown, res.Answer)
		if res.Answer == solvers.None {
			none++
		}
	}
	return float64(none) / float64(count)
}

// TestRingMostlyWithoutEquilibria: in the ring family, games without a
// non-trivial pure equilibrium are the rule from 8 players on (measured
// with 200 games each: 88% at 8 players, 97% at 10 and 12, 99-100% at 14
// to 20), far more than in the race (42% at 8) or uniform ones (3%).
func TestRingMostlyWithoutEquilibria(t *testing.T) {
	ring8 := noneFraction(t, "ring", 8, 100)
	assert.GreaterOrEqual(t, ring8, 0.8)
	assert.GreaterOrEqual(t, noneFraction(t, "ring", 10, 100), 0.9)
	assert.Greater(t, ring8, noneFraction(t, "race", 8, 100))
	assert.Greater(t, ring8, noneFraction(t, "uniform", 8, 100))
}

func TestGameSpecValidate(t *testing.T) {
	bad := []struct {
		spec instances.GameSpec
		msg  string
	}{
		{instances.GameSpec{Family: "chess", Players: 4}, `unknown game family "chess" (known: race, uniform, ring)`},
		{instances.GameSpec{Family: "", Players: 4}, "unknown game family"},
		{instances.GameSpec{Family: "race", Players: 1}, "race game of 1 player: want 2..1024 players"},
		{instances.GameSpec{Family: "race", Players: 1025}, "want 2..1024 players"},
		{instances.GameSpec{Family: "ring", Players: 2}, "ring game of 2 players: want 3..1024 players"},
		{instances.GameSpec{Family: "race", Players: 4, Index: -1}, "index -1"},
		{instances.GameSpec{Family: "race", Players: 4, Base: rng(5, 1)}, "base range 5:1: the low end exceeds the high end"},
		{instances.GameSpec{Family: "race", Players: 4, Spill: rng(0, 1<<41)}, "spill range 0:2199023255552: beyond the limit"},
		{instances.GameSpec{Family: "ring", Players: 4, Own: rng(1, 2)}, "the own range does not apply"},
		{instances.GameSpec{Family: "ring", Players: 4, Spill: rng(1, 9)}, "want a low end of at least 2"},
	}
	for _, b := range bad {
		err := b.spec.Validate()
		require.Error(t, err, "%+v", b.spec)
		assert.Contains(t, err.Error(), b.msg)
		_, err = b.spec.Generate()
		assert.Error(t, err)
	}
	// The limits themselves are fine, and so is the largest entry.
	for _, s := range []instances.GameSpec{
		{Family: "race", Players: 2}, {Family: "ring", Players: 3},
		{Family: "uniform", Players: 40, Spill: rng(-instances.MaxGameEntry, instances.MaxGameEntry)},
	} {
		_, err := s.Generate()
		require.NoError(t, err, "%+v", s)
	}
}

func TestParseRange(t *testing.T) {
	for in, want := range map[string]instances.Range{
		"0:1000": {0, 1000}, "-50:50": {-50, 50}, " -3 : -1 ": {-3, -1}, "7": {7, 7},
	} {
		r, err := instances.ParseRange(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, r, in)
	}
	for _, in := range []string{"", "a:b", "1:", "5:1", "1.5:2", "0:99999999999999"} {
		_, err := instances.ParseRange(in)
		assert.Error(t, err, in)
	}
}

func TestGameFileName(t *testing.T) {
	for want, s := range map[string]instances.GameSpec{
		"race-k12-s1-i000000.json":                           {Family: "race", Players: 12, Seed: 1},
		"uniform-k5-s7-i000042.json":                         {Family: "uniform", Players: 5, Seed: 7, Index: 42},
		"race-k12-s1-i000003.json":                           {Family: "race", Players: 12, Seed: 1, Index: 3, Base: rng(0, 1000)}, // the default
		"race-k12-base0_0-ownm10_m1-s1-i000000.json":         {Family: "race", Players: 12, Seed: 1, Base: rng(0, 0), Own: rng(-10, -1)},
		"ring-k8-spill2_9-s2-i000001.json":                   {Family: "ring", Players: 8, Seed: 2, Index: 1, Spill: rng(2, 9)},
		"uniform-k3-basem5_5-spill0_1-s0-i000000.json":       {Family: "uniform", Players: 3, Base: rng(-5, 5), Spill: rng(0, 1)},
		"ring-k3-base1_1-s18446744073709551615-i000000.json": {Family: "ring", Players: 3, Seed: 1<<64 - 1, Base: rng(1, 1)},
	} {
		assert.Equal(t, want, s.FileName())
	}
	// The comment names the ranges actually used.
	s := instances.GameSpec{Family: "race", Players: 4, Seed: 2, Index: 1, Own: rng(-1, 1)}
	assert.Equal(t, "nashbench race game: k=4 base=0:1000 own=-1:1 spill=0:100 seed=2 index=1; rng: math/rand/v2 PCG(seed, index)", s.Comment())
}
