package results

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"gonum.org/v1/plot/vg"
)

// Tick labels closer than their widths are thinned: 4 and 4.26 would read
// "44.26"; the last value keeps its label.
func TestLabelTicksNoCollision(t *testing.T) {
	labels := func(vs []float64, lo, hi float64) []string {
		var out []string
		for _, tk := range labelTicks(vs, lo, hi, tickStyle.Width, plotW-2*vg.Centimeter) {
			out = append(out, tk.Label)
		}
		return out
	}
	assert.Equal(t, []string{"2", "3", "4", "", "5", "6", "8", "10"}, labels([]float64{2, 3, 4, 4.26, 5, 6, 8, 10}, 2, 10))
	assert.Equal(t, []string{"3", "4.26", "6"}, labels([]float64{3, 4.26, 6}, 3, 6), "far apart: all labelled")
	got := labels([]float64{2, 9.9, 10}, 2, 10)
	assert.Equal(t, []string{"2", "", "10"}, got, "the last value keeps its label")

	// No two kept labels overlap, whatever the values.
	vs := []float64{1, 1.5, 2, 2.2, 2.4, 3, 3.1, 7, 7.05, 9.99, 10}
	ticks := labelTicks(vs, 1, 10, tickStyle.Width, plotW-2*vg.Centimeter)
	axis := float64(plotW - 2*vg.Centimeter)
	lastRight := -1e9
	for _, tk := range ticks {
		if tk.Label == "" {
			continue
		}
		center := (tk.Value - 1) / 9 * axis
		w := float64(tickStyle.Width(tk.Label))
		assert.Greater(t, center-w/2, lastRight, "label %s overlaps the one before", tk.Label)
		lastRight = center + w/2
	}
}
