package lp

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/testgen"
)

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
			return testgen.FromMatrix(D, d)
		}},
		{"huge", func(rng *rand.Rand) *game.Game {
			// Entries near ±2^58 with d near 2^60: no overflow.
			g, _ := testgen.DrawScaled(rng.IntN(len(testgen.ScaledKinds)), rng.IntN(1000), 56, 4)
			D, d := g.Matrix()
			for i := range d {
				d[i] += 1 << 60
			}
			return testgen.FromMatrix(D, d)
		}},
	}
	for q := range testgen.ScaledKinds {
		tests = append(tests, struct {
			name string
			draw func(rng *rand.Rand) *game.Game
		}{testgen.ScaledKinds[q].Name, func(rng *rand.Rand) *game.Game {
			g, _ := testgen.DrawScaled(q, rng.IntN(1000), uint(10+rng.IntN(30)), 6)
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
