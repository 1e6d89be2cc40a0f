package page

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func scatterFixture() Scatter {
	inf, nan := math.Inf(1), math.NaN()
	return Scatter{
		ID: "sx", Label: "times <b>", Caption: "a & b", Note: "note <i>",
		Series: []string{"enum", "gopher<sat>", "other"},
		Items: []ScatterItem{
			{Values: []float64{0.001, 0.002, 0.5}, Tip: "first <script>"},
			{Values: []float64{0.01, inf, nan}, Tip: "second"},
			{Values: []float64{20, 0.1, 0.2}, Tip: "over the limit"},
			{Values: []float64{nan, 0.3, 0.4}, Flags: []bool{false, true, false}, Tip: "flagged"},
		},
		X: 0, Y: 1, Limit: 10, Unit: "time (s)", Lower: "faster", Noun: "instances",
	}
}

// circles returns the points' attributes, in drawing order.
func circles(svg string) []map[string]string {
	var out []map[string]string
	for _, m := range regexp.MustCompile(`<circle ([^>]*)>`).FindAllStringSubmatch(svg, -1) {
		attrs := map[string]string{}
		for _, a := range regexp.MustCompile(`([a-z-]+)="([^"]*)"`).FindAllStringSubmatch(m[1], -1) {
			attrs[a[1]] = a[2]
		}
		out = append(out, attrs)
	}
	return out
}

func TestScatter(t *testing.T) {
	c := scatterFixture()
	h := string(c.HTML())
	assert.True(t, strings.HasPrefix(h, `<figure class="scatter" id="sx" data-edge="unsolved" data-lower="faster" data-noun="instances"><figcaption><span class="sx-caption">a &amp; b</span>`))
	assert.Contains(t, h, `<select data-axis="x"><option value="0" selected>enum</option><option value="1">gopher&lt;sat&gt;</option><option value="2">other</option></select>`)
	assert.Contains(t, h, `<select data-axis="y"><option value="0">enum</option><option value="1" selected>gopher&lt;sat&gt;</option>`)
	assert.Contains(t, h, `<p class="small muted">note &lt;i&gt;</p></figure>`)
	assert.NotContains(t, h, "<script")
	assert.NotContains(t, h, "<b>")

	svg := string(c.SVG())
	assert.Contains(t, svg, `aria-label="times &lt;b&gt;"`)
	assert.Contains(t, svg, `data-area="58 428 380 10 0.955 0.0630"`, "the plot area, where the edge lies and how far points spread on it")
	// The axis titles name the series.
	assert.Contains(t, svg, `class="ax-x" x="243" y="416" text-anchor="middle" font-size="11" fill="#333">enum time (s)</text>`)
	assert.Contains(t, svg, `>gopher&lt;sat&gt; time (s)</text>`)
	// Values on the edge: the band, the limit dashed and labelled.
	assert.Contains(t, svg, `>unsolved</text>`)
	assert.Contains(t, svg, `stroke-dasharray="3 3"`)
	assert.Contains(t, svg, `fill="#555">10</text>`, "the limit labelled (by Format)")

	pts := circles(svg)
	require.Len(t, pts, 4)
	// The flagged point is drawn last.
	assert.Equal(t, []string{"first <script>", "second", "over the limit", "flagged"}, tips(svg))
	tok := func(i int) []string { return strings.Fields(pts[i]["data-v"]) }
	assert.Equal(t, "-", tok(1)[2], "NaN: none")
	assert.Equal(t, "e", tok(1)[1], "+Inf: on the edge")
	assert.Equal(t, "e", tok(2)[0], "above the limit: on the edge")
	assert.Equal(t, "-", tok(3)[0])
	assert.True(t, strings.HasSuffix(tok(3)[1], "!"), "flagged")
	// Fractions rise with the values, below the limit's 1-band.
	f := func(s string) float64 {
		v, err := strconv.ParseFloat(strings.TrimSuffix(s, "!"), 64)
		require.NoError(t, err, s)
		return v
	}
	assert.Less(t, f(tok(0)[0]), f(tok(0)[1]))
	assert.Less(t, f(tok(0)[1]), f(tok(2)[1]))
	assert.Less(t, f(tok(0)[2]), 1-scatterBand)
	// Points on an edge spread across the band; others do not.
	assert.NotContains(t, pts[0], "data-j")
	assert.Contains(t, pts[1], "data-j")
	// Placed for enum (x) and gopher<sat> (y): the first two in the plot
	// area, the second on the edge band (amber), the last hidden (no enum
	// value).
	assert.Equal(t, "sp", pts[0]["class"])
	assert.Equal(t, "sp e", pts[1]["class"])
	assert.Equal(t, ColorWarn, pts[1]["fill"])
	cy, _ := strconv.ParseFloat(pts[1]["cy"], 64)
	assert.Less(t, cy, 10+scatterBand*370, "on the top band")
	assert.Equal(t, "none", pts[3]["display"])
	assert.NotContains(t, pts[3], "cx")
	x0 := 58.0
	cx, _ := strconv.ParseFloat(pts[0]["cx"], 64)
	assert.InDelta(t, x0+f(tok(0)[0])*370, cx, 0.01, "the script's formula: x0 + f * side")

	// Drawn for other (x) and gopher<sat> (y), the flagged point is red.
	c.X, c.Y = 2, 1
	pts = circles(string(c.SVG()))
	assert.Equal(t, "sp b", pts[3]["class"])
	assert.Equal(t, ColorBad, pts[3]["fill"])
}

