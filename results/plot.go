package results

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/nashbench/nashbench/internal/atomicfile"
	"github.com/nashbench/nashbench/record"
)

// Plot size: 16 x 10 cm, the width of a journal column pair; PNGs at 200
// dpi are 1260 pixels wide.
const (
	plotW  = 16 * vg.Centimeter
	plotH  = 10 * vg.Centimeter
	pngDPI = 200
	// maxSeries is the most lines one plot gets: beyond it, colours and
	// markers stop telling lines apart, so sizes are thinned evenly (the
	// smallest and largest kept).
	maxSeries = 6
)

// Plot draws a sweep's rows into dir, each plot as SVG, PDF and PNG:
//
//   - cactus: per solver, the number of instances solved within each time
//     (the SAT competition's standard view);
//   - time-vs-n: each solver's median time against n on a log scale, with
//     its interquartile band, unsolved jobs counted at the time limit, and
//     a cross where the solver first times out;
//   - hardness-vs-ratio: per size, the median time of the reference
//     solver (else the first) against the clause/variable ratio: the
//     easy-hard-easy peak;
//   - sat-vs-ratio: the fraction satisfiable against the ratio per size,
//     with 95% Wilson intervals, and the crossover ratio with its interval.
//
// It returns the files written; ErrNothingToPlot when no row is decided.
// ErrNothingToPlot is Plot's error for rows without a decided answer.
var ErrNothingToPlot = errors.New("no decided rows to plot")

func Plot(rows []record.Row, dir string) ([]string, error) {
	cells := Cells(rows)
	solved := 0
	for _, c := range cells {
		solved += c.Solved
	}
	if solved == 0 {
		return nil, ErrNothingToPlot
	}
	plots := map[string]*plot.Plot{}
	var err error
	if plots["cactus"], err = cactusPlot(rows); err != nil {
		return nil, err
	}
	if plots["time-vs-n"], err = timePlot(cells); err != nil {
		return nil, err
	}
	if p, err := hardnessPlot(rows); err != nil {
		return nil, err
	} else if p != nil {
		plots["hardness-vs-ratio"] = p
	}
	if p, err := satPlot(rows); err != nil {
		return nil, err
	} else if p != nil {
		plots["sat-vs-ratio"] = p
	}
	var files []string
	for _, name := range sortedKeys(plots) {
		written, err := save(plots[name], filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		files = append(files, written...)
	}
	sort.Strings(files)
	return files, nil
}

// save writes p as stem.svg, stem.pdf and stem.png.
func save(p *plot.Plot, stem string) ([]string, error) {
	var files []string
	for _, ext := range []string{"svg", "pdf", "png"} {
		var buf bytes.Buffer
		if ext == "png" {
			cv := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(plotW, plotH), vgimg.UseDPI(pngDPI))}
			p.Draw(draw.New(cv))
			if _, err := cv.WriteTo(&buf); err != nil {
				return nil, err
			}
		} else {
			wt, err := p.WriterTo(plotW, plotH, ext)
			if err != nil {
				return nil, err
			}
			if _, err := wt.WriteTo(&buf); err != nil {
				return nil, err
			}
		}
		f := stem + "." + ext
		if err := atomicfile.Write(f, buf.Bytes()); err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// Okabe and Ito's palette, distinguishable with the common colour vision
// deficiencies, and a marker shape per series as well.
var palette = []color.Color{
	color.RGBA{0, 114, 178, 255},   // blue
	color.RGBA{213, 94, 0, 255},    // vermillion
	color.RGBA{0, 158, 115, 255},   // bluish green
	color.RGBA{204, 121, 167, 255}, // reddish purple
	color.RGBA{230, 159, 0, 255},   // orange
	color.RGBA{86, 180, 233, 255},  // sky blue
	color.RGBA{0, 0, 0, 255},       // black
	color.RGBA{240, 228, 66, 255},  // yellow
}

var shapes = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.RingGlyph{},
	draw.BoxGlyph{}, draw.PyramidGlyph{}, draw.PlusGlyph{}, draw.CrossGlyph{},
}

func styled(i int) (color.Color, draw.GlyphDrawer) {
	return palette[i%len(palette)], shapes[i%len(shapes)]
}

