package solvers

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
)

func TestFreePlayers(t *testing.T) {
	// Player 0 gives 1 to player 1; player 1 is null with delta 0 (free);
	// player 2 is null with delta 2 (always opens).
	g, err := game.New(nil, [][]int64{{1, 0, 0}, {1, 0, 0}, {0, 0, 2}}, []int64{0, 0, 0})
	require.NoError(t, err)
	assert.Equal(t, []int{1}, FreePlayers(g))

	eqs := [][]bool{{false, false, false}, {true, false, false}}
	got := ExpandFree(eqs, []int{1, 2}, 100)
	assert.Len(t, got, 3+4, "the all-closed copy is left out")
	assert.Len(t, ExpandFree(eqs, []int{1, 2}, 2), 2)

	c, err := CountWithFree(2, 2, true)
	require.NoError(t, err)
	assert.Equal(t, int64(7), c)
	c, err = CountWithFree(0, 100, false)
	require.NoError(t, err)
	assert.Equal(t, int64(0), c)
	_, err = CountWithFree(3, 62, false)
	assert.ErrorContains(t, err, "exceeds int64")
}
