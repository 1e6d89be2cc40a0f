package results

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/nashbench/nashbench/internal/stats"
	"github.com/nashbench/nashbench/record"
)

// Growth is the empirical growth of a solver's time with the number of
// variables: time ~ b^n, fitted over the sizes it mostly solves.
type Growth struct {
	Solver string `json:"solver"`
	// Base is b; Low and High bound its 95% percentile-bootstrap interval
	// (jobs resampled within each size), NaN when the bootstrap failed.
	Base Float `json:"base"`
	Low  Float `json:"low"`
	High Float `json:"high"`
	// NMin and NMax are the smallest and largest sizes of the fit.
	NMin int `json:"n_min"`
	NMax int `json:"n_max"`
}

// bootstrapReps is the number of resamples behind every interval: enough
// for stable 2.5% and 97.5% percentiles, cheap on a sweep's rows.
const bootstrapReps = 1000

// GrowthRates fits, per solver, log2 of the median time against n over the
// sizes at which it solved more than half of its jobs (unsolved jobs at
// +Inf, so the median there is a real time), and returns b = 2^slope. A
// solver with fewer than three such sizes gets no fit: two points always
// lie on a line.
func GrowthRates(rows []record.Row) []Growth {
	bySolver := map[string]map[int][]float64{}
	for i := range rows {
		r := &rows[i]
		t := math.Inf(1)
		if r.Outcome() == record.Solved {
			t = math.Max(r.Seconds, 1e-9) // log of zero
		}
		if bySolver[r.Solver] == nil {
			bySolver[r.Solver] = map[int][]float64{}
		}
		bySolver[r.Solver][r.N] = append(bySolver[r.Solver][r.N], t)
	}
	var out []Growth
	for _, solver := range sortedKeys(bySolver) {
		var ns []int
		for n, ts := range bySolver[solver] {
			solved := 0
			for _, t := range ts {
				if !math.IsInf(t, 1) {
					solved++
				}
			}
			if 2*solved > len(ts) {
				ns = append(ns, n)
			}
		}
		if len(ns) < 3 {
			continue
		}
		sort.Ints(ns)
		samples := make([][]float64, len(ns))
		for i, n := range ns {
			samples[i] = bySolver[solver][n]
		}
		fit := func(resample func([]float64) []float64) (float64, bool) {
			x := make([]float64, 0, len(ns))
			y := make([]float64, 0, len(ns))
			for i, n := range ns {
				ts := resample(samples[i])
				slices.Sort(ts)
				m := stats.Quantile(ts, 0.5)
				if math.IsInf(m, 1) {
					continue // this resample drew mostly unsolved jobs
				}
				x = append(x, float64(n))
				y = append(y, math.Log2(m))
			}
			_, b, ok := stats.Line(x, y)
			return math.Exp2(b), ok && len(x) >= 3
		}
		base, ok := fit(slices.Clone)
		if !ok {
			continue
		}
		lo, hi, _ := stats.Bootstrap(bootstrapReps, 1, func(rng *rand.Rand) (float64, bool) {
			return fit(func(ts []float64) []float64 {
				r := make([]float64, len(ts))
				for i := range r {
					r[i] = ts[rng.IntN(len(ts))]
				}
				return r
			})
		})
		out = append(out, Growth{Solver: solver, Base: Float(base), Low: Float(lo), High: Float(hi), NMin: ns[0], NMax: ns[len(ns)-1]})
	}
	return out
}
