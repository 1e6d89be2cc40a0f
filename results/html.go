package results

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/nashbench/nashbench/internal/page"
	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/record"
)

// HTMLReport is what WriteHTML draws: a sweep's rows and what surrounds
// them.
type HTMLReport struct {
	Title string // the page's title and heading
	// Facts describe the run under the heading (its experiment, versions,
	// machines), in order.
	Facts []Fact
	Rows  []record.Row
	// Missing, when not nil, is what the rows lack of their experiment.
	Missing *record.Missing
	// Plots are files of the run's plots (see Plot): the SVG ones are
	// inlined, in Plot's order; others are ignored.
	Plots []string
	// NoPlots says why there are no plots, when there are none.
	NoPlots string
	// Diff, when not nil, compares the run with an earlier one, Against
	// (its name): status changes, changed answers and speedups.
	Diff    *RunDiff
	Against string
}

// Fact is a line of an HTMLReport's description: a name and its value.
type Fact struct{ Name, Value string }

// The plots of Plot in the report's order, with their captions.
var plotCaptions = []struct{ stem, caption string }{
	{"cactus", "cactus: instances solved within a time"},
	{"time-vs-n", "median time against n (unsolved at the limit)"},
	{"hardness-vs-ratio", "hardness against the clause/variable ratio"},
	{"sat-vs-ratio", "fraction satisfiable against the ratio"},
}

// WriteHTML writes a run's report as one self-contained HTML page (see
// package page): per solver the jobs decided, timed out, out of memory,
// refused, failed and wrong (answers that failed verification or
// disagree with the instance's consensus), the PAR-2 score and the
// decided answers by how they were checked; the disagreements; a scatter
// chart of any two solvers' times per instance (log-log, unsolved jobs
// on the edge beyond the time limit); the run's plots, inlined; and a
// table with a row per instance and a column group per solver (status,
// answer, time, check), sortable by any column and filtered by size,
// ratio, answer, status (of any solver or of one) and name.
func WriteHTML(w io.Writer, r *HTMLReport) error {
	d, err := htmlData(r)
	if err != nil {
		return err
	}
	var body bytes.Buffer
	if err := htmlTemplate.Execute(&body, d); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return page.Write(w, r.Title, template.HTML(body.String()))
}

type (
	htmlPage struct {
		Title             string
		Facts             []Fact
		Jobs, Instances   int
		Limit             string
		Solvers           []htmlSolver
		Disagreements     []Disagreement
		MoreDisagreements int
		Missing           string
		Scatter           template.HTML
		Plots             []htmlPlot
		NoPlots           string
		Sizes, Ratios     []string
		Statuses, Answers []htmlOption
		Rows              []htmlRow
		SolverNames       []string
		Against           string
		Diff              *htmlDiff
		SizeLabel         string // "n", or "players" when every row is a game's
	}
	htmlDiff struct {
		Matched, OnlyA, OnlyB int
		Regressions, Answers  int
		Changes               []Change
		More                  int
		Speedups              []htmlSpeedup
	}
	htmlSpeedup struct {
		Solver    string
		Instances int
		GeoMean   string
		Interval  string
	}
	htmlSolver struct {
		Name                                                    string
		Cols                                                    [4]int // the table's columns of the solver
		Jobs, Solved, Timeouts, Memouts, Refused, Errors, Wrong int
		PAR2, Time                                              string
		Checked                                                 Checks
	}
	htmlPlot struct {
		Stem, Caption string
		SVG           template.HTML
	}
	htmlOption struct{ Value, Label string }
	htmlRow    struct {
		Name, Path, Ratio, Answer, AnswerTip, Status string
		N                                            int
		Flag                                         bool
		Cells                                        []htmlCell
	}
	htmlCell struct {
		Group                          string
		Missing                        bool
		Status, StatusClass, StatusTip string
		Answer, AnswerClass, AnswerTip string
		Time, TimeV, TimeClass         string
		Check, CheckClass, CheckTip    string
	}
)

// htmlInstance is an instance's rows, by solver.
type htmlInstance struct {
	name  string
	n     int
	ratio float64
	index int
	rows  map[string]*record.Row
	all   []*record.Row
}

