// Package page writes self-contained HTML pages: one file with its style
// sheet and its little script inline and its charts as inline SVG, that
// opens from file:// with no server, no network and no external font,
// script or style sheet. The history's dashboard (history.WriteReport)
// is one, a sweep run's report (results.WriteHTML) another.
//
// Charts: LineChart (a series over commits) and Scatter (items by two of
// several series, log-log). Tables: the page's one script sorts and
// filters tables and redraws scatter charts from attributes of their
// markup (see table.go).
//
// Text goes into pages through html/template or Text, which escape it;
// the charts' SVG is built here with every text and attribute escaped.
package page

import (
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
)

// Write writes a complete page: the title, the package's style sheet and
// script, and body (markup the caller built, e.g. with html/template).
func Write(w io.Writer, title string, body template.HTML) error {
	return skeleton.Execute(w, struct {
		Title string
		CSS   template.CSS
		JS    template.JS
		Body  template.HTML
	}{title, template.CSS(css + tableCSS), template.JS(script + tableScript), body})
}

// Text escapes s for HTML text or a quoted attribute value.
func Text(s string) template.HTML { return template.HTML(template.HTMLEscapeString(s)) }

// The favicon link keeps a browser from asking for /favicon.ico: the page
// needs nothing but itself.
var skeleton = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{{.Title}}</title>
<style>{{.CSS}}</style>
</head>
<body>
{{.Body}}
<script>{{.JS}}</script>
</body>
</html>
`))

// Colours of marks, also used by the style sheet. Bad is a colour nothing
// else on a page uses, so that a screenshot can be searched for it.
const (
	ColorLine     = "#1f5f99"
	ColorBad      = "#d62728"
	ColorGood     = "#2ca02c"
	ColorAccepted = "#7b3fb5"
	ColorWarn     = "#c98a00"
)

const css = `
:root { color-scheme: light; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  margin: 0 auto; padding: 16px 24px 48px; max-width: 1400px; color: #1d1d1f; background: #fff; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
code, .mono { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
.muted { color: #666; }
.nowrap { white-space: nowrap; }
.small { font-size: 12px; }
a { color: #1f5f99; }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { padding: 3px 10px; border-bottom: 1px solid #e6e6e6; text-align: left; vertical-align: top; }
th { background: #f4f4f6; font-weight: 600; position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.regression td { background: #fde8e8; }
tr.regression td.verdict { color: ` + ColorBad + `; font-weight: 700; }
tr.improvement td.verdict { color: ` + ColorGood + `; }
tr.accepted td.verdict { color: ` + ColorAccepted + `; }
tr.warning td.verdict { color: ` + ColorWarn + `; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0; }
dl.facts dt { color: #666; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.box { border: 1px solid #ddd; border-radius: 6px; padding: 8px 14px; background: #fbfbfc; }
.bad { color: ` + ColorBad + `; font-weight: 600; }
.good { color: ` + ColorGood + `; }
.acc { color: ` + ColorAccepted + `; font-weight: 600; }
.warn { color: ` + ColorWarn + `; }
details { margin: 6px 0; border: 1px solid #e2e2e2; border-radius: 6px; padding: 0 10px; }
details[open] { padding-bottom: 8px; }
summary { cursor: pointer; padding: 6px 0; font-weight: 600; }
summary .sub { font-weight: normal; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 10px 14px; }
figure.chart { margin: 0; padding: 4px 6px 6px; border: 1px solid #eee; border-radius: 4px; background: #fff; min-width: 0; }
figure.chart.flagged { border-color: ` + ColorBad + `; box-shadow: 0 0 0 1px ` + ColorBad + ` inset; }
figure.chart figcaption { font-weight: 600; font-size: 13px; display: flex; justify-content: space-between; gap: 8px; }
figure.chart figcaption .sub { font-weight: normal; color: #666; font-size: 12px; white-space: nowrap; }
figure.chart svg { display: block; width: 100%; height: auto; }
figure.chart ul.notes { margin: 2px 0 0; padding-left: 18px; font-size: 12px; }
.legend { font-size: 12px; color: #444; }
.legend svg { vertical-align: middle; }
.toolbar button { font: inherit; font-size: 12px; margin-right: 6px; }
svg text { font-family: "DejaVu Sans", system-ui, sans-serif; }
`

// The script opens the <details> around a linked element (following a
// link to a chart in a closed section), and wires the buttons that open
// or close every section. The page works without it.
const script = `
(function () {
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    for (var p = el; p; p = p.parentElement) {
      if (p.tagName === "DETAILS") { p.open = true; }
    }
    if (el) { el.scrollIntoView(); }
  }
  window.addEventListener("hashchange", reveal);
  if (location.hash) { reveal(); }
  document.querySelectorAll("button[data-details]").forEach(function (b) {
    b.addEventListener("click", function () {
      var open = b.getAttribute("data-details") === "open";
      document.querySelectorAll("details.section").forEach(function (d) { d.open = open; });
    });
  });
})();
`

// Format writes a value compactly for an axis: 3 significant digits
// (4 from 1000 on) with an SI suffix (k, M, G, T) from 1000 on, or m/µ
// below 0.01.
func Format(v float64) string {
	a := math.Abs(v)
	switch {
	case v == 0 || math.IsNaN(v) || math.IsInf(v, 0):
		return strconv.FormatFloat(v, 'g', -1, 64)
	case a >= 1e3:
		for _, u := range []struct {
			s string
			f float64
		}{{"T", 1e12}, {"G", 1e9}, {"M", 1e6}, {"k", 1e3}} {
			if a >= u.f {
				return trimFloat(v/u.f) + u.s
			}
		}
	case a < 0.01:
		if a >= 1e-6 {
			if a >= 1e-3 {
				return trimFloat(v*1e3) + "m"
			}
			return trimFloat(v*1e6) + "µ"
		}
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	return trimFloat(v)
}

// FormatNanos writes a number of nanoseconds as a duration: 6.08ms.
func FormatNanos(ns float64) string {
	a := math.Abs(ns)
	for _, u := range []struct {
		s string
		f float64
	}{{"s", 1e9}, {"ms", 1e6}, {"µs", 1e3}} {
		if a >= u.f {
			return trimFloat(ns/u.f) + u.s
		}
	}
	return trimFloat(ns) + "ns"
}

// trimFloat writes v with 3 significant digits (4 from 1000 on, so that
// no value below 10 000 is rounded to another power of ten), without an
// exponent and without trailing zeros.
func trimFloat(v float64) string {
	prec := 3
	if math.Abs(v) >= 1000 {
		prec = 4
	}
	s := strconv.FormatFloat(v, 'g', prec, 64)
	if strings.ContainsAny(s, "e") {
		f, _ := strconv.ParseFloat(s, 64)
		s = strconv.FormatFloat(f, 'f', -1, 64)
	}
	return s
}
