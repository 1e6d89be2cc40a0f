package export

import (
	"bytes"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
)

// Every formulation writes a file that names its input first, and says
// for a formula how the file answers the formula's question.
func TestFormulations(t *testing.T) {
	fs := Formulations()
	require.NotEmpty(t, fs)
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
		assert.NotEmpty(t, f.Summary, f.Name)
	}
	assert.True(t, slices.IsSorted(names), "sorted: %v", names)
	assert.Len(t, slices.Compact(slices.Clone(names)), len(names), "distinct: %v", names)

	p, err := solvers.FromFormula(&instances.CNF{Vars: 2, Clauses: [][]int{{1, 2}, {-1}}}, reduction.Corrected)
	require.NoError(t, err)

	g, err := game.New(nil, [][]int64{{1, 3}, {3, 1}}, []int64{5, 5})
	require.NoError(t, err)
	two := &solvers.Problem{Game: g}
	// The comment prefix of each format.
	prefix := map[string]string{"pb": "* ", "pb-pairwise": "* ", "cnf": "c ", "pb-pairwise-cnf": "c ", "nfg": ""}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			c, ok := prefix[name]
			if !ok {
				c = "\\ " // CPLEX LP
			}
			var buf bytes.Buffer
			require.NoError(t, Write(&buf, name, p, "f.cnf"))
			assert.Contains(t, buf.String(), c+"instance: f.cnf")
			assert.Contains(t, buf.String(), c+"the corrected Theorem 1 reduction of a formula with 2 variables and 2 clauses: players 1..2 are its variables")
			buf.Reset()
			require.NoError(t, Write(&buf, name, two, "g.json"))
			assert.Contains(t, buf.String(), c+"instance: g.json")
			assert.NotContains(t, buf.String(), "Theorem 1")
		})
	}
}

func TestWriteErrors(t *testing.T) {
	// A game too large for an NFG file, which lists every profile.
	D := make([][]int64, game.MaxNFGPlayers+1)
	for i := range D {
		D[i] = make([]int64, len(D))
	}
	g, err := game.New(nil, D, make([]int64, len(D)))
	require.NoError(t, err)
	in := &solvers.Problem{Game: g}
	tests := []struct {
		formulation, msg string
	}{
		{"mps", `unknown formulation "mps" (known: cnf, compact, nfg, paper, paper-printed, pb, pb-pairwise, pb-pairwise-cnf, pb-pairwise-lp, top2)`},
		{"", `unknown formulation ""`},
		{"nfg", "takes at most"},
	}
	for _, tt := range tests {
		t.Run(tt.formulation, func(t *testing.T) {
			var buf bytes.Buffer
			assert.ErrorContains(t, Write(&buf, tt.formulation, in, "big.json"), tt.msg)
		})
	}
}
