package results

import (
	"bytes"
	"math"
	"testing"

	"github.com/nashbench/nashbench/record"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func diffRow(path, hash, solver string, st record.Status, ans record.Answer, secs float64) record.Row {
	return record.Row{Record: record.Record{Instance: path, InputSHA256: hash, Solver: solver, Status: st, Answer: ans, Seconds: secs}}
}

func TestDiffRuns(t *testing.T) {
	a := []record.Row{
		diffRow("a/x.cnf", "h1", "s", record.Solved, record.SAT, 1),
		diffRow("a/y.cnf", "h2", "s", record.Solved, record.UNSAT, 2),
		diffRow("a/z.cnf", "h3", "s", record.Timeout, record.Unknown, 10),
		diffRow("a/w.cnf", "h4", "s", record.Solved, record.SAT, 4),
		diffRow("a/only.cnf", "h5", "s", record.Solved, record.SAT, 1),
	}
	// The same inputs under other paths (a copy of the corpus): matched
	// by content.
	b := []record.Row{
		diffRow("b/x.cnf", "h1", "s", record.Solved, record.SAT, 0.5),
		diffRow("b/y.cnf", "h2", "s", record.Timeout, record.Unknown, 10),
		diffRow("b/z.cnf", "h3", "s", record.Solved, record.SAT, 3),
		diffRow("b/w.cnf", "h4", "s", record.Solved, record.UNSAT, 4),
		diffRow("b/new.cnf", "h6", "s", record.Solved, record.SAT, 1),
	}
	tests := []struct {
		name                         string
		s                            DiffSettings
		matched, onlyA, onlyB, skip  int
		regressions, answers, change int
	}{
		{"all", DiffSettings{}, 4, 1, 1, 0, 1, 1, 3},
		{"skip timed out", DiffSettings{SkipTimedOut: true}, 3, 1, 1, 1, 1, 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := DiffRuns(a, b, tt.s)
			assert.Equal(t, []int{tt.matched, tt.onlyA, tt.onlyB, tt.skip}, []int{d.Matched, d.OnlyA, d.OnlyB, d.Skipped})
			st, ans := d.Regressions()
			assert.Equal(t, tt.regressions, st, "solved -> timeout")
			assert.Equal(t, tt.answers, ans, "sat -> unsat")
			assert.Len(t, d.Changes, tt.change)
			require.Len(t, d.Speedups, 1)
			// x: 1/0.5 = 2, w: 4/4 = 1: geometric mean sqrt 2.
			assert.InDelta(t, math.Sqrt2, float64(d.Speedups[0].GeoMean), 1e-9)
			assert.Equal(t, 2, d.Speedups[0].Instances)
			var buf bytes.Buffer
			require.NoError(t, WriteDiff(&buf, d, "A", "B"))
			assert.Contains(t, buf.String(), "REGRESSION s b/y.cnf: solved unsat -> timeout unknown")
			assert.Contains(t, buf.String(), "ANSWER CHANGED s b/w.cnf: solved sat -> solved unsat")
		})
	}
	// Identical runs: nothing changed, a speedup of 1.
	d := DiffRuns(a, a, DiffSettings{})
	st, ans := d.Regressions()
	assert.Zero(t, st+ans)
	assert.Empty(t, d.Changes)
	assert.InDelta(t, 1, float64(d.Speedups[0].GeoMean), 1e-12)
	assert.True(t, math.IsNaN(float64(d.Speedups[0].Low)), "4 instances: too few for an interval")
}
