package search

import (
	"math/rand/v2"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/reduction"
)

// The test games: AI-race games (d in [0, 1000], delta in [-50, 50],
// Delta in [0, 100]) and uniform games (every entry of D and d in
// [-100, 100]), uniform integers, as internal/testgen draws them.

func raceGame(rng *rand.Rand, k int) *game.Game { return testgen.Race(rng, k, 1000) }

func uniformGame(rng *rand.Rand, k int) *game.Game { return testgen.Game(rng, k, 100) }

// smallGame draws entries in [-r, r], small enough that ties are common,
// with some null and free players.
func smallGame(rng *rand.Rand, k int, r int64) *game.Game {
	D := make([][]int64, k)
	d := make([]int64, k)
	for i := range D {
		D[i] = make([]int64, k)
		for j := range D[i] {
			D[i][j] = rng.Int64N(2*r+1) - r
		}
		d[i] = rng.Int64N(2*r+1) - r
	}
	// Now and then a null player (a zero column off the diagonal), and a
	// free one (delta 0 too).
	if k > 2 && rng.IntN(4) == 0 {
		u := rng.IntN(k)
		for j := range D {
			if j != u {
				D[j][u] = 0
			}
		}
		if rng.IntN(2) == 0 {
			D[u][u] = 0
		}
	}
	return mustGame(D, d)
}

func mustGame(D [][]int64, d []int64) *game.Game {
	g, err := game.New(nil, D, d)
	if err != nil {
		panic(err)
	}
	return g
}

// seeded returns the i-th game of a family at size k ("red": the
// corrected reduction of a random 3-SAT formula of k variables at ratio
// 4.26, the bench corpus's kind of game).
func seeded(family string, k, i int) *game.Game {
	if family == "red" {
		f, _, err := instances.Spec{N: k, M: instances.ClausesForRatio(k, 4.26), K: 3, Seed: 1, Index: i}.Generate()
		if err != nil {
			panic(err)
		}
		g, _, err := reduction.Reduce(f, reduction.Corrected)
		if err != nil {
			panic(err)
		}
		return g
	}
	rng := rand.New(rand.NewPCG(uint64(k), uint64(i)+1000))
	switch family {
	case "race":
		return raceGame(rng, k)
	case "tight0":
		return testgen.Race(rng, k, 0)
	case "tight100":
		return testgen.Race(rng, k, 100)
	}
	return uniformGame(rng, k)
}