// addSeries draws a line with markers in series i's colour and shape.
func addSeries(p *plot.Plot, i int, name string, xys plotter.XYs) error {
	c, g := styled(i)
	l, s, err := plotter.NewLinePoints(xys)
	if err != nil {
		return err
	}
	l.Color, l.Width = c, vg.Points(1.2)
	s.Color, s.Shape, s.Radius = c, g, vg.Points(3)
	p.Add(l, s)
	p.Legend.Add(name, l, s)
	return nil
}

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Legend.TextStyle.Font.Size = vg.Points(8)
	return p
}

// logY puts p's y axis on a log scale with 1-2-5 ticks, widening a range
// of one value (gonum would widen it by ±1, below zero).
func logY(p *plot.Plot) {
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = logTicks{}
	if p.Y.Min == p.Y.Max {
		p.Y.Min, p.Y.Max = p.Y.Min/2, p.Y.Max*2
	}
}

func cactusPlot(rows []record.Row) (*plot.Plot, error) {
	times := map[string][]float64{}
	for i := range rows {
		r := &rows[i]
		if r.Solved() {
			times[r.Solver] = append(times[r.Solver], math.Max(r.Seconds, 1e-6))
		} else if _, ok := times[r.Solver]; !ok {
			times[r.Solver] = nil
		}
	}
	p := newPlot("Instances solved within a time (cactus plot)", "instances solved", "seconds")
	for i, s := range sortedKeys(times) {
		ts := times[s]
		slices.Sort(ts)
		xys := make(plotter.XYs, len(ts))
		for j, t := range ts {
			xys[j] = plotter.XY{X: float64(j + 1), Y: t}
		}
		if len(xys) == 0 {
			continue
		}
		name := fmt.Sprintf("%s (%d)", s, len(ts))
		c, g := styled(i)
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = c, vg.Points(1.2)
		// Markers on about 12 points per line, or the glyphs merge.
		var marks plotter.XYs
		step := max(1, len(xys)/12)
		for j := len(xys) - 1; j >= 0; j -= step {
			marks = append(marks, xys[j])
		}
		sc, err := plotter.NewScatter(marks)
		if err != nil {
			return nil, err
		}
		sc.Color, sc.Shape, sc.Radius = c, g, vg.Points(3)
		p.Add(l, sc)
		p.Legend.Add(name, l, sc)
	}
	logY(p)
	p.Legend.Top, p.Legend.Left = true, true
	return p, nil
}

func timePlot(cells []Cell) (*plot.Plot, error) {
	// Unsolved jobs count as unsolved, not as missing: a quantile that
	// falls on one is drawn at the time limit, so that curves flatten there
	// instead of bending down where a solver fails.
	at := func(t float64, c Cell) (float64, bool) {
		if math.IsInf(t, 1) {
			if c.Limit == 0 {
				return 0, false
			}
			t = c.Limit
		}
		return math.Max(t, 1e-6), true // a log scale cannot show 0
	}
	bySolver := map[string][]Cell{}
	var ns []float64
	for _, c := range cells {
		bySolver[c.Solver] = append(bySolver[c.Solver], c)
		ns = append(ns, float64(c.N))
	}
	p := newPlot("Median time to decide, with interquartile band", "variables (n)", "seconds (unsolved at the time limit)")
	var firstTimeouts plotter.XYs
	for i, s := range sortedKeys(bySolver) {
		var med, band, lower plotter.XYs
		first := true
		for _, c := range bySolver[s] { // sorted by n
			m, ok := at(float64(c.Median), c)
			if !ok {
				continue
			}
			med = append(med, plotter.XY{X: float64(c.N), Y: m})
			q1, _ := at(float64(c.Q1), c)
			q3, ok3 := at(float64(c.Q3), c)
			if !ok3 {
				q3 = m
			}
			band = append(band, plotter.XY{X: float64(c.N), Y: q3})
			lower = append(lower, plotter.XY{X: float64(c.N), Y: q1})
			if first && c.Timeouts+c.Memouts > 0 {
				firstTimeouts = append(firstTimeouts, plotter.XY{X: float64(c.N), Y: m})
				first = false
			}
		}
		if len(med) == 0 {
			continue
		}
		col, _ := styled(i)
		if len(band) > 1 {
			slices.Reverse(lower)
			poly, err := plotter.NewPolygon(append(band, lower...))
			if err != nil {
				return nil, err
			}
			r, g, b, _ := col.RGBA()
			poly.Color = color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 48}
			poly.LineStyle.Width = 0
			p.Add(poly)
		}
		if err := addSeries(p, i, s, med); err != nil {
			return nil, err
		}
	}
	if len(firstTimeouts) > 0 {
		sc, err := plotter.NewScatter(firstTimeouts)
		if err != nil {
			return nil, err
		}
		sc.Shape, sc.Radius, sc.Color = draw.CrossGlyph{}, vg.Points(6), color.Black
		sc.GlyphStyle.Shape = draw.CrossGlyph{}
		p.Add(sc)
		p.Legend.Add("first timeouts", sc)
	}
	logY(p)
	p.X.Tick.Marker = valueTicks(ns)
	p.Legend.Top, p.Legend.Left = true, true // the slow lines rise to the right
	return p, nil
}

