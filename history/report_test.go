package history

import (
	"bytes"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dashCommit is the commit of the generated histories' regression: as in
// the repository's own history, highs-compact's n=6 model grows from 28
// to 871 columns there.
const dashCommit = "34ae6ee0c0a1b2c3d4e5f60718293a4b5c6d7e8f"

// dashGen is one generated entry.
type dashGen struct {
	subject string
	highs   string // the highs version
	after   bool   // highs-compact/n=6 as from dashCommit on
	commit  string // default: derived from the index
}

// dashHistory writes the entries into dir with Write, one hour apart, the
// times with 6 samples each, and loads them.
func dashHistory(t *testing.T, dir string, es []dashGen) []*Entry {
	t.Helper()
	base := time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)
	for i, e := range es {
		commit := e.commit
		if commit == "" {
			commit = fmt.Sprintf("%07x%033d", 0xa000000+i, i)
		}
		highs := e.highs
		if highs == "" {
			highs = "1.15.1"
		}
		var b strings.Builder
		fmt.Fprintf(&b, "goos: linux\ngoarch: amd64\npkg: github.com/nashbench/nashbench/bench\nhighs: %s\ngophersat: v1.4.0\n", highs)
		cols, rows, nnz, nodes, ns := 28, 105, 707, 0, 6.0e6
		if e.after {
			cols, rows, nnz, nodes, ns = 871, 670, 4355, 3, 4.8e8
		}
		for k := range 6 {
			jitter := 1 + 0.01*float64((k*7+i*3)%5)
			fmt.Fprintf(&b, "BenchmarkSolve/enum/n=6-2 \t 1000\t %.0f ns/op\t 175.0 checks/op\t 121.0 profiles/op\n", 128000*jitter)
			fmt.Fprintf(&b, "BenchmarkSolve/highs-compact/n=6-2 \t 10\t %.0f ns/op\t 24.00 binaries/op\t %d columns/op\t %d nodes/op\t %d nonzeros/op\t %d rows/op\t 4.000 solves/op\n",
				ns*jitter, cols, nodes, nnz, rows)
		}
		_, err := Write(dir, Header{
			Commit: commit, Subject: e.subject, Date: base.Add(time.Duration(i) * time.Hour),
			RunDate: base.Add(time.Duration(i)*time.Hour + time.Minute), Machine: "ci", Suite: "track/1", Mode: "full",
		}, []byte(b.String()))
		require.NoError(t, err)
	}
	entries, _, err := Load(dir)
	require.NoError(t, err)
	require.Len(t, entries, len(es))
	return entries
}

// dashEntries are n entries with the regression at index at (none if at < 0).
func dashEntries(n, at int) []dashGen {
	es := make([]dashGen, n)
	for i := range es {
		es[i].subject = fmt.Sprintf("change %d", i)
		if at >= 0 && i >= at {
			es[i].after = true
		}
	}
	if at >= 0 {
		es[at].commit = dashCommit
		es[at].subject = "highs-compact without the pairwise budget"
	}
	return es
}

// dashHas and dashHasNot check a part of a page, and name only the
// part when it fails (not the whole page).
func dashHas(t *testing.T, s, sub string, msg ...any) {
	t.Helper()
	if !strings.Contains(s, sub) {
		t.Errorf("missing %q %v", sub, msg)
	}
}

func dashHasNot(t *testing.T, s, sub string, msg ...any) {
	t.Helper()
	if strings.Contains(s, sub) {
		t.Errorf("unexpected %q %v", sub, msg)
	}
}

func dashReport(t *testing.T, entries []*Entry, accepts []Accept) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, WriteReport(&b, entries, accepts))
	return b.String()
}

// dashElement returns the element with the id, up to its end tag.
func dashElement(t *testing.T, page, id, tag string) string {
	t.Helper()
	i := strings.Index(page, `id="`+id+`"`)
	require.GreaterOrEqual(t, i, 0, "no element %s", id)
	start := strings.LastIndex(page[:i], "<"+tag)
	end := strings.Index(page[i:], "</"+tag+">")
	require.GreaterOrEqual(t, end, 0)
	return page[start : i+end]
}

