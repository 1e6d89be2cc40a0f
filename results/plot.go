package results

import (
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/nashbench/nashbench/bench"
)

// Plot draws a sweep's rows into dir, as SVG and PNG: the median time of
// each solver against n on a log scale (the complexity picture; unsolved
// jobs count at the time limit), and the
// fraction of satisfiable instances against the clause/variable ratio, one
// line per n. It returns the files written.
func Plot(rows []bench.Row, dir string) ([]string, error) {
	var files []string
	t, err := timePlot(rows)
	if err != nil {
		return nil, err
	}
	s, err := satPlot(rows)
	if err != nil {
		return nil, err
	}
	for name, p := range map[string]*plot.Plot{"time-vs-n": t, "sat-vs-ratio": s} {
		for _, ext := range []string{".svg", ".png"} {
			f := filepath.Join(dir, name+ext)
			if err := p.Save(16*vg.Centimeter, 11*vg.Centimeter, f); err != nil {
				return nil, err
			}
			files = append(files, f)
		}
	}
	sort.Strings(files)
	return files, nil
}

func timePlot(rows []bench.Row) (*plot.Plot, error) {
	// Unsolved jobs count as unsolved, not as missing: a median that falls
	// on one is drawn at the time limit, so that curves flatten there
	// instead of bending down where a solver fails.
	times := map[string]map[int]float64{} // solver, n -> median seconds
	for _, c := range bench.Cells(rows) {
		t := c.Median
		if math.IsInf(t, 1) {
			if c.Limit == 0 {
				continue
			}
			t = c.Limit
		}
		if times[c.Solver] == nil {
			times[c.Solver] = map[int]float64{}
		}
		// A log scale cannot show 0: clamp to a microsecond.
		times[c.Solver][c.N] = math.Max(t, 1e-6)
	}
	if len(times) == 0 {
		return nil, fmt.Errorf("no decided rows to plot")
	}
	p := plot.New()
	p.Title.Text = "Median time to decide (unsolved at the time limit)"
	p.X.Label.Text = "variables (n)"
	p.Y.Label.Text = "seconds"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = logTicks{}
	var args []any
	for _, s := range sortedKeys(times) {
		var xys plotter.XYs
		for _, n := range sortedKeys(times[s]) {
			xys = append(xys, plotter.XY{X: float64(n), Y: times[s][n]})
		}
		args = append(args, s, xys)
	}
	if err := plotutil.AddLinePoints(p, args...); err != nil {
		return nil, err
	}
	if p.Y.Min == p.Y.Max {
		// One value: gonum would widen the range by ±1, below zero, which a
		// log scale cannot show.
		p.Y.Min, p.Y.Max = p.Y.Min/2, p.Y.Max*2
	}
	p.Legend.Top, p.Legend.Left = true, true // the slow lines rise to the right
	return p, nil
}

func satPlot(rows []bench.Row) (*plot.Plot, error) {
	byN := map[int]plotter.XYs{}
	for _, pt := range bench.PhaseTransition(rows) {
		if pt.Decided > 0 {
			byN[pt.N] = append(byN[pt.N], plotter.XY{X: pt.Ratio, Y: float64(pt.Sat) / float64(pt.Decided)})
		}
	}
	p := plot.New()
	p.Title.Text = "Fraction satisfiable"
	p.X.Label.Text = "clauses / variables"
	p.Y.Label.Text = "fraction satisfiable"
	p.Y.Min, p.Y.Max = 0, 1
	var args []any
	for _, n := range sortedKeys(byN) {
		args = append(args, fmt.Sprintf("n=%d", n), byN[n])
	}
	if len(args) > 0 {
		if err := plotutil.AddLinePoints(p, args...); err != nil {
			return nil, err
		}
	}
	p.Legend.Left = true // satisfiable fractions fall to the right
	return p, nil
}

func sortedKeys[K int | string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

// logTicks labels 1, 2 and 5 times each power of ten, so that a range
// narrower than a decade still gets labels (plot.LogTicks labels powers of
// ten only).
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		for _, m := range []float64{1, 2, 5} {
			v := m * math.Pow(10, e)
			if v < lo/1.0001 || v > hi*1.0001 {
				continue
			}
			ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
		}
	}
	if len(ts) < 2 { // a very narrow range: label its ends
		ts = []plot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'g', 2, 64)}, {Value: hi, Label: strconv.FormatFloat(hi, 'g', 2, 64)}}
	}
	return ts
}
