package bench

import (
	"math"
	"sort"
)

// Cell holds the statistics of one solver at one size, over a sweep's rows.
// Unsolved jobs (timeouts, memouts, refusals, errors) count as unsolved,
// never as missing: in Median as +Inf, in PAR2 at twice the time limit.
type Cell struct {
	Solver string
	N      int
	Jobs   int
	// Jobs by status.
	Solved, Timeouts, Memouts, Refused, Errors int
	// Agree counts the solved jobs whose answer passed verification and is
	// the instance's consensus.
	Agree int
	// Limit is the largest time limit of the jobs, in seconds; 0 for none.
	Limit float64
	// Median is the median time in seconds with unsolved jobs at +Inf; Max
	// is the longest solved job's time (0 when none was solved).
	Median, Max float64
	// PAR2 is the mean time with each unsolved job at twice Limit (the SAT
	// competition's penalized average runtime); NaN when some job is
	// unsolved and there was no limit.
	PAR2 float64
}

// statusOf returns r's status, inferring it for rows written before
// records had one.
func statusOf(r *Record) string {
	switch {
	case r.Status != "":
		return r.Status
	case r.Error != "" && !r.Failed():
		return StatusError
	case decided(r.Answer):
		return StatusSolved
	}
	return StatusTimeout
}

// Cells computes the statistics per solver and size, sorted by solver and
// then size.
func Cells(rows []Row) []Cell {
	type key struct {
		solver string
		n      int
	}
	_, byInst := byInstance(rows)
	cells := map[key]*Cell{}
	times := map[key][]float64{}
	for i := range rows {
		r := &rows[i]
		k := key{r.Solver, r.N}
		c := cells[k]
		if c == nil {
			c = &Cell{Solver: r.Solver, N: r.N}
			cells[k] = c
		}
		c.Jobs++
		c.Limit = math.Max(c.Limit, r.Timeout)
		t := math.Inf(1)
		switch statusOf(&r.Record) {
		case StatusSolved:
			c.Solved++
			t = r.Seconds
			c.Max = math.Max(c.Max, t)
			if !r.Failed() && r.Answer == consensus(byInst[r.Instance]) {
				c.Agree++
			}
		case StatusTimeout:
			c.Timeouts++
		case StatusMemout:
			c.Memouts++
		case StatusRefused:
			c.Refused++
		default:
			c.Errors++
		}
		times[k] = append(times[k], t)
	}
	out := make([]Cell, 0, len(cells))
	for k, c := range cells {
		ts := times[k]
		sort.Float64s(ts)
		c.Median = median(ts)
		var sum float64
		for _, t := range ts {
			if math.IsInf(t, 1) {
				t = 2 * c.Limit
				if c.Limit == 0 {
					t = math.NaN()
				}
			}
			sum += t
		}
		c.PAR2 = sum / float64(len(ts))
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Solver != out[j].Solver {
			return out[i].Solver < out[j].Solver
		}
		return out[i].N < out[j].N
	})
	return out
}
