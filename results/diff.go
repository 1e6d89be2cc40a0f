package results

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/internal/stats"
	"github.com/nashbench/nashbench/record"
)

// DiffSettings say how DiffRuns compares two runs.
type DiffSettings struct {
	// SkipTimedOut leaves out, per solver, the instances it timed out on
	// in the first run: a solver whose limit was raised then shows only
	// what it kept or lost.
	SkipTimedOut bool
}

// Change is a job whose status or answer differs between two runs.
type Change struct {
	Instance string // its path in the second run
	Solver   string
	A, B     record.Status
	// AnswerA and AnswerB are the answers, which differ only when both
	// were decided and disagree (an answer change) or one was not.
	AnswerA, AnswerB record.Answer
	// Regression: solved (and verified, where checked) in the first run,
	// not in the second: a timeout, memout, error, refusal or a failed
	// verification.
	Regression bool
	// AnswerChanged: decided in both runs, with different answers.
	AnswerChanged bool
}

// Speedup is how much faster a solver is in the second run than in the
// first over the instances it solved in both: the geometric mean of the
// ratios of times (first / second; above 1 is faster) and its 95%
// percentile-bootstrap interval (NaN when there are too few).
type Speedup struct {
	Solver    string `json:"solver"`
	Instances int    `json:"instances"`
	GeoMean   Float  `json:"geomean"`
	Low       Float  `json:"low"`
	High      Float  `json:"high"`
}

// RunDiff is the instance-by-instance comparison of two runs.
type RunDiff struct {
	// Matched counts the jobs found in both runs, OnlyA and OnlyB those of
	// one run alone; Skipped those SkipTimedOut left out.
	Matched, OnlyA, OnlyB, Skipped int
	// ByPath counts the matched jobs whose rows had no input hash (older
	// versions) and were matched by instance path instead.
	ByPath   int
	Changes  []Change
	Speedups []Speedup
}

// Regressions counts the status regressions and answer changes: what
// `nashbench diff` fails on.
func (d *RunDiff) Regressions() (status, answers int) {
	for _, c := range d.Changes {
		if c.Regression {
			status++
		}
		if c.AnswerChanged {
			answers++
		}
	}
	return status, answers
}

// DiffRuns matches the jobs of two runs by their input's content
// (record.Record.InputSHA256, so that runs on copies of one corpus match;
// by path when a row has none) and solver, and compares them.
func DiffRuns(a, b []record.Row, s DiffSettings) *RunDiff {
	key := func(r *record.Row) (string, bool) {
		if r.InputSHA256 != "" {
			return r.InputSHA256 + "\x00" + r.Solver, true
		}
		return "path:" + r.Instance + "\x00" + r.Solver, false
	}
	first := map[string]*record.Row{}
	for i := range a {
		if k, _ := key(&a[i]); first[k] == nil {
			first[k] = &a[i]
		}
	}
	d := &RunDiff{}
	seen := map[string]bool{}
	ratios := map[string][]float64{}
	for i := range b {
		rb := &b[i]
		k, hashed := key(rb)
		if seen[k] {
			continue // a second copy of one input in the run
		}
		seen[k] = true
		ra := first[k]
		if ra == nil {
			d.OnlyB++
			continue
		}
		if s.SkipTimedOut && ra.Outcome() == record.Timeout {
			d.Skipped++
			continue
		}
		d.Matched++
		if !hashed {
			d.ByPath++
		}
		okA := ra.Solved() && !ra.Failed()
		okB := rb.Solved() && !rb.Failed()
		c := Change{Instance: rb.Instance, Solver: rb.Solver, A: ra.Outcome(), B: rb.Outcome(), AnswerA: ra.Answer, AnswerB: rb.Answer,
			Regression:    okA && !okB,
			AnswerChanged: ra.Answer.Decided() && rb.Answer.Decided() && ra.Answer != rb.Answer}
		if c.A != c.B || c.AnswerA != c.AnswerB || c.Regression || c.AnswerChanged {
			d.Changes = append(d.Changes, c)
		}
		if okA && okB {
			ratios[rb.Solver] = append(ratios[rb.Solver], math.Max(ra.Seconds, 1e-9)/math.Max(rb.Seconds, 1e-9))
		}
	}
	for k := range first {
		if !seen[k] {
			d.OnlyA++
		}
	}
	sort.SliceStable(d.Changes, func(i, j int) bool {
		ci, cj := d.Changes[i], d.Changes[j]
		if ci.Solver != cj.Solver {
			return ci.Solver < cj.Solver
		}
		return ci.Instance < cj.Instance
	})
	for _, solver := range sortedKeys(ratios) {
		d.Speedups = append(d.Speedups, speedup(solver, ratios[solver]))
	}
	return d
}

// speedup is the geometric mean of rs with its bootstrap interval.
func speedup(solver string, rs []float64) Speedup {
	logs := make([]float64, len(rs))
	for i, r := range rs {
		logs[i] = math.Log(r)
	}
	mean := func(xs []float64) float64 {
		var s float64
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	}
	sp := Speedup{Solver: solver, Instances: len(rs), GeoMean: Float(math.Exp(mean(logs))), Low: Float(math.NaN()), High: Float(math.NaN())}
	if len(rs) >= 5 {
		lo, hi, ok := stats.Bootstrap(bootstrapReps, 1, func(rng *rand.Rand) (float64, bool) {
			var s float64
			for range logs {
				s += logs[rng.IntN(len(logs))]
			}
			return s / float64(len(logs)), true
		})
		if ok {
			sp.Low, sp.High = Float(math.Exp(lo)), Float(math.Exp(hi))
		}
	}
	return sp
}

// WriteDiff writes d for people: the matching, the status and answer
// changes, and the speedups per solver.
func WriteDiff(w io.Writer, d *RunDiff, nameA, nameB string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s matched", plural.Count(d.Matched, "job", "jobs"))
	if d.ByPath > 0 {
		fmt.Fprintf(&b, " (%d by path: rows without an input hash)", d.ByPath)
	}
	if d.OnlyA > 0 || d.OnlyB > 0 {
		fmt.Fprintf(&b, "; %d only in %s, %d only in %s", d.OnlyA, nameA, d.OnlyB, nameB)
	}
	if d.Skipped > 0 {
		fmt.Fprintf(&b, "; %d left out (timed out in %s)", d.Skipped, nameA)
	}
	b.WriteString("\n")
	status, answers := d.Regressions()
	if len(d.Changes) == 0 {
		b.WriteString("no status or answer changed\n")
	} else {
		fmt.Fprintf(&b, "\n%s (%d status regressions, %d changed answers):\n", plural.Count(len(d.Changes), "change", "changes"), status, answers)
		for _, c := range d.Changes {
			tag := "  "
			switch {
			case c.AnswerChanged:
				tag = "ANSWER CHANGED "
			case c.Regression:
				tag = "REGRESSION "
			}
			fmt.Fprintf(&b, "  %s%s %s: %s %s -> %s %s\n", tag, c.Solver, c.Instance, c.A, c.AnswerA, c.B, c.AnswerB)
		}
	}
	if len(d.Speedups) > 0 {
		b.WriteString("\nspeedup of the second run (time first / second, instances solved in both; geometric mean, 95% interval):\n")
		for _, s := range d.Speedups {
			fmt.Fprintf(&b, "  %-16s %6.3gx  %s  over %s\n", s.Solver, float64(s.GeoMean), interval(float64(s.Low), float64(s.High), "%.3gx"), plural.Count(s.Instances, "instance", "instances"))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
