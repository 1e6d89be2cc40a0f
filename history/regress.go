package history

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nashbench/nashbench/internal/atomicfile"
	"github.com/nashbench/nashbench/results"
)

// Settings choose the window and what counts as a regression.
type Settings struct {
	Window int // earlier entries the newest is compared with (default 5)
	// CounterThreshold: a work counter more than this fraction above the
	// window's best is a regression (default 0.01).
	CounterThreshold float64
	// TimeThreshold and Alpha: a time whose median is more than this
	// fraction higher, with a U-test p-value at most Alpha after Holm's
	// correction for the number of times compared, is a regression
	// (defaults 0.1 and 0.05).
	TimeThreshold float64
	Alpha         float64
}

// Defaults are regress's default settings.
var Defaults = Settings{Window: 5, CounterThreshold: 0.01, TimeThreshold: 0.1, Alpha: 0.05}

// withDefaults fills in a zero window and alpha; zero thresholds mean
// that any growth counts.
func (s Settings) withDefaults() Settings {
	if s.Window <= 0 {
		s.Window = Defaults.Window
	}
	if s.Alpha <= 0 {
		s.Alpha = Defaults.Alpha
	}
	return s
}

// IsCounter says whether a unit is a work counter (exact: the same inputs
// give the same value on any machine) rather than a time or other
// measurement of the machine.
func IsCounter(unit string) bool {
	switch {
	case unit == "ns/op" || unit == "sec/op" || strings.HasPrefix(unit, "ns/"),
		unit == "B/op" || unit == "allocs/op" || unit == "B/s" || unit == "MB/s",
		unit == "speedup":
		return false
	}
	return strings.HasSuffix(unit, "/op")
}

// Kind is what a Finding says.
type Kind int

const (
	Same        Kind = iota // within the thresholds, or not significant
	Regression              // worse beyond the threshold (significantly, for times)
	Improvement             // a counter below the window's best, or a significantly faster time
	Accepted                // a change an Accept covers: the window starts after it
	Warning                 // cannot decide: too few samples, or a counter that varies within one run
	New                     // nothing earlier to compare with
)

func (k Kind) String() string {
	return [...]string{"same", "REGRESSION", "improvement", "accepted", "warning", "new"}[k]
}

// Finding is the verdict on one benchmark's metric in the newest entry.
type Finding struct {
	Benchmark, Unit string
	Kind            Kind
	Old, New        float64 // counters: the window's best and the new value; times: medians
	// From is the entry Old comes from (for times, the window's newest on
	// this machine); Between are the entries after it up to the newest:
	// where the change happened.
	From    *Entry
	Between []*Entry
	Delta   *results.Delta // times only
	Note    string         // a warning's or an acceptance's reason
}

// Report is regress's answer about the newest entry of a history.
type Report struct {
	Newest   *Entry
	Window   []*Entry // the earlier entries compared with (before acceptances)
	Findings []Finding
	Missing  []string // benchmarks the window has and the newest entry lacks
}

// Regressions counts the findings of kind Regression.
func (r *Report) Regressions() int {
	n := 0
	for _, f := range r.Findings {
		if f.Kind == Regression {
			n++
		}
	}
	return n
}

// CounterRegressions counts the regressions of work counters.
func (r *Report) CounterRegressions() int {
	n := 0
	for _, f := range r.Findings {
		if f.Kind == Regression && IsCounter(f.Unit) {
			n++
		}
	}
	return n
}

