package results

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nashbench/nashbench/record"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCells(t *testing.T) {
	row := func(inst, solver string, n int, status record.Status, answer record.Answer, secs float64) record.Row {
		check := map[string]record.Check{"a": "witness", "b": "proof", "e": "exhaustive"}[inst]
		return record.Row{N: n, Record: record.Record{Instance: inst, Solver: solver, Status: status, Answer: answer, Seconds: secs, Timeout: 10, Check: check}}
	}
	rows := []record.Row{
		// x at n=5: 3 solved (1, 2, 3 s), 1 timeout: median (2+3)/2,
		// PAR-2 (1+2+3+20)/4, quartiles (type 7) 1.75 and, since the
		// third quartile lies between 3 s and the timeout, above the limit.
		row("a", "x", 5, record.Solved, "sat", 1),
		row("b", "x", 5, record.Solved, "unsat", 2),
		row("c", "x", 5, record.Solved, "sat", 3),
		row("d", "x", 5, record.Timeout, "unknown", 10.2),
		// x at n=7: 1 solved, 1 memout, 1 refused: the median is unsolved.
		row("e", "x", 7, record.Solved, "sat", 4),
		row("f", "x", 7, record.Memout, "unknown", 1),
		row("g", "x", 7, record.Refused, "unknown", 0),
		// y disagrees on a; has an old row without status (an error).
		row("a", "y", 5, record.Solved, "unsat", 0.5),
		{N: 5, Record: record.Record{Instance: "b", Solver: "y", Answer: "unknown", Error: "boom", Timeout: 10}},
	}
	cells := Cells(rows)
	require.Len(t, cells, 3)
	x5, x7, y5 := cells[0], cells[1], cells[2]
	assert.Equal(t, Cell{Solver: "x", N: 5, Jobs: 4, Solved: 3, Timeouts: 1, Agree: 3, Checked: Checks{Witness: 1, Proof: 1, None: 1}, Limit: 10, Median: 2.5, Q1: 1.75, Q3: Float(math.Inf(1)), Max: 3, PAR2: 26.0 / 4}, x5)
	assert.Equal(t, 1, x7.Checked.Exhaustive)
	assert.Equal(t, 1, x7.Memouts)
	assert.Equal(t, 1, x7.Refused)
	assert.True(t, math.IsInf(float64(x7.Median), 1))
	assert.InDelta(t, (4+20+20)/3.0, float64(x7.PAR2), 1e-9)
	assert.Equal(t, 1, y5.Errors)

	// An answer that failed verification neither agrees nor decides.
	no := false
	bad := []record.Row{
		{N: 5, Record: record.Record{Instance: "h", Solver: "x", Status: record.Solved, Answer: "sat", Verified: &no, Error: "verification failed: x"}},
		{N: 5, Record: record.Record{Instance: "h", Solver: "y", Status: record.Refused, Answer: "unknown"}},
	}
	assert.Equal(t, 0, Cells(bad)[0].Agree)
	assert.Equal(t, 0, PhaseTransition(bad)[0].Decided)
	assert.Equal(t, 0, y5.Agree, "a's consensus is the reference or the first decided answer, sat")

	// Without a time limit, PAR-2 of unsolved jobs is undefined.
	rows[3].Timeout = 0
	for i := range rows {
		rows[i].Timeout = 0
	}
	assert.True(t, math.IsNaN(float64(Cells(rows)[0].PAR2)))
}

func TestCellsByRatio(t *testing.T) {
	row := func(ratio float64, secs float64) record.Row {
		return record.Row{N: 10, Ratio: ratio, Record: record.Record{Instance: fmt.Sprint(ratio, secs), Solver: "x", Status: record.Solved, Answer: "sat", Seconds: secs}}
	}
	cells := CellsByRatio([]record.Row{row(5, 1), row(4.26, 8), row(4.26, 10), row(3, 2)})
	require.Len(t, cells, 3)
	assert.Equal(t, []float64{3, 4.26, 5}, []float64{cells[0].Ratio, cells[1].Ratio, cells[2].Ratio})
	assert.Equal(t, Float(9.0), cells[1].Median)
	assert.Equal(t, 2, cells[1].Jobs)
	assert.Len(t, Cells([]record.Row{row(5, 1), row(4.26, 8)}), 1, "Cells pools the ratios")
}

