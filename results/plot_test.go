package results

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/nashbench/nashbench/record"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sweepRows are the rows of a small sweep: each solver decides every
// instance of each size and ratio, count instances a point, at n
// milliseconds; the instances above ratio 5 are unsatisfiable.
func sweepRows(ns []int, ratios []float64, solvers []string, count int) []record.Row {
	var rows []record.Row
	for _, n := range ns {
		for _, ratio := range ratios {
			for i := range count {
				for _, s := range solvers {
					ans := record.SAT
					if ratio > 5 {
						ans = record.UNSAT
					}
					rows = append(rows, record.Row{Record: record.Record{
						Instance: filepath.Join("instances", strconv.Itoa(n), strconv.FormatFloat(ratio, 'g', -1, 64), strconv.Itoa(i)),
						Solver:   s, Answer: ans, Status: record.Solved, Seconds: float64(n) * 1e-3,
					}, N: n, Ratio: ratio})
				}
			}
		}
	}
	return rows
}

// svgText is one text of an SVG that gonum wrote: x is its left edge and
// y its baseline, both in points from the bottom left corner (gonum flips
// the page); rotated is set for text turned a quarter (the y axis label).
type svgText struct {
	text    string
	x, y    float64
	size    float64 // font size in points
	rotated bool
}

// svgPlot is what the structural checks read from a plot's SVG.
type svgPlot struct {
	file          string
	width, height float64
	title         svgText
	xLabel        svgText
	yLabel        svgText
	xTicks        []svgText // left to right
	yTicks        []svgText // bottom to top
	legend        []svgText // top to bottom
	// lines are the stroke colours of the series' lines (1.2 points wide,
	// as addSeries and cactusPlot draw them), each once.
	lines []string
}

var (
	fontSize    = regexp.MustCompile(`font-size:([0-9.]+)px`)
	seriesLine  = regexp.MustCompile(`stroke:(#[0-9A-Fa-f]{6});stroke-width:1\.2\b`)
	viewBoxSize = regexp.MustCompile(`^0 0 ([0-9.]+) ([0-9.]+)$`)
)

// readSVG parses an SVG that Plot wrote and sorts its texts into title,
// axis labels, tick labels and legend by gonum's layout: the title is the
// topmost text, the axis labels are set in 12 points (the y one rotated),
// tick labels in 10 (the x axis's share the lowest baseline of those) and
// the legend in 8 (newPlot's).
func readSVG(t *testing.T, file string) svgPlot {
	t.Helper()
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	p := svgPlot{file: file}
	var texts []svgText
	dec := xml.NewDecoder(bytes.NewReader(b))
	var rotated []bool // per open <g>
	var cur *svgText
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, file)
		switch el := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range el.Attr {
				attr[a.Name.Local] = a.Value
			}
			switch el.Name.Local {
			case "svg":
				m := viewBoxSize.FindStringSubmatch(attr["viewBox"])
				require.NotNil(t, m, "%s: viewBox %q", file, attr["viewBox"])
				p.width, _ = strconv.ParseFloat(m[1], 64)
				p.height, _ = strconv.ParseFloat(m[2], 64)
			case "g":
				rotated = append(rotated, attr["transform"] == "rotate(90)")
			case "text":
				x, err := strconv.ParseFloat(attr["x"], 64)
				require.NoError(t, err, file)
				y, err := strconv.ParseFloat(attr["y"], 64)
				require.NoError(t, err, file)
				m := fontSize.FindStringSubmatch(attr["style"])
				require.NotNil(t, m, "%s: a text without a font size", file)
				size, _ := strconv.ParseFloat(m[1], 64)
				require.Equal(t, "scale(1, -1)", attr["transform"], file)
				cur = &svgText{x: x, y: -y, size: size, rotated: slices.Contains(rotated, true)}
			case "path":
				if m := seriesLine.FindStringSubmatch(attr["style"]); m != nil && !slices.Contains(p.lines, m[1]) {
					p.lines = append(p.lines, m[1])
				}
			}
		case xml.CharData:
			if cur != nil {
				cur.text += string(el)
			}
		case xml.EndElement:
			switch el.Name.Local {
			case "g":
				rotated = rotated[:len(rotated)-1]
			case "text":
				texts = append(texts, *cur)
				cur = nil
			}
		}
	}
	require.Positive(t, p.width, file)
	require.NotEmpty(t, texts, file)

	top := 0
	for i, tx := range texts {
		if tx.y > texts[top].y {
			top = i
		}
	}
	p.title = texts[top]
	var ticks []svgText
	for i, tx := range texts {
		switch {
		case i == top:
		case tx.rotated:
			require.Empty(t, p.yLabel.text, "%s: two rotated texts", file)
			p.yLabel = tx
		case tx.size == 12:
			require.Empty(t, p.xLabel.text, "%s: two x axis labels", file)
			p.xLabel = tx
		case tx.size == 10:
			ticks = append(ticks, tx)
		case tx.size == 8:
			p.legend = append(p.legend, tx)
		default:
			t.Fatalf("%s: a text %q in %g points, which no part of a plot uses", file, tx.text, tx.size)
		}
	}
	lowest := slices.MinFunc(ticks, func(a, b svgText) int { return cmpFloat(a.y, b.y) }).y
	for _, tx := range ticks {
		if tx.y == lowest {
			p.xTicks = append(p.xTicks, tx)
		} else {
			p.yTicks = append(p.yTicks, tx)
		}
	}
	slices.SortFunc(p.xTicks, func(a, b svgText) int { return cmpFloat(a.x, b.x) })
	slices.SortFunc(p.yTicks, func(a, b svgText) int { return cmpFloat(a.y, b.y) })
	slices.SortFunc(p.legend, func(a, b svgText) int { return cmpFloat(b.y, a.y) })
	return p
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// width is the width in points of s in gonum's default font at size.
func width(s string, size float64) float64 {
	sty := plot.New().X.Tick.Label
	sty.Font.Size = vg.Length(size)
	return float64(sty.Width(s))
}