// Regress compares the newest entry with the window of entries before it
// (other commits' entries with uncommitted changes are never in a window).
// Counters compare with entries of any machine, times only with entries of
// the newest's machine.
func Regress(entries []*Entry, accepts []Accept, s Settings) (*Report, error) {
	if len(entries) == 0 {
		return nil, fmt.Errorf("history: no entries")
	}
	s = s.withDefaults()
	newest := entries[len(entries)-1]
	var earlier []*Entry
	for _, e := range entries[:len(entries)-1] {
		if !e.Dirty {
			earlier = append(earlier, e)
		}
	}
	r := &Report{Newest: newest}
	r.Window = earlier[max(0, len(earlier)-s.Window):]
	var times []results.Delta
	var timeIdx []int
	for _, name := range newest.Bench.Benchmarks() {
		for _, unit := range newest.Bench.Units(name) {
			nv := newest.Bench.Values(name, unit)
			// The window of this metric starts after the last change
			// accepted for it.
			cut, acc := cutFor(accepts, name, unit, newest)
			var win []*Entry
			for _, e := range earlier {
				if acc != nil && !e.Date.After(cut) {
					continue
				}
				if len(e.Bench.Values(name, unit)) > 0 && (IsCounter(unit) || e.Machine == newest.Machine) {
					win = append(win, e)
				}
			}
			win = win[max(0, len(win)-s.Window):]
			f := Finding{Benchmark: name, Unit: unit, New: median(nv)}
			if len(win) == 0 {
				f.Kind = New
				if acc != nil {
					f.Kind, f.Note = Accepted, acc.Reason
				}
				r.Findings = append(r.Findings, f)
				continue
			}
			if IsCounter(unit) {
				counter(&f, win, nv, s)
				if acc != nil && f.Kind == Same {
					f.Note = "window after the change accepted: " + acc.Reason
				}
				r.Findings = append(r.Findings, f)
				continue
			}
			var ov []float64
			for _, e := range win {
				ov = append(ov, e.Bench.Values(name, unit)...)
			}
			d := results.CompareSamples(name, unit, ov, nv)
			f.Old, f.From = d.Old.Center, win[len(win)-1]
			times = append(times, d)
			timeIdx = append(timeIdx, len(r.Findings))
			r.Findings = append(r.Findings, f)
		}
	}
	results.Correct(times, results.Settings{Threshold: s.TimeThreshold, Alpha: s.Alpha})
	for i, d := range times {
		f := &r.Findings[timeIdx[i]]
		f.Delta = &times[i]
		switch {
		case d.Regressed:
			f.Kind = Regression
		case d.Significant && d.Change < -s.TimeThreshold:
			f.Kind = Improvement
		case d.Warning != "":
			f.Kind, f.Note = Warning, d.Warning
		}
		if f.Kind == Regression {
			f.Between = after(earlier, f.From)
		}
	}
	r.Missing = missing(r.Window, newest)
	return r, nil
}

// counter judges a work counter: the new value against the best (lowest)
// of the window, so that a regression stays one until it is fixed or
// accepted, and an improvement that is lost again is caught.
func counter(f *Finding, win []*Entry, nv []float64, s Settings) {
	best := math.Inf(1)
	for _, e := range win {
		if v := median(e.Bench.Values(f.Benchmark, f.Unit)); v <= best {
			best, f.From = v, e
		}
	}
	f.Old = best
	switch {
	case slices.Min(nv) != slices.Max(nv):
		f.Kind = Warning
		f.Note = fmt.Sprintf("the counter varies within one run (%v to %v): not deterministic", slices.Min(nv), slices.Max(nv))
	case f.New > best*(1+s.CounterThreshold) || best == 0 && f.New > 0:
		f.Kind = Regression
	case f.New < best:
		f.Kind = Improvement
	}
	if f.Kind == Regression {
		f.Between = after(win, f.From)
	}
}

// after lists the entries that follow e in es (the commits a change came
// in with); the newest entry is not in es.
func after(es []*Entry, e *Entry) []*Entry {
	for i, x := range es {
		if x == e {
			return slices.Clone(es[i+1:])
		}
	}
	return nil
}

