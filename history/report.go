package history

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nashbench/nashbench/internal/page"
	"github.com/nashbench/nashbench/internal/plural"
)

// WriteReport writes the history as one self-contained HTML page (see
// package page): the newest entry judged against its window, as regress
// judges it with the default settings; then, per benchmark, a chart of
// each metric over all entries, with every regression marked at the entry
// that brought it (each entry judged against the entries before it, as
// regress judged it then) and every accepted change at the first entry
// after its cut; and last the list of entries.
func WriteReport(w io.Writer, entries []*Entry, accepts []Accept) error {
	if len(entries) == 0 {
		return fmt.Errorf("history: no entries")
	}
	d, err := dashData(entries, accepts)
	if err != nil {
		return err
	}
	var body bytes.Buffer
	if err := dashTemplate.Execute(&body, d); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	return page.Write(w, "nashbench history: "+entries[len(entries)-1].Short(), template.HTML(body.String()))
}

// dashMetric is one benchmark's unit.
type dashMetric struct{ bench, unit string }

// The page's data, as the template reads it.
type (
	dashPage struct {
		Newest                    *Entry
		NewestDate, NewestRun     string
		NewestVersions            string
		Entries                   int
		First, Last               string
		Machines, Suites          string
		Window                    string
		Regressions               int
		Rows, Warnings, Same      []dashRow
		Missing                   []string
		Onsets, TimeOnsets        []dashOnset
		Accepts                   []dashAccept
		Sections                  []dashSection
		EntryRows                 []dashEntry
		Legend                    template.HTML
		OpenSections, AllSections int
	}
	dashRow struct {
		Bench, Full, Unit, Window, New, Change, Verdict, Note, Class, Anchor string
	}
	dashOnset struct {
		Index                                                       int // of the entry, from 1
		Short, Subject, Bench, Unit, Old, New, Change, Span, Anchor string
	}
	dashAccept struct {
		Reason, Cut, Commit, File string
		Changes                   []string
	}
	dashSection struct {
		ID, Name, Full string
		Open           bool
		Flags          []dashNote
		Charts         []dashChart
		Constant       []dashNote // metrics with one value in every entry (Class: the id)
	}
	dashNote  struct{ Class, Text string }
	dashChart struct {
		ID, Unit, Sub string
		Flagged       bool
		SVG           template.HTML
		Notes         []dashNote
	}
	dashEntry struct {
		Index                                 int
		Short, Commit, Date, Machine, Subject string
		Versions                              string
	}
)

