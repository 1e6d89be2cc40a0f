package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/nashbench/nashbench/history"
	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/results"
	"github.com/nashbench/nashbench/rundir"
)

// The commands of regression tracking: the history (track, regress,
// bisect, report's dashboard) and comparisons of two runs (compare, diff).

func runTrack(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("track", "[--quick] [--commits A..B] [--history DIR] [--machine NAME] [--solvers a,b] [--solvers-file F]", stderr)
	quick := fs.Bool("quick", false, "run the counter half alone (each benchmark once)")
	commits := fs.String("commits", "", "measure these commits, each in its own git worktree: A..B (the first-parent commits after A up to B, as git log reads it) or one commit")
	dir := fs.String("history", "", "the history directory (default: results/history of the repository)")
	machine := fs.String("machine", history.Machine(), "the machine's name in the entries")
	extra := fs.String("solvers", "", "external solvers to add to the suite (comma-separated)")
	solversFile := fs.String("solvers-file", "", "external solver definitions for --solvers (as NASHBENCH_SOLVERS_FILE)")
	if _, err := parse(fs, args, 0, 0, ""); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	repo, err := repository(ctx, dir)
	if err != nil {
		return fmt.Errorf("track: not in a git repository: %w", err)
	}
	suite := history.Tracking
	if *extra != "" {
		suite.Extra = strings.Split(*extra, ",")
	}
	t := history.Tracker{Repo: repo, Dir: *dir, Suite: suite, Quick: *quick, Machine: *machine, SolversFile: *solversFile}
	if err := t.Check(); err != nil {
		return fmt.Errorf("track: %w", err)
	}
	if *commits == "" {
		if err := history.TrackTree(ctx, t, stdout); err != nil {
			return &exitError{1, fmt.Errorf("track: %w", err)}
		}
		return nil
	}
	failed, err := history.TrackCommits(ctx, t, *commits, stdout, stderr)
	switch {
	case err != nil && ctx.Err() == nil:
		return fmt.Errorf("track: %w", err)
	case err != nil:
		return &exitError{1, fmt.Errorf("track: %w", err)}
	case len(failed) > 0:
		return &exitError{1, fmt.Errorf("track: %s did not build or failed the suite: %s", plural.Count(len(failed), "commit", "commits"), strings.Join(failed, " "))}
	}
	return nil
}