func texts(ts []svgText) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.text
	}
	return out
}

// checkLayout checks what holds for every plot: each text lies inside the
// page; tick labels along an axis, and legend entries, do not overlap;
// there are two tick labels or more on each axis, and a series line per
// legend entry but the "first timeouts" cross.
func checkLayout(t *testing.T, p svgPlot) {
	t.Helper()
	all := append([]svgText{p.title, p.xLabel}, p.xTicks...)
	all = append(all, p.yTicks...)
	all = append(all, p.legend...)
	for _, tx := range all {
		w := width(tx.text, tx.size)
		assert.GreaterOrEqual(t, tx.x, 0.0, "%s: %q starts left of the page", p.file, tx.text)
		assert.LessOrEqual(t, tx.x+w, p.width+0.01, "%s: %q ends right of the page", p.file, tx.text)
		// Liberation Serif's descenders reach 0.22 em below the baseline,
		// capitals and ascenders 0.69 em above it.
		assert.GreaterOrEqual(t, tx.y-0.22*tx.size, 0.0, "%s: %q below the page", p.file, tx.text)
		assert.LessOrEqual(t, tx.y+0.69*tx.size, p.height, "%s: %q above the page", p.file, tx.text)
	}
	assert.NotEmpty(t, p.yLabel.text, p.file)
	require.GreaterOrEqual(t, len(p.xTicks), 2, "%s: x ticks %q", p.file, texts(p.xTicks))
	require.GreaterOrEqual(t, len(p.yTicks), 2, "%s: y ticks %q", p.file, texts(p.yTicks))
	for i := 1; i < len(p.xTicks); i++ {
		a, b := p.xTicks[i-1], p.xTicks[i]
		assert.Less(t, a.x+width(a.text, a.size), b.x, "%s: x tick labels %q and %q overlap", p.file, a.text, b.text)
	}
	for i := 1; i < len(p.yTicks); i++ {
		a, b := p.yTicks[i-1], p.yTicks[i]
		assert.GreaterOrEqual(t, b.y-a.y, a.size, "%s: y tick labels %q and %q overlap", p.file, a.text, b.text)
	}
	for i := 1; i < len(p.legend); i++ {
		a, b := p.legend[i-1], p.legend[i]
		assert.GreaterOrEqual(t, a.y-b.y, a.size, "%s: legend entries %q and %q overlap", p.file, a.text, b.text)
	}
	series := len(p.legend)
	if slices.Contains(texts(p.legend), "first timeouts") {
		series--
	}
	assert.Len(t, p.lines, series, "%s: a line per series of the legend %q", p.file, texts(p.legend))
}