// thin keeps at most maxSeries of the sorted values, evenly spaced, the
// first and last included.
func thin(xs []int) []int {
	if len(xs) <= maxSeries {
		return xs
	}
	out := make([]int, 0, maxSeries)
	for i := range maxSeries {
		out = append(out, xs[i*(len(xs)-1)/(maxSeries-1)])
	}
	return slices.Compact(out)
}

// hardnessPlot draws the reference solver's (else the first solver's)
// effort against the ratio, one line per size: its median number of
// conflicts when it reports them (a count, free of timing noise, which
// shows the peak even where times are microseconds), else its median time.
func hardnessPlot(rows []record.Row) (*plot.Plot, error) {
	solver := ""
	conflicts, solved := true, false
	for i := range rows {
		if rows[i].Solver == record.Reference {
			solver = rows[i].Solver
		}
	}
	if solver == "" && len(rows) > 0 {
		solver = rows[0].Solver
	}
	type key struct {
		n     int
		ratio float64
	}
	counts := map[key][]float64{}
	for i := range rows {
		r := &rows[i]
		if r.Solver != solver {
			continue
		}
		c, ok := r.Stats["conflicts"]
		if !r.Solved() {
			c = math.Inf(1) // unsolved: more than any count
		} else if !ok {
			conflicts = false
		} else {
			solved = true
		}
		counts[key{r.N, r.Ratio}] = append(counts[key{r.N, r.Ratio}], c)
	}
	byN := map[int]plotter.XYs{}
	var ratios []float64
	conflicts = conflicts && solved
	if conflicts {
		for k, cs := range counts {
			slices.Sort(cs)
			m := cs[len(cs)/2]
			if len(cs)%2 == 0 {
				m = (cs[len(cs)/2-1] + m) / 2
			}
			if math.IsInf(m, 1) {
				continue // mostly unsolved: no count to show
			}
			byN[k.n] = append(byN[k.n], plotter.XY{X: k.ratio, Y: m})
			ratios = append(ratios, k.ratio)
		}
		for _, xys := range byN {
			sort.Slice(xys, func(i, j int) bool { return xys[i].X < xys[j].X })
		}
	} else {
		for _, c := range CellsByRatio(rows) {
			if c.Solver != solver {
				continue
			}
			t := float64(c.Median)
			if math.IsInf(t, 1) {
				if c.Limit == 0 {
					continue
				}
				t = c.Limit
			}
			byN[c.N] = append(byN[c.N], plotter.XY{X: c.Ratio, Y: math.Max(t, 1e-6)})
			ratios = append(ratios, c.Ratio)
		}
	}
	if len(ratios) == 0 || len(slices.Compact(slices.Sorted(slices.Values(ratios)))) < 2 {
		return nil, nil // one ratio: nothing to show
	}
	title, ylabel := "Hardness: median conflicts of "+solver+" against the ratio", "conflicts (median)"
	if !conflicts {
		title, ylabel = "Hardness: median time of "+solver+" against the ratio", "seconds (unsolved at the time limit)"
	}
	p := newPlot(title, "clauses / variables", ylabel)
	for i, n := range thin(sortedKeys(byN)) {
		if err := addSeries(p, i, fmt.Sprintf("n=%d", n), byN[n]); err != nil {
			return nil, err
		}
	}
	if conflicts {
		p.Y.Min = 0
	} else {
		logY(p)
	}
	p.X.Tick.Marker = valueTicks(ratios)
	p.Legend.Top, p.Legend.Left = true, true
	return p, nil
}

