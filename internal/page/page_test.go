package page

import (
	"bytes"
	"html/template"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteEscapesTitle(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, Write(&b, `<script>alert("t")</script>`, template.HTML("<p>"+string(Text(`<script>x & "y"</script>`))+"</p>")))
	out := b.String()
	assert.True(t, strings.HasPrefix(out, "<!DOCTYPE html>\n"))
	assert.Contains(t, out, `<title>&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;</title>`)
	assert.Contains(t, out, `<p>&lt;script&gt;x &amp; &#34;y&#34;&lt;/script&gt;</p>`)
	assert.Equal(t, 1, strings.Count(out, "<script>"), "the page's own script only")
	assert.Contains(t, out, `<link rel="icon" href="data:,">`)
	assert.Contains(t, out, "<style>\n:root")
	assert.NotContains(t, out, "ZgotmplZ")
}

func TestFormat(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{1, "1"},
		{28, "28"},
		{871, "871"},
		{1500, "1.5k"},
		{7000, "7k"},
		{9999, "10k"},
		{1234.6, "1.23k"},
		{123.45, "123"},
		{10000, "10k"},
		{156022, "156k"},
		{2.5e6, "2.5M"},
		{3e9, "3G"},
		{0.5, "0.5"},
		{0.003, "3m"},
		{2e-6, "2µ"},
		{1e-9, "1e-09"},
		{-20000, "-20k"},
	} {
		assert.Equal(t, tt.want, Format(tt.v), "%v", tt.v)
	}
	for _, tt := range []struct {
		ns   float64
		want string
	}{
		{512, "512ns"},
		{1500, "1.5µs"},
		{6077413, "6.08ms"},
		{4.8e8, "480ms"},
		{2.5e9, "2.5s"},
		{1234.5e6, "1.23s"},
		{0, "0ns"},
	} {
		assert.Equal(t, tt.want, FormatNanos(tt.ns), "%v", tt.ns)
	}
}

func TestLogScale(t *testing.T) {
	for _, tt := range []struct {
		name      string
		values    []float64
		floor     float64 // want
		min, max  float64 // must lie inside the range
		spanAtLst float64 // decades, at least
	}{
		{"rising", []float64{28, 28, 871}, 0, 28, 871, 1.49},
		{"constant", []float64{4, 4, 4}, 0, 4, 4, 0.3},
		{"zeros", []float64{0, 0, 3, 2}, 2.0 / 3, 2.0 / 3, 3, 0.65},
		{"all zero", []float64{0, 0}, 1, 1, 1, 0.6},
		{"NaN ignored", []float64{math.NaN(), 10, 100}, 0, 10, 100, 1},
		{"negative as zero", []float64{-1, 10}, 10.0 / 3, 10.0 / 3, 10, 0.5},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := LogScale(tt.values)
			assert.InDelta(t, tt.floor, s.Floor, 1e-12)
			assert.Less(t, s.Lo, tt.min)
			assert.Greater(t, s.Hi, tt.max)
			assert.GreaterOrEqual(t, math.Log10(s.Hi/s.Lo), tt.spanAtLst)
			for _, v := range tt.values {
				if math.IsNaN(v) {
					continue
				}
				f := s.Frac(v)
				assert.True(t, f > 0 && f < 1, "%v at %v", v, f)
			}
			if s.Floor > 0 {
				assert.Equal(t, s.Frac(s.Floor), s.Frac(0))
				assert.Equal(t, s.Frac(0), s.Frac(-5))
			}
		})
	}
}

func TestTicks(t *testing.T) {
	for _, tt := range []struct {
		name   string
		values []float64
		want   []float64 // nil: only check the rules
	}{
		{"decades", []float64{28, 871}, []float64{100, 1000}},
		{"less than a decade", []float64{105, 670}, []float64{100, 300}},
		{"many decades", []float64{1, 1e9}, nil},
		{"narrow", []float64{6.0e6, 6.2e6}, nil},
		{"zeros", []float64{0, 2, 3}, []float64{1.5, 2, 3}},
		{"constant", []float64{24}, nil},
		{"small", []float64{0.002, 0.03}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := LogScale(tt.values)
			ticks := s.Ticks()
			if tt.want != nil {
				assert.Equal(t, tt.want, ticks)
			}
			assert.GreaterOrEqual(t, len(ticks), 2, "%v", ticks)
			assert.LessOrEqual(t, len(ticks), 6, "%v", ticks)
			for i, v := range ticks {
				assert.True(t, v >= s.Lo && v <= s.Hi, "%v outside [%v, %v]", v, s.Lo, s.Hi)
				if i > 0 {
					assert.Greater(t, v, ticks[i-1])
				}
				if s.Floor > 0 {
					assert.Greater(t, v, s.Floor*1.5, "too close to the floor")
				}
				// Labels are short: the rounding kept no float noise.
				assert.LessOrEqual(t, len(Format(v)), 5, "%v", v)
			}
		})
	}
}

