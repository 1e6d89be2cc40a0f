package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/results"
)

func init() {
	register(command{
		name:    "compare",
		summary: "compare two Go benchmark files; exit 1 on a significant regression",
		run:     runCompare,
	})
}

func runCompare(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("compare", "[--metric ns/op] [--threshold 0.1] [--alpha 0.05] OLD NEW", stderr)
	var s results.Settings
	fs.StringVar(&s.Unit, "metric", "ns/op", "the metric to gate on (ns/op, nodes/op, conflicts/op, ...)")
	fs.Float64Var(&s.Threshold, "threshold", 0.10, "regression threshold on the median, as a fraction (0.1 = 10% worse)")
	fs.Float64Var(&s.Alpha, "alpha", 0.05, "significance level of the Mann-Whitney U test")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		fs.Usage()
		return fmt.Errorf("compare: want OLD and NEW benchmark files")
	}
	if !(s.Threshold >= 0) {
		return fmt.Errorf("compare: --threshold %v: want 0 or more (a fraction: 0.1 = 10%% worse)", s.Threshold)
	}
	if !(s.Alpha > 0 && s.Alpha < 1) {
		return fmt.Errorf("compare: --alpha %v: want a level between 0 and 1 (exclusive)", s.Alpha)
	}
	old, err := results.ReadFile(pos[0])
	if err != nil {
		return err
	}
	cur, err := results.ReadFile(pos[1])
	if err != nil {
		return err
	}
	deltas, err := results.Compare(old, cur, s)
	if err != nil {
		return fmt.Errorf("compare: %s and %s: %w", pos[0], pos[1], err)
	}
	if gone := results.OnlyIn(old, cur, s.Unit); len(gone) > 0 {
		fmt.Fprintf(stdout, "In %s only, not compared (missing from the new run):\n  %s\n\n", pos[0], strings.Join(gone, "\n  "))
	}
	if added := results.OnlyIn(cur, old, s.Unit); len(added) > 0 {
		fmt.Fprintf(stdout, "In %s only, not compared:\n  %s\n\n", pos[1], strings.Join(added, "\n  "))
	}
	if diff := results.ConfigDiff(old, cur); len(diff) > 0 {
		fmt.Fprintf(stdout, "The runs' configurations differ (timings compare only on one machine):\n  %s\n\n", strings.Join(diff, "\n  "))
	}
	regressions, err := results.WriteComparison(stdout, deltas, s)
	if err != nil {
		return err
	}
	if regressions > 0 {
		return &exitError{1, fmt.Errorf("compare: %s regressed in %s by more than %.0f%% (p <= %g)", plural.Count(regressions, "benchmark", "benchmarks"), s.Unit, 100*s.Threshold, s.Alpha)}
	}
	return nil
}