func missing(win []*Entry, newest *Entry) []string {
	have := map[string]bool{}
	for _, name := range newest.Bench.Benchmarks() {
		have[name] = true
	}
	set := map[string]bool{}
	for _, e := range win {
		if e.Mode != newest.Mode {
			continue // a quick entry runs fewer sizes than a full one
		}
		for _, name := range e.Bench.Benchmarks() {
			if !have[name] {
				set[name] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Accept is an accepted change: for each of its metrics, entries whose
// commit date is at or before Cut leave the window, so that the gate
// measures against the new value from the change on. The reason stays in
// the history (and on the dashboard).
type Accept struct {
	File    string
	Reason  string
	Cut     time.Time // the commit date of the last entry before the change
	Commit  string    // the entry whose change was accepted (informational)
	Changes []Change
}

// Change is one accepted metric: its values before and after.
type Change struct {
	Benchmark, Unit string
	Old, New        float64
}

// cutFor returns the latest acceptance covering a metric that applies to
// newest (its cut lies before newest's commit date).
func cutFor(accepts []Accept, name, unit string, newest *Entry) (time.Time, *Accept) {
	var cut time.Time
	var found *Accept
	for i := range accepts {
		a := &accepts[i]
		// A dirty entry carries its commit's date, and its change comes
		// after that commit.
		applies := a.Cut.Before(newest.Date) || newest.Dirty && a.Cut.Equal(newest.Date)
		if !applies {
			continue
		}
		for _, c := range a.Changes {
			if c.Benchmark == name && c.Unit == unit && (found == nil || a.Cut.After(cut)) {
				cut, found = a.Cut, a
			}
		}
	}
	return cut, found
}

// AcceptRegressions records the report's regressions as accepted, with the
// reason, in dir, and returns the record. The cut is the commit date of
// the newest's last earlier entry: the change lies after it.
func AcceptRegressions(dir string, r *Report, reason string) (*Accept, error) {
	reason = strings.Join(strings.Fields(reason), " ")
	if reason == "" {
		return nil, fmt.Errorf("history: --accept needs a reason")
	}
	a := &Accept{Reason: reason, Commit: r.Newest.Commit}
	for _, f := range r.Findings {
		if f.Kind != Regression {
			continue
		}
		a.Changes = append(a.Changes, Change{Benchmark: f.Benchmark, Unit: f.Unit, Old: f.Old, New: f.New})
		if f.From != nil && f.From.Date.After(a.Cut) {
			a.Cut = f.From.Date
		}
	}
	if len(a.Changes) == 0 {
		return nil, fmt.Errorf("history: nothing to accept: the newest entry (%s) has no regression", r.Newest.Short())
	}
	// Every metric's window ends at the same cut: the latest entry any of
	// them was compared with.
	for _, e := range r.Window {
		if e.Date.After(a.Cut) && e.Date.Before(r.Newest.Date) {
			a.Cut = e.Date
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "reason: %s\ncut: %s\ncommit: %s\n", a.Reason, a.Cut.UTC().Format(time.RFC3339), a.Commit)
	for _, c := range a.Changes {
		fmt.Fprintf(&b, "change: %s %s %s %s\n", c.Benchmark, c.Unit, fmtValue(c.Old), fmtValue(c.New))
	}
	a.File = fmt.Sprintf("accept-%s-%s.txt", time.Now().UTC().Format("20060102T150405Z"), strings.TrimSuffix(r.Newest.File, ".txt"))
	if err := atomicfile.Write(filepath.Join(dir, a.File), []byte(b.String())); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	return a, nil
}

// fmtValue writes counts as integers and other values with 4 digits.
func fmtValue(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// ShortName is a benchmark's name without its package path.
func ShortName(name string) string {
	if i := strings.LastIndex(name, "."); i >= 0 && strings.Contains(name[:i], "/") && !strings.Contains(name[:i], "Benchmark") {
		return name[i+1:]
	}
	return name
}

func readAccept(path string) (Accept, error) {
	f, err := os.Open(path)
	if err != nil {
		return Accept{}, fmt.Errorf("history: %w", err)
	}
	defer f.Close()
	a := Accept{File: filepath.Base(path)}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		k, v, ok := strings.Cut(sc.Text(), ":")
		v = strings.TrimSpace(v)
		bad := func(what string) error { return fmt.Errorf("%s:%d: %s", path, line, what) }
		switch {
		case strings.TrimSpace(sc.Text()) == "":
		case !ok:
			return a, bad("want key: value")
		case k == "reason":
			a.Reason = v
		case k == "commit":
			a.Commit = v
		case k == "cut":
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return a, bad(fmt.Sprintf("cut: %q is not an RFC 3339 time", v))
			}
			a.Cut = t
		case k == "change":
			f := strings.Fields(v)
			if len(f) != 4 {
				return a, bad("change: want benchmark, unit, old and new value")
			}
			o, err1 := strconv.ParseFloat(f[2], 64)
			n, err2 := strconv.ParseFloat(f[3], 64)
			if err1 != nil || err2 != nil {
				return a, bad("change: the old and new values must be numbers")
			}
			a.Changes = append(a.Changes, Change{Benchmark: f[0], Unit: f[1], Old: o, New: n})
		default:
			return a, bad(fmt.Sprintf("unknown key %q", k))
		}
	}
	if err := sc.Err(); err != nil {
		return a, fmt.Errorf("history: %s: %w", path, err)
	}
	if a.Reason == "" || a.Cut.IsZero() || len(a.Changes) == 0 {
		return a, fmt.Errorf("%s: an accepted change needs reason, cut and change lines", path)
	}
	return a, nil
}

// Write writes the report as text: regressions first, each with its
// benchmark, metric, old -> new and the entries in between; then a table
// of the metrics that changed (all: of every metric).
func (r *Report) Write(w io.Writer, all bool) error {
	fmt.Fprintf(w, "newest: %s %s (%s, %s)\n", r.Newest.Short(), r.Newest.Subject, r.Newest.Machine, r.Newest.File)
	var ws []string
	for _, e := range r.Window {
		ws = append(ws, e.Short())
	}
	fmt.Fprintf(w, "window: %s\n\n", orNone(strings.Join(ws, " ")))
	for _, f := range r.Findings {
		if f.Kind != Regression {
			continue
		}
		fmt.Fprintf(w, "REGRESSION %s %s: %s -> %s (%s) since %s", ShortName(f.Benchmark), f.Unit, fmtValue(f.Old), fmtValue(f.New), pct(f.Old, f.New), f.From.Label())
		if f.Delta != nil {
			fmt.Fprintf(w, ", p=%.3g", f.Delta.P)
		}
		fmt.Fprintln(w)
		for _, e := range append(f.Between, r.Newest) {
			fmt.Fprintf(w, "    in %s %s\n", e.Short(), clip(e.Subject, 90))
		}
	}
	// Warnings that many benchmarks share (a quick entry's single time
	// sample) are said once.
	warned := map[string][]string{}
	var order []string
	for _, f := range r.Findings {
		if f.Kind == Warning {
			key := f.Unit + ": " + f.Note
			if f.Delta != nil {
				key = fmt.Sprintf("%s: too few samples (%d+%d) for the U test to decide; run the full suite (track without --quick)", f.Unit, f.Delta.NOld, f.Delta.NNew)
			}
			if warned[key] == nil {
				order = append(order, key)
			}
			warned[key] = append(warned[key], ShortName(f.Benchmark))
		}
	}
	for _, key := range order {
		names := warned[key]
		if len(names) > 3 {
			names = append(names[:3:3], fmt.Sprintf("and %d more", len(warned[key])-3))
		}
		fmt.Fprintf(w, "warning: %s (%s)\n", key, strings.Join(names, ", "))
	}
	for _, f := range r.Findings {
		switch f.Kind {
		case Accepted:
			fmt.Fprintf(w, "accepted: %s %s: %s\n", ShortName(f.Benchmark), f.Unit, f.Note)
		}
	}
	for _, m := range r.Missing {
		fmt.Fprintf(w, "missing: %s is in the window but not in the newest entry\n", ShortName(m))
	}
	fmt.Fprintln(w)
	var shown []Finding
	same := 0
	for _, f := range r.Findings {
		if !all && (f.Kind == Same || f.Kind == Warning && f.Delta != nil) {
			same++
			continue
		}
		shown = append(shown, f)
	}
	if len(shown) == 0 {
		_, err := fmt.Fprintf(w, "no metric changed (%d compared; --all lists them)\n", same)
		return err
	}
	tw := newTable(w, "benchmark", "metric", "window", "newest", "change", "")
	for _, f := range shown {
		old := fmtValue(f.Old)
		ch := pct(f.Old, f.New)
		if f.Kind == New || f.Kind == Accepted && f.From == nil {
			old, ch = "-", "-"
		} else if f.Delta != nil {
			old = fmt.Sprintf("%s (n=%d)", fmtValue(f.Old), f.Delta.NOld)
			if !f.Delta.Significant {
				ch = "~"
			}
		}
		mark := ""
		if f.Kind != Same {
			mark = f.Kind.String()
		}
		tw.row(ShortName(f.Benchmark), f.Unit, old, fmtValue(f.New), ch, mark)
	}
	if err := tw.flush(); err != nil {
		return err
	}
	if same > 0 {
		_, err := fmt.Fprintf(w, "(%d more unchanged or undecided; --all lists them)\n", same)
		return err
	}
	return nil
}

// clip shortens a commit subject for a line of text.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func pct(old, new float64) string {
	if old == 0 {
		if new == 0 {
			return "+0%"
		}
		return "+∞%"
	}
	return fmt.Sprintf("%+.1f%%", 100*(new/old-1))
}
