package results

import (
	"math"
	"math/rand/v2"
	"sort"

	"github.com/nashbench/nashbench/internal/stats"
	"github.com/nashbench/nashbench/record"
)

// Point is one (n, ratio) point of the phase-transition view.
type Point struct {
	N         int     `json:"n"`
	Ratio     float64 `json:"ratio"`
	Instances int     `json:"instances"`
	Decided   int     `json:"decided"`
	Sat       int     `json:"sat"`
	// Fraction is Sat/Decided, NaN when none was decided; Low and High
	// bound it by its 95% Wilson interval.
	Fraction Float   `json:"fraction"`
	Low      float64 `json:"low"`
	High     float64 `json:"high"`
}

// PhaseTransition counts, per size and ratio, the instances whose consensus
// answer is sat.
func PhaseTransition(rows []record.Row) []Point {
	order, byInst := byInstance(rows)
	type key struct {
		n     int
		ratio float64
	}
	pts := map[key]*Point{}
	for _, inst := range order {
		rs := byInst[inst]
		k := key{rs[0].N, rs[0].Ratio}
		p := pts[k]
		if p == nil {
			p = &Point{N: k.n, Ratio: k.ratio}
			pts[k] = p
		}
		p.Instances++
		switch a := consensus(rs); {
		case a.Positive():
			p.Decided++
			p.Sat++
		case a.Negative():
			p.Decided++
		}
	}
	out := make([]Point, 0, len(pts))
	for _, p := range pts {
		p.Low, p.High = stats.Wilson(p.Sat, p.Decided)
		p.Fraction = Float(math.NaN())
		if p.Decided > 0 {
			p.Fraction = Float(float64(p.Sat) / float64(p.Decided))
		}
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N < out[j].N
		}
		return out[i].Ratio < out[j].Ratio
	})
	return out
}

// Crossover is the ratio at which half of the instances of size N are
// satisfiable, with its 95% percentile-bootstrap interval [Low, High]
// (decided instances resampled within each ratio; NaN when too few
// resamples cross 50%).
type Crossover struct {
	N     int     `json:"n"`
	Ratio float64 `json:"ratio"`
	Low   Float   `json:"low"`
	High  Float   `json:"high"`
}

// Crossovers estimates, for each size whose fraction satisfiable falls from
// at least 1/2 to below 1/2 between two of its ratios, the crossover by
// linear interpolation between the last ratio at or above 1/2 and the first
// one after it below 1/2. Sizes whose ratios do not bracket 1/2 get none.
func Crossovers(points []Point) []Crossover {
	byN := map[int][]Point{}
	var ns []int
	for _, p := range points {
		if p.Decided == 0 {
			continue
		}
		if byN[p.N] == nil {
			ns = append(ns, p.N)
		}
		byN[p.N] = append(byN[p.N], p)
	}
	sort.Ints(ns)
	var out []Crossover
	for _, n := range ns {
		pts := byN[n]
		sort.Slice(pts, func(i, j int) bool { return pts[i].Ratio < pts[j].Ratio })
		frac := make([]float64, len(pts))
		for i, p := range pts {
			frac[i] = float64(p.Sat) / float64(p.Decided)
		}
		r, ok := crossing(pts, frac)
		if !ok {
			continue
		}
		lo, hi, _ := stats.Bootstrap(bootstrapReps, uint64(n), func(rng *rand.Rand) (float64, bool) {
			f := make([]float64, len(pts))
			for i, p := range pts {
				sat := 0
				for range p.Decided { // resample the decided instances
					if rng.IntN(p.Decided) < p.Sat {
						sat++
					}
				}
				f[i] = float64(sat) / float64(p.Decided)
			}
			return crossing(pts, f)
		})
		out = append(out, Crossover{N: n, Ratio: r, Low: Float(lo), High: Float(hi)})
	}
	return out
}

// crossing interpolates where frac, over pts sorted by ratio, falls through
// 1/2: between the last point at or above 1/2 that is followed by one
// below it. Taking the last such fall makes a noisy plateau above 1/2 at
// low ratios harmless.
func crossing(pts []Point, frac []float64) (float64, bool) {
	for i := len(pts) - 2; i >= 0; i-- {
		a, b := frac[i], frac[i+1]
		if a >= 0.5 && b < 0.5 {
			x0, x1 := pts[i].Ratio, pts[i+1].Ratio
			return x0 + (a-0.5)/(a-b)*(x1-x0), true
		}
	}
	return math.NaN(), false
}