func satPlot(rows []record.Row) (*plot.Plot, error) {
	pts := PhaseTransition(rows)
	type series struct {
		xys    plotter.XYs
		errors plotter.YErrors
	}
	byN := map[int]*series{}
	var ratios []float64
	for _, pt := range pts {
		if pt.Decided == 0 {
			continue
		}
		s := byN[pt.N]
		if s == nil {
			s = &series{}
			byN[pt.N] = s
		}
		f := float64(pt.Sat) / float64(pt.Decided)
		s.xys = append(s.xys, plotter.XY{X: pt.Ratio, Y: f})
		s.errors = append(s.errors, struct{ Low, High float64 }{f - pt.Low, pt.High - f})
		ratios = append(ratios, pt.Ratio)
	}
	if len(byN) == 0 {
		return nil, nil
	}
	p := newPlot("Fraction satisfiable (95% Wilson intervals); crossovers on the 1/2 line, their 95% intervals below it", "clauses / variables", "fraction satisfiable")
	p.Y.Min, p.Y.Max = 0, 1
	cross := map[int]Crossover{}
	for _, c := range Crossovers(pts) {
		cross[c.N] = c
	}
	shown := thin(sortedKeys(byN))
	// Series are dodged sideways by a little, so that their intervals at
	// the same ratio do not hide each other.
	span := slices.Max(ratios) - slices.Min(ratios)
	dodge := func(i int) float64 { return (float64(i) - float64(len(shown)-1)/2) * span * 0.006 }
	for i, n := range shown {
		s := byN[n]
		name := fmt.Sprintf("n=%d", n)
		if c, ok := cross[n]; ok {
			name += fmt.Sprintf(" (crossover %.2f)", c.Ratio)
		}
		xys := slices.Clone(s.xys)
		for j := range xys {
			xys[j].X += dodge(i)
		}
		if err := addSeries(p, i, name, xys); err != nil {
			return nil, err
		}
		col, g := styled(i)
		eb, err := plotter.NewYErrorBars(struct {
			plotter.XYer
			plotter.YErrorer
		}{xys, s.errors})
		if err != nil {
			return nil, err
		}
		eb.Color = col
		p.Add(eb)
		if c, ok := cross[n]; ok {
			// The crossover on the 1/2 line, and its interval on a rung of
			// a ladder just below it, one rung per size.
			mark, err := plotter.NewScatter(plotter.XYs{{X: c.Ratio, Y: 0.5}})
			if err != nil {
				return nil, err
			}
			mark.Color, mark.Shape, mark.Radius = col, g, vg.Points(5)
			p.Add(mark)
			if !math.IsNaN(float64(c.Low)) {
				y := 0.47 - 0.025*float64(i)
				bar, err := plotter.NewLine(plotter.XYs{{X: float64(c.Low), Y: y}, {X: float64(c.High), Y: y}})
				if err != nil {
					return nil, err
				}
				bar.Color, bar.Width = col, vg.Points(2)
				p.Add(bar)
			}
		}
	}
	half, err := plotter.NewLine(plotter.XYs{{X: slices.Min(ratios), Y: 0.5}, {X: slices.Max(ratios), Y: 0.5}})
	if err != nil {
		return nil, err
	}
	half.Color, half.Dashes = color.Gray{Y: 128}, []vg.Length{vg.Points(3), vg.Points(3)}
	p.Add(half)
	p.X.Tick.Marker = valueTicks(ratios)
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

// valueTicks puts the axis's ticks on the values the data has (sizes,
// ratios), labelling at most about a dozen of them.
func valueTicks(vals []float64) plot.Ticker {
	v := slices.Compact(slices.Sorted(slices.Values(vals)))
	return plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		step := max(1, (len(v)+11)/12)
		ts := make([]plot.Tick, 0, len(v))
		for i, x := range v {
			label := ""
			if i%step == 0 || i == len(v)-1 {
				label = strconv.FormatFloat(x, 'g', -1, 64)
			}
			ts = append(ts, plot.Tick{Value: x, Label: label})
		}
		return ts
	})
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
