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
//   - time-vs-n: each solver's median time against n (against the players
//     k when every row is a game's) on a log scale, with
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
	if len(sizes(rows)) > 1 {
		if plots["time-vs-n"], err = timePlot(cells); err != nil {
			return nil, err
		}
		if allGames(rows) { // a game sweep's sizes are its players
			plots["time-vs-n"].X.Label.Text = "players (k)"
		}
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

// alignLegend moves a legend at the top down to the top of the data area:
// gonum draws it from the top of the area beside the axes, above the
// padding it leaves for glyphs, where it floats over an empty band.
func alignLegend(p *plot.Plot) {
	if !p.Legend.Top {
		return
	}
	c := draw.New(vgimg.New(plotW, plotH))
	top := c.Max.Y
	if p.Title.Text != "" {
		top -= p.Title.TextStyle.Rectangle(p.Title.Text).Size().Y + p.Title.Padding
	}
	if data := p.DataCanvas(c).Max.Y; data < top {
		p.Legend.YOffs += data - top
	}
}

// save writes p as stem.svg, stem.pdf and stem.png.
func save(p *plot.Plot, stem string) ([]string, error) {
	alignLegend(p)
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
	// A title fits the plot's width: smaller type for a long one.
	for size := 11.0; size > 7; size-- {
		p.Title.TextStyle.Font.Size = vg.Points(size)
		if p.Title.TextStyle.Width(title) <= plotW-vg.Centimeter {
			break
		}
	}
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Legend.TextStyle.Font.Size = vg.Points(8)
	p.Legend.Padding = vg.Points(2) // rows apart
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(6), -vg.Points(4)
	return p
}

// legendRoom raises the top of p's y axis so that a legend at the top of
// the data area holds a band of its own instead of covering the data.
// Call it once the data and scale are set.
func legendRoom(p *plot.Plot, log bool, n int) {
	const dataHeight = plotH - 2.6*vg.Centimeter // less title and x axis
	entry := p.Legend.TextStyle.Height("Xg") + p.Legend.Padding
	if n == 0 {
		return
	}
	f := float64(vg.Length(n)*entry+vg.Points(10)) / float64(dataHeight)
	f = min(f, 0.6)
	if log {
		if p.Y.Min > 0 && p.Y.Max > p.Y.Min {
			p.Y.Max *= math.Pow(p.Y.Max/p.Y.Min, f/(1-f))
		}
		return
	}
	p.Y.Max += (p.Y.Max - p.Y.Min) * f / (1 - f)
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
	p := newPlot("Instances solved within a time (all sizes and ratios pooled)", "instances solved", "seconds")
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
	legendRoom(p, true, len(times))
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
	p := newPlot("Median time to decide, interquartile band (unsolved: at the limit)", "variables (n)", "seconds")
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
	entries := len(bySolver)
	if len(firstTimeouts) > 0 {
		entries++
	}
	legendRoom(p, true, entries)
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
	title, ylabel := "Median conflicts of "+solver+" against the ratio", "conflicts (median)"
	if !conflicts {
		title, ylabel = "Median time of "+solver+" against the ratio (unsolved: at the limit)", "seconds"
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
	legendRoom(p, !conflicts, len(thin(sortedKeys(byN))))
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
	if len(byN) == 0 || len(slices.Compact(slices.Sorted(slices.Values(ratios)))) < 2 {
		return nil, nil // one ratio: no transition to show
	}
	p := newPlot("Fraction satisfiable, 95% intervals; crossovers on the 1/2 line", "clauses / variables", "fraction satisfiable")
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
	// Satisfiable fractions fall to the right: the bottom left is free,
	// above the rungs of the crossovers' intervals.
	p.Legend.Left = true
	p.Legend.YOffs = vg.Points(4)
	return p, nil
}

// Unplotted says which of Plot's plots rows do not give and why: the
// plots against n need two sizes, those against the ratio two ratios.
func Unplotted(rows []record.Row) []string {
	var out []string
	games := allGames(rows) // sized by players, without ratios
	if ns := sizes(rows); len(ns) == 1 && games {
		out = append(out, fmt.Sprintf("time-vs-n: not drawn: the games have one size (%d players); it needs two or more", ns[0]))
	} else if len(ns) == 1 {
		out = append(out, fmt.Sprintf("time-vs-n: not drawn: the rows have one size (n=%d); it needs two or more", ns[0]))
	}
	if rs := ratios(rows); len(rs) == 1 && !games {
		r := strconv.FormatFloat(rs[0], 'g', -1, 64)
		out = append(out, "hardness-vs-ratio and sat-vs-ratio: not drawn: the rows have one ratio ("+r+"); they need two or more")
	}
	return out
}

// sizes and ratios list the distinct sizes and ratios of rows.
func sizes(rows []record.Row) []int {
	var ns []int
	for i := range rows {
		ns = append(ns, rows[i].N)
	}
	return slices.Compact(slices.Sorted(slices.Values(ns)))
}

func ratios(rows []record.Row) []float64 {
	var rs []float64
	for i := range rows {
		rs = append(rs, rows[i].Ratio)
	}
	return slices.Compact(slices.Sorted(slices.Values(rs)))
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
// ratios), and labels those whose labels do not collide: a label is left
// out when it would touch the previous one at the plot's width (4 and 4.26
// would read "44.26"), the last value's label kept over its neighbour's.
func valueTicks(vals []float64) plot.Ticker {
	v := slices.Compact(slices.Sorted(slices.Values(vals)))
	return plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		return labelTicks(v, lo, hi, tickStyle.Width, plotW-2*vg.Centimeter)
	})
}

// tickStyle is the style of tick labels (gonum's default).
var tickStyle = plot.New().X.Tick.Label

// labelTicks labels the ticks at vs on an axis from lo to hi drawn width
// long, with label widths measured by width, leaving out labels that
// would come closer than a space to the last one kept.
func labelTicks(vs []float64, lo, hi float64, width func(string) vg.Length, axis vg.Length) []plot.Tick {
	ts := make([]plot.Tick, len(vs))
	if hi <= lo {
		for i, x := range vs {
			ts[i] = plot.Tick{Value: x, Label: strconv.FormatFloat(x, 'g', -1, 64)}
		}
		return ts
	}
	pos := func(x float64) vg.Length { return vg.Length((x - lo) / (hi - lo) * float64(axis)) }
	gap := width(" ")
	var keptRight vg.Length = -1e9 // right edge of the last label kept
	kept := -1
	for i, x := range vs {
		ts[i].Value = x
		label := strconv.FormatFloat(x, 'g', -1, 64)
		w := width(label)
		left := pos(x) - w/2
		if left >= keptRight+gap {
			ts[i].Label, kept, keptRight = label, i, pos(x)+w/2
			continue
		}
		// The last value gets its label: its neighbour gives way.
		if i == len(vs)-1 && kept > 0 {
			ts[kept].Label = ""
			ts[i].Label = label
		}
	}
	return ts
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
			ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
		}
	}
	if len(ts) < 2 { // a very narrow range: label its ends
		ts = []plot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'g', 2, 64)}, {Value: hi, Label: strconv.FormatFloat(hi, 'g', 2, 64)}}
	}
	return ts
}
