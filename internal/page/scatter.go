package page

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Scatter is a log-log chart of items (such as instances) by their values
// in two of several series (such as two solvers' times), with the same
// scale on both axes and the line x = y. The page's script draws it again
// for the two series chosen in the <select>s that HTML writes above it,
// and counts the items on either side of the line.
//
// Values above Limit (a time limit), and +Inf, are drawn on the edge: in
// a grey band beyond the limit on each axis, labelled Edge. When some are,
// the axes go up to the limit, dashed; when none is, they span the
// values alone.
type Scatter struct {
	ID      string   // the figure's element id (required, unique in the page)
	Label   string   // names the chart for assistive technology
	Caption string   // the figure's caption, before the selects
	Note    string   // a line under the chart (plain text), after the counts
	Series  []string // the series' names, as the selects list them
	Items   []ScatterItem
	// X and Y are the series drawn first (and without the script).
	X, Y int
	// Limit: values above it are drawn on the edge; 0 for none (then +Inf
	// values are drawn on an edge beyond the largest value).
	Limit float64
	// Unit follows a series' name in the axis titles, e.g. "time (s)".
	Unit string
	// Edge names the values on the edge (default "unsolved"); Lower what a
	// smaller value is (default "lower"; "faster" for times); Items what
	// the items are (default "items").
	Edge, Lower, Noun string
	// Size is the chart's width in pixels (default 440); it is 16 less
	// high, with a square plot area.
	Size int
	// Format writes the axes' values (default Format).
	Format func(float64) string
}

// ScatterItem is one point: its values in each series.
type ScatterItem struct {
	// Values has one value per series: NaN when the item has none (the
	// point is left out of the pairs of that series), +Inf or a value
	// above the chart's Limit for one on the edge.
	Values []float64
	// Flags, when set, has one flag per series: a flagged value (such as
	// a wrong answer) draws the point in ColorBad.
	Flags []bool
	Tip   string // the point's tooltip (plain text; lines with \n)
}

// Layout of a scatter chart.
const (
	scatterLeft   = 58
	scatterRight  = 12
	scatterTop    = 10
	scatterBottom = 44
	scatterBand   = 0.09 // of the axis: the edge band beyond the limit
	// scatterSpread is how far points on the edge spread across the band
	// (deterministically, by item), so that many of them show as many.
	scatterSpread = scatterBand * 0.7
)

// scatterScale is where values go on both axes, as fractions of the plot
// area's side: 0 at the scale's bottom, up to 1 at the top of the edge
// band.
type scatterScale struct {
	s     Scale
	limit float64 // the largest value drawn inside; the edge band above it
	edge  bool    // whether there is an edge band
	top   float64 // log10 of the top of the axis
}

func (sc scatterScale) frac(v float64) float64 {
	if sc.edge && (v > sc.limit || math.IsInf(v, 1)) {
		return 1 - scatterBand/2
	}
	lo := math.Log10(sc.s.Lo)
	if v <= 0 {
		v = sc.s.Floor
		if v <= 0 {
			return 0
		}
	}
	return (math.Log10(v) - lo) / (sc.top - lo)
}

func (c Scatter) scale() scatterScale {
	var values []float64
	edge := false
	maxv := math.Inf(-1)
	for _, it := range c.Items {
		for _, v := range it.Values {
			switch {
			case math.IsNaN(v):
			case math.IsInf(v, 1) || c.Limit > 0 && v > c.Limit:
				edge = true
			default:
				values = append(values, v)
				maxv = max(maxv, v)
			}
		}
	}
	sc := scatterScale{}
	// Without values on the edge, the axes span the values alone.
	limit := 0.0
	if edge {
		limit = c.Limit
		if limit <= 0 {
			limit = maxv
		}
		if math.IsInf(limit, -1) {
			limit = 1
		}
	}
	if limit > 0 {
		values = append(values, limit)
	}
	sc.s = LogScale(values)
	sc.top = math.Log10(sc.s.Hi)
	if limit > 0 {
		// The axis ends at the limit, and a band beyond it holds the edge.
		sc.edge, sc.limit = true, limit
		lo, lim := math.Log10(sc.s.Lo), math.Log10(limit)
		sc.top = lim + (lim-lo)*scatterBand/(1-scatterBand)
		sc.s.Hi = limit
	}
	return sc
}