// The regression is marked at its commit in each metric that changed, named
// next to the chart, listed at the top, and its benchmark's section is open.
func TestReportMarksRegressions(t *testing.T) {
	entries := dashHistory(t, t.TempDir(), dashEntries(12, 6))
	page := dashReport(t, entries, nil)

	cols := dashElement(t, page, "BenchmarkSolve-highs-compact-n-6--columns-op", "figure")
	dashHas(t, cols, `class="chart flagged"`)
	dashHas(t, cols, `<g class="pt" data-x="6" data-mark="bad">`)
	dashHas(t, html.UnescapeString(cols), "regression at 34ae6ee: 28 -> 871 (+3010.7%)")
	// Still flagged while the window holds the old value, then not.
	for x := 7; x <= 10; x++ {
		dashHas(t, cols, fmt.Sprintf(`data-x="%d" data-mark="bad-again"`, x))
	}
	dashHasNot(t, cols, `data-x="11" data-mark`)
	assert.Equal(t, 1, strings.Count(cols, `data-mark="bad"`), "one onset")
	// The commit labels the axis in red.
	assert.Regexp(t, `fill="#d62728" class="xl">34ae6ee</text>`, cols)

	for _, u := range []string{"rows-op", "nonzeros-op", "nodes-op", "ns-op"} {
		fig := dashElement(t, page, "BenchmarkSolve-highs-compact-n-6--"+u, "figure")
		dashHas(t, fig, `data-x="6" data-mark="bad"`, u)
	}
	// nodes/op is 0 before: drawn on the floor, and the caption says so.
	nodes := dashElement(t, page, "BenchmarkSolve-highs-compact-n-6--nodes-op", "figure")
	dashHas(t, nodes, "0 on the dashed line")
	dashHas(t, nodes, `stroke-dasharray="3 3"`)

	sec := dashElement(t, page, "BenchmarkSolve-highs-compact-n-6", "details")
	assert.Regexp(t, `^<details class="section" id="BenchmarkSolve-highs-compact-n-6" open>`, sec)
	dashHas(t, sec, "regression at 34ae6ee: columns/op, nodes/op, nonzeros/op, rows/op")
	// The time regression is marked on its chart and listed apart, in
	// the collapsed table of time regressions.
	times := dashElement(t, page, "time-onsets", "details")
	dashHas(t, times, "34ae6ee")
	dashHas(t, times, "ns/op")
	// enum has no regression: closed; its constant counters are listed,
	// not drawn.
	enum := dashElement(t, page, "BenchmarkSolve-enum-n-6", "details")
	assert.Regexp(t, `^<details class="section" id="BenchmarkSolve-enum-n-6">`, enum)
	dashHas(t, enum, `the same in every entry: <span id="BenchmarkSolve-enum-n-6--checks-op">checks/op 175</span>, <span id="BenchmarkSolve-enum-n-6--profiles-op">profiles/op 121</span>`)
	dashHasNot(t, enum, `<figure class="chart" id="BenchmarkSolve-enum-n-6--checks-op"`)
	// binaries/op and solves/op never change either.
	dashHas(t, sec, `the same in every entry: <span id="BenchmarkSolve-highs-compact-n-6--binaries-op">binaries/op 24</span>, <span id="BenchmarkSolve-highs-compact-n-6--solves-op">solves/op 4</span>`)

	onsets := dashElement(t, page, "onsets", "table")
	dashHas(t, onsets, `href="#BenchmarkSolve-highs-compact-n-6--columns-op"`)
	dashHas(t, onsets, "<td>columns/op</td><td class=\"num\">28</td><td class=\"num\">871</td>")
	dashHas(t, onsets, "still flagged in the 4 entries after it")
	// The newest entry (5 after the change) is the same as its window.
	dashHas(t, page, "No regression in the newest entry.")
}

// When the newest entry is the regression, the table at the top lists it
// first and highlighted.
func TestReportNewestRegression(t *testing.T) {
	entries := dashHistory(t, t.TempDir(), dashEntries(7, 6))
	page := dashReport(t, entries, nil)
	dashHas(t, page, `<p class="bad">5 regressions in the newest entry.</p>`)
	first := regexp.MustCompile(`<tbody>\s*<tr class="([a-z]+)">.*?<td>([^<]+)</td>`).FindStringSubmatch(page)
	require.NotNil(t, first)
	assert.Equal(t, "regression", first[1])
	assert.Equal(t, "columns/op", first[2], "counters first")
	dashHas(t, html.UnescapeString(page), `<td class="num">28</td><td class="num">871</td><td class="num">+3010.7%</td><td class="verdict">REGRESSION`)
	dashHas(t, page, "<dt>commit</dt><dd><code>34ae6ee</code>")
	dashHas(t, page, "<dd>highs-compact without the pairwise budget</dd>")
}