func tips(svg string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<title>([^<]*)</title>`).FindAllStringSubmatch(svg, -1) {
		out = append(out, strings.NewReplacer("&lt;", "<", "&gt;", ">").Replace(m[1]))
	}
	return out
}

// Without values on the edge, the axes span the values alone: no band,
// no limit.
func TestScatterNoEdge(t *testing.T) {
	c := Scatter{ID: "s", Series: []string{"a", "b"}, X: 0, Y: 1, Limit: 30, Items: []ScatterItem{
		{Values: []float64{0.001, 0.002}}, {Values: []float64{0.01, 0.003}},
	}}
	svg := string(c.SVG())
	assert.NotContains(t, svg, "unsolved")
	assert.NotContains(t, svg, "stroke-dasharray")
	assert.NotContains(t, svg, ">30<")
	for _, p := range circles(svg) {
		for _, tok := range strings.Fields(p["data-v"]) {
			v, err := strconv.ParseFloat(tok, 64)
			require.NoError(t, err)
			assert.True(t, v > 0.02 && v < 0.98, "%v inside the plot area", v)
		}
	}
	// Without a limit, +Inf lies on an edge beyond the largest value.
	c.Limit = 0
	c.Items = append(c.Items, ScatterItem{Values: []float64{math.Inf(1), 0.004}})
	svg = string(c.SVG())
	assert.Contains(t, svg, ">unsolved</text>")
	assert.Contains(t, circles(svg)[2]["data-v"], "e ")
	// No item at all.
	assert.Contains(t, string(Scatter{ID: "e", Series: []string{"a", "b"}, Y: 1}.SVG()), "</svg>")
}

// The page's script and style sheet hold the tables' and scatter charts'
// code, once.
func TestWriteHasTableScript(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, Write(&b, "t", ""))
	out := b.String()
	assert.Equal(t, 1, strings.Count(out, `document.querySelectorAll("table.sortable")`))
	assert.Equal(t, 1, strings.Count(out, `document.querySelectorAll(".filters[data-table]")`))
	assert.Equal(t, 1, strings.Count(out, `document.querySelectorAll("figure.scatter")`))
	assert.Contains(t, out, "figure.scatter circle.sp.b { fill: "+ColorBad)
	assert.NotContains(t, out, "ZgotmplZ")
}
