package game

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriteNFG checks a two-player game by hand. mu_1 = 3 a_1 + a_2 + 10,
// mu_2 = 2 a_1 - a_2 + 4; u_1 = mu_1 - mu_2, u_2 = -u_1. In Gambit's
// order (player 1's strategy fastest; strategy 1 closed, 2 open) the
// profiles are (0,0), (1,0), (0,1), (1,1):
// mu = (10,4), (13,6), (11,3), (14,5).
func TestWriteNFG(t *testing.T) {
	g, err := New([]string{`Lab "A"`, `C:\x`}, [][]int64{{3, 1}, {2, -1}}, []int64{10, 4})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, WriteNFG(&buf, g, "two labs", "a\ncomment"))
	assert.Equal(t, `NFG 1 R "two labs" { "Lab 'A'" "C:/x" } { 2 2 }
"a comment"

6 -6
7 -7
8 -8
9 -9
`, buf.String())

	// Without a comment there is no comment line; default names are P<i>.
	g, err = New(nil, [][]int64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, []int64{0, 0, 0})
	require.NoError(t, err)
	buf.Reset()
	require.NoError(t, WriteNFG(&buf, g, "t", ""))
	lines := strings.Split(buf.String(), "\n")
	assert.Equal(t, `NFG 1 R "t" { "P1" "P2" "P3" } { 2 2 2 }`, lines[0])
	assert.Equal(t, "", lines[1])
	assert.Len(t, lines, 2+8+1)
	assert.Equal(t, "1 -1 -1", lines[3]) // profile 1: player 1 open
	assert.Equal(t, "-1 1 -1", lines[4]) // profile 2: player 2 open
}

func TestWriteNFGTooLarge(t *testing.T) {
	k := MaxNFGPlayers + 1
	D := make([][]int64, k)
	for i := range D {
		D[i] = make([]int64, k)
	}
	g, err := New(nil, D, make([]int64, k))
	require.NoError(t, err)
	var buf bytes.Buffer
	err = WriteNFG(&buf, g, "", "")
	require.ErrorContains(t, err, "17 players: the strategic form lists all 2^17 profiles; at most 16 players")
	assert.Zero(t, buf.Len())
}