func dashData(entries []*Entry, accepts []Accept) (*dashPage, error) {
	newest := entries[len(entries)-1]
	r, err := Regress(entries, accepts, Defaults)
	if err != nil {
		return nil, err
	}
	// Each entry as regress judged it when it was the newest.
	verdicts := make([]map[dashMetric]Finding, len(entries))
	for i := range entries {
		ri, err := Regress(entries[:i+1], accepts, Defaults)
		if err != nil {
			return nil, err
		}
		verdicts[i] = map[dashMetric]Finding{}
		for _, f := range ri.Findings {
			verdicts[i][dashMetric{f.Benchmark, f.Unit}] = f
		}
	}

	// Every benchmark and metric of any entry.
	units := map[string]map[string]bool{}
	for _, e := range entries {
		for _, b := range e.Bench.Benchmarks() {
			if units[b] == nil {
				units[b] = map[string]bool{}
			}
			for _, u := range e.Bench.Units(b) {
				units[b][u] = true
			}
		}
	}
	benches := make([]string, 0, len(units))
	for b := range units {
		benches = append(benches, b)
	}
	slices.SortFunc(benches, func(a, b string) int { return dashNatCompare(benchDisplayName(a), benchDisplayName(b)) })

	ids := dashIDs{}
	benchID := map[string]string{}
	chartID := map[dashMetric]string{}
	for _, b := range benches {
		benchID[b] = ids.make(benchDisplayName(b))
		for _, u := range dashUnits(units[b]) {
			chartID[dashMetric{b, u}] = ids.make(benchDisplayName(b) + "--" + u)
		}
	}

	// Accepted changes: marked at the first entry after the cut that has
	// the metric.
	type acceptMark struct {
		a *Accept
		c Change
	}
	accepted := map[dashMetric]map[int]acceptMark{}
	for ai := range accepts {
		a := &accepts[ai]
		for _, c := range a.Changes {
			m := dashMetric{c.Benchmark, c.Unit}
			for i, e := range entries {
				if e.Date.After(a.Cut) && len(e.Bench.Values(c.Benchmark, c.Unit)) > 0 {
					if accepted[m] == nil {
						accepted[m] = map[int]acceptMark{}
					}
					accepted[m][i] = acceptMark{a, c}
					break
				}
			}
		}
	}

	d := &dashPage{
		Newest:         newest,
		NewestDate:     dashTime(newest.Date),
		NewestRun:      dashTime(newest.RunDate),
		NewestVersions: dashVersions(newest.Versions),
		Entries:        len(entries),
		First:          entries[0].Short() + " (" + dashTime(entries[0].Date) + ")",
		Last:           newest.Short() + " (" + dashTime(newest.Date) + ")",
		Regressions:    r.Regressions(),
		Missing:        r.Missing,
		Legend:         page.Legend(),
		AllSections:    len(benches),
	}
	machines, suites := map[string]bool{}, map[string]bool{}
	for _, e := range entries {
		machines[e.Machine] = true
		suites[e.Suite] = true
	}
	d.Machines, d.Suites = dashSet(machines), dashSet(suites)
	var win []string
	for _, e := range r.Window {
		win = append(win, e.Short())
	}
	d.Window = orNone(strings.Join(win, " "))

	// The newest entry against its window.
	fs := slices.Clone(r.Findings)
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if ka, kb := dashKindRank(a.Kind), dashKindRank(b.Kind); ka != kb {
			return ka < kb
		}
		if c := dashNatCompare(benchDisplayName(a.Benchmark), benchDisplayName(b.Benchmark)); c != 0 {
			return c < 0
		}
		return dashUnitLess(a.Unit, b.Unit)
	})
	for _, f := range fs {
		old, ch := dashValue(f.Unit, f.Old), pct(f.Old, f.New)
		if f.Kind == New || f.Kind == Accepted && f.From == nil {
			old, ch = "-", "-"
		} else if f.Delta != nil {
			old = fmt.Sprintf("%s (n=%d)", old, f.Delta.NOld)
			if !f.Delta.Significant {
				ch = "~ " + ch
			}
		}
		rw := dashRow{
			Bench: benchDisplayName(f.Benchmark), Full: f.Benchmark, Unit: f.Unit,
			Window: old, New: dashValue(f.Unit, f.New), Change: ch,
			Verdict: f.Kind.String(), Note: f.Note, Class: dashKindClass(f.Kind),
			Anchor: chartID[dashMetric{f.Benchmark, f.Unit}],
		}
		if f.Kind == Regression && f.From != nil {
			rw.Note = "since " + f.From.Short()
		}
		switch f.Kind {
		case Same:
			d.Same = append(d.Same, rw)
		case Warning:
			d.Warnings = append(d.Warnings, rw)
		default:
			d.Rows = append(d.Rows, rw)
		}
	}

	// The charts.
	labels := make([]string, len(entries))
	for i, e := range entries {
		labels[i] = e.Short()
	}
	for _, b := range benches {
		sec := dashSection{ID: benchID[b], Name: benchDisplayName(b), Full: b}
		onsetUnits := map[string][]string{} // commit -> units regressed there
		var onsetOrder []string
		for _, u := range dashUnits(units[b]) {
			m := dashMetric{b, u}
			ch := dashChart{ID: chartID[m], Unit: u}
			if IsCounter(u) {
				ch.Sub = "counter"
			} else {
				ch.Sub = "time, this machine's"
				if len(machines) > 1 {
					ch.Sub = "time (all machines)"
				}
			}
			var pts []page.Point
			var all []float64
			prevFlag := false
			for i, e := range entries {
				vs := e.Bench.Values(b, u)
				if len(vs) == 0 {
					continue
				}
				all = append(all, vs...)
				p := page.Point{X: i, Y: median(vs)}
				if len(vs) > 1 {
					p.Lo, p.Hi = slices.Min(vs), slices.Max(vs)
				}
				f, judged := verdicts[i][m]
				var tip []string
				tip = append(tip, fmt.Sprintf("#%d %s  %s  %s", i+1, e.Short(), dashTime(e.Date), e.Machine))
				if e.Subject != "" {
					tip = append(tip, dashClip(e.Subject, 110))
				}
				tip = append(tip, u+" = "+dashSamples(u, vs))
				flagged := judged && f.Kind == Regression
				switch {
				case flagged && !prevFlag:
					p.Mark = page.Bad
					tip = append(tip, fmt.Sprintf("REGRESSION: %s -> %s (%s) against %s", dashValue(u, f.Old), dashValue(u, f.New), pct(f.Old, f.New), dashFrom(f)))
					// How long it stays flagged.
					more := 0
					for j := i + 1; j < len(entries); j++ {
						if len(entries[j].Bench.Values(b, u)) == 0 {
							continue
						}
						if g, ok := verdicts[j][m]; !ok || g.Kind != Regression {
							break
						}
						more++
					}
					text := fmt.Sprintf("regression at %s: %s -> %s (%s)", e.Short(), dashValue(u, f.Old), dashValue(u, f.New), pct(f.Old, f.New))
					span := ""
					if more > 0 {
						span = fmt.Sprintf("still flagged in the %s after it", plural.Count(more, "entry", "entries"))
						text += "; " + span
					}
					ch.Notes = append(ch.Notes, dashNote{"bad", text})
					ch.Flagged = true
					on := dashOnset{
						Index: i + 1, Short: e.Short(), Subject: dashClip(e.Subject, 90), Bench: benchDisplayName(b), Unit: u,
						Old: dashValue(u, f.Old), New: dashValue(u, f.New), Change: pct(f.Old, f.New), Span: span, Anchor: ch.ID,
					}
					// Times move with the machine's load (2x on a shared
					// 2-core machine), and every sample of an entry shares
					// its load: a time regression marks where to look,
					// a counter regression is what the gate trusts.
					if !IsCounter(u) {
						d.TimeOnsets = append(d.TimeOnsets, on)
						break
					}
					if onsetUnits[e.Short()] == nil {
						onsetOrder = append(onsetOrder, e.Short())
					}
					onsetUnits[e.Short()] = append(onsetUnits[e.Short()], u)
					d.Onsets = append(d.Onsets, on)
				case flagged:
					p.Mark = page.BadAgain
					tip = append(tip, fmt.Sprintf("still a regression: %s -> %s (%s) against %s", dashValue(u, f.Old), dashValue(u, f.New), pct(f.Old, f.New), dashFrom(f)))
				case judged && f.Kind == Improvement:
					p.Mark = page.Good
					tip = append(tip, fmt.Sprintf("improvement: %s -> %s (%s)", dashValue(u, f.Old), dashValue(u, f.New), pct(f.Old, f.New)))
				case judged && f.Kind == Warning:
					tip = append(tip, "warning: "+f.Note)
				}
				prevFlag = flagged
				if am, ok := accepted[m][i]; ok {
					if p.Mark == page.NoMark || p.Mark == page.Good {
						p.Mark = page.Accepted
					}
					tip = append(tip, fmt.Sprintf("accepted: %s -> %s: %s", dashValue(u, am.c.Old), dashValue(u, am.c.New), am.a.Reason))
					ch.Notes = append(ch.Notes, dashNote{"acc", fmt.Sprintf("accepted at %s: %s -> %s: %s", e.Short(), dashValue(u, am.c.Old), dashValue(u, am.c.New), am.a.Reason)})
					sec.Open = true
				}
				if i > 0 {
					if dv := dashVersionDiff(entries[i-1].Versions, e.Versions); dv != "" {
						tip = append(tip, "versions: "+dv)
					}
				}
				p.Tip = strings.Join(tip, "\n")
				pts = append(pts, p)
			}
			if len(all) > 0 && slices.Min(all) == slices.Max(all) && len(ch.Notes) == 0 {
				sec.Constant = append(sec.Constant, dashNote{ch.ID, u + " " + dashValue(u, all[0])})
				continue
			}
			if dashHasZero(all) {
				ch.Sub += ", 0 on the dashed line"
			}
			format := page.Format
			switch u {
			case "ns/op":
				format = page.FormatNanos
			case "sec/op":
				format = func(v float64) string { return page.FormatNanos(v * 1e9) }
			}
			ch.SVG = page.LineChart{
				Label:   benchDisplayName(b) + " " + u,
				XLabels: labels,
				Points:  pts,
				Format:  format,
			}.SVG()
			sec.Charts = append(sec.Charts, ch)
		}
		for _, c := range onsetOrder {
			sec.Flags = append(sec.Flags, dashNote{"bad", fmt.Sprintf("regression at %s: %s", c, strings.Join(onsetUnits[c], ", "))})
		}
		if len(onsetOrder) > 0 {
			sec.Open = true
		}
		for _, f := range r.Findings {
			if f.Benchmark == b && f.Kind == Regression {
				sec.Flags = append(sec.Flags, dashNote{"bad", "newest: REGRESSION"})
				sec.Open = true
				break
			}
		}
		if sec.Open {
			d.OpenSections++
		}
		d.Sections = append(d.Sections, sec)
	}

	for _, a := range accepts {
		av := dashAccept{Reason: a.Reason, Cut: dashTime(a.Cut), Commit: dashShort(a.Commit), File: a.File}
		for _, c := range a.Changes {
			av.Changes = append(av.Changes, fmt.Sprintf("%s %s: %s -> %s", benchDisplayName(c.Benchmark), c.Unit, dashValue(c.Unit, c.Old), dashValue(c.Unit, c.New)))
		}
		d.Accepts = append(d.Accepts, av)
	}

	for i, e := range entries {
		er := dashEntry{Index: i + 1, Short: e.Short(), Commit: e.Commit, Date: dashTime(e.Date), Machine: e.Machine, Subject: e.Subject}
		if i == 0 {
			er.Versions = dashVersions(e.Versions)
		} else {
			er.Versions = dashVersionDiff(entries[i-1].Versions, e.Versions)
		}
		d.EntryRows = append(d.EntryRows, er)
	}
	return d, nil
}

