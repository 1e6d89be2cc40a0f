package page

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Mark is how a chart's point is marked.
type Mark int

const (
	NoMark   Mark = iota
	Bad           // a regression: a large red dot, a red line down to the axis and a red axis label
	BadAgain      // still a regression (flagged since an earlier point): a red ring
	Good          // an improvement: a green triangle
	Accepted      // an accepted change: a purple diamond and a purple axis label
	Warn          // undecided: an amber ring
)

// Point is one value of a LineChart's series.
type Point struct {
	X int     // position on the x axis, 0 to the chart's len(XLabels)-1
	Y float64 // the value; NaN leaves the point out
	// Lo and Hi, when Hi > Lo, are a range drawn as a bar through the
	// point (e.g. the smallest and largest of several samples).
	Lo, Hi float64
	Tip    string // the point's tooltip (plain text; lines with \n)
	Mark   Mark
}

// LineChart is a small chart of one series over ordered positions (such as
// commits), with a logarithmic y axis: a value of 0 (or below) is drawn
// on a dashed floor line below the smallest positive value, labelled 0.
type LineChart struct {
	Label string // names the chart for assistive technology
	// XLabels name each position: the axis shows those of Bad, Accepted
	// and Good points, then the first and last, as room allows; every
	// point's tooltip should name it anyway.
	XLabels []string
	Points  []Point
	// Width and Height in pixels (default 380 by 170).
	Width, Height int
	// Format writes the y axis' values (default Format).
	Format func(float64) string
}

// Chart layout: margins around the plot area.
const (
	marginLeft   = 50
	marginRight  = 10
	marginTop    = 8
	marginBottom = 22
	charWidth    = 6.2 // of the 10px axis font, for laying out labels
)

// Scale is a logarithmic y scale: where a value goes on the chart.
type Scale struct {
	Lo, Hi float64 // the axis' range, both > 0
	// Floor is where values <= 0 are drawn; 0 when the series has none.
	Floor float64
}

// LogScale chooses the y range of values (NaN ignored): from the smallest
// to the largest with some room, at least a factor of 2, and a floor a
// third of the smallest positive value (1 when no value is positive) when
// some value is 0 or below.
func LogScale(values []float64) Scale {
	minPos, maxPos := math.Inf(1), math.Inf(-1)
	nonPos := false
	for _, v := range values {
		switch {
		case math.IsNaN(v):
		case v <= 0:
			nonPos = true
		default:
			minPos, maxPos = min(minPos, v), max(maxPos, v)
		}
	}
	var s Scale
	if math.IsInf(minPos, 1) {
		// Nothing positive: the floor alone, in the middle.
		s.Lo, s.Hi = 0.5, 2
		if nonPos {
			s.Floor = 1
		}
		return s
	}
	lo, hi := minPos, maxPos
	if nonPos {
		s.Floor = minPos / 3
		lo = s.Floor
	}
	l, h := math.Log10(lo), math.Log10(hi)
	if span := h - l; span < 0.3 {
		l, h = l-(0.3-span)/2, h+(0.3-span)/2
	}
	pad := (h - l) * 0.08
	s.Lo, s.Hi = math.Pow(10, l-pad), math.Pow(10, h+pad)
	return s
}

// Frac is where v lies between the scale's bottom (0) and top (1); values
// <= 0 lie at the floor.
func (s Scale) Frac(v float64) float64 {
	if v <= 0 {
		v = s.Floor
		if v <= 0 {
			return 0
		}
	}
	return (math.Log10(v) - math.Log10(s.Lo)) / (math.Log10(s.Hi) - math.Log10(s.Lo))
}

// Ticks are the values labelled on the axis: powers of ten, or 1-3, 1-2-5
// or finer steps of each decade when the range spans too few of them, at
// most 6, and none so close to the floor that their labels would overlap
// its "0".
func (s Scale) Ticks() []float64 {
	above := s.Lo
	if s.Floor > 0 {
		above = s.Floor * 1.6
	}
	var ticks []float64
	for _, steps := range [][]float64{{1}, {1, 3}, {1, 2, 5}, {1, 1.5, 2, 3, 5, 7}} {
		ticks = ticks[:0]
		for e := math.Floor(math.Log10(s.Lo)) - 1; e <= math.Ceil(math.Log10(s.Hi)); e++ {
			for _, m := range steps {
				// Round to the decimal value, so that 3e-1 prints as 0.3.
				v := roundSig(m * math.Pow(10, e))
				if v >= s.Lo && v <= s.Hi && v >= above {
					ticks = append(ticks, v)
				}
			}
		}
		if len(ticks) >= 2 {
			break
		}
	}
	for len(ticks) > 6 {
		// Every other one, keeping the powers of ten where they fall.
		var t []float64
		for i, v := range ticks {
			if i%2 == 0 {
				t = append(t, v)
			}
		}
		ticks = t
	}
	return ticks
}

