package game_test

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	. "github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/testgen"
)

func TestJSONRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	for range 50 {
		g := testgen.Game(rng, 2+rng.IntN(6), 1000)
		if rng.IntN(2) == 0 {
			g.Names = make([]string, g.Players())
			for i := range g.Names {
				g.Names[i] = strings.Repeat("é\"", i)
			}
		}
		var buf bytes.Buffer
		require.NoError(t, WriteJSON(&buf, g, "a \"comment\""))
		h, err := ReadJSON(&buf, "rt.json")
		require.NoError(t, err, buf.String())
		assert.Equal(t, g.String(), h.String())
		assert.Equal(t, g.Names, h.Names)
	}
}

// The paper's notation (delta, Delta with Delta_ij = what j gains when i
// opens) and the matrix form D describe the same game.
func TestJSONPaperNotation(t *testing.T) {
	paper := `{
  "players": ["leader", "follower", "newcomer"],
  "delta": [1, 2, 3],
  "Delta": [[0, 10, 20], [30, 0, 40], [50, 60, 3]],
  "d": [7, 8, 9]
}`
	g, err := ReadJSON(strings.NewReader(paper), "p.json")
	require.NoError(t, err)
	D, _ := g.Matrix()
	assert.Equal(t, [][]int64{{1, 30, 50}, {10, 2, 60}, {20, 40, 3}}, D)
	assert.Equal(t, "newcomer", g.Name(2))
	// Player 0 opening adds Delta_01 = 10 to player 1.
	mu := g.Mu([]bool{true, false, false}, nil)
	assert.Equal(t, []int64{8, 18, 29}, mu)
}

func TestJSONErrors(t *testing.T) {
	tests := []struct {
		name, in, msg string
	}{
		{"empty", "  \n", "x.json:1: empty input"},
		{"syntax", "{\n\"d\": [1,\n}", "x.json:3: invalid JSON"},
		{"truncated", "{\n\"d\": [1,", "x.json:2: unexpected end"},
		{"not object", "[1]", "x.json:1: game: want \"{\""},
		{"unknown", "{\n\"dd\": [1]}", "x.json:2: unknown field \"dd\""},
		{"twice", "{\"d\": [1, 2],\n \"d\": [1, 2]}", "x.json:2: field \"d\" given twice"},
		{"float", "{\n\"d\": [1.5, 2], \"D\": [[0,0],[0,0]]}", "x.json:2: d[1]: 1.5 is not an integer"},
		{"string", "{\"d\": [1, \"2\"]}", "d[2]: want an integer, found string \"2\""},
		{"huge", "{\"d\": [1, 99999999999999999999]}", "d[2]: 99999999999999999999 is beyond ±2^61"},
		{"exponent", "{\"d\": [1e3, 2]}", "d[1]: 1e3 is not an integer (payoffs are exact integers, written in digits only"},
		{"beyond bound", "{\"d\": [1, 4611686018427387904]}", "beyond ±2^61"},
		{"no d", "{\"D\": [[0,0],[0,0]]}", "missing field \"d\""},
		{"no D", "{\"d\": [0, 0]}", "give \"D\", or \"delta\" and \"Delta\""},
		{"both", "{\"d\": [0, 0],\n\"D\": [[0,0],[0,0]], \"delta\": [0, 0]}", "x.json:2: give either"},
		{"rows", "{\"d\": [0, 0],\n\n\"D\": [[0,0]]}", "x.json:3: \"D\" has 1 row but \"d\" has 2 entries"},
		{"ragged", "{\"d\": [0, 0], \"D\": [[0,0],[0]]}", "\"D\" row 2 has 1 entry,"},
		{"Delta diag", "{\"d\": [0, 0], \"delta\": [1, 2], \"Delta\": [[0,5],[5,7]]}", "\"Delta\"[2][2] = 7: the diagonal"},
		{"delta len", "{\"d\": [0, 0], \"delta\": [1], \"Delta\": [[0,5],[5,0]]}", "\"delta\" has 1 entry but"},
		{"names", "{\"players\": [\"a\"], \"d\": [0, 0], \"D\": [[0,0],[0,0]]}", "\"players\" has 1 name but"},
		{"name type", "{\"players\": [1], \"d\": [0, 0]}", "players[1]: want a string"},
		{"one player", "{\"D\": [[0]],\n\"d\": [0]\n}\n", "x.json:2: need at least 2 players, have 1"},
		{"overflow", "{\"d\": [0, 0], \"D\": [[2305843009213693952, 2305843009213693952],[0,0]]}", "x.json:1: player 1's progress can leave ±2^61"},
		// The player is numbered from 1, as in P1, and placed on its row.
		{"overflow of the second", "{\"d\": [0, 0],\n\"D\": [[0, 0],\n[2305843009213693952, 2305843009213693952]]\n}\n", "x.json:3: player 2's progress can leave ±2^61"},
		{"overflow in Delta", "{\"d\": [0, 0], \"delta\": [0, 2305843009213693952],\n\"Delta\": [[0, 2305843009213693952], [0, 0]]\n}\n", "x.json:2: player 2's progress can leave ±2^61"},
		{"trailing", "{\"d\": [0, 0], \"D\": [[0,0],[0,0]]} {}", "trailing data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tt.in), "x.json")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}