func TestGrowthRates(t *testing.T) {
	// x doubles per variable with noise of ±10%: base 2. y solves only
	// two sizes in time: no fit. z solves n = 10, 12, 14 and times out
	// at 16: the fit stops at 14.
	rng := rand.New(rand.NewPCG(3, 4))
	var rows []record.Row
	add := func(solver string, n int, status record.Status, secs float64) {
		rows = append(rows, record.Row{N: n, Record: record.Record{Instance: fmt.Sprint(solver, n, len(rows)), Solver: solver, Status: status, Answer: "sat", Seconds: secs, Timeout: 100}})
	}
	for n := 10; n <= 16; n += 2 {
		for range 15 {
			add("x", n, record.Solved, math.Exp2(float64(n-10))*(0.9+0.2*rng.Float64()))
			if n <= 12 {
				add("y", n, record.Solved, 1)
			} else {
				add("y", n, record.Timeout, 100)
			}
			if n <= 14 {
				add("z", n, record.Solved, math.Pow(1.5, float64(n)))
			} else {
				add("z", n, record.Timeout, 100)
			}
		}
	}
	g := GrowthRates(rows)
	require.Len(t, g, 2)
	x, z := g[0], g[1]
	assert.Equal(t, "x", x.Solver)
	assert.InDelta(t, 2, float64(x.Base), 0.05)
	assert.Less(t, x.Low, x.Base)
	assert.Greater(t, x.High, x.Base)
	assert.Less(t, float64(x.High-x.Low), 0.2, "15 jobs per size pin the base down")
	assert.Equal(t, []int{10, 16}, []int{x.NMin, x.NMax})
	assert.Equal(t, "z", z.Solver)
	assert.InDelta(t, 1.5, float64(z.Base), 1e-9)
	assert.Equal(t, []int{10, 14}, []int{z.NMin, z.NMax})
}

func TestPhaseTransitionAndCrossover(t *testing.T) {
	// n = 20: 10 instances per ratio, satisfiable 10, 8, 3, 0 of them at
	// ratios 3, 4, 5, 6: the fraction falls through 1/2 between 4 (0.8)
	// and 5 (0.3), at 4 + 0.3/0.5 = 4.6. n = 30 never falls below 1/2.
	var rows []record.Row
	add := func(n int, ratio float64, sat, of int) {
		for i := range of {
			ans := record.UNSAT
			if i < sat {
				ans = record.SAT
			}
			rows = append(rows, record.Row{N: n, Ratio: ratio, Record: record.Record{Instance: fmt.Sprint(n, ratio, i), Solver: record.Reference, Status: record.Solved, Answer: ans}})
		}
	}
	add(20, 3, 10, 10)
	add(20, 4, 8, 10)
	add(20, 5, 3, 10)
	add(20, 6, 0, 10)
	add(30, 3, 10, 10)
	add(30, 4, 6, 10)
	pts := PhaseTransition(rows)
	require.Len(t, pts, 6)
	assert.Equal(t, 8, pts[1].Sat)
	// Wilson interval of 8/10.
	assert.InDelta(t, 0.4902, pts[1].Low, 1e-4)
	assert.InDelta(t, 0.9433, pts[1].High, 1e-4)
	assert.Equal(t, 0.0, pts[0].High-1, "10/10 reaches 1")

	cs := Crossovers(pts)
	require.Len(t, cs, 1)
	c := cs[0]
	assert.Equal(t, 20, c.N)
	assert.InDelta(t, 4.6, c.Ratio, 1e-12)
	assert.Less(t, c.Low, c.Ratio)
	assert.Greater(t, c.High, c.Ratio)
	assert.GreaterOrEqual(t, c.Low, 3.0)
	assert.LessOrEqual(t, c.High, 6.0)
}
