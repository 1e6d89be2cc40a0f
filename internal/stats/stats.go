// Package stats holds the small estimators the experiment summaries use:
// quantiles that tolerate +Inf (unsolved runs), Wilson intervals for
// proportions, least-squares lines and percentile bootstrap intervals.
package stats

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Quantile returns the q-quantile (0 <= q <= 1) of sorted xs by linear
// interpolation between order statistics (R's type 7, the default of R and
// NumPy). +Inf values are allowed and sort last: a quantile that falls on
// or between them is +Inf, so a median of runs that mostly timed out is
// above any limit rather than a median of the few that finished. NaN for
// no values.
func Quantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := q * float64(n-1)
	lo := int(math.Floor(h))
	hi := min(lo+1, n-1)
	a, b := sorted[lo], sorted[hi]
	if math.IsInf(b, 1) {
		if h == float64(lo) {
			return a
		}
		return math.Inf(1)
	}
	return a + (h-float64(lo))*(b-a)
}

// z95 is the standard normal quantile for a two-sided 95% interval.
const z95 = 1.959963984540054

// Wilson returns the 95% Wilson score interval of a proportion with k
// successes in n trials; (0, 1) when n is 0. Unlike the normal
// approximation it stays inside [0, 1] and is honest at k = 0 or n, which
// is where phase-transition fractions sit far from the threshold.
func Wilson(k, n int) (lo, hi float64) {
	if n == 0 {
		return 0, 1
	}
	p := float64(k) / float64(n)
	nn := float64(n)
	z2 := z95 * z95
	centre := (p + z2/(2*nn)) / (1 + z2/nn)
	half := z95 / (1 + z2/nn) * math.Sqrt(p*(1-p)/nn+z2/(4*nn*nn))
	return max(0, centre-half), min(1, centre+half)
}

// Line fits y = a + b x by least squares; ok is false with fewer than two
// distinct x.
func Line(x, y []float64) (a, b float64, ok bool) {
	n := float64(len(x))
	if len(x) < 2 {
		return 0, 0, false
	}
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxx, sxy float64
	for i := range x {
		sxx += (x[i] - mx) * (x[i] - mx)
		sxy += (x[i] - mx) * (y[i] - my)
	}
	if sxx == 0 {
		return 0, 0, false
	}
	b = sxy / sxx
	return my - b*mx, b, true
}

// Bootstrap returns the 2.5% and 97.5% percentiles of stat over reps
// resamples drawn by resample (which gets a generator seeded from seed, so
// the interval is the same on every run). Resamples for which stat reports
// !ok are dropped; ok is false when fewer than half of them remain, so an
// interval never rests on a few lucky resamples.
func Bootstrap(reps int, seed uint64, stat func(rng *rand.Rand) (float64, bool)) (lo, hi float64, ok bool) {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	vals := make([]float64, 0, reps)
	for range reps {
		if v, ok := stat(rng); ok && !math.IsNaN(v) {
			vals = append(vals, v)
		}
	}
	if len(vals) < max(reps/2, 1) {
		return math.NaN(), math.NaN(), false
	}
	slices.Sort(vals)
	return Quantile(vals, 0.025), Quantile(vals, 0.975), true
}