// svgAttr collects one attribute of every element of a kind.
func svgAttr(svg, elem, attr string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<`+elem+`\b[^>]*?\s`+attr+`="([^"]*)"`).FindAllStringSubmatch(svg, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestLineChartMarks(t *testing.T) {
	labels := []string{"aaaaaaa", "bbbbbbb", "34ae6ee", "ddddddd", "eeeeeee", "fffffff"}
	c := LineChart{
		Label:   `cols <b>`,
		XLabels: labels,
		Points: []Point{
			{X: 0, Y: 28, Tip: `first <script>alert(1)</script>`},
			{X: 1, Y: 28, Tip: "b"},
			{X: 2, Y: 871, Tip: "regression\n28 -> 871", Mark: Bad},
			{X: 3, Y: 871, Tip: "again", Mark: BadAgain},
			{X: 4, Y: 871, Lo: 800, Hi: 900, Tip: "accepted", Mark: Accepted},
			{X: 5, Y: math.NaN(), Tip: "missing"},
		},
	}
	svg := string(c.SVG())
	assert.True(t, strings.HasPrefix(svg, `<svg xmlns="http://www.w3.org/2000/svg" width="380" height="170"`))
	assert.Contains(t, svg, `aria-label="cols &lt;b&gt;"`)
	assert.NotContains(t, svg, "<script")
	assert.Contains(t, svg, "<title>first &lt;script&gt;alert(1)&lt;/script&gt;</title>")
	assert.Contains(t, svg, "<title>regression\n28 -&gt; 871</title>")
	assert.Contains(t, svg, `<g class="pt" data-x="2" data-mark="bad">`)
	assert.Contains(t, svg, `<g class="pt" data-x="3" data-mark="bad-again">`)
	assert.Contains(t, svg, `<g class="pt" data-x="4" data-mark="accepted">`)
	assert.NotContains(t, svg, "missing", "a NaN is left out")
	assert.Equal(t, 5, strings.Count(svg, `<g class="pt"`))
	// The regression is drawn last, on top.
	assert.Greater(t, strings.Index(svg, `data-mark="bad"`), strings.Index(svg, `data-mark="accepted"`))
	// A red line at the regression, the range as a bar.
	assert.Contains(t, svg, `stroke="`+ColorBad+`" stroke-width="1" stroke-dasharray="2 2"`)
	assert.Contains(t, svg, `opacity="0.45"`)
	// The axis names the regression's and the acceptance's commits in
	// their colours, and the first and last labels; no labels overlap.
	assert.Contains(t, svg, `fill="`+ColorBad+`" class="xl">34ae6ee</text>`)
	assert.Contains(t, svg, `fill="`+ColorAccepted+`" class="xl">eeeeeee</text>`)
	assert.Contains(t, svg, `class="xl">aaaaaaa</text>`)
	good := string(LineChart{XLabels: labels, Points: []Point{{X: 0, Y: 2}, {X: 3, Y: 1, Mark: Good}}}.SVG())
	assert.Contains(t, good, `fill="`+ColorGood+`" class="xl">ddddddd</text>`)
	assertNoOverlap(t, svg)
	// The line joins the 5 values.
	pts := svgAttr(svg, "polyline", "points")
	require.Len(t, pts, 1)
	assert.Len(t, strings.Fields(pts[0]), 5)
}