func htmlData(r *HTMLReport) (*htmlPage, error) {
	rows := r.Rows
	d := &htmlPage{Title: r.Title, Facts: r.Facts, Jobs: len(rows), NoPlots: r.NoPlots, Against: r.Against, SizeLabel: "n"}
	if len(rows) > 0 && !slices.ContainsFunc(rows, func(r record.Row) bool { return r.Kind != record.KindGame }) {
		d.SizeLabel = "players"
	}
	if r.Diff != nil {
		const shown = 100
		hd := &htmlDiff{Matched: r.Diff.Matched, OnlyA: r.Diff.OnlyA, OnlyB: r.Diff.OnlyB, Changes: r.Diff.Changes}
		hd.Regressions, hd.Answers = r.Diff.Regressions()
		if len(hd.Changes) > shown {
			hd.More, hd.Changes = len(hd.Changes)-shown, hd.Changes[:shown]
		}
		for _, sp := range r.Diff.Speedups {
			hd.Speedups = append(hd.Speedups, htmlSpeedup{sp.Solver, sp.Instances, fmt.Sprintf("%.3gx", float64(sp.GeoMean)), interval(float64(sp.Low), float64(sp.High), "%.3gx")})
		}
		d.Diff = hd
	}
	order, byInst := byInstance(rows)
	solverSet := map[string]bool{}
	var limit float64
	for i := range rows {
		solverSet[rows[i].Solver] = true
		limit = math.Max(limit, rows[i].Timeout)
	}
	solvers := slices.Sorted(func(yield func(string) bool) {
		for s := range solverSet {
			if !yield(s) {
				return
			}
		}
	})
	d.SolverNames = solvers
	if limit > 0 {
		d.Limit = seconds(limit)
	}

	// Instances, by size, ratio and index (or name).
	insts := make([]*htmlInstance, 0, len(order))
	for _, name := range order {
		rs := byInst[name]
		in := &htmlInstance{name: name, n: rs[0].N, ratio: rs[0].Ratio, index: -1, rows: map[string]*record.Row{}, all: rs}
		if rs[0].Index != nil {
			in.index = *rs[0].Index
		}
		for _, x := range rs {
			in.rows[x.Solver] = x
		}
		insts = append(insts, in)
	}
	slices.SortStableFunc(insts, func(a, b *htmlInstance) int {
		return cmp.Or(cmp.Compare(a.n, b.n), cmp.Compare(a.ratio, b.ratio), cmp.Compare(a.index, b.index), strings.Compare(a.name, b.name))
	})
	d.Instances = len(insts)

	// The solvers' summaries.
	sums := map[string]*htmlSolver{}
	for i, s := range solvers {
		sums[s] = &htmlSolver{Name: s, Cols: [4]int{4 + 4*i, 5 + 4*i, 6 + 4*i, 7 + 4*i}}
	}
	par2 := map[string]float64{}
	for _, c := range Cells(rows) {
		s := sums[c.Solver]
		s.Jobs += c.Jobs
		s.Solved += c.Solved
		s.Timeouts += c.Timeouts
		s.Memouts += c.Memouts
		s.Refused += c.Refused
		s.Errors += c.Errors
		s.Checked.Witness += c.Checked.Witness
		s.Checked.Exhaustive += c.Checked.Exhaustive
		s.Checked.Proof += c.Checked.Proof
		s.Checked.None += c.Checked.None
		par2[c.Solver] += float64(c.PAR2) * float64(c.Jobs)
	}
	solvedTime := map[string]float64{}
	for i := range rows {
		if rows[i].Solved() {
			solvedTime[rows[i].Solver] += rows[i].Seconds
		}
	}

	// The table and the scatter chart's points.
	statusCount := map[string]int{}
	answerCount := map[string]int{}
	sizes, ratios := map[int]bool{}, map[float64]bool{}
	var items []page.ScatterItem
	for _, in := range insts {
		cons := consensus(in.all)
		planted := slices.ContainsFunc(in.all, func(x *record.Row) bool { return x.Planted })
		row := htmlRow{Name: displayName(in.name), Path: in.name, N: in.n, Ratio: ratioString(in.ratio), Answer: string(cons)}
		if cons == "" {
			row.Answer = "undecided"
		}
		answerCount[row.Answer]++
		sizes[in.n], ratios[in.ratio] = true, true
		if planted {
			row.AnswerTip = "planted: satisfiable by construction"
		}
		var tokens []string
		add := func(solver, tok string) {
			tokens = append(tokens, solver+":"+tok, "*:"+tok)
			statusCount[tok]++
		}
		item := page.ScatterItem{Values: make([]float64, len(solvers)), Flags: make([]bool, len(solvers))}
		tip := []string{fmt.Sprintf("%s (n=%d, ratio %s)", row.Name, in.n, row.Ratio)}
		for i, s := range solvers {
			x := in.rows[s]
			c := htmlCell{Group: s}
			if x == nil {
				c.Missing = true
				add(s, "missing")
				item.Values[i] = math.NaN()
				tip = append(tip, s+": no row")
				row.Cells = append(row.Cells, c)
				continue
			}
			st := x.Outcome()
			add(s, string(st))
			c.Status, c.StatusTip = string(st), clip(x.Error, 300)
			switch st {
			case record.Solved:
			case record.Timeout, record.Memout:
				c.StatusClass = "warn"
			case record.Refused:
				c.StatusClass = "muted"
			default:
				c.StatusClass = "bad"
			}
			c.Answer = string(x.Answer)
			if !x.Answer.Decided() {
				c.AnswerClass = "muted"
			}
			if why := wrongAnswer(x, cons); why != "" {
				c.AnswerClass, c.AnswerTip = "bad", why
				row.Flag = true
				item.Flags[i] = true
				add(s, "wrong")
				sums[s].Wrong++
			}
			c.Time, c.TimeV = seconds(x.Seconds), strconv.FormatFloat(x.Seconds, 'g', -1, 64)
			item.Values[i] = x.Seconds
			if !x.Solved() {
				c.TimeClass, c.TimeV = "muted", "Infinity"
				item.Values[i] = math.Inf(1)
				add(s, "unsolved")
			}
			switch {
			case x.Failed():
				c.Check, c.CheckClass, c.CheckTip = "FAILED", "bad", clip(x.Error, 300)
			case x.Solved():
				c.Check = string(x.Check)
				if c.Check == "" {
					c.Check = string(record.CheckNone)
				}
				c.CheckTip = x.CheckNote
				if x.Check == record.CheckProof && x.Prover != "" && x.Prover != x.Solver {
					c.CheckTip = "proof by " + x.Prover
				}
				if c.Check == string(record.CheckNone) {
					c.CheckClass = "muted"
				}
			}
			tip = append(tip, fmt.Sprintf("%s: %s %s %s", s, st, x.Answer, seconds(x.Seconds)))
			row.Cells = append(row.Cells, c)
		}
		row.Status = strings.Join(tokens, " ")
		d.Rows = append(d.Rows, row)
		item.Tip = strings.Join(tip, "\n")
		items = append(items, item)
	}
	for _, s := range solvers {
		sum := sums[s]
		sum.PAR2 = "-"
		if v := par2[s] / float64(sum.Jobs); !math.IsNaN(v) {
			sum.PAR2 = seconds(v)
		}
		sum.Time = "-"
		if sum.Solved > 0 {
			sum.Time = seconds(solvedTime[s])
		}
		d.Solvers = append(d.Solvers, *sum)
	}

	// Filters' options.
	for _, n := range slices.Sorted(mapKeys(sizes)) {
		d.Sizes = append(d.Sizes, strconv.Itoa(n))
	}
	for _, x := range slices.Sorted(mapKeys(ratios)) {
		d.Ratios = append(d.Ratios, ratioString(x))
	}
	for _, st := range []string{"solved", "unsolved", "timeout", "memout", "refused", "error", "bad-input", "wrong", "missing"} {
		if n := statusCount[st]; n > 0 {
			d.Statuses = append(d.Statuses, htmlOption{st, fmt.Sprintf("%s (%s)", st, plural.Count(n, "job", "jobs"))})
		}
	}
	for _, a := range slices.Sorted(mapKeys(answerCount)) {
		d.Answers = append(d.Answers, htmlOption{a, fmt.Sprintf("%s (%d)", a, answerCount[a])})
	}

	// Disagreements and missing jobs.
	dis := Disagreements(rows)
	if len(dis) > 20 {
		d.MoreDisagreements = len(dis) - 20
		dis = dis[:20]
	}
	d.Disagreements = dis
	var sm strings.Builder
	SummarizeMissing(&sm, r.Missing)
	d.Missing = strings.TrimSpace(sm.String())

	// Charts.
	if len(solvers) > 1 {
		d.Scatter = page.Scatter{
			ID: "scatter", Label: "time per instance of two solvers", Caption: "time per instance, solver against solver",
			Note:   scatterNote(statusCount["unsolved"] > 0),
			Series: solvers, Items: items,
			X: 0, Y: 1, Limit: limit, Unit: "time (s)", Edge: "unsolved", Lower: "faster", Noun: "instances",
			Format: func(v float64) string { return page.FormatNanos(v * 1e9) },
		}.HTML()
	}
	plots, err := inlinePlots(r.Plots)
	if err != nil {
		return nil, err
	}
	d.Plots = plots
	return d, nil
}

