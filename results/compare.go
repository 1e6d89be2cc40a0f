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
	Regressed  bool // more than the threshold worse, with p <= alpha
}

// Settings choose what counts as a regression: a median at least Threshold
// (e.g. 0.1 for 10%) higher, with a U-test p-value at most Alpha. Every
// metric nashbench reports is lower-is-better.
type Settings struct {
	Unit      string
	Threshold float64
	Alpha     float64
}

// Run is a Go benchmark output file: each benchmark's values per unit, and
// the configuration the file reports (goos, cpu, the solvers' versions,
// GOMAXPROCS).
type Run struct {
	// values maps a benchmark's name, without its GOMAXPROCS suffix, to
	// its values of each unit.
	values map[string]map[string][]float64
	// config maps each configuration key to the values seen.
	config map[string]map[string]bool
}

// ReadFile reads a Go benchmark output file.
func ReadFile(path string) (*Run, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return read(f, path)
}

func read(r io.Reader, name string) (*Run, error) {
	br := benchfmt.NewReader(r, name)
	run := &Run{values: map[string]map[string][]float64{}, config: map[string]map[string]bool{}}
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

func (r *Run) note(key, value string) {
	if r.config[key] == nil {
		r.config[key] = map[string]bool{}
	}
	r.config[key][value] = true
}

// OnlyIn lists the benchmarks that report unit in a but not in b, sorted:
// a benchmark missing from a new run (it failed, or was not selected) is no
// evidence of its speed, and a comparison should say so.
func OnlyIn(a, b *Run, unit string) []string {
	var out []string
	for name, units := range a.values {
		if len(units[unit]) > 0 && len(b.values[name][unit]) == 0 {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// ConfigDiff lists the configuration keys whose values differ between two
// runs, each as "key: old values -> new values": a comparison across
// machines, Go versions or solver versions says so.
func ConfigDiff(old, new *Run) []string {
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

// Compare compares the benchmarks present in both runs in the chosen unit.
func Compare(old, new *Run, s Settings) ([]Delta, error) {
	if s.Alpha <= 0 {
		s.Alpha = benchmath.DefaultThresholds.CompareAlpha
	}
	th := &benchmath.Thresholds{CompareAlpha: s.Alpha}
	var out []Delta
	for name, units := range old.values {
		ov, nv := units[s.Unit], new.values[name][s.Unit]
		if len(ov) == 0 || len(nv) == 0 {
			continue
		}
		s1 := benchmath.NewSample(append([]float64(nil), ov...), th)
		s2 := benchmath.NewSample(append([]float64(nil), nv...), th)
		a := benchmath.AssumeNothing
		d := Delta{Name: name, Unit: s.Unit, Old: a.Summary(s1, 0.95), New: a.Summary(s2, 0.95), NOld: len(ov), NNew: len(nv)}
		c := a.Compare(s1, s2)
		d.P = c.P
		if d.Old.Center != 0 {
			d.Change = d.New.Center/d.Old.Center - 1
		} else if d.New.Center != 0 {
			d.Change = math.Inf(1)
		}
		d.Regressed = d.Change > s.Threshold && d.P <= s.Alpha
		out = append(out, d)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no benchmark is in both runs with unit %q (--metric)", s.Unit)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
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
		delta := "~"
		if d.P <= s.Alpha {
			delta = fmt.Sprintf("%+.2f%%", 100*d.Change)
		}
		if err := t.Append(d.Name,
			fmt.Sprintf("%s ± %s", strconv.FormatFloat(d.Old.Center, 'g', 4, 64), d.Old.PctRangeString()),
			fmt.Sprintf("%s ± %s", strconv.FormatFloat(d.New.Center, 'g', 4, 64), d.New.PctRangeString()),
			delta, fmt.Sprintf("%.3f", d.P), fmt.Sprintf("%d+%d", d.NOld, d.NNew), mark); err != nil {
			return 0, err
		}
	}
	if err := t.Render(); err != nil {
		return 0, err
	}
	return regressions, nil
}
