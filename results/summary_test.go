package results

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/bench"
)

func TestSummarize(t *testing.T) {
	row := func(inst, solver string, status, answer string, secs float64) bench.Row {
		return bench.Row{N: 5, Ratio: 4, Record: bench.Record{Instance: inst, Solver: solver, Status: status, Answer: answer, Seconds: secs, Timeout: 10}}
	}
	rows := []bench.Row{
		row("a", "x", bench.StatusSolved, "sat", 1),
		row("b", "x", bench.StatusTimeout, "unknown", 10.1),
		row("c", "x", bench.StatusRefused, "unknown", 0),
		row("a", "gophersat", bench.StatusSolved, "sat", 0.001),
		row("b", "gophersat", bench.StatusSolved, "unsat", 0.002),
	}
	var sb strings.Builder
	require.NoError(t, Summarize(&sb, rows))
	out := sb.String()
	for _, want := range []string{
		"PAR-2", "memouts", "refused",
		">10.00s", // x's median falls on an unsolved job
		"1/1",     // x: one solved, agreeing
		"2.0ms",   // gophersat's longest
		"satisfiable", "0.50",
	} {
		assert.Contains(t, out, want)
	}
}
