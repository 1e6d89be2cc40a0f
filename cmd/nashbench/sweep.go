package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/internal/atomicfile"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/results"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/isolate"
	"github.com/nashbench/nashbench/verify"
)

// The default sweep is the README's main job: about two minutes on a
// 2-core machine.
const (
	defaultSweepNs      = "6,8,10,12,14,16,18,20,22,24,26"
	defaultSweepRatios  = "3.5,4.26,5"
	defaultSweepSolvers = "enum,gophersat,gophersat-pb,highs-compact"
)

func init() {
	register(command{
		name:    "sweep",
		summary: "run solvers over generated instances or a corpus, verified, into a run directory",
		run:     runSweep,
	})
}

func runSweep(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sweep", "[--n 6,8,10] [--ratio 4.26] [--count K] [--solvers a,b] [--timeout 30s] [--check-limit 1s] [--seed S] [--out DIR] [--corpus DIR] [--resume] [--shard i/N]", stderr)
	ns := fs.String("n", defaultSweepNs, "comma-separated numbers of variables")
	ratios := fs.String("ratio", defaultSweepRatios, "comma-separated clause/variable ratios")
	count := fs.Int("count", 8, "instances per (n, ratio) point")
	k := fs.Int("k", 3, "literals per clause")
	seed := fs.Uint64("seed", 1, "seed; instance i of a point is drawn with PCG(seed, i)")
	planted := fs.Bool("planted", false, "generate satisfiable instances with a planted model")
	corpus := fs.String("corpus", "", "run over the .cnf files below this directory instead of generating")
	solverList := fs.String("solvers", defaultSweepSolvers, "comma-separated solvers, of: "+strings.Join(solvers.Names(), ", "))
	timeout := fs.Duration("timeout", 30*time.Second, "time limit per job (0: none)")
	checkLimit := fs.Duration("check-limit", verify.DefaultCheckLimit, "check negative answers exhaustively when that is expected to take at most this long (0: never)")
	variant := fs.String("reduction", "corrected", "reduction: corrected or literal (as printed)")
	out := fs.String("out", "", "run directory (default: results/sweep-<UTC time>)")
	resume := fs.Bool("resume", false, "continue the run in --out, skipping the jobs it has rows for")
	shard := fs.String("shard", "1/1", "run shard i of N (1-based): the instances whose index is i-1 modulo N")
	quiet := fs.Bool("quiet", false, "no progress reports")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("sweep: unexpected argument %q", pos[0])
	}
	s := &bench.Sweep{Count: *count, K: *k, Seed: *seed, Planted: *planted, Corpus: *corpus,
		Timeout: *timeout, CheckLimit: *checkLimit, Out: *out, Resume: *resume, Run: isolate.Run}
	if s.Ns, err = parseList(*ns, "--n", strconv.Atoi); err != nil {
		return err
	}
	if s.Ratios, err = parseList(*ratios, "--ratio", func(x string) (float64, error) { return strconv.ParseFloat(x, 64) }); err != nil {
		return err
	}
	for _, name := range strings.Split(*solverList, ",") {
		if name = strings.TrimSpace(name); name != "" {
			s.Solvers = append(s.Solvers, name)
		}
	}
	if s.Reduction, err = reduction.ParseVariant(*variant); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if s.Shard, s.Shards, err = parseShard(*shard); err != nil {
		return err
	}
	if s.Out == "" {
		if s.Resume {
			return errors.New("sweep: --resume needs the --out of the run to continue")
		}
		s.Out = filepath.Join("results", "sweep-"+time.Now().UTC().Format("20060102-150405"))
	}
	if !*quiet {
		s.Progress = stderr
		if f, ok := stderr.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				s.Bar = true
			}
		}
		fmt.Fprintf(stderr, "sweep: writing to %s\n", s.Out)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rows, err := s.Execute(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return &exitError{130, fmt.Errorf("sweep: interrupted after %d rows; continue with --resume --out %s", len(rows), s.Out)}
		}
		return fmt.Errorf("sweep: %w", err)
	}
	return report(rows, s.Out, filepath.Base(bench.RowsFile(s.Out, s.Shard, s.Shards)), stdout, stderr)
}

// report prints and stores the summary of rows and fails on disagreements
// and failed jobs.
func report(rows []bench.Row, dir, rowsName string, stdout, stderr io.Writer) error {
	var sb strings.Builder
	if err := bench.Summarize(&sb, rows); err != nil {
		return err
	}
	fmt.Fprint(stdout, sb.String())
	name := "summary.txt"
	if rowsName != "rows.jsonl" {
		name = "summary-" + strings.TrimSuffix(strings.TrimPrefix(rowsName, "rows-"), ".jsonl") + ".txt"
	}
	if err := atomicfile.Write(filepath.Join(dir, name), []byte(sb.String())); err != nil {
		return &exitError{1, err}
	}
	if rowsName == "rows.jsonl" { // shards are plotted once merged
		if _, err := results.Plot(rows, dir); err != nil {
			fmt.Fprintf(stderr, "nashbench: no plots: %v\n", err)
		}
	}
	bad := bench.Check(rows)
	for _, d := range bad {
		fmt.Fprintf(stderr, "DISAGREEMENT: %s: %s\n", d.Instance, d.Detail)
	}
	failed := 0
	for i := range rows {
		if (rows[i].Status == bench.StatusError || rows[i].Status == bench.StatusMemout) && !rows[i].Failed() {
			failed++
			fmt.Fprintf(stderr, "FAILED: %s with %s: %s\n", rows[i].Instance, rows[i].Solver, rows[i].Error)
		}
	}
	switch {
	case len(bad) > 0:
		return &exitError{1, fmt.Errorf("%d disagreements or failed verifications (rows in %s)", len(bad), dir)}
	case failed > 0:
		return &exitError{3, fmt.Errorf("%d jobs failed (rows in %s)", failed, dir)}
	}
	return nil
}

func parseList[T any](s, flag string, parse func(string) (T, error)) ([]T, error) {
	var out []T
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		v, err := parse(part)
		if err != nil {
			return nil, fmt.Errorf("sweep: %s: %q is not a number", flag, part)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("sweep: %s: empty list", flag)
	}
	return out, nil
}

func parseShard(s string) (int, int, error) {
	i, n, ok := strings.Cut(s, "/")
	a, err1 := strconv.Atoi(i)
	b, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || b < 1 || a < 1 || a > b {
		return 0, 0, fmt.Errorf("sweep: --shard %q: want i/N with 1 <= i <= N", s)
	}
	return a - 1, b, nil
}

func init() {
	register(command{
		name:    "merge",
		summary: "combine the rows of sharded sweeps into one run directory",
		run:     runMerge,
	})
}

func runMerge(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("merge", "--out DIR RUN_DIR_OR_ROWS_FILE...", stderr)
	out := fs.String("out", "", "run directory to write rows.jsonl and summary.txt into")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if *out == "" || len(pos) == 0 {
		fs.Usage()
		return errors.New("merge: want --out and at least one input")
	}
	var all []bench.Row
	for _, p := range pos {
		rows, err := bench.ReadRun(p)
		if err != nil {
			return err
		}
		all = append(all, rows...)
	}
	merged, err := bench.Merge(all)
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return &exitError{1, err}
	}
	if err := bench.WriteRows(filepath.Join(*out, "rows.jsonl"), merged); err != nil {
		return &exitError{1, err}
	}
	return report(merged, *out, "rows.jsonl", stdout, stderr)
}