// scatterNote explains the scatter chart.
func scatterNote(unsolved bool) string {
	s := "Log-log, the same scale on both axes. Below the line, y is faster; "
	if unsolved {
		s += "on the grey band beyond the dashed limit, unsolved (timeout, memout, refusal, error); "
	}
	return s + "red: a wrong answer. Hover over a point for its instance."
}

// wrongAnswer says why a row's answer is wrong, or "": it failed
// verification, it disagrees with the instance's consensus, or it calls a
// planted (satisfiable) instance unsatisfiable.
func wrongAnswer(r *record.Row, cons record.Answer) string {
	switch {
	case r.Failed():
		return "failed verification: " + clip(r.Error, 300)
	case r.Answer.Decided() && cons != "" && r.Answer != cons:
		return "disagrees with the consensus: " + string(cons)
	case r.Planted && r.Answer.Negative():
		return "a planted (satisfiable) instance called " + string(r.Answer)
	}
	return ""
}

// inlinePlots reads the SVG files among files, in Plot's order, each as
// an inline <svg> element.
func inlinePlots(files []string) ([]htmlPlot, error) {
	rank := func(stem string) int {
		for i, p := range plotCaptions {
			if p.stem == stem {
				return i
			}
		}
		return len(plotCaptions)
	}
	var svgs []string
	for _, f := range files {
		if strings.EqualFold(filepath.Ext(f), ".svg") {
			svgs = append(svgs, f)
		}
	}
	stem := func(f string) string { return strings.TrimSuffix(filepath.Base(f), filepath.Ext(f)) }
	slices.SortStableFunc(svgs, func(a, b string) int {
		return cmp.Or(cmp.Compare(rank(stem(a)), rank(stem(b))), strings.Compare(a, b))
	})
	var out []htmlPlot
	for _, f := range svgs {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		svg, err := inlineSVG(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		p := htmlPlot{Stem: stem(f), Caption: stem(f), SVG: svg}
		if i := rank(p.Stem); i < len(plotCaptions) {
			p.Caption = plotCaptions[i].caption
		}
		out = append(out, p)
	}
	return out, nil
}

// unsafeSVG matches what an SVG drawn by Plot never holds and an inlined
// one must not: scripts, event handlers, foreign content and links.
var unsafeSVG = regexp.MustCompile(`(?i)<\s*(script|foreignObject|iframe|object|embed)|\son[a-z]+\s*=|javascript:|href\s*=\s*["']?\s*(https?:|//)`)

// inlineSVG returns an SVG file's <svg> element, without the XML
// declaration and comments before it.
func inlineSVG(data []byte) (template.HTML, error) {
	i := bytes.Index(data, []byte("<svg"))
	if i < 0 {
		return "", fmt.Errorf("not an SVG file")
	}
	svg := data[i:]
	if unsafeSVG.Match(svg) {
		return "", fmt.Errorf("holds a script, an event handler or a link: not inlined")
	}
	return template.HTML(bytes.TrimSpace(svg)), nil
}

// displayName is an instance's file name without its directory and
// extension.
func displayName(path string) string {
	b := filepath.Base(path)
	for _, ext := range []string{".cnf", ".json", ".opb", ".xz", ".gz"} {
		b = strings.TrimSuffix(b, ext)
	}
	return b
}

func ratioString(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// clip shortens s to at most n runes, with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func mapKeys[K comparable, V any](m map[K]V) func(yield func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

var htmlTemplate = template.Must(template.New("run").Parse(`<h1>{{.Title}}</h1>
{{if .Facts}}<div class="box"><dl class="facts">
{{range .Facts}}<dt>{{.Name}}</dt><dd>{{.Value}}</dd>
{{end}}</dl></div>{{end}}
<p>{{.Jobs}} jobs: {{.Instances}} instances, {{len .Solvers}} solvers{{if .Limit}}; time limit {{.Limit}} per job{{end}}.</p>

<h2 id="solvers">Solvers</h2>
<table class="data" id="summary">
<thead><tr><th rowspan="2">solver</th><th class="num" rowspan="2">jobs</th><th class="num" rowspan="2" title="solved: a yes or a no">decided</th><th class="num" rowspan="2">timeouts</th><th class="num" rowspan="2">memouts</th><th class="num" rowspan="2">refused</th><th class="num" rowspan="2">errors</th><th class="num" rowspan="2" title="answers that failed verification or disagree with the consensus">wrong</th><th class="num" rowspan="2" title="mean time, unsolved jobs at twice the limit">PAR-2</th><th class="num" rowspan="2" title="the sum of the decided jobs' times">time decided</th><th class="g" colspan="4">decided answers checked by</th></tr>
<tr><th class="num g">witness</th><th class="num">exhaustive</th><th class="num">proof</th><th class="num">none</th></tr></thead>
<tbody>
{{range .Solvers}}<tr{{if .Wrong}} class="flag"{{end}}><td><a href="?solver={{.Name}}#instances">{{.Name}}</a></td><td class="num">{{.Jobs}}</td><td class="num">{{.Solved}}</td><td class="num{{if .Timeouts}} warn{{end}}">{{.Timeouts}}</td><td class="num{{if .Memouts}} warn{{end}}">{{.Memouts}}</td><td class="num">{{.Refused}}</td><td class="num{{if .Errors}} bad{{end}}">{{.Errors}}</td><td class="num{{if .Wrong}} bad{{end}}">{{.Wrong}}</td><td class="num">{{.PAR2}}</td><td class="num">{{.Time}}</td><td class="num g">{{.Checked.Witness}}</td><td class="num">{{.Checked.Exhaustive}}</td><td class="num">{{.Checked.Proof}}</td><td class="num">{{.Checked.None}}</td></tr>
{{end}}</tbody></table>
{{if .Disagreements}}<div class="box"><p class="bad">Disagreements and failed verifications:</p><ul class="small">
{{range .Disagreements}}<li><code>{{.Instance}}</code>: {{.Detail}}</li>
{{end}}{{if .MoreDisagreements}}<li>and {{.MoreDisagreements}} more (the table's status filter "wrong" shows them)</li>{{end}}</ul></div>
{{else}}<p class="good">No disagreements: every decided answer agrees with the others and passed its checks.</p>{{end}}
{{if .Missing}}<p class="warn">{{.Missing}}</p>{{end}}
{{with .Diff}}
<h2 id="diff">Compared with {{$.Against}}</h2>
<p>{{.Matched}} jobs matched by input content and solver{{if or .OnlyA .OnlyB}}; {{.OnlyA}} only in {{$.Against}}, {{.OnlyB}} only in this run{{end}}.
{{if or .Regressions .Answers}}<span class="bad">{{.Regressions}} status regressions, {{.Answers}} changed answers.</span>{{else}}<span class="good">No status regression, no changed answer.</span>{{end}}</p>
{{if .Changes}}<table class="data sortable" id="changes"><thead><tr><th data-sort="text" data-col="0">solver</th><th data-sort="text" data-col="1">instance</th><th data-sort="text" data-col="2">before</th><th data-sort="text" data-col="3">now</th><th data-sort="text" data-col="4"></th></tr></thead><tbody>
{{range .Changes}}<tr{{if or .Regression .AnswerChanged}} class="flag"{{end}}><td>{{.Solver}}</td><td class="mono">{{.Instance}}</td><td>{{.A}} {{.AnswerA}}</td><td>{{.B}} {{.AnswerB}}</td><td>{{if .AnswerChanged}}<span class="bad">answer changed</span>{{else if .Regression}}<span class="bad">regression</span>{{end}}</td></tr>
{{end}}</tbody></table>{{if .More}}<p class="muted">and {{.More}} more (nashbench diff lists them all)</p>{{end}}{{end}}
{{if .Speedups}}<table class="data" id="speedups"><thead><tr><th>solver</th><th class="num" title="time before / time now, over the instances solved in both">speedup</th><th>95% interval</th><th class="num">instances</th></tr></thead><tbody>
{{range .Speedups}}<tr><td>{{.Solver}}</td><td class="num">{{.GeoMean}}</td><td>{{.Interval}}</td><td class="num">{{.Instances}}</td></tr>
{{end}}</tbody></table>{{end}}
{{end}}

<h2 id="plots">Plots</h2>
<div class="plots">
{{.Scatter}}
{{range .Plots}}<figure id="plot-{{.Stem}}"><figcaption>{{.Caption}}</figcaption>
{{.SVG}}
</figure>
{{end}}</div>
{{if not .Plots}}<p class="muted">No plots{{if .NoPlots}}: {{.NoPlots}}{{end}}.</p>{{end}}

<h2 id="instances">Instances</h2>
<p class="muted small">A row per instance, a column group per solver. Click a header to sort (again to reverse). The status filter applies to the chosen solver, or to any solver; "unsolved" is any status but solved; "wrong" an answer that failed verification or disagrees with the consensus.</p>
<div class="filters" data-table="runs">
<label>{{.SizeLabel}} <select name="n" data-filter="n"><option value="">all</option>{{range .Sizes}}<option>{{.}}</option>{{end}}</select></label>
<label>ratio <select name="ratio" data-filter="ratio"><option value="">all</option>{{range .Ratios}}<option>{{.}}</option>{{end}}</select></label>
<label>answer <select name="answer" data-filter="answer"><option value="">any</option>{{range .Answers}}<option value="{{.Value}}">{{.Label}}</option>{{end}}</select></label>
<label>solver <select name="solver" data-groups><option value="">all</option>{{range .SolverNames}}<option>{{.}}</option>{{end}}</select></label>
<label>status <select name="status" data-filter="status" data-scope="solver"><option value="">any</option>{{range .Statuses}}<option value="{{.Value}}">{{.Label}}</option>{{end}}</select></label>
<label>instance <input type="search" name="name" data-filter="name" data-match="substr" placeholder="name contains" size="14"></label>
<span data-count="instances">{{len .Rows}} of {{len .Rows}} instances</span>
</div>
<div class="tablewrap">
<table class="data sortable" id="runs">
<thead><tr><th rowspan="2" data-sort="text" data-col="0">instance</th><th class="num" rowspan="2" data-sort="num" data-col="1">{{.SizeLabel}}</th><th class="num" rowspan="2" data-sort="num" data-col="2">ratio</th><th rowspan="2" data-sort="text" data-col="3" title="the consensus: the reference solver's decided answer, else the first">answer</th>{{range .Solvers}}<th class="g" colspan="4" data-group="{{.Name}}">{{.Name}}</th>{{end}}</tr>
<tr>{{range .Solvers}}<th class="g" data-group="{{.Name}}" data-sort="text" data-col="{{index .Cols 0}}">status</th><th data-group="{{.Name}}" data-sort="text" data-col="{{index .Cols 1}}">answer</th><th class="num" data-group="{{.Name}}" data-sort="num" data-col="{{index .Cols 2}}">time</th><th data-group="{{.Name}}" data-sort="text" data-col="{{index .Cols 3}}">check</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr data-n="{{.N}}" data-ratio="{{.Ratio}}" data-answer="{{.Answer}}" data-name="{{.Name}}" data-status="{{.Status}}"{{if .Flag}} class="flag"{{end}}><td class="name mono" title="{{.Path}}">{{.Name}}</td><td class="num">{{.N}}</td><td class="num">{{.Ratio}}</td><td{{if .AnswerTip}} title="{{.AnswerTip}}"{{end}}{{if eq .Answer "undecided"}} class="muted"{{end}}>{{.Answer}}</td>
{{- range .Cells}}{{if .Missing}}<td class="g muted" data-group="{{.Group}}">-</td><td class="muted" data-group="{{.Group}}">-</td><td class="num muted" data-group="{{.Group}}" data-v="">-</td><td class="muted" data-group="{{.Group}}">-</td>
{{- else}}<td class="g {{.StatusClass}}" data-group="{{.Group}}"{{if .StatusTip}} title="{{.StatusTip}}"{{end}}>{{.Status}}</td><td class="{{.AnswerClass}}" data-group="{{.Group}}"{{if .AnswerTip}} title="{{.AnswerTip}}"{{end}}>{{.Answer}}</td><td class="num {{.TimeClass}}" data-group="{{.Group}}" data-v="{{.TimeV}}">{{.Time}}</td><td class="{{.CheckClass}}" data-group="{{.Group}}"{{if .CheckTip}} title="{{.CheckTip}}"{{end}}>{{.Check}}</td>
{{- end}}{{end}}</tr>
{{end}}</tbody></table>
</div>
`))