// assertNoOverlap checks that the x axis' labels do not overlap, as laid
// out with charWidth per character.
func assertNoOverlap(t *testing.T, svg string) {
	t.Helper()
	type span struct{ lo, hi float64 }
	var spans []span
	re := regexp.MustCompile(`<text x="([0-9.]+)" y="[0-9.]+" text-anchor="(start|middle|end)"[^>]*class="xl">([^<]*)</text>`)
	for _, m := range re.FindAllStringSubmatch(svg, -1) {
		x, err := strconv.ParseFloat(m[1], 64)
		require.NoError(t, err)
		w := float64(len([]rune(m[3]))) * charWidth
		s := span{x - w/2, x + w/2}
		switch m[2] {
		case "start":
			s = span{x, x + w}
		case "end":
			s = span{x - w, x}
		}
		assert.GreaterOrEqual(t, s.lo, 0.0, m[3])
		assert.LessOrEqual(t, s.hi, 380.0, m[3])
		for _, o := range spans {
			assert.False(t, s.lo < o.hi && s.hi > o.lo, "%q overlaps another label", m[3])
		}
		spans = append(spans, s)
	}
	assert.NotEmpty(t, spans)
}

// Many points: the labels that would overlap are left out, the
// regression's first.
func TestLineChartCrowdedLabels(t *testing.T) {
	var labels []string
	var pts []Point
	for i := range 70 {
		labels = append(labels, strconv.Itoa(1000000+i))
		p := Point{X: i, Y: float64(10 + i%3)}
		if i == 1 || i == 40 || i == 41 || i == 68 {
			p.Mark = Bad
		}
		pts = append(pts, p)
	}
	svg := string(LineChart{XLabels: labels, Points: pts}.SVG())
	assertNoOverlap(t, svg)
	// Marked labels win over the first and last ones; of two neighbours
	// only the first fits.
	assert.Contains(t, svg, ">1000001</text>")
	assert.Contains(t, svg, ">1000040</text>")
	assert.NotContains(t, svg, ">1000041</text>")
	assert.Contains(t, svg, ">1000068</text>")
	assert.NotContains(t, svg, ">1000000</text>")
	assert.NotContains(t, svg, ">1000069</text>")
}

// Zeros lie on a dashed floor labelled 0, below the positive values.
func TestLineChartZeros(t *testing.T) {
	svg := string(LineChart{XLabels: []string{"a", "b", "c"}, Points: []Point{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 2, Y: 3, Mark: Bad}}}.SVG())
	assert.Contains(t, svg, `stroke-dasharray="3 3"><title>values of 0 are drawn on this line`)
	assert.Contains(t, svg, `fill="#555">0</text>`)
	ys := svgAttr(svg, "circle", "cy")
	require.NotEmpty(t, ys)
	floor := regexp.MustCompile(`<line x1="[0-9.]+" y1="([0-9.]+)"[^>]*stroke-dasharray="3 3"`).FindStringSubmatch(svg)
	require.NotNil(t, floor)
	// The zero points are drawn at the floor's height; the 3 above it.
	assert.Equal(t, floor[1], ys[0])
	assert.Equal(t, floor[1], ys[2])
	y3, _ := strconv.ParseFloat(ys[len(ys)-1], 64)
	yf, _ := strconv.ParseFloat(floor[1], 64)
	assert.Less(t, y3, yf)
	// Without zeros, no floor.
	assert.NotContains(t, string(LineChart{Points: []Point{{X: 0, Y: 1}, {X: 1, Y: 2}}}.SVG()), "stroke-dasharray=\"3 3\"")
	// All zeros: the floor alone.
	all := string(LineChart{Points: []Point{{X: 0, Y: 0}, {X: 1, Y: 0}}}.SVG())
	assert.Contains(t, all, `fill="#555">0</text>`)
	assert.Len(t, svgAttr(all, "polyline", "points"), 1)
}

func TestLineChartEmpty(t *testing.T) {
	svg := string(LineChart{Width: 200, Height: 100, Points: []Point{{X: 0, Y: math.NaN()}}}.SVG())
	assert.Contains(t, svg, `width="200" height="100"`)
	assert.Contains(t, svg, ">no values</text></svg>")
	one := string(LineChart{XLabels: []string{"only"}, Points: []Point{{X: 0, Y: 5}}}.SVG())
	assert.NotContains(t, one, "<polyline")
	assert.Contains(t, one, `class="xl">only</text>`)
}

func TestLegend(t *testing.T) {
	l := string(Legend())
	for _, c := range []string{ColorBad, ColorAccepted, ColorGood, ColorLine} {
		assert.Contains(t, l, c)
	}
	assert.Contains(t, l, "accepted change")
}