// loadHistory reads the history in dir (default: the repository's, which
// the error says, as flag, is not given) and refuses one without entries.
func loadHistory(cmd, dir, flag string) (string, []*history.Entry, []history.Accept, error) {
	if dir == "" {
		if _, err := repository(context.Background(), &dir); err != nil {
			return "", nil, nil, fmt.Errorf("%s: no %s given and not in a git repository", cmd, flag)
		}
	}
	entries, accepts, err := history.Load(dir)
	if err == nil && len(entries) == 0 {
		err = fmt.Errorf("%s: %s has no entries (nashbench track adds them)", cmd, dir)
	}
	return dir, entries, accepts, err
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
	pos, err := parse(fs, args, 0, 1, "want at most one history directory")
	if err != nil {
		return err
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
		if dir = pos[0]; dir == "" { // not the default: that is no HISTORY at all
			return errors.New("regress: HISTORY is empty: give a history directory, or none for the repository's")
		}
	}
	dir, entries, accepts, err := loadHistory("regress", dir, "HISTORY")
	if err != nil {
		return err
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

func runBisect(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bisect", "--bench NAME --metric UNIT [--history DIR] [GOOD [BAD]]", stderr)
	bench := fs.String("bench", "", "the benchmark, as reported without its -GOMAXPROCS suffix (BenchmarkSolve/highs-compact/n=6)")
	metric := fs.String("metric", "", "the counter (columns/op, conflicts/op, ...)")
	dir := fs.String("history", "", "where to look for GOOD when it is not given: the oldest entry with the benchmark (default: results/history of the repository)")
	pos, err := parse(fs, args, 0, 2, "want at most GOOD and BAD")
	if err != nil {
		return err
	}
	if *bench == "" || *metric == "" {
		fs.Usage()
		return fmt.Errorf("bisect: --bench and --metric are required")
	}
	if !history.IsCounter(*metric) {
		fmt.Fprintf(stderr, "bisect: warning: %s is not a work counter; times differ at every commit, so bisect will find the first noisy one\n", *metric)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	b := history.Bisection{Bench: *bench, Metric: *metric, Bad: "HEAD", Dir: *dir}
	if b.Repo, err = repository(ctx, &b.Dir); err != nil {
		return fmt.Errorf("bisect: not in a git repository: %w", err)
	}
	if len(pos) >= 1 {
		b.Good = pos[0]
	}
	if len(pos) == 2 {
		b.Bad = pos[1]
	}
	err = history.Bisect(ctx, b, stdout, stderr)
	switch {
	case err == nil:
		return nil
	case errors.As(err, new(*history.EndError)) || ctx.Err() != nil:
		return &exitError{1, fmt.Errorf("bisect: %w", err)}
	}
	return fmt.Errorf("bisect: %w", err)
}

func runReport(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", "[--history DIR] -o OUT.html\n       nashbench report RUN_DIR [--against RUN] [-o OUT.html]", stderr)
	dir := fs.String("history", "", "the history directory (default: "+history.DefaultDir+" of the git repository of the current directory)")
	out := fs.String("o", "", "the HTML file to write, or - for standard output (required for the dashboard; default RUN_DIR/"+rundir.ReportFile+" for a run)")
	against := fs.String("against", "", "with RUN_DIR: compare the run with an earlier RUN (a run directory or rows file), instance by instance, as nashbench diff does")
	pos, err := parse(fs, args, 0, -1, "")
	if err != nil {
		return err
	}
	switch {
	case *against != "" && len(pos) != 1:
		fs.Usage()
		return fmt.Errorf("report: --against needs a RUN_DIR to compare")
	case len(pos) > 1:
		fs.Usage()
		return fmt.Errorf("report: unexpected argument %q (one run directory, or none for the history's dashboard)", pos[1])
	case len(pos) == 1 && *dir != "":
		fs.Usage()
		return fmt.Errorf("report: --history is for the dashboard, not for a run directory (%s)", pos[0])
	case len(pos) == 1:
		return reportRun(pos[0], *out, *against, stdout)
	case *out == "":
		fs.Usage()
		return fmt.Errorf("report: -o is required: the HTML file to write, or - for standard output")
	}
	_, entries, accepts, err := loadHistory("report", *dir, "--history")
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := history.WriteReport(&b, entries, accepts); err != nil {
		return &exitError{1, fmt.Errorf("report: %w", err)}
	}
	return writeOutput("report", *out, b.Bytes(), stdout)
}

// reportRun writes the report of the run directory dir into out (default
// dir/report.html) and prints the file's path.
func reportRun(dir, out, against string, stdout io.Writer) error {
	rows, missing, err := rundir.ReadRun(dir)
	if err != nil {
		return fmt.Errorf("report: %w (report RUN_DIR reads a sweep's run directory; the history's dashboard is report --history DIR -o OUT.html)", err)
	}
	var b bytes.Buffer
	if err := rundir.WriteReport(&b, dir, rows, missing, nil, "", against); err != nil {
		return &exitError{1, fmt.Errorf("report: %w", err)}
	}
	if out == "" {
		out = filepath.Join(dir, rundir.ReportFile)
	}
	if err := writeOutput("report", out, b.Bytes(), stdout); err != nil {
		return err
	}
	if out != "-" {
		fmt.Fprintln(stdout, out)
	}
	return nil
}

func runCompare(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("compare", "[--metric ns/op] [--threshold 0.1] [--alpha 0.05] OLD NEW", stderr)
	var s results.Settings
	fs.StringVar(&s.Unit, "metric", "ns/op", "the metric to gate on (ns/op, nodes/op, conflicts/op, ...)")
	fs.Float64Var(&s.Threshold, "threshold", 0.10, "regression threshold on the median, as a fraction (0.1 = 10% worse)")
	fs.Float64Var(&s.Alpha, "alpha", 0.05, "significance level of the Mann-Whitney U test")
	pos, err := parse(fs, args, 2, 2, "want OLD and NEW benchmark files")
	if err != nil {
		return err
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
	regressions, err := results.CompareFiles(stdout, old, cur, pos[0], pos[1], s)
	if err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	if regressions > 0 {
		return &exitError{1, fmt.Errorf("compare: %s regressed in %s by more than %.0f%% (p <= %g)", plural.Count(regressions, "benchmark", "benchmarks"), s.Unit, 100*s.Threshold, s.Alpha)}
	}
	return nil
}

func runDiff(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("diff", "[--skip-timed-out] RUN_A RUN_B", stderr)
	skip := fs.Bool("skip-timed-out", false, "leave out the instances a solver timed out on in RUN_A")
	pos, err := parse(fs, args, 2, 2, "want two runs (run directories or rows files)")
	if err != nil {
		return err
	}
	a, err := rundir.Read(pos[0])
	if err != nil {
		return fmt.Errorf("diff: %w", err)
	}
	b, err := rundir.Read(pos[1])
	if err != nil {
		return fmt.Errorf("diff: %w", err)
	}
	d := results.DiffRuns(a, b, results.DiffSettings{SkipTimedOut: *skip})
	if err := results.WriteDiff(stdout, d, pos[0], pos[1]); err != nil {
		return &exitError{2, err}
	}
	if d.Matched == 0 {
		return fmt.Errorf("diff: %s and %s have no job in common (inputs are matched by content and solver)", pos[0], pos[1])
	}
	if status, answers := d.Regressions(); status+answers > 0 {
		return &exitError{1, fmt.Errorf("diff: %s and %s from %s to %s",
			plural.Count(status, "status regression", "status regressions"), plural.Count(answers, "changed answer", "changed answers"), pos[0], pos[1])}
	}
	return nil
}