// An accepted change is marked at the first entry after its cut, with its
// reason; it is no longer a regression from then on.
func TestReportAccepted(t *testing.T) {
	dir := t.TempDir()
	entries := dashHistory(t, dir, dashEntries(7, 6))
	r, err := Regress(entries, nil, Defaults)
	require.NoError(t, err)
	_, err = AcceptRegressions(dir, r, "the compact model <b>trades</b> size for speed")
	require.NoError(t, err)
	entries, accepts, err := Load(dir)
	require.NoError(t, err)
	require.Len(t, accepts, 1)

	page := dashReport(t, entries, accepts)
	cols := dashElement(t, page, "BenchmarkSolve-highs-compact-n-6--columns-op", "figure")
	dashHas(t, cols, `data-x="6" data-mark="accepted"`)
	dashHas(t, cols, "accepted at 34ae6ee: 28 -&gt; 871: the compact model &lt;b&gt;trades&lt;/b&gt; size for speed")
	dashHasNot(t, cols, `data-mark="bad"`)
	dashHas(t, page, `<span class="acc">the compact model &lt;b&gt;trades&lt;/b&gt; size for speed</span>`)
	dashHas(t, page, `<details class="section" id="BenchmarkSolve-highs-compact-n-6" open>`)
	dashHas(t, page, "No regression in the newest entry.")
}