// roundSig rounds v to 6 significant digits: 3*10^-1 is 0.3.
func roundSig(v float64) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	return f
}

// SVG draws the chart as an inline <svg> element.
func (c LineChart) SVG() template.HTML {
	w, h := c.Width, c.Height
	if w <= 0 {
		w = 380
	}
	if h <= 0 {
		h = 170
	}
	format := c.Format
	if format == nil {
		format = Format
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">`, w, h, w, h, esc(c.Label))
	x0, x1 := float64(marginLeft), float64(w-marginRight)
	y0, y1 := float64(h-marginBottom), float64(marginTop) // bottom and top of the plot area
	fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="#fafafb" stroke="#ccc"/>`, num(x0), num(y1), num(x1-x0), num(y0-y1))

	var values []float64
	for _, p := range c.Points {
		if !math.IsNaN(p.Y) {
			values = append(values, p.Y)
			if p.Hi > p.Lo {
				values = append(values, p.Lo, p.Hi)
			}
		}
	}
	if len(values) == 0 {
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-size="12" fill="#888">no values</text></svg>`, num((x0+x1)/2), num((y0+y1)/2))
		return template.HTML(b.String())
	}
	s := LogScale(values)
	y := func(v float64) float64 { return y0 - s.Frac(v)*(y0-y1) }
	n := max(len(c.XLabels), 1)
	for _, p := range c.Points {
		n = max(n, p.X+1)
	}
	const inset = 8 // keeps the first and last points off the frame
	x := func(i int) float64 {
		if n == 1 {
			return (x0 + x1) / 2
		}
		return x0 + inset + float64(i)*(x1-x0-2*inset)/float64(n-1)
	}

	// The y axis: grid lines and labels, and the floor for zeros.
	for _, t := range s.Ticks() {
		yy := y(t)
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#e4e4e8"/>`, num(x0), num(yy), num(x1), num(yy))
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" font-size="10" fill="#555">%s</text>`, num(x0-4), num(yy+3.5), esc(format(t)))
	}
	if s.Floor > 0 {
		yy := y(s.Floor)
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#999" stroke-dasharray="3 3"><title>values of 0 are drawn on this line (the y axis is logarithmic)</title></line>`, num(x0), num(yy), num(x1), num(yy))
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" font-size="10" fill="#555">0</text>`, num(x0-4), num(yy+3.5))
	}

	pts := slices.Clone(c.Points)
	pts = slices.DeleteFunc(pts, func(p Point) bool { return math.IsNaN(p.Y) })
	slices.SortStableFunc(pts, func(a, b Point) int { return a.X - b.X })

	// Red lines behind everything at regressions.
	for _, p := range pts {
		if p.Mark == Bad {
			fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1" stroke-dasharray="2 2" opacity="0.7"/>`, num(x(p.X)), num(y0), num(x(p.X)), num(y1), ColorBad)
		}
	}
	// Ranges, the line, then the points over it.
	for _, p := range pts {
		if p.Hi > p.Lo {
			fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1" opacity="0.45"/>`, num(x(p.X)), num(y(p.Lo)), num(x(p.X)), num(y(p.Hi)), ColorLine)
		}
	}
	if len(pts) > 1 {
		var path strings.Builder
		for i, p := range pts {
			if i > 0 {
				path.WriteByte(' ')
			}
			fmt.Fprintf(&path, "%s,%s", num(x(p.X)), num(y(p.Y)))
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="1.5" stroke-linejoin="round"/>`, path.String(), ColorLine)
	}
	r := 2.2
	if n > 60 {
		r = 1.8
	}
	// Marked points last, so that they lie on top.
	order := slices.Clone(pts)
	slices.SortStableFunc(order, func(a, b Point) int { return markRank(a.Mark) - markRank(b.Mark) })
	for _, p := range order {
		px, py := x(p.X), y(p.Y)
		fmt.Fprintf(&b, `<g class="pt" data-x="%d"`, p.X)
		if p.Mark != NoMark {
			fmt.Fprintf(&b, ` data-mark="%s"`, p.Mark)
		}
		b.WriteString(`><title>`)
		b.WriteString(esc(p.Tip))
		b.WriteString(`</title>`)
		switch p.Mark {
		case Bad:
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="5" fill="%s" stroke="#fff" stroke-width="1"/>`, num(px), num(py), ColorBad)
		case BadAgain:
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3.5" fill="#fff" stroke="%s" stroke-width="1.6"/>`, num(px), num(py), ColorBad)
		case Warn:
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3.2" fill="#fff" stroke="%s" stroke-width="1.4"/>`, num(px), num(py), ColorWarn)
		case Good:
			fmt.Fprintf(&b, `<path d="M%s %sl4.5 7.5h-9z" fill="%s"/>`, num(px), num(py-4.5), ColorGood)
		case Accepted:
			fmt.Fprintf(&b, `<path d="M%s %sl5.5 5.5l-5.5 5.5l-5.5 -5.5z" fill="%s" stroke="#fff" stroke-width="0.8"/>`, num(px), num(py-5.5), ColorAccepted)
		default:
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="%s" fill="%s"/>`, num(px), num(py), num(r), ColorLine)
		}
		// A larger transparent target for the tooltip.
		fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="6" fill="transparent"/></g>`, num(px), num(py))
	}

	// The x axis: the labels that fit, marked points' first.
	type label struct {
		i     int
		color string
		rank  int
	}
	var cands []label
	seen := map[int]bool{}
	for _, p := range order {
		if seen[p.X] || p.X >= len(c.XLabels) {
			continue
		}
		switch p.Mark {
		case Bad:
			cands = append(cands, label{p.X, ColorBad, 0})
		case Accepted:
			cands = append(cands, label{p.X, ColorAccepted, 1})
		case Good:
			cands = append(cands, label{p.X, ColorGood, 2})
		default:
			continue
		}
		seen[p.X] = true
	}
	slices.SortStableFunc(cands, func(a, b label) int { return a.rank - b.rank })
	if len(c.XLabels) > 0 {
		cands = append(cands, label{0, "#555", 3}, label{len(c.XLabels) - 1, "#555", 3})
	}
	type span struct{ lo, hi float64 }
	var placed []span
	for _, l := range cands {
		text := c.XLabels[l.i]
		wid := float64(len([]rune(text))) * charWidth
		cx := x(l.i)
		lo, hi := cx-wid/2, cx+wid/2
		anchor := "middle"
		// Keep the label inside the chart.
		if lo < 2 {
			lo, hi, anchor, cx = 2, 2+wid, "start", 2
		}
		if hi > float64(w)-2 {
			lo, hi, anchor, cx = float64(w)-2-wid, float64(w)-2, "end", float64(w)-2
		}
		if slices.ContainsFunc(placed, func(s span) bool { return lo < s.hi+4 && hi > s.lo-4 }) {
			continue
		}
		placed = append(placed, span{lo, hi})
		weight := ""
		if l.rank < 3 {
			weight = ` font-weight="bold"`
		}
		fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="%s" font-size="10"%s fill="%s" class="xl">%s</text>`, num(cx), h-7, anchor, weight, l.color, esc(text))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func (m Mark) String() string {
	return [...]string{"", "bad", "bad-again", "good", "accepted", "warn"}[m]
}

// markRank orders points for drawing: plain ones first, regressions last.
func markRank(m Mark) int {
	return [...]int{0, 5, 3, 2, 4, 1}[m]
}

// Legend is a line of the marks' symbols and what they mean, for a page
// with charts.
func Legend() template.HTML {
	sym := func(body string) string {
		return `<svg width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true">` + body + `</svg>`
	}
	items := []struct{ svg, text string }{
		{sym(`<circle r="2.2" fill="` + ColorLine + `"/>`), "value (median of the entry's samples; a bar spans them)"},
		{sym(`<circle r="5" fill="` + ColorBad + `"/>`), "regression (against the window before it)"},
		{sym(`<circle r="3.5" fill="#fff" stroke="` + ColorBad + `" stroke-width="1.6"/>`), "still flagged"},
		{sym(`<path d="M0 -5.5l5.5 5.5l-5.5 5.5l-5.5 -5.5z" fill="` + ColorAccepted + `"/>`), "accepted change"},
		{sym(`<path d="M0 -4.5l4.5 7.5h-9z" fill="` + ColorGood + `"/>`), "improvement"},
		{sym(`<line x1="-6" x2="6" stroke="#999" stroke-dasharray="3 3"/>`), "0 (log axis: zeros are drawn on this floor)"},
	}
	var b strings.Builder
	b.WriteString(`<p class="legend">`)
	for i, it := range items {
		if i > 0 {
			b.WriteString(" &nbsp; ")
		}
		b.WriteString(it.svg + " " + esc(it.text))
	}
	b.WriteString(`</p>`)
	return template.HTML(b.String())
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// num writes a coordinate with at most two decimals.
func num(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return s
}
