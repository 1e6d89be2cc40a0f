package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/nashbench/nashbench/history"
	"github.com/nashbench/nashbench/internal/plural"
)

func init() {
	register(command{
		name:    "regress",
		summary: "compare the history's newest entry with the entries before it; exit 1 on a regression",
		run:     runRegress,
	})
}

func runRegress(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("regress", "[--window 5] [--threshold 0.01] [--time-threshold 0.1] [--alpha 0.05] [--all] [--gate-times=false] [--accept REASON] [HISTORY]", stderr)
	var s history.Settings
	fs.IntVar(&s.Window, "window", history.Defaults.Window, "the earlier entries to compare with")
	fs.Float64Var(&s.CounterThreshold, "threshold", history.Defaults.CounterThreshold, "a work counter this fraction above the window's best is a regression")
	fs.Float64Var(&s.TimeThreshold, "time-threshold", history.Defaults.TimeThreshold, "a time whose median is this fraction higher, significantly, is a regression")
	fs.Float64Var(&s.Alpha, "alpha", history.Defaults.Alpha, "significance level of the U tests of times, for all of them together (Holm's correction)")
	gateTimes := fs.Bool("gate-times", true, "exit 1 on a time regression too (false: report times, gate on work counters alone, as CI does)")
	all := fs.Bool("all", false, "list every metric, not only those that changed")
	accept := fs.String("accept", "", "record the newest entry's regressions as accepted, with this reason: the gate measures against the new values from then on")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		fs.Usage()
		return fmt.Errorf("regress: want at most one history directory")
	}
	switch {
	case s.Window < 1:
		return fmt.Errorf("regress: --window %d: want 1 or more", s.Window)
	case !(s.CounterThreshold >= 0) || !(s.TimeThreshold >= 0):
		return fmt.Errorf("regress: thresholds are fractions of 0 or more (0.01 = 1%%)")
	case !(s.Alpha > 0 && s.Alpha < 1):
		return fmt.Errorf("regress: --alpha %v: want a level between 0 and 1 (exclusive)", s.Alpha)
	}
	dir := ""
	if len(pos) == 1 {
		dir = pos[0]
	} else {
		repo, err := history.Git(context.Background(), ".", "rev-parse", "--show-toplevel")
		if err != nil {
			return fmt.Errorf("regress: no HISTORY given and not in a git repository")
		}
		dir = filepath.Join(repo, history.DefaultDir)
	}
	entries, accepts, err := history.Load(dir)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return fmt.Errorf("regress: %s has no entries (nashbench track adds them)", dir)
	}
	r, err := history.Regress(entries, accepts, s)
	if err != nil {
		return err
	}
	if *accept != "" {
		a, err := history.AcceptRegressions(dir, r, *accept)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "accepted %s in %s: %s\n", plural.Count(len(a.Changes), "change", "changes"), filepath.Join(dir, a.File), a.Reason)
		return nil
	}
	if err := r.Write(stdout, *all); err != nil {
		return err
	}
	n := r.Regressions()
	if !*gateTimes {
		n = r.CounterRegressions()
	}
	if n > 0 {
		return &exitError{1, fmt.Errorf("regress: %s in %s: %s (accept a deliberate change with --accept \"reason\")",
			plural.Count(n, "regression", "regressions"), r.Newest.Short(), dir)}
	}
	return nil
}