var dashTemplate = template.Must(template.New("report").Parse(`{{define "rows"}}<table class="verdicts">
<thead><tr><th>benchmark</th><th>metric</th><th class="num">window</th><th class="num">newest</th><th class="num">change</th><th>verdict</th></tr></thead>
<tbody>
{{range .}}<tr class="{{.Class}}"><td title="{{.Full}}">{{if .Anchor}}<a href="#{{.Anchor}}">{{.Bench}}</a>{{else}}{{.Bench}}{{end}}</td><td>{{.Unit}}</td><td class="num">{{.Window}}</td><td class="num">{{.New}}</td><td class="num">{{.Change}}</td><td class="verdict">{{.Verdict}}{{if .Note}} <span class="muted small">{{.Note}}</span>{{end}}</td></tr>
{{end}}</tbody></table>{{end}}
<h1>nashbench history</h1>
<p class="muted">{{.Entries}} entries, {{.First}} to {{.Last}}; machines: {{.Machines}}; suite: {{.Suites}}.
Each entry is judged against the entries before it as <code>nashbench regress</code> does (default settings: a window of 5 entries; counters against the window's best, 1%; times by U test, 10%).</p>

<h2>Newest entry</h2>
<div class="box">
<dl class="facts">
<dt>commit</dt><dd><code>{{.Newest.Short}}</code> <span class="muted mono">{{.Newest.Commit}}</span></dd>
<dt>subject</dt><dd>{{.Newest.Subject}}</dd>
<dt>machine</dt><dd>{{.Newest.Machine}}</dd>
<dt>commit date</dt><dd>{{.NewestDate}} <span class="muted">(run {{.NewestRun}})</span></dd>
<dt>versions</dt><dd class="small">{{.NewestVersions}}</dd>
<dt>window</dt><dd><code>{{.Window}}</code></dd>
</dl>
</div>
{{if .Regressions}}<p class="bad">{{.Regressions}} regression{{if gt .Regressions 1}}s{{end}} in the newest entry.</p>
{{else}}<p class="good">No regression in the newest entry.</p>{{end}}
{{if .Rows}}{{template "rows" .Rows}}{{end}}
{{if .Warnings}}<details><summary>{{len .Warnings}} warning{{if gt (len .Warnings) 1}}s{{end}} <span class="sub muted">(cannot decide: too few samples, or a counter that varies within one run)</span></summary>
{{template "rows" .Warnings}}</details>{{end}}
{{if .Same}}<details><summary>{{len .Same}} metric{{if gt (len .Same) 1}}s{{end}} the same as the window <span class="sub muted">(within the thresholds)</span></summary>
{{template "rows" .Same}}</details>{{end}}
{{range .Missing}}<p class="warn">missing: {{.}} is in the window but not in the newest entry</p>
{{end}}

<h2>Regressions in the history</h2>
{{define "onsets"}}<thead><tr><th>commit</th><th>benchmark</th><th>metric</th><th class="num">before</th><th class="num">after</th><th class="num">change</th><th>subject</th></tr></thead>
<tbody>
{{range .}}<tr class="regression"><td><a href="#entry-{{.Index}}"><code class="bad">{{.Short}}</code></a></td><td class="nowrap"><a href="#{{.Anchor}}">{{.Bench}}</a></td><td>{{.Unit}}</td><td class="num">{{.Old}}</td><td class="num">{{.New}}</td><td class="num">{{.Change}}</td><td class="small">{{.Subject}}{{if .Span}} <span class="muted">({{.Span}})</span>{{end}}</td></tr>
{{end}}</tbody>{{end}}
<p class="muted small">Work counters: exact, the same on every machine; what the gate trusts.</p>
{{if .Onsets}}<table id="onsets">
{{template "onsets" .Onsets}}</table>
{{else}}<p>No entry's work counter was a regression against the entries before it.</p>{{end}}
{{if .TimeOnsets}}<details id="time-onsets"><summary>{{len .TimeOnsets}} time regression{{if gt (len .TimeOnsets) 1}}s{{end}} <span class="sub muted">(ns/op against the same machine's window; times move 2x with the machine's load and an entry's samples share it, so these say where to look, not what changed: they are never gated)</span></summary>
<table>
{{template "onsets" .TimeOnsets}}</table></details>{{end}}
{{if .Accepts}}<h3>Accepted changes</h3>
<ul>{{range .Accepts}}<li><span class="acc">{{.Reason}}</span> <span class="muted small">(commit {{.Commit}}, cut {{.Cut}}, {{.File}})</span><ul class="small">{{range .Changes}}<li>{{.}}</li>{{end}}</ul></li>
{{end}}</ul>{{end}}

<h2>Metrics over the history</h2>
<p class="muted small">One chart per benchmark and metric, counters first, over the {{.Entries}} entries oldest first (x: the entry, labelled by commit; y: logarithmic). Hover over a point for its commit, subject, date and value. {{.OpenSections}} of {{.AllSections}} benchmarks are open: those with a regression or an accepted change. Metrics with one value in every entry are listed, not drawn.</p>
{{.Legend}}
<p class="toolbar"><button type="button" data-details="open">open all</button><button type="button" data-details="close">close all</button></p>
{{range .Sections}}<details class="section" id="{{.ID}}"{{if .Open}} open{{end}}>
<summary>{{.Name}}{{range .Flags}} <span class="sub {{.Class}}">· {{.Text}}</span>{{end}}</summary>
{{if .Charts}}<div class="charts">
{{range .Charts}}<figure class="chart{{if .Flagged}} flagged{{end}}" id="{{.ID}}" data-metric="{{.Unit}}">
<figcaption><span>{{.Unit}}</span><span class="sub">{{.Sub}}</span></figcaption>
{{.SVG}}
{{if .Notes}}<ul class="notes">{{range .Notes}}<li class="{{.Class}}">{{.Text}}</li>{{end}}</ul>{{end}}
</figure>
{{end}}</div>{{end}}
{{if .Constant}}<p class="muted small">the same in every entry: {{range $i, $c := .Constant}}{{if $i}}, {{end}}<span id="{{$c.Class}}">{{$c.Text}}</span>{{end}}</p>{{end}}
</details>
{{end}}

<h2>Entries</h2>
<details><summary>{{.Entries}} entries, oldest first <span class="sub muted">(versions: those that changed from the entry before)</span></summary>
<table id="entries">
<thead><tr><th class="num">#</th><th>commit</th><th>commit date</th><th>machine</th><th>subject</th><th>versions</th></tr></thead>
<tbody>
{{range .EntryRows}}<tr id="entry-{{.Index}}"><td class="num">{{.Index}}</td><td><code title="{{.Commit}}">{{.Short}}</code></td><td class="small nowrap">{{.Date}}</td><td>{{.Machine}}</td><td class="small">{{.Subject}}</td><td class="small">{{.Versions}}</td></tr>
{{end}}</tbody></table>
</details>
`))

