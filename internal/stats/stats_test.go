package stats

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuantile(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		xs   []float64
		q    float64
		want float64
	}{
		{[]float64{1, 2, 3, 4}, 0.5, 2.5},
		{[]float64{1, 2, 3, 4}, 0.25, 1.75}, // R: quantile(1:4, .25) = 1.75
		{[]float64{1, 2, 3, 4}, 0.75, 3.25},
		{[]float64{5}, 0.9, 5},
		{[]float64{1, 2, inf}, 0.5, 2},        // exactly on a finite value
		{[]float64{1, 2, inf, inf}, 0.5, inf}, // between 2 and +Inf
		{[]float64{1, inf, inf}, 0.25, inf},
		{[]float64{1, 2, 3, inf}, 0.25, 1.75},
		{nil, 0.5, math.NaN()},
	}
	for _, tt := range tests {
		got := Quantile(tt.xs, tt.q)
		if math.IsNaN(tt.want) {
			assert.True(t, math.IsNaN(got), "%v q=%v", tt.xs, tt.q)
			continue
		}
		assert.InDelta(t, tt.want, got, 1e-12, "%v q=%v", tt.xs, tt.q)
	}
}

func TestWilson(t *testing.T) {
	// Reference values from the closed form (also statsmodels'
	// proportion_confint(method="wilson")).
	tests := []struct {
		k, n   int
		lo, hi float64
	}{
		{0, 10, 0, 0.2775},
		{10, 10, 0.7225, 1},
		{5, 10, 0.2366, 0.7634},
		{1, 20, 0.0089, 0.2361},
		{0, 0, 0, 1},
	}
	for _, tt := range tests {
		lo, hi := Wilson(tt.k, tt.n)
		assert.InDelta(t, tt.lo, lo, 1e-4, "%d/%d", tt.k, tt.n)
		assert.InDelta(t, tt.hi, hi, 1e-4, "%d/%d", tt.k, tt.n)
	}
}

func TestLine(t *testing.T) {
	a, b, ok := Line([]float64{1, 2, 3}, []float64{3, 5, 7})
	require.True(t, ok)
	assert.InDelta(t, 1, a, 1e-12)
	assert.InDelta(t, 2, b, 1e-12)
	_, _, ok = Line([]float64{2, 2}, []float64{1, 3})
	assert.False(t, ok)
	_, _, ok = Line([]float64{2}, []float64{1})
	assert.False(t, ok)
}

func TestBootstrapCoversMean(t *testing.T) {
	// The 95% interval of the mean of 200 draws from N(10, 1) holds 10 and
	// is about 2 * 1.96 / sqrt(200) wide.
	rng := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, 200)
	for i := range xs {
		xs[i] = 10 + rng.NormFloat64()
	}
	mean := func(r *rand.Rand) (float64, bool) {
		s := 0.0
		for range xs {
			s += xs[r.IntN(len(xs))]
		}
		return s / float64(len(xs)), true
	}
	lo, hi, ok := Bootstrap(2000, 7, mean)
	require.True(t, ok)
	assert.Less(t, lo, 10.0)
	assert.Greater(t, hi, 10.0)
	assert.InDelta(t, 2*1.96/math.Sqrt(200), hi-lo, 0.06)
	lo2, hi2, _ := Bootstrap(2000, 7, mean)
	assert.Equal(t, []float64{lo, hi}, []float64{lo2, hi2}, "same seed, same interval")
	_, _, ok = Bootstrap(100, 7, func(*rand.Rand) (float64, bool) { return 0, false })
	assert.False(t, ok)
}
