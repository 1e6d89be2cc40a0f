package lp

import (
	"math/rand/v2"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/testgen"
)

// gameKind draws a random small game with entries in [-r, r], so that ties
// are common, shaped to exercise what the formulations treat specially.
type gameKind struct {
	name string
	draw func(rng *rand.Rand) *game.Game
}

func rebuild(D [][]int64, d []int64) *game.Game {
	g, err := game.New(nil, D, d)
	if err != nil {
		panic(err)
	}
	return g
}

var kinds = []gameKind{
	{"plain", func(rng *rand.Rand) *game.Game { return testgen.Game(rng, 2+rng.IntN(6), 3) }},
	{"null-players", func(rng *rand.Rand) *game.Game {
		// Some players give nothing to anyone; their delta is -1, 0 or 1.
		k := 2 + rng.IntN(6)
		D, d := testgen.Game(rng, k, 3).Matrix()
		for i := range k {
			if rng.IntN(3) == 0 {
				for j := range k {
					D[j][i] = 0
				}
				D[i][i] = rng.Int64N(3) - 1
			}
		}
		return rebuild(D, d)
	}},
	{"constant-and-twins", func(rng *rand.Rand) *game.Game {
		// Players whose progress nobody moves (like the reduction's switch),
		// and players with identical progress.
		k := 3 + rng.IntN(5)
		D, d := testgen.Game(rng, k, 3).Matrix()
		for i := range k {
			switch rng.IntN(4) {
			case 0:
				for j := range k {
					if j != i {
						D[i][j] = 0
					}
				}
			case 1:
				t := rng.IntN(k)
				copy(D[i], D[t])
				d[i] = d[t]
			}
		}
		return rebuild(D, d)
	}},
	{"sparse-wide", func(rng *rand.Rand) *game.Game {
		// Mostly zeros and a wide range: few groups, large big-Ms.
		k := 2 + rng.IntN(6)
		D, d := testgen.Game(rng, k, 3).Matrix()
		for i := range k {
			for j := range k {
				if rng.IntN(2) == 0 {
					D[i][j] = 0
				} else {
					D[i][j] *= 1 + rng.Int64N(40)
				}
			}
			d[i] *= rng.Int64N(50)
		}
		return rebuild(D, d)
	}},
}
