// Package results presents what runs measured: sweep summaries (tables),
// plots, and comparisons of stored benchmark runs, as benchstat does, so
// that a solver's regression shows up and can gate CI.
package results

import (
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
)

// Delta is one benchmark's change in one metric between two runs.
type Delta struct {
	Name       string // the benchmark's name, package included, GOMAXPROCS suffix not
	Unit       string // as in the files, e.g. ns/op or nodes/op
	Old, New   benchmath.Summary
	Change     float64 // New/Old - 1 of the medians
	P          float64 // Mann-Whitney U test
	NOld, NNew int
	// Significant: P passed the level that Holm's correction for the
	// number of benchmarks compared leaves it (see Correct).
	Significant bool
	Regressed   bool // more than the threshold worse, and Significant
	// Warning says why the comparison cannot decide: too few samples for
	// the U test to reach the corrected level, or for a confidence
	// interval.
	Warning string
}

// Settings choose what counts as a regression: a median at least Threshold
// (e.g. 0.1 for 10%) higher, with a U-test p-value at most Alpha. Every
// metric nashbench reports is lower-is-better.
type Settings struct {
	Unit      string
	Threshold float64
	Alpha     float64
}

// BenchFile is a Go benchmark output file: each benchmark's values per unit, and
// the configuration the file reports (goos, cpu, the solvers' versions,
// GOMAXPROCS).
type BenchFile struct {
	// values maps a benchmark's name, without its GOMAXPROCS suffix, to
	// its values of each unit.
	values map[string]map[string][]float64
	// config maps each configuration key to the values seen.
	config map[string]map[string]bool
}

// ReadFile reads a Go benchmark output file.
func ReadFile(path string) (*BenchFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return read(f, path)
}

func read(r io.Reader, name string) (*BenchFile, error) {
	br := benchfmt.NewReader(r, name)
	run := &BenchFile{values: map[string]map[string][]float64{}, config: map[string]map[string]bool{}}
	out := run.values
	n := 0
	for br.Scan() {
		switch rec := br.Result().(type) {
		case *benchfmt.SyntaxError:
			return nil, rec
		case *benchfmt.Result:
			// The GOMAXPROCS suffix (-2) is configuration, as benchstat
			// treats it: runs on machines with other core counts still
			// compare, and the difference is reported by ConfigDiff.
			base, parts := rec.Name.Parts()
			key := "Benchmark" + string(base)
			procs := "1"
			for _, p := range parts {
				if len(p) > 0 && p[0] == '-' {
					procs = string(p[1:])
				} else {
					key += string(p)
				}
			}
			if pkg := rec.GetConfig("pkg"); pkg != "" {
				key = pkg + "." + key
			}
			run.note("gomaxprocs", procs)
			for _, c := range rec.Config {
				if c.File && c.Key != "pkg" {
					run.note(c.Key, string(c.Value))
				}
			}
			units := out[key]
			if units == nil {
				units = map[string][]float64{}
				out[key] = units
			}
			for _, v := range rec.Values {
				// benchfmt tidies ns/op into sec/op; keep the unit and
				// value the file used.
				unit, val := v.OrigUnit, v.OrigValue
				if unit == "" {
					unit, val = v.Unit, v.Value
				}
				units[unit] = append(units[unit], val)
			}
			n++
		}
	}
	if err := br.Err(); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, fmt.Errorf("%s: no benchmark results", name)
	}
	return run, nil
}

func (r *BenchFile) note(key, value string) {
	if r.config[key] == nil {
		r.config[key] = map[string]bool{}
	}
	r.config[key][value] = true
}

