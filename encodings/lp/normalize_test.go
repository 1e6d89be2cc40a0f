package lp

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/testgen"
)

// scaledKinds draw games (as solvers/mip's range tests do) whose entries reach about 2^b, shaped to find
// where floating point stops deciding exactly: near ties at large
// magnitudes, mixed magnitudes, and plain uniform entries.
var scaledKinds = []struct {
	name string
	draw func(rng *rand.Rand, k int, b uint) ([][]int64, []int64)
}{
	{"scaled-ties", func(rng *rand.Rand, k int, b uint) ([][]int64, []int64) {
		// A small game times 2^b, each entry then moved by -1, 0 or 1:
		// differences of 1 between numbers of size 2^b.
		D, d := testgen.Game(rng, k, 3).Matrix()
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
		D, d := testgen.Game(rng, k, 0).Matrix()
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
		D, d := testgen.Game(rng, k, 3).Matrix()
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
		D, d := testgen.Game(rng, k, 3).Matrix()
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
		D, d := testgen.Game(rng, k, 3).Matrix()
		for i := range k {
			for j := range k {
				D[i][j] <<= b
			}
			d[i] <<= b
		}
		return D, d
	}},
}

// drawScaled draws game n of kind q at magnitude 2^b with 2 to kmax
// players, the same for the same arguments.
func drawScaled(q, n int, b uint, kmax int) (*game.Game, string) {
	rng := rand.New(rand.NewPCG(uint64(q)<<32|uint64(b), uint64(n)))
	k := 2 + rng.IntN(kmax-1)
	kind := scaledKinds[q]
	D, d := kind.draw(rng, k, b)
	g, err := game.New(nil, D, d)
	if err != nil {
		panic(err)
	}
	return g, fmt.Sprintf("%s b=%d n=%d: D=%v d=%v", kind.name, b, n, D, d)
}

// Normalizing keeps every player's utility up to one positive factor (the
// gcd), at every profile, and shifting columns keeps it exactly, so the equilibria are the same; it centres
// progress, leaves no common factor, and is idempotent.
func TestNormalizeExact(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		draw func(rng *rand.Rand) *game.Game
	}{
		{"small", func(rng *rand.Rand) *game.Game { return testgen.Game(rng, 2+rng.IntN(5), 3) }},
		{"all-zero-D", func(rng *rand.Rand) *game.Game {
			D, d := testgen.Game(rng, 2+rng.IntN(3), 0).Matrix()
			c := rng.Int64N(1 << 40)
			for i := range d {
				d[i] = c
			}
			return rebuild(D, d)
		}},
		{"huge", func(rng *rand.Rand) *game.Game {
			// Entries near ±2^58 with d near 2^60: no overflow.
			g, _ := drawScaled(rng.IntN(len(scaledKinds)), rng.IntN(1000), 56, 4)
			D, d := g.Matrix()
			for i := range d {
				d[i] += 1 << 60
			}
			return rebuild(D, d)
		}},
	}
	for q := range scaledKinds {
		tests = append(tests, struct {
			name string
			draw func(rng *rand.Rand) *game.Game
		}{scaledKinds[q].name, func(rng *rand.Rand) *game.Game {
			g, _ := drawScaled(q, rng.IntN(1000), uint(10+rng.IntN(30)), 6)
			return g
		}})
	}
	for ti, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(ti), 77))
			for range 100 {
				g := tt.draw(rng)
				n, err := normalize(g)
				require.NoError(t, err)
				k := g.Players()
				// The factor: u_i(a) = G u'_i(a) for every i and a.
				var G int64
				for i := range k {
					for j := range k {
						if n.Entry(i, j) != 0 {
							G = g.Entry(i, j) / n.Entry(i, j)
						}
					}
				}
				var common int64
				for i := range k {
					for j := range k {
						common = gcdOf(common, abs(n.Entry(i, j)))
					}
					common = gcdOf(common, abs(n.Base(i)-n.Base(0)))
				}
				require.Contains(t, []int64{0, 1}, common, "a common factor is left")
				// Shifting columns keeps every utility; fit may shift and
				// then normalize.
				c, err := shiftColumns(g)
				require.NoError(t, err)
				f, _, err := Fit(g, 0)
				if err != nil { // beyond 2^53: nothing to build
					require.ErrorIs(t, err, ErrTooLarge)
					f = n
				}
				for bits := range uint64(1) << k {
					a := testgen.Profile(bits, k)
					_, ok, err := g.Check(a)
					require.NoError(t, err)
					for _, h := range []*game.Game{n, c, f} {
						_, okH, err := h.Check(a)
						require.NoError(t, err)
						require.Equal(t, ok, okH)
					}
					for i := range k {
						if G != 0 {
							require.Equal(t, g.Utility(a, i), G*n.Utility(a, i))
						}
						require.Equal(t, g.Utility(a, i), c.Utility(a, i))
					}
				}
				lo, hi := n.MuBounds()
				s := Spread(n)
				assert.LessOrEqual(t, slices.Max(hi), s/2+1)
				assert.GreaterOrEqual(t, slices.Min(lo), -s/2-1)
				// A normalized game is left as it is.
				m, err := normalize(n)
				require.NoError(t, err)
				require.Same(t, n, m)
			}
		})
	}
}

func gcdOf(x, y int64) int64 {
	for y != 0 {
		x, y = y, x%y
	}
	return x
}