// token is a value's position for the script: a fraction of the axis with
// 4 decimals, "e" on the edge, "-" for none; "!" after a flagged one.
func (sc scatterScale) token(v float64, flag bool) string {
	var t string
	switch {
	case math.IsNaN(v):
		return "-"
	case sc.edge && (v > sc.limit || math.IsInf(v, 1)):
		t = "e"
	default:
		t = strconv.FormatFloat(sc.frac(v), 'f', 4, 64)
	}
	if flag {
		t += "!"
	}
	return t
}

// HTML writes the chart as a figure: the two selects of its series, the
// inline <svg> and a line the script fills with counts of the points.
func (c Scatter) HTML() template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<figure class="scatter" id="%s" data-edge="%s" data-lower="%s" data-noun="%s">`, esc(c.ID), esc(or(c.Edge, "unsolved")), esc(or(c.Lower, "lower")), esc(or(c.Noun, "items")))
	b.WriteString(`<figcaption>`)
	if c.Caption != "" {
		fmt.Fprintf(&b, `<span class="sx-caption">%s</span> `, esc(c.Caption))
	}
	for _, ax := range []struct {
		name string
		sel  int
	}{{"x", c.X}, {"y", c.Y}} {
		fmt.Fprintf(&b, `<label>%s <select data-axis="%s">`, ax.name, ax.name)
		for i, s := range c.Series {
			sel := ""
			if i == ax.sel {
				sel = " selected"
			}
			fmt.Fprintf(&b, `<option value="%d"%s>%s</option>`, i, sel, esc(s))
		}
		b.WriteString(`</select></label> `)
	}
	b.WriteString(`</figcaption>`)
	b.WriteString(string(c.SVG()))
	b.WriteString(`<p class="sx-count small"></p>`)
	if c.Note != "" {
		fmt.Fprintf(&b, `<p class="small muted">%s</p>`, esc(c.Note))
	}
	b.WriteString(`</figure>`)
	return template.HTML(b.String())
}

// SVG draws the chart as an inline <svg> element, its points placed for
// series X and Y.
func (c Scatter) SVG() template.HTML {
	size := c.Size
	if size <= 0 {
		size = 440
	}
	format := c.Format
	if format == nil {
		format = Format
	}
	side := float64(size - scatterLeft - scatterRight)
	w, h := size, int(side)+scatterTop+scatterBottom
	x0, x1 := float64(scatterLeft), float64(scatterLeft)+side
	y0, y1 := float64(scatterTop)+side, float64(scatterTop) // bottom and top
	sc := c.scale()
	px := func(f float64) float64 { return x0 + f*side }
	py := func(f float64) float64 { return y0 - f*side }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s" data-area="%s %s %s %s %s %s" data-unit="%s">`,
		w, h, w, h, esc(c.Label), num(x0), num(x1), num(y0), num(y1),
		strconv.FormatFloat(1-scatterBand/2, 'f', -1, 64), strconv.FormatFloat(scatterSpread, 'f', 4, 64), esc(c.Unit))
	fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="#fafafb" stroke="#ccc"/>`, num(x0), num(y1), num(side), num(side))
	if sc.edge {
		band := scatterBand * side
		edge := esc(or(c.Edge, "unsolved"))
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="#ececef"/>`, num(x1-band), num(y1), num(band), num(side))
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="#ececef"/>`, num(x0), num(y1), num(side), num(band))
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="9" fill="#777" text-anchor="middle" transform="rotate(90 %s %s)">%s</text>`, num(x1-band/2+3), num((y0+y1)/2), num(x1-band/2+3), num((y0+y1)/2), edge)
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="9" fill="#777" text-anchor="middle">%s</text>`, num((x0+x1)/2), num(y1+band/2+3), edge)
	}
	// Grid lines and labels, the same on both axes; the limit labelled
	// and dashed.
	ticks := sc.s.Ticks()
	if sc.edge {
		lf := sc.frac(sc.limit)
		var keep []float64
		for _, t := range ticks {
			if lf-sc.frac(t) > 0.07 {
				keep = append(keep, t)
			}
		}
		ticks = append(keep, sc.limit)
	}
	if sc.s.Floor > 0 {
		ticks = append([]float64{0}, ticks...)
	}
	for i, t := range ticks {
		f := sc.frac(t)
		dash := ""
		if sc.edge && i == len(ticks)-1 {
			dash = ` stroke-dasharray="3 3"`
		}
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#e0e0e6"%s/>`, num(x0), num(py(f)), num(x1), num(py(f)), dash)
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#e0e0e6"%s/>`, num(px(f)), num(y0), num(px(f)), num(y1), dash)
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" font-size="10" fill="#555">%s</text>`, num(x0-4), num(py(f)+3.5), esc(format(t)))
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-size="10" fill="#555">%s</text>`, num(px(f)), num(y0+13), esc(format(t)))
	}
	// x = y, up to the limit.
	top := 1.0
	if sc.edge {
		top = sc.frac(sc.limit)
	}
	fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#999"/>`, num(px(0)), num(py(0)), num(px(top)), num(py(top)))
	// Axis titles, which the script rewrites.
	title := func(i int) string {
		if i < 0 || i >= len(c.Series) {
			return c.Unit
		}
		return strings.TrimSpace(c.Series[i] + " " + c.Unit)
	}
	fmt.Fprintf(&b, `<text class="ax-x" x="%s" y="%d" text-anchor="middle" font-size="11" fill="#333">%s</text>`, num((x0+x1)/2), h-8, esc(title(c.X)))
	fmt.Fprintf(&b, `<text class="ax-y" x="12" y="%s" text-anchor="middle" font-size="11" fill="#333" transform="rotate(-90 12 %s)">%s</text>`, num((y0+y1)/2), num((y0+y1)/2), esc(title(c.Y)))

	// The points: flagged ones last, on top.
	b.WriteString(`<g class="sx-pts">`)
	for pass := range 2 {
		for k, it := range c.Items {
			flagged, edge := false, false
			toks := make([]string, len(c.Series))
			for i := range c.Series {
				v, f := math.NaN(), false
				if i < len(it.Values) {
					v = it.Values[i]
				}
				if i < len(it.Flags) {
					f = it.Flags[i]
				}
				flagged = flagged || f
				toks[i] = sc.token(v, f)
				edge = edge || toks[i][0] == 'e'
			}
			if flagged != (pass == 1) {
				continue
			}
			// An R2 sequence: spread evenly over the band's square.
			jx := math.Mod(0.5+float64(k)*0.7548776662, 1) - 0.5
			jy := math.Mod(0.5+float64(k)*0.5698402910, 1) - 0.5
			class, fill, x, y, shown := scatterPoint(toks, c.X, c.Y, jx, jy)
			fmt.Fprintf(&b, `<circle class="%s" r="2.6" fill="%s" fill-opacity="0.6" data-v="%s"`, class, fill, strings.Join(toks, " "))
			if edge {
				fmt.Fprintf(&b, ` data-j="%.3f %.3f"`, jx, jy)
			}
			if shown {
				fmt.Fprintf(&b, ` cx="%s" cy="%s"`, num(px(x)), num(py(y)))
			} else {
				b.WriteString(` display="none"`)
			}
			b.WriteString(`><title>`)
			b.WriteString(esc(it.Tip))
			b.WriteString(`</title></circle>`)
		}
	}
	b.WriteString(`</g></svg>`)
	return template.HTML(b.String())
}

// scatterPoint places a point for series xi and yi from its tokens, as the
// page's script does: its class and colour, its fractions, and whether it
// is shown. jx and jy, in -0.5..0.5, spread a point on an edge across
// the band.
func scatterPoint(toks []string, xi, yi int, jx, jy float64) (class, fill string, x, y float64, shown bool) {
	if xi < 0 || yi < 0 || xi >= len(toks) || yi >= len(toks) || toks[xi] == "-" || toks[yi] == "-" {
		return "sp", ColorLine, 0, 0, false
	}
	pos := func(t string, j float64) (float64, bool, bool) {
		flag := strings.HasSuffix(t, "!")
		t = strings.TrimSuffix(t, "!")
		if t == "e" {
			return 1 - scatterBand/2 + j*scatterSpread, true, flag
		}
		f, _ := strconv.ParseFloat(t, 64)
		return f, false, flag
	}
	x, ex, fx := pos(toks[xi], jx)
	y, ey, fy := pos(toks[yi], jy)
	switch {
	case fx || fy:
		return "sp b", ColorBad, x, y, true
	case ex || ey:
		return "sp e", ColorWarn, x, y, true
	}
	return "sp", ColorLine, x, y, true
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
