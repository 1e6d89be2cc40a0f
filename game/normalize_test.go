package game_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/testgen"
)

// Normalize keeps every profile's equilibrium status and shrinks games
// with a common factor and a common offset.
func TestNormalize(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for range 300 {
		k := 2 + rng.IntN(4)
		small := testgen.Game(rng, k, 3)
		factor, offset := int64(1)<<rng.IntN(40), rng.Int64N(1<<50)
		D := make([][]int64, k)
		d := make([]int64, k)
		for i := range k {
			D[i] = make([]int64, k)
			for j := range k {
				D[i][j] = small.Entry(i, j) * factor
			}
			d[i] = small.Base(i)*factor + offset
		}
		g, err := game.New(nil, D, d)
		require.NoError(t, err)
		n, err := game.Normalize(g)
		require.NoError(t, err)
		for m := uint64(0); m < 1<<k; m++ {
			a := testgen.Profile(m, k)
			_, okG, err := g.Check(a)
			require.NoError(t, err)
			_, okN, err := n.Check(a)
			require.NoError(t, err)
			require.Equal(t, okG, okN, "profile %v of game %v", a, D, d)
		}
		for i := range k {
			for j := range k {
				assert.LessOrEqual(t, max(n.Entry(i, j), -n.Entry(i, j)), int64(3))
			}
		}
	}
}