// onlyIn lists the benchmarks that report unit in a but not in b, sorted:
// a benchmark missing from a new run (it failed, or was not selected) is no
// evidence of its speed, and a comparison should say so.
func onlyIn(a, b *BenchFile, unit string) []string {
	var out []string
	for name, units := range a.values {
		if len(units[unit]) > 0 && len(b.values[name][unit]) == 0 {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// configDiff lists the configuration keys whose values differ between two
// runs, each as "key: old values -> new values": a comparison across
// machines, Go versions or solver versions says so.
func configDiff(old, new *BenchFile) []string {
	keys := map[string]bool{}
	for k := range old.config {
		keys[k] = true
	}
	for k := range new.config {
		keys[k] = true
	}
	var out []string
	for k := range keys {
		o, n := setString(old.config[k]), setString(new.config[k])
		if o != n {
			out = append(out, fmt.Sprintf("%s: %s -> %s", k, o, n))
		}
	}
	sort.Strings(out)
	return out
}

func setString(set map[string]bool) string {
	if len(set) == 0 {
		return "(none)"
	}
	vs := make([]string, 0, len(set))
	for v := range set {
		vs = append(vs, v)
	}
	sort.Strings(vs)
	return strings.Join(vs, ", ")
}

// Compare compares the benchmarks present in both runs in the chosen unit,
// corrected for the number of benchmarks compared (Correct).
func Compare(old, new *BenchFile, s Settings) ([]Delta, error) {
	var out []Delta
	for name, units := range old.values {
		ov, nv := units[s.Unit], new.values[name][s.Unit]
		if len(ov) == 0 || len(nv) == 0 {
			continue
		}
		out = append(out, CompareSamples(name, s.Unit, ov, nv))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no benchmark is in both runs with unit %q (--metric)", s.Unit)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	Correct(out, s)
	return out, nil
}

// CompareSamples compares two samples of one benchmark's metric as
// benchstat does: medians with their 95% intervals and a Mann-Whitney U
// test. Significance and regressions are left to Correct, which needs
// every comparison of the family.
func CompareSamples(name, unit string, ov, nv []float64) Delta {
	th := &benchmath.Thresholds{CompareAlpha: benchmath.DefaultThresholds.CompareAlpha}
	s1 := benchmath.NewSample(append([]float64(nil), ov...), th)
	s2 := benchmath.NewSample(append([]float64(nil), nv...), th)
	a := benchmath.AssumeNothing
	d := Delta{Name: name, Unit: unit, Old: a.Summary(s1, 0.95), New: a.Summary(s2, 0.95), NOld: len(ov), NNew: len(nv)}
	d.P = a.Compare(s1, s2).P
	if d.Old.Center != 0 {
		d.Change = d.New.Center/d.Old.Center - 1
	} else if d.New.Center != 0 {
		d.Change = math.Inf(1)
	}
	return d
}

// Correct decides which deltas are significant at family level s.Alpha
// with Holm's step-down correction (the smallest p against alpha/m, the
// next against alpha/(m-1), ... until one fails), so that comparing many
// benchmarks of identical code does not report a few of them as
// regressions by chance. A delta whose samples are too few for the U test
// ever to reach its level gets a Warning instead of a verdict.
func Correct(ds []Delta, s Settings) {
	alpha := s.Alpha
	if alpha <= 0 {
		alpha = benchmath.DefaultThresholds.CompareAlpha
	}
	order := make([]int, len(ds))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return ds[order[a]].P < ds[order[b]].P })
	m := len(ds)
	going := true
	for rank, i := range order {
		d := &ds[i]
		level := alpha / float64(m-rank)
		d.Significant = going && d.P <= level
		going = d.Significant
		d.Regressed = d.Significant && d.Change > s.Threshold
		switch {
		case minP(d.NOld, d.NNew) > level:
			d.Warning = fmt.Sprintf("too few samples (%d+%d): the U test cannot reach p <= %.2g; run more (-count)", d.NOld, d.NNew, level)
		case d.Old.Warnings != nil || d.New.Warnings != nil:
			d.Warning = fmt.Sprintf("too few samples (%d+%d) for a 95%% interval", d.NOld, d.NNew)
		}
	}
}

// minP is the smallest two-sided p-value a U test of samples of sizes n1
// and n2 can give: 2 / C(n1+n2, n1), when every sample of one is below
// every sample of the other.
func minP(n1, n2 int) float64 {
	c := 1.0
	for i := 1; i <= n1; i++ {
		c = c * float64(n2+i) / float64(i)
	}
	return math.Min(1, 2/c)
}

// summaryString is a median with its 95% interval, or the median alone
// when the sample is too small for one (benchstat's "± ∞").
func summaryString(s benchmath.Summary) string {
	c := strconv.FormatFloat(s.Center, 'g', 4, 64)
	if s.Warnings != nil || math.IsInf(s.Lo, 0) || math.IsInf(s.Hi, 0) {
		return c
	}
	return c + " ± " + s.PctRangeString()
}

// CompareFiles compares the Go benchmark files old and cur (named oldName
// and newName) in s.Unit, as Compare does, and writes the comparison to w:
// first the benchmarks that only one of them has and the configurations
// that differ (timings compare only on one machine), then the table of
// WriteComparison. It returns how many benchmarks regressed.
func CompareFiles(w io.Writer, old, cur *BenchFile, oldName, newName string, s Settings) (int, error) {
	deltas, err := Compare(old, cur, s)
	if err != nil {
		return 0, fmt.Errorf("%s and %s: %w", oldName, newName, err)
	}
	if gone := onlyIn(old, cur, s.Unit); len(gone) > 0 {
		fmt.Fprintf(w, "In %s only, not compared (missing from the new run):\n  %s\n\n", oldName, strings.Join(gone, "\n  "))
	}
	if added := onlyIn(cur, old, s.Unit); len(added) > 0 {
		fmt.Fprintf(w, "In %s only, not compared:\n  %s\n\n", newName, strings.Join(added, "\n  "))
	}
	if diff := configDiff(old, cur); len(diff) > 0 {
		fmt.Fprintf(w, "The runs' configurations differ (timings compare only on one machine):\n  %s\n\n", strings.Join(diff, "\n  "))
	}
	return WriteComparison(w, deltas, s)
}

// WriteComparison writes deltas as a table, marking regressions, and returns
// how many regressed.
func WriteComparison(w io.Writer, deltas []Delta, s Settings) (int, error) {
	t := tablewriter.NewTable(w, tablewriter.WithHeaderAutoFormat(tw.Off))
	t.Header("benchmark", "old "+s.Unit, "new "+s.Unit, "delta", "p", "n", "")
	regressions := 0
	for _, d := range deltas {
		mark := ""
		if d.Regressed {
			mark = "REGRESSION"
			regressions++
		}
		if d.Warning != "" && mark == "" {
			mark = "warning: " + d.Warning
		}
		delta := "~"
		if d.Significant {
			delta = fmt.Sprintf("%+.2f%%", 100*d.Change)
		}
		if err := t.Append(d.Name, summaryString(d.Old), summaryString(d.New),
			delta, fmt.Sprintf("%.3f", d.P), fmt.Sprintf("%d+%d", d.NOld, d.NNew), mark); err != nil {
			return 0, err
		}
	}
	if err := t.Render(); err != nil {
		return 0, err
	}
	return regressions, nil
}

// Read reads Go benchmark output from r; name is used in errors.
func Read(r io.Reader, name string) (*BenchFile, error) { return read(r, name) }

// Benchmarks lists the run's benchmarks, sorted.
func (r *BenchFile) Benchmarks() []string {
	out := make([]string, 0, len(r.values))
	for name := range r.values {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Units lists the units a benchmark reported, sorted.
func (r *BenchFile) Units(name string) []string {
	out := make([]string, 0, len(r.values[name]))
	for u := range r.values[name] {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

// Values returns every value a benchmark reported in unit.
func (r *BenchFile) Values(name, unit string) []float64 { return r.values[name][unit] }
