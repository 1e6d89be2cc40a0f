package testgen

import (
	"fmt"
	"math/rand/v2"

	"github.com/nashbench/nashbench/game"
)

// Kind draws a random small game with entries in [-3, 3], so that ties
// are common, shaped to exercise what the MIP and PB formulations treat
// specially (null players, constant and twin progress, wide ranges).
type Kind struct {
	Name string
	Draw func(rng *rand.Rand) *game.Game
}

// Kinds are the small game kinds the formulations' exactness tests draw.
var Kinds = []Kind{
	{"plain", func(rng *rand.Rand) *game.Game { return Game(rng, 2+rng.IntN(6), 3) }},
	{"null-players", func(rng *rand.Rand) *game.Game {
		// Some players give nothing to anyone; their delta is -1, 0 or 1.
		k := 2 + rng.IntN(6)
		D, d := Game(rng, k, 3).Matrix()
		for i := range k {
			if rng.IntN(3) == 0 {
				for j := range k {
					D[j][i] = 0
				}
				D[i][i] = rng.Int64N(3) - 1
			}
		}
		return FromMatrix(D, d)
	}},
	{"constant-and-twins", func(rng *rand.Rand) *game.Game {
		// Players whose progress nobody moves (like the reduction's switch),
		// and players with identical progress.
		k := 3 + rng.IntN(5)
		D, d := Game(rng, k, 3).Matrix()
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
		return FromMatrix(D, d)
	}},
	{"sparse-wide", func(rng *rand.Rand) *game.Game {
		// Mostly zeros and a wide range: few groups, large big-Ms.
		k := 2 + rng.IntN(6)
		D, d := Game(rng, k, 3).Matrix()
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
		return FromMatrix(D, d)
	}},
}

// FromMatrix is game.New(nil, D, d) for tests, which panics on an error.
func FromMatrix(D [][]int64, d []int64) *game.Game {
	g, err := game.New(nil, D, d)
	if err != nil {
		panic(err)
	}
	return g
}

// ScaledKind draws the entries of a k-player game reaching about 2^b.
type ScaledKind struct {
	Name string
	Draw func(rng *rand.Rand, k int, b uint) ([][]int64, []int64)
}

// ScaledKinds draw games whose entries reach about 2^b, shaped to find
// where floating point stops deciding exactly: near ties at large
// magnitudes, mixed magnitudes, and plain uniform entries.
var ScaledKinds = []ScaledKind{
	{"scaled-ties", func(rng *rand.Rand, k int, b uint) ([][]int64, []int64) {
		// A small game times 2^b, each entry then moved by -1, 0 or 1:
		// differences of 1 between numbers of size 2^b.
		D, d := Game(rng, k, 3).Matrix()
		for i := range k {
			for j := range k {
				D[i][j] = D[i][j]<<b + rng.Int64N(3) - 1
			}
			d[i] = d[i]<<b + rng.Int64N(3) - 1
		}
		return D, d
	}},
	{"uniform", func(rng *rand.Rand, k int, b uint) ([][]int64, []int64) {
		r := int64(1) << b
		D, d := Game(rng, k, 0).Matrix()
		for i := range k {
			for j := range k {
				D[i][j] = rng.Int64N(2*r+1) - r
			}
			d[i] = rng.Int64N(2*r+1) - r
		}
		return D, d
	}},
	{"mixed", func(rng *rand.Rand, k int, b uint) ([][]int64, []int64) {
		// Each entry is small or large; large ones are a small multiple of
		// 2^b plus a small offset, so small ones still decide.
		D, d := Game(rng, k, 3).Matrix()
		for i := range k {
			for j := range k {
				if rng.IntN(2) == 0 {
					D[i][j] = D[i][j]<<b + rng.Int64N(7) - 3
				}
			}
			if rng.IntN(2) == 0 {
				d[i] = d[i]<<b + rng.Int64N(7) - 3
			}
		}
		return D, d
	}},
	{"shifted", func(rng *rand.Rand, k int, b uint) ([][]int64, []int64) {
		// A small game plus a large common offset in d and large column
		// offsets: what exact normalization can undo.
		D, d := Game(rng, k, 3).Matrix()
		c := (rng.Int64N(3) + 1) << b
		for j := range k {
			col := rng.Int64N(5) - 2
			for i := range k {
				D[i][j] += col << b
			}
			d[j] += c
		}
		return D, d
	}},
	{"scaled", func(rng *rand.Rand, k int, b uint) ([][]int64, []int64) {
		// A small game times 2^b (gcd normalization undoes it).
		D, d := Game(rng, k, 3).Matrix()
		for i := range k {
			for j := range k {
				D[i][j] <<= b
			}
			d[i] <<= b
		}
		return D, d
	}},
}

// DrawScaled draws game n of kind q at magnitude 2^b with 2 to kmax
// players, the same for the same arguments.
func DrawScaled(q, n int, b uint, kmax int) (*game.Game, string) {
	rng := rand.New(rand.NewPCG(uint64(q)<<32|uint64(b), uint64(n)))
	k := 2 + rng.IntN(kmax-1)
	kind := ScaledKinds[q]
	D, d := kind.Draw(rng, k, b)
	g, err := game.New(nil, D, d)
	if err != nil {
		panic(err)
	}
	return g, fmt.Sprintf("%s b=%d n=%d: D=%v d=%v", kind.Name, b, n, D, d)
}