// Subjects, reasons and every other text from the files are escaped: a
// subject with a script element stays text.
func TestReportEscapes(t *testing.T) {
	es := dashEntries(3, -1)
	es[1].subject = `<script>alert("x")</script> & "quoted" 'single'`
	es[2].subject = `</title><img src=x onerror=alert(1)>`
	entries := dashHistory(t, t.TempDir(), es)
	page := dashReport(t, entries, nil)
	assert.Equal(t, 1, strings.Count(page, "<script"), "only the page's own script")
	dashHasNot(t, page, "<img")
	dashHasNot(t, page, `alert("x")`)
	dashHas(t, page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;quoted&#34; &#39;single&#39;")
	dashHas(t, page, "&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;")
}

// The page needs nothing but itself: no address outside it (the SVG
// namespace is a name, not a load) and no external script, style sheet
// or image.
func TestReportSelfContained(t *testing.T) {
	entries := dashHistory(t, t.TempDir(), dashEntries(8, 4))
	page := dashReport(t, entries, nil)
	assert.True(t, strings.HasPrefix(page, "<!DOCTYPE html>"))
	rest := strings.ReplaceAll(page, `xmlns="http://www.w3.org/2000/svg"`, "")
	for _, re := range []string{`(?i)https?:|//[a-z]`, `(?i)\ssrc=`, `(?i)<link[^>]+stylesheet`, `(?i)url\(`} {
		assert.Empty(t, regexp.MustCompile(re).FindString(rest), re)
	}
	dashHasNot(t, rest, "@import")
	// Every link leads to an element of the page.
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(rest, -1) {
		if m[1] == "data:," {
			continue
		}
		require.True(t, strings.HasPrefix(m[1], "#"), "href %q", m[1])
		dashHas(t, page, `id="`+m[1][1:]+`"`)
	}
}

// Each point's tooltip names the entry's commit, subject, date and value,
// and the versions that changed from the entry before.
func TestReportTooltips(t *testing.T) {
	es := dashEntries(4, -1)
	es[2].highs = "1.16.0"
	es[3].highs = "1.16.0"
	entries := dashHistory(t, t.TempDir(), es)
	page := dashReport(t, entries, nil)
	ns := dashElement(t, page, "BenchmarkSolve-highs-compact-n-6--ns-op", "figure")
	tips := regexp.MustCompile(`<title>([^<]*)</title>`).FindAllStringSubmatch(ns, -1)
	var got []string
	for _, m := range tips {
		got = append(got, html.UnescapeString(m[1]))
	}
	require.Len(t, got, 4)
	assert.Equal(t, "#3 a000002  2026-11-22 03:00 UTC  ci\nchange 2\nns/op = 6.09ms (median of 6: 6ms to 6.24ms)\nversions: highs 1.16.0 (was 1.15.1)", got[2])
	dashHasNot(t, got[3], "versions:")
	// The entries' table names the versions that changed.
	dashHas(t, dashElement(t, page, "entries", "table"), "highs 1.16.0 (was 1.15.1)")
}

// One entry has nothing to compare with: every metric is new, and the
// charts have one point.
func TestReportOneEntry(t *testing.T) {
	entries := dashHistory(t, t.TempDir(), dashEntries(1, -1))
	page := dashReport(t, entries, nil)
	dashHas(t, page, "No regression in the newest entry.")
	dashHas(t, page, `<td class="verdict">new</td>`)
	dashHas(t, page, "No entry's work counter was a regression against the entries before it.")
	require.Error(t, WriteReport(&bytes.Buffer{}, nil, nil))
}

func TestReportHelpers(t *testing.T) {
	for _, tt := range []struct{ a, b string }{
		{"BenchmarkSolve/enum/n=6", "BenchmarkSolve/enum/n=10"},
		{"BenchmarkSolve/enum/n=16", "BenchmarkSolve/gophersat/n=6"},
		{"BenchmarkSolve/gophersat-pb/n=8", "BenchmarkSolve/gophersat/n=6"},
		{"a1", "a01b"},
		{"x", "xy"},
	} {
		assert.Negative(t, dashNatCompare(tt.a, tt.b), "%s < %s", tt.a, tt.b)
		assert.Positive(t, dashNatCompare(tt.b, tt.a), "%s > %s", tt.b, tt.a)
	}
	assert.Zero(t, dashNatCompare("n=6", "n=6"))

	for _, tt := range []struct{ in, want string }{
		{"github.com/nashbench/nashbench/bench.BenchmarkSolve/highs-compact/n=6", "BenchmarkSolve/highs-compact/n=6"},
		{"BenchmarkX", "BenchmarkX"},
		{"example.com/p.BenchmarkA/sub.BenchmarkB", "BenchmarkA/sub.BenchmarkB"},
		{"example.com/p/v2.BenchmarkA", "BenchmarkA"},
	} {
		assert.Equal(t, tt.want, benchDisplayName(tt.in))
	}

	for _, tt := range []struct {
		unit string
		v    float64
		want string
	}{
		{"columns/op", 871, "871"},
		{"checks/op", 156022, "156022"},
		{"ratio/op", 0.123456, "0.1235"},
		{"ns/op", 6077413, "6.08ms"},
		{"ns/op", 512, "512ns"},
		{"sec/op", 2.5, "2.5s"},
	} {
		assert.Equal(t, tt.want, dashValue(tt.unit, tt.v), "%s %v", tt.unit, tt.v)
	}

	ids := dashIDs{}
	assert.Equal(t, "BenchmarkSolve-enum-n-6--checks-op", ids.make("BenchmarkSolve/enum/n=6--checks/op"))
	assert.Equal(t, "a-b", ids.make("a/b"))
	assert.Equal(t, "a-b-2", ids.make("a.b"))
	assert.Equal(t, "x", ids.make("///"))

	assert.Equal(t, "highs 1.16.0 (was 1.15.1), wazero v1 (new), z gone (was 1)",
		dashVersionDiff(map[string]string{"highs": "1.15.1", "go": "1", "z": "1"}, map[string]string{"highs": "1.16.0", "go": "1", "wazero": "v1"}))
	assert.Equal(t, []string{"a/op", "b/op", "ns/op"}, dashUnits(map[string]bool{"ns/op": true, "b/op": true, "a/op": true}))
}

// The report of the files in a directory is the same however often it is
// written (no map order shows).
func TestReportDeterministic(t *testing.T) {
	dir := t.TempDir()
	entries := dashHistory(t, dir, dashEntries(9, 5))
	a := dashReport(t, entries, nil)
	for range 3 {
		require.Equal(t, a, dashReport(t, entries, nil))
	}
	require.NoError(t, os.WriteFile(filepath.Join(t.TempDir(), "page.html"), []byte(a), 0o644))
}