// Plot draws four plots, each as SVG, PDF and PNG. Each SVG is checked
// for its structure: the title, the axis labels, the tick labels (on the
// data's sizes and ratios, none overlapping), the legend (one entry and
// one coloured line per series), every text inside the page.
func TestPlot(t *testing.T) {
	t.Parallel()
	rows := sweepRows([]int{6, 8, 10}, []float64{3, 4.26, 6}, []string{"enum", "gophersat"}, 1)
	dir := t.TempDir()
	files, err := Plot(rows, dir)
	require.NoError(t, err)
	// Four plots, each as SVG, PDF and PNG.
	require.Len(t, files, 12)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		switch {
		case strings.HasSuffix(f, ".png"):
			img, err := png.Decode(bytes.NewReader(b))
			require.NoError(t, err)
			assert.GreaterOrEqual(t, img.Bounds().Dx(), 1200, f)
		case strings.HasSuffix(f, ".pdf"):
			assert.True(t, strings.HasPrefix(string(b), "%PDF-"), f)
		}
	}

	tests := []struct {
		name           string
		title          string // what the title starts with
		xLabel, yLabel string
		xTicks         []string // nil: not checked (a log scale's)
		legend         []string
	}{
		{"cactus", "Instances solved within a time", "instances solved", "seconds", nil,
			[]string{"enum (9)", "gophersat (9)"}},
		{"time-vs-n", "Median time to decide", "variables (n)", "seconds", []string{"6", "8", "10"},
			[]string{"enum", "gophersat"}},
		// The reference solver (gophersat) reports no conflicts in these
		// rows: its times.
		{"hardness-vs-ratio", "Median time of gophersat against the ratio", "clauses / variables", "seconds", []string{"3", "4.26", "6"},
			[]string{"n=6", "n=8", "n=10"}},
		{"sat-vs-ratio", "Fraction satisfiable", "clauses / variables", "fraction satisfiable", []string{"3", "4.26", "6"},
			[]string{"n=6 (crossover 5.13)", "n=8 (crossover 5.13)", "n=10 (crossover 5.13)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := readSVG(t, filepath.Join(dir, tt.name+".svg"))
			assert.True(t, strings.HasPrefix(p.title.text, tt.title), "title %q", p.title.text)
			assert.Equal(t, tt.xLabel, p.xLabel.text)
			assert.Equal(t, tt.yLabel, p.yLabel.text)
			if tt.xTicks != nil {
				assert.Equal(t, tt.xTicks, texts(p.xTicks))
			}
			assert.Equal(t, tt.legend, texts(p.legend))
			checkLayout(t, p)
		})
	}
	sat := readSVG(t, filepath.Join(dir, "sat-vs-ratio.svg"))
	assert.Equal(t, []string{"0.0", "0.5", "1.0"}, texts(sat.yTicks))

	// The SVGs are the same on every run (gonum embeds its fonts), so
	// that a run directory's plots compare byte for byte.
	again := t.TempDir()
	_, err = Plot(rows, again)
	require.NoError(t, err)
	for _, f := range files {
		if strings.HasSuffix(f, ".svg") {
			a, err := os.ReadFile(f)
			require.NoError(t, err)
			b, err := os.ReadFile(filepath.Join(again, filepath.Base(f)))
			require.NoError(t, err)
			assert.True(t, bytes.Equal(a, b), "%s differs between two runs", filepath.Base(f))
		}
	}

	_, err = Plot([]record.Row{{Record: record.Record{Answer: "unknown"}}}, dir)
	assert.ErrorContains(t, err, "no decided rows")
}

// One solver at one size: a single point on the log scale, and no plot
// against n. Timeouts count at the limit instead of vanishing.
func TestPlotEdgeCases(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	one := []record.Row{{Record: record.Record{Instance: "a", Solver: "enum", Answer: "sat", Status: record.Solved, Seconds: 0.01}, N: 6, Ratio: 4}}
	files, err := Plot(one, dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"cactus.pdf", "cactus.png", "cactus.svg"}, bases(files))
	checkLayout(t, readSVG(t, filepath.Join(dir, "cactus.svg")))

	timedOut := append(one, record.Row{Record: record.Record{Instance: "b", Solver: "enum", Answer: "unknown", Status: record.Timeout, Seconds: 2, Timeout: 2}, N: 8, Ratio: 4})
	_, err = Plot(timedOut, dir)
	require.NoError(t, err)
	p := readSVG(t, filepath.Join(dir, "time-vs-n.svg"))
	assert.Equal(t, []string{"6", "8"}, texts(p.xTicks), "the timed-out size is on the x axis")
	assert.Equal(t, []string{"enum", "first timeouts"}, texts(p.legend))
	checkLayout(t, p)
}

// Crowded axes: ratios closer than their labels are wide keep apart (a
// label gives way, the last one's is kept), and more sizes than
// maxSeries are thinned to maxSeries lines, the smallest and largest
// kept.
func TestPlotCrowded(t *testing.T) {
	t.Parallel()
	var ns []int
	for n := 6; n <= 30; n += 2 {
		ns = append(ns, n)
	}
	ratios := []float64{3, 4, 4.1, 4.2, 4.26, 4.3, 5, 5.5, 6}
	dir := t.TempDir()
	_, err := Plot(sweepRows(ns, ratios, []string{"gophersat"}, 1), dir)
	require.NoError(t, err)
	for _, name := range []string{"hardness-vs-ratio", "sat-vs-ratio", "time-vs-n"} {
		t.Run(name, func(t *testing.T) {
			p := readSVG(t, filepath.Join(dir, name+".svg"))
			checkLayout(t, p)
			// Every label is a value of the data, the last one's kept.
			values := ratios
			if name == "time-vs-n" {
				values = nil
				for _, n := range ns {
					values = append(values, float64(n))
				}
			}
			var want []string
			for _, v := range values {
				want = append(want, strconv.FormatFloat(v, 'g', -1, 64))
			}
			got := texts(p.xTicks)
			assert.Subset(t, want, got)
			assert.Equal(t, want[len(want)-1], got[len(got)-1])
			if name != "time-vs-n" {
				assert.Less(t, len(got), len(want), "some of %q give way", want)
				legend := texts(p.legend)
				assert.Len(t, legend, maxSeries)
				assert.True(t, strings.HasPrefix(legend[0], "n=6"), "%q", legend)
				assert.True(t, strings.HasPrefix(legend[len(legend)-1], fmt.Sprintf("n=%d", ns[len(ns)-1])), "%q", legend)
			}
		})
	}
}

func bases(files []string) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = filepath.Base(f)
	}
	return out
}
