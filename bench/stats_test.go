package bench

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCells(t *testing.T) {
	row := func(inst, solver string, n int, status, answer string, secs float64) Row {
		return Row{N: n, Record: Record{Instance: inst, Solver: solver, Status: status, Answer: answer, Seconds: secs, Timeout: 10}}
	}
	rows := []Row{
		// x at n=5: 3 solved (1, 2, 3 s), 1 timeout: median (2+3)/2,
		// PAR-2 (1+2+3+20)/4.
		row("a", "x", 5, StatusSolved, "sat", 1),
		row("b", "x", 5, StatusSolved, "unsat", 2),
		row("c", "x", 5, StatusSolved, "sat", 3),
		row("d", "x", 5, StatusTimeout, "unknown", 10.2),
		// x at n=7: 1 solved, 1 memout, 1 refused: the median is unsolved.
		row("e", "x", 7, StatusSolved, "sat", 4),
		row("f", "x", 7, StatusMemout, "unknown", 1),
		row("g", "x", 7, StatusRefused, "unknown", 0),
		// y disagrees on a; has an old row without status (an error).
		row("a", "y", 5, StatusSolved, "unsat", 0.5),
		{N: 5, Record: Record{Instance: "b", Solver: "y", Answer: "unknown", Error: "boom", Timeout: 10}},
	}
	cells := Cells(rows)
	require.Len(t, cells, 3)
	x5, x7, y5 := cells[0], cells[1], cells[2]
	assert.Equal(t, Cell{Solver: "x", N: 5, Jobs: 4, Solved: 3, Timeouts: 1, Agree: 3, Limit: 10, Median: 2.5, Max: 3, PAR2: 26.0 / 4}, x5)
	assert.Equal(t, 1, x7.Memouts)
	assert.Equal(t, 1, x7.Refused)
	assert.True(t, math.IsInf(x7.Median, 1))
	assert.InDelta(t, (4+20+20)/3.0, x7.PAR2, 1e-9)
	assert.Equal(t, 1, y5.Errors)

	// An answer that failed verification neither agrees nor decides.
	no := false
	bad := []Row{
		{N: 5, Record: Record{Instance: "h", Solver: "x", Status: StatusSolved, Answer: "sat", Verified: &no, Error: "verification failed: x"}},
		{N: 5, Record: Record{Instance: "h", Solver: "y", Status: StatusRefused, Answer: "unknown"}},
	}
	assert.Equal(t, 0, Cells(bad)[0].Agree)
	assert.Equal(t, 0, PhaseTransition(bad)[0].Decided)
	assert.Equal(t, 0, y5.Agree, "a's consensus is the reference or the first decided answer, sat")

	// Without a time limit, PAR-2 of unsolved jobs is undefined.
	rows[3].Timeout = 0
	for i := range rows {
		rows[i].Timeout = 0
	}
	assert.True(t, math.IsNaN(Cells(rows)[0].PAR2))
}
