package results

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/record"
)

// gameRows are a game sweep's rows: N is the players, M and Ratio 0.
func gameRows() []record.Row {
	var rows []record.Row
	for _, k := range []int{4, 6, 8} {
		for i, ans := range []record.Answer{record.PNE, record.NoPNE} {
			for _, s := range []string{"enum", "gophersat-pb"} {
				rows = append(rows, record.Row{N: k, Family: "ring", Record: record.Record{
					Instance: "instances/ring-k" + string(rune('0'+k)) + "-s1-i00000" + string(rune('0'+i)) + ".json",
					Kind:     record.KindGame, Solver: s, Status: record.Solved, Answer: ans,
					Seconds: float64(k) * 0.001 * float64(1+i), Timeout: 30}})
			}
		}
	}
	return rows
}

func TestSummarizeGames(t *testing.T) {
	var sb strings.Builder
	require.NoError(t, Summarize(&sb, gameRows()))
	out := sb.String()
	assert.Contains(t, out, "players")
	assert.Contains(t, out, "growth: time ~ base^k (k players)")
	assert.Contains(t, out, "equilibria: fraction of games with a non-trivial pure equilibrium")
	for _, no := range []string{"phase transition", "ratio", "satisfiable", "crossover", "│ n "} {
		assert.NotContains(t, out, no)
	}
	assert.Empty(t, Unplotted(gameRows()))
	one := gameRows()[:4]
	assert.Equal(t, []string{"time-vs-n: not drawn: the games have one size (4 players); it needs two or more"}, Unplotted(one))

	// Formulas keep their words; rows of both kinds are formulas' tables.
	mixed := append(gameRows(), record.Row{N: 5, Ratio: 4, Record: record.Record{Instance: "f.cnf", Kind: record.KindCNF, Solver: "enum", Status: record.Solved, Answer: record.SAT, Seconds: 1}})
	sb.Reset()
	require.NoError(t, Summarize(&sb, mixed))
	assert.Contains(t, sb.String(), "phase transition: fraction satisfiable")
	assert.NotContains(t, sb.String(), "players")
	assert.False(t, allGames(nil))
}

func TestPlotGames(t *testing.T) {
	dir := t.TempDir()
	files, err := Plot(gameRows(), dir)
	require.NoError(t, err)
	assert.Contains(t, files, filepath.Join(dir, "time-vs-n.svg"))
	svg, err := os.ReadFile(filepath.Join(dir, "time-vs-n.svg"))
	require.NoError(t, err)
	assert.Contains(t, string(svg), "players (k)")
	assert.NotContains(t, string(svg), "variables (n)")
	for _, f := range files {
		assert.NotContains(t, f, "ratio", "no plot against the ratio for games")
	}
}