// benchDisplayName is a benchmark's name without its package (results
// name a benchmark pkg.BenchmarkX/sub).
func benchDisplayName(b string) string {
	if i := strings.Index(b, ".Benchmark"); i >= 0 {
		return b[i+1:]
	}
	return b
}

// dashUnits orders a benchmark's metrics: counters first, then times,
// each by name.
func dashUnits(set map[string]bool) []string {
	us := make([]string, 0, len(set))
	for u := range set {
		us = append(us, u)
	}
	slices.SortFunc(us, func(a, b string) int {
		if dashUnitLess(a, b) {
			return -1
		}
		if dashUnitLess(b, a) {
			return 1
		}
		return 0
	})
	return us
}

func dashUnitLess(a, b string) bool {
	if ca, cb := IsCounter(a), IsCounter(b); ca != cb {
		return ca
	}
	return a < b
}

func dashKindRank(k Kind) int {
	return [...]int{Same: 5, Regression: 0, Improvement: 2, Accepted: 1, Warning: 3, New: 4}[k]
}

func dashKindClass(k Kind) string {
	return [...]string{Same: "same", Regression: "regression", Improvement: "improvement", Accepted: "accepted", Warning: "warning", New: "new"}[k]
}

// dashNatCompare compares strings with their runs of digits as numbers: n=6
// before n=10.
func dashNatCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := dashDigitRun(a), dashDigitRun(b)
		if da > 0 && db > 0 {
			x, y := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(x) != len(y) {
				return len(x) - len(y)
			}
			if c := strings.Compare(x, y); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func dashDigitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// dashIDs makes unique element ids from names.
type dashIDs map[string]bool

var dashIDUnsafe = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

func (m dashIDs) make(name string) string {
	base := strings.Trim(dashIDUnsafe.ReplaceAllString(name, "-"), "-")
	if base == "" {
		base = "x"
	}
	id := base
	for i := 2; m[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	m[id] = true
	return id
}

// dashValue writes a value of a unit: times as durations, integers whole,
// other values with 4 significant digits.
func dashValue(unit string, v float64) string {
	switch {
	case math.IsNaN(v):
		return "-"
	case unit == "ns/op":
		return page.FormatNanos(v)
	case unit == "sec/op":
		return page.FormatNanos(v * 1e9)
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// dashSamples describes an entry's samples of a metric.
func dashSamples(unit string, vs []float64) string {
	if len(vs) == 1 {
		return dashValue(unit, vs[0])
	}
	return fmt.Sprintf("%s (median of %d: %s to %s)", dashValue(unit, median(vs)), len(vs), dashValue(unit, slices.Min(vs)), dashValue(unit, slices.Max(vs)))
}

func dashFrom(f Finding) string {
	if f.From == nil {
		return "the window"
	}
	if IsCounter(f.Unit) {
		return "the window's best (" + f.From.Short() + ")"
	}
	return "the window (up to " + f.From.Short() + ")"
}

func dashTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func dashShort(h string) string {
	if len(h) > 7 {
		return h[:7]
	}
	return orNone(h)
}

func dashVersions(v map[string]string) string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []string
	for _, k := range keys {
		out = append(out, k+" "+v[k])
	}
	return strings.Join(out, ", ")
}

// dashVersionDiff lists the versions that differ between two entries.
func dashVersionDiff(old, new map[string]string) string {
	keys := map[string]bool{}
	for k := range old {
		keys[k] = true
	}
	for k := range new {
		keys[k] = true
	}
	var out []string
	for _, k := range dashKeys(keys) {
		o, n := old[k], new[k]
		switch {
		case o == n:
		case n == "":
			out = append(out, k+" gone (was "+o+")")
		case o == "":
			out = append(out, k+" "+n+" (new)")
		default:
			out = append(out, k+" "+n+" (was "+o+")")
		}
	}
	return strings.Join(out, ", ")
}

func dashKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func dashSet(set map[string]bool) string { return orNone(strings.Join(dashKeys(set), ", ")) }

func dashHasZero(vs []float64) bool {
	return slices.ContainsFunc(vs, func(v float64) bool { return v <= 0 })
}

// dashClip shortens s to at most n runes, with an ellipsis.
func dashClip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
