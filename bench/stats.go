package bench

import (
	"github.com/nashbench/nashbench/verify"
	"math"
	"sort"

	"github.com/nashbench/nashbench/internal/stats"
)

// Cell holds the statistics of one solver at one size (and, from
// CellsByRatio, one ratio), over a sweep's rows. Unsolved jobs (timeouts,
// memouts, refusals, errors) count as unsolved, never as missing: in the
// quartiles as +Inf (a median above the limit is reported as such, not
// dropped), in PAR2 at twice the time limit.
type Cell struct {
	Solver string
	N      int
	Ratio  float64 // 0 in Cells, which pools every ratio
	Jobs   int
	// Jobs by status.
	Solved, Timeouts, Memouts, Refused, Errors int
	// Agree counts the solved jobs whose answer passed verification and is
	// the instance's consensus.
	Agree int
	// The solved jobs by how their answer was checked (Record.Check):
	// witness, exhaustive search, proof, or none.
	ByWitness, ByExhaustive, ByProof, Unchecked int
	// Limit is the largest time limit of the jobs, in seconds; 0 for none.
	Limit float64
	// Median, Q1 and Q3 are the median and quartiles of the time in
	// seconds with unsolved jobs at +Inf (R's type 7 quantiles); Max is the
	// longest solved job's time (0 when none was solved).
	Median, Q1, Q3, Max float64
	// PAR2 is the mean time with each unsolved job at twice Limit (the SAT
	// competition's penalized average runtime); NaN when some job is
	// unsolved and there was no limit.
	PAR2 float64
}

// Solved reports whether the job ended with a decided answer (status
// solved, or for rows written before records had a status, a decided
// answer without an error).
func (r *Record) Solved() bool { return statusOf(r) == StatusSolved }

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
func Cells(rows []Row) []Cell { return cells(rows, false) }

// CellsByRatio computes the statistics per solver, size and ratio, sorted
// by solver, size and ratio: the hardness of each point of a sweep.
func CellsByRatio(rows []Row) []Cell { return cells(rows, true) }

func cells(rows []Row, byRatio bool) []Cell {
	type key struct {
		solver string
		n      int
		ratio  float64
	}
	_, byInst := byInstance(rows)
	cells := map[key]*Cell{}
	times := map[key][]float64{}
	for i := range rows {
		r := &rows[i]
		k := key{r.Solver, r.N, 0}
		if byRatio {
			k.ratio = r.Ratio
		}
		c := cells[k]
		if c == nil {
			c = &Cell{Solver: r.Solver, N: r.N, Ratio: k.ratio}
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
			switch r.Check {
			case verify.CheckWitness:
				c.ByWitness++
			case verify.CheckExhaustive:
				c.ByExhaustive++
			case verify.CheckProof:
				c.ByProof++
			default:
				c.Unchecked++
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
		c.Median = stats.Quantile(ts, 0.5)
		c.Q1, c.Q3 = stats.Quantile(ts, 0.25), stats.Quantile(ts, 0.75)
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
		if out[i].N != out[j].N {
			return out[i].N < out[j].N
		}
		return out[i].Ratio < out[j].Ratio
	})
	return out
}
