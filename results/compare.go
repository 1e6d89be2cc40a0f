// Package results reads stored benchmark runs and compares them, as
// benchstat does, so that a solver's regression shows up and can gate CI.
package results

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
)

// Delta is one benchmark's change in one metric between two runs.
type Delta struct {
	Name       string // the benchmark's full name, package included
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

// samples maps benchmark name to its values of each unit.
type samples map[string]map[string][]float64

// ReadFile reads a Go benchmark output file.
func ReadFile(path string) (samples, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return read(f, path)
}

func read(r io.Reader, name string) (samples, error) {
	br := benchfmt.NewReader(r, name)
	out := samples{}
	n := 0
	for br.Scan() {
		switch rec := br.Result().(type) {
		case *benchfmt.SyntaxError:
			return nil, rec
		case *benchfmt.Result:
			key := "Benchmark" + string(rec.Name.Full())
			if pkg := rec.GetConfig("pkg"); pkg != "" {
				key = pkg + "." + key
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
	return out, nil
}

// Compare compares the benchmarks present in both runs in the chosen unit.
func Compare(old, new samples, s Settings) ([]Delta, error) {
	if s.Alpha <= 0 {
		s.Alpha = benchmath.DefaultThresholds.CompareAlpha
	}
	th := &benchmath.Thresholds{CompareAlpha: s.Alpha}
	var out []Delta
	for name, units := range old {
		ov, nv := units[s.Unit], new[name][s.Unit]
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
		return nil, errors.New("no benchmark is in both runs with that unit")
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
