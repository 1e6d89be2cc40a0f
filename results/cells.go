package results

import (
	"math"
	"sort"
	"strconv"

	"github.com/nashbench/nashbench/internal/stats"
	"github.com/nashbench/nashbench/record"
)

// Cell holds the statistics of one solver at one size (and, from
// CellsByRatio, one ratio), over a sweep's rows. Unsolved jobs (timeouts,
// memouts, refusals, errors) count as unsolved, never as missing: in the
// quartiles as +Inf (a median above the limit is reported as such, not
// dropped), in PAR2 at twice the time limit.
type Cell struct {
	Solver string  `json:"solver"`
	N      int     `json:"n"`
	Ratio  float64 `json:"ratio,omitempty"` // 0 in Cells, which pools every ratio
	Jobs   int     `json:"jobs"`
	// Jobs by status.
	Solved   int `json:"solved"`
	Timeouts int `json:"timeouts"`
	Memouts  int `json:"memouts"`
	Refused  int `json:"refused"`
	Errors   int `json:"errors"`
	// Agree counts the solved jobs whose answer passed verification and is
	// the instance's consensus.
	Agree int `json:"agree"`
	// Checked counts the solved jobs by how their answer was checked
	// (Record.Check).
	Checked Checks `json:"checked"`
	// Limit is the largest time limit of the jobs, in seconds; 0 for none.
	Limit float64 `json:"limit"`
	// Median, Q1 and Q3 are the median and quartiles of the time in
	// seconds with unsolved jobs at +Inf (R's type 7 quantiles); Max is the
	// longest solved job's time (NaN when none was solved).
	Median Float `json:"median"`
	Q1     Float `json:"q1"`
	Q3     Float `json:"q3"`
	Max    Float `json:"max"`
	// PAR2 is the mean time with each unsolved job at twice Limit (the SAT
	// competition's penalized average runtime); NaN when some job is
	// unsolved and there was no limit.
	PAR2 Float `json:"par2"`
}

// Checks counts answers by their record.Check. The fields are in the
// order of their JSON names.
type Checks struct {
	Exhaustive int `json:"exhaustive"`
	None       int `json:"none"`
	Proof      int `json:"proof"`
	Witness    int `json:"witness"`
}

// Float is a number that JSON writes as null when it is NaN or infinite,
// which JSON cannot hold: a median of mostly unsolved jobs is above the
// time limit and reads null.
type Float float64

// MarshalJSON writes x, or null.
func (x Float) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// Cells computes the statistics per solver and size, sorted by solver and
// then size.
func Cells(rows []record.Row) []Cell { return cells(rows, false) }

// CellsByRatio computes the statistics per solver, size and ratio, sorted
// by solver, size and ratio: the hardness of each point of a sweep.
func CellsByRatio(rows []record.Row) []Cell { return cells(rows, true) }

func cells(rows []record.Row, byRatio bool) []Cell {
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
		switch r.Outcome() {
		case record.Solved:
			c.Solved++
			t = r.Seconds
			c.Max = Float(math.Max(float64(c.Max), t))
			if !r.Failed() && r.Answer == consensus(byInst[r.Instance]) {
				c.Agree++
			}
			switch r.Check {
			case record.CheckWitness:
				c.Checked.Witness++
			case record.CheckExhaustive:
				c.Checked.Exhaustive++
			case record.CheckProof:
				c.Checked.Proof++
			default:
				c.Checked.None++
			}
		case record.Timeout:
			c.Timeouts++
		case record.Memout:
			c.Memouts++
		case record.Refused:
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
		c.Median = Float(stats.Quantile(ts, 0.5))
		c.Q1, c.Q3 = Float(stats.Quantile(ts, 0.25)), Float(stats.Quantile(ts, 0.75))
		if c.Solved == 0 {
			c.Max = Float(math.NaN())
		}
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
		c.PAR2 = Float(sum / float64(len(ts)))
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
