// Package testgen draws random games and formulas for tests, with small
// entries so that ties, where printed statements go wrong, are common.
package testgen

import (
	"math/rand/v2"
	"slices"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
)

// Game draws a k-player game with every entry of D and d in [-r, r].
func Game(rng *rand.Rand, k int, r int64) *game.Game {
	D := make([][]int64, k)
	base := make([]int64, k)
	for i := range D {
		D[i] = make([]int64, k)
		for j := range D[i] {
			D[i][j] = rng.Int64N(2*r+1) - r
		}
		base[i] = rng.Int64N(2*r+1) - r
	}
	g, err := game.New(nil, D, base)
	if err != nil {
		panic(err)
	}
	return g
}

// Race draws a k-player AI-race game: delta in [-50, 50], Delta in
// [0, 100] and d in [0, maxBase]. With a small maxBase no player leads
// from the start, and most games have no non-trivial equilibrium (about
// 80% at maxBase 0).
func Race(rng *rand.Rand, k int, maxBase int64) *game.Game {
	D := make([][]int64, k)
	base := make([]int64, k)
	for i := range D {
		D[i] = make([]int64, k)
		for j := range D[i] {
			if i == j {
				D[i][j] = rng.Int64N(101) - 50
			} else {
				D[i][j] = rng.Int64N(101)
			}
		}
		base[i] = rng.Int64N(maxBase + 1)
	}
	g, err := game.New(nil, D, base)
	if err != nil {
		panic(err)
	}
	return g
}

// Formula draws m clauses of 1 to 4 literals over n variables, repeated
// literals and complementary pairs included, to exercise more than 3-SAT.
func Formula(rng *rand.Rand, n, m int) *instances.CNF {
	f := &instances.CNF{Vars: n}
	for range m {
		c := make([]int, 1+rng.IntN(4))
		for i := range c {
			c[i] = 1 + rng.IntN(n)
			if rng.IntN(2) == 0 {
				c[i] = -c[i]
			}
		}
		f.Clauses = append(f.Clauses, c)
	}
	return f
}

// Profile returns the profile whose player i plays bit i of bits.
func Profile(bits uint64, k int) []bool {
	a := make([]bool, k)
	for i := range a {
		a[i] = bits>>i&1 == 1
	}
	return a
}

// Models returns the models of f, as bit masks, by brute force.
func Models(f *instances.CNF) []uint64 {
	var out []uint64
	for bits := range uint64(1) << f.Vars {
		if f.Satisfies(Profile(bits, f.Vars)) {
			out = append(out, bits)
		}
	}
	return out
}

// Equilibrium decides from the definition of u, not from Lemma 1, whether a
// is a pure Nash equilibrium: no player gains by flipping.
func Equilibrium(g *game.Game, a []bool) bool {
	return Deviator(g, a) < 0
}

// Deviator returns the first player who gains by flipping, or -1.
func Deviator(g *game.Game, a []bool) int {
	b := append([]bool(nil), a...)
	for i := range a {
		u := g.Utility(a, i)
		b[i] = !b[i]
		gain := g.Utility(b, i) > u
		b[i] = !b[i]
		if gain {
			return i
		}
	}
	return -1
}

// MakeAllFalseModel flips one literal of every clause without a negative
// literal, so that all-false satisfies f: the reduction's case whose
// all-closed profile is no non-trivial equilibrium.
func MakeAllFalseModel(f *instances.CNF) {
	for _, c := range f.Clauses {
		if !slices.ContainsFunc(c, func(x int) bool { return x < 0 }) {
			c[0] = -c[0]
		}
	}
}
