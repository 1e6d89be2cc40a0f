package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/internal/atomicfile"
	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/results"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/external"
	"github.com/nashbench/nashbench/verify"
)

// The default sweep is the README's main job: about two minutes on a
// 2-core machine with two jobs at a time. Its sizes reach where enum's
// 2^n shows (n = 26: about 1.5 s per unsatisfiable instance), and its
// ratios run from under- to over-constrained, so that the phase transition
// and the easy-hard-easy peak of gophersat's conflicts (near ratio 5 at
// these sizes) show.
const (
	defaultSweepNs      = "8,12,16,20,24,26"
	defaultSweepRatios  = "2,3,4,4.26,5,6,8,10"
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
	fs := newFlagSet("sweep", "[--n 6,8,10] [--ratio 4.26] [--count K] [--solvers a,b] [--solvers-file F] [--certify] [--timeout 30s] [--jobs N] [--mem 4G] [--check-limit 1s] [--seed S] [--out DIR] [--corpus DIR] [--resume [--retry-failed]] [--shard i/N | --slurm [--shards N] [--slurm-opts \"...\"] [--dry-run]]", stderr)
	ns := fs.String("n", defaultSweepNs, "comma-separated numbers of variables")
	ratios := fs.String("ratio", defaultSweepRatios, "comma-separated clause/variable ratios")
	count := fs.Int("count", 8, "instances per (n, ratio) point")
	k := fs.Int("k", 3, "literals per clause")
	seed := fs.Uint64("seed", 1, "seed; instance i of a point is drawn with PCG(seed, i)")
	planted := fs.Bool("planted", false, "generate satisfiable instances with a planted model")
	corpus := fs.String("corpus", "", "run over the .cnf files below this directory instead of generating")
	solverList := fs.String("solvers", defaultSweepSolvers, "comma-separated solvers, of: "+strings.Join(solvers.Names(), ", "))
	timeout := durationVar(fs, "timeout", 30*time.Second, "time limit per job, a `duration` such as 30s (0: none)")
	jobs := fs.Int("jobs", 0, "jobs run side by side, each bound to a core of its own (0: one per core)")
	mem := fs.String("mem", "", "memory limit per job with the processes it starts, e.g. 512M or 4G (default: none); a job that hits it is a memout")
	checkLimit := durationVar(fs, "check-limit", verify.DefaultCheckLimit, "check negative answers exhaustively when that is expected to take at most this `duration` (0: never)")
	variant := fs.String("reduction", "corrected", "reduction: corrected or literal (as printed)")
	out := fs.String("out", "", "run directory (default: results/sweep-<UTC time>)")
	resume := fs.Bool("resume", false, "continue the run in --out with the parameters in its run.json, skipping the jobs it has rows for")
	retry := fs.Bool("retry-failed", false, "with --resume: run again the jobs whose rows say error, timeout or memout (the old rows go to history*.jsonl)")
	shard := fs.String("shard", "1/1", "run shard i of N (1-based): the instances whose index is i-1 modulo N")
	quiet := fs.Bool("quiet", false, "no progress reports")
	certify := fs.Bool("certify", true, "certify every negative answer that the exhaustive check cannot cover (by the solver's own proof, else by a prover's), and check the proofs (false: exhaustive checks only)")
	solversFile := solversFileFlag(fs)
	slurm := fs.Bool("slurm", false, "submit to Slurm: an sbatch array of one task per shard into --out (a shared directory), then a job that merges them into --out/merged; with --resume, resubmit the shards that lack rows")
	shards := fs.Int("shards", 0, fmt.Sprintf("with --slurm: the shards, one array task each (default: one per instance, at most %d)", defaultSlurmShards))
	slurmOpts := fs.String("slurm-opts", "", "with --slurm: more sbatch options for the tasks and the merge, such as \"--partition=long --time=4:00:00\" (default: those of the run's last submission)")
	dryRun := fs.Bool("dry-run", false, "with --slurm: print the scripts and sbatch commands, submit nothing")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("sweep: unexpected argument %q", pos[0])
	}
	solversFrom, err := external.Load(*solversFile)
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !*slurm {
		for _, f := range []string{"shards", "slurm-opts", "dry-run"} {
			if set[f] {
				return fmt.Errorf("sweep: --%s needs --slurm", f)
			}
		}
	}
	if *timeout < 0 {
		return fmt.Errorf("sweep: --timeout %v: must not be negative (0: no limit)", *timeout)
	}
	if *checkLimit < 0 {
		return fmt.Errorf("sweep: --check-limit %v: must not be negative (0: never check)", *checkLimit)
	}
	if *checkLimit == 0 {
		*checkLimit = -1 // --check-limit 0: never
	}
	s := &bench.Sweep{Count: *count, K: *k, Seed: *seed, Planted: *planted, Corpus: *corpus,
		Timeout: *timeout, CheckLimit: *checkLimit, Out: *out, Resume: *resume, RetryFailed: *retry, Jobs: *jobs, Certify: *certify}
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
	if s.Shard, s.Shards, err = parseShard("sweep", *shard); err != nil {
		return err
	}
	if *jobs < 0 {
		return fmt.Errorf("sweep: --jobs %d: want 0 (one per core) or more", *jobs)
	}
	if *mem != "" {
		if s.Memory, err = parseBytes(*mem); err != nil {
			return fmt.Errorf("sweep: --mem: %w", err)
		}
	}
	if s.RetryFailed && !s.Resume {
		return errors.New("sweep: --retry-failed needs --resume (and the --out of the run)")
	}
	if s.Out == "" {
		if s.Resume {
			return errors.New("sweep: --resume needs the --out of the run to continue")
		}
		s.Out = filepath.Join("results", "sweep-"+time.Now().UTC().Format("20060102-150405"))
	}
	if *slurm {
		f := slurmFlags{opts: *slurmOpts, shards: *shards, jobs: *jobs, solversFile: solversFrom, dryRun: *dryRun, set: set}
		if set["check-limit"] {
			f.checkLimit = fs.Lookup("check-limit").Value.String()
		}
		return runSlurm(s, f, stdout, stderr)
	}
	if s.Resume {
		if err := resumeRun(s, set, false); err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
	}
	header := &headerWriter{w: stderr} // "writing to" once the run is under way
	if !*quiet {
		header.header = fmt.Sprintf("sweep: writing to %s\n", s.Out)
		s.Progress = header
		if f, ok := stderr.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				s.Bar = true
			}
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rows, err := s.Execute(ctx)
	if err != nil {
		if ctx.Err() != nil {
			again := "--resume --out " + s.Out
			if s.Shards > 1 {
				again += fmt.Sprintf(" --shard %d/%d", s.Shard+1, s.Shards)
			}
			return &exitError{130, fmt.Errorf("sweep: interrupted after %s; continue with %s", plural.Count(len(rows), "row", "rows"), again)}
		}
		return fmt.Errorf("sweep: %w", err)
	}
	header.flush()
	return report(rows, nil, s.Out, filepath.Base(bench.RowsFile(s.Out, s.Shard, s.Shards)), stdout, stderr)
}

// experimentFlags maps the fields of run.json's experiment to the flags
// that set them.
var experimentFlags = []struct{ field, flag string }{
	{"sizes", "n"}, {"ratios", "ratio"}, {"count", "count"}, {"k", "k"}, {"seed", "seed"},
	{"planted", "planted"}, {"corpus", "corpus"}, {"solvers", "solvers"},
	{"timeout_seconds", "timeout"}, {"reduction", "reduction"}, {"memory_bytes", "mem"}, {"certify", "certify"},
}

// resumeRun makes s continue the experiment recorded in its run
// directory, refusing the flags set on the command line that contradict
// it. A directory with rows but no run.json (an older nashbench's) is
// continued only when every flag of the experiment is given. allShards
// (--slurm) continues every shard, so no --shard is needed.
func resumeRun(s *bench.Sweep, set map[string]bool, allShards bool) error {
	info, err := bench.ReadRunInfo(s.Out)
	if errors.Is(err, iofs.ErrNotExist) {
		has, err := bench.HasRows(s.Out)
		if err != nil || !has {
			return err // nothing to continue: a fresh run with these flags
		}
		need := []string{"n", "ratio", "count", "k", "seed", "planted", "solvers", "timeout", "reduction"}
		if s.Corpus != "" {
			need = []string{"corpus", "solvers", "timeout", "reduction"}
		}
		var missing []string
		for _, f := range need {
			if !set[f] {
				missing = append(missing, "--"+f)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("%s has rows but no %s (an older nashbench wrote it), so its parameters are unknown: give every flag of that run to continue it (missing: %s)",
				s.Out, bench.RunInfoName, strings.Join(missing, " "))
		}
		return nil
	}
	if err != nil {
		return err
	}
	given := s.Experiment()
	for _, d := range info.Experiment.Diff(&given) {
		for _, f := range experimentFlags {
			if f.field == d.Field && set[f.flag] {
				return fmt.Errorf("--%s %s contradicts the run in %s: its %s has %s %s", f.flag, runValue(d.Field, d.B), s.Out, bench.RunInfoName, d.Field, runValue(d.Field, d.A))
			}
		}
	}
	switch {
	case allShards:
	case set["shard"] && s.Shards != info.Shards:
		return fmt.Errorf("--shard %d/%d contradicts the run in %s, which is split into %s", s.Shard+1, s.Shards, s.Out, plural.Count(info.Shards, "shard", "shards"))
	case !set["shard"] && info.Shards > 1:
		return fmt.Errorf("the run in %s is split into %s: give --shard i/%d", s.Out, plural.Count(info.Shards, "shard", "shards"), info.Shards)
	}
	return s.SetExperiment(info.Experiment)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// report prints and stores the summary of rows and fails on disagreements
// and failed jobs. missing, when not nil, is what the rows lack of their
// experiment (a merge of shards whose tasks did not all finish).
func report(rows []bench.Row, missing *bench.Missing, dir, rowsName string, stdout, stderr io.Writer) error {
	var sb strings.Builder
	if err := results.Summarize(&sb, rows); err != nil {
		return err
	}
	results.SummarizeMissing(&sb, missing)
	fmt.Fprint(stdout, sb.String())
	name := "summary.txt"
	if rowsName != "rows.jsonl" {
		name = "summary-" + strings.TrimSuffix(strings.TrimPrefix(rowsName, "rows-"), ".jsonl") + ".txt"
	}
	if err := atomicfile.Write(filepath.Join(dir, name), []byte(sb.String())); err != nil {
		return &exitError{1, err}
	}
	// The same statistics for programs, and the rows for spreadsheets.
	stem := strings.TrimSuffix(name, ".txt")
	var js, csv bytes.Buffer
	if err := results.WriteRunSummaryJSON(&js, rows, missing); err != nil {
		return &exitError{1, err}
	}
	if err := results.WriteRowsCSV(&csv, rows); err != nil {
		return &exitError{1, err}
	}
	if err := atomicfile.Write(filepath.Join(dir, stem+".json"), js.Bytes()); err != nil {
		return &exitError{1, err}
	}
	if err := atomicfile.Write(filepath.Join(dir, strings.TrimSuffix(rowsName, ".jsonl")+".csv"), csv.Bytes()); err != nil {
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
	if missing != nil && missing.Jobs > 0 {
		var sm strings.Builder
		results.SummarizeMissing(&sm, missing)
		fmt.Fprintf(stderr, "MISSING: %s", strings.TrimPrefix(strings.TrimSpace(sm.String()), "missing: "))
		fmt.Fprintln(stderr)
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
		return &exitError{1, fmt.Errorf("%s or failed verifications (rows in %s)", plural.Count(len(bad), "disagreement", "disagreements"), dir)}
	case failed > 0:
		return &exitError{3, fmt.Errorf("%s failed (rows in %s)", plural.Count(failed, "job", "jobs"), dir)}
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

// parseShard parses --shard i/N (1-based) of cmd into a 0-based i and N.
func parseShard(cmd, s string) (int, int, error) {
	i, n, ok := strings.Cut(s, "/")
	a, err1 := strconv.Atoi(i)
	b, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || b < 1 || a < 1 || a > b {
		return 0, 0, fmt.Errorf("%s: --shard %q: want i/N with 1 <= i <= N", cmd, s)
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
	info, shards, history, err := mergeRunInfo(pos, *out)
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	if info == nil {
		fmt.Fprintf(stderr, "nashbench: merge: the inputs have no %s (an older nashbench wrote them): cannot check that they are one experiment\n", bench.RunInfoName)
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
	if err := checkMergeOut(pos, *out, merged); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	plan, err := planInstances(pos, *out)
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return &exitError{1, err}
	}
	if err := placeInstances(plan, *out); err != nil {
		return &exitError{1, fmt.Errorf("merge: %w", err)}
	}
	if err := bench.WriteRows(filepath.Join(*out, "rows.jsonl"), merged); err != nil {
		return &exitError{1, err}
	}
	hist := bench.HistoryFile(*out, 0, 1)
	if len(history) > 0 {
		err = bench.WriteRows(hist, history)
	} else if err = os.Remove(hist); errors.Is(err, iofs.ErrNotExist) {
		err = nil
	}
	if err != nil {
		return &exitError{1, err}
	}
	if info != nil {
		if err := bench.WriteRunInfo(*out, info); err != nil {
			return &exitError{1, err}
		}
	}
	// The jobs no input has a row for: the shards whose tasks did not
	// finish (a batch system's failed, timed out or cancelled tasks).
	var missing *bench.Missing
	if info != nil {
		if p, err := bench.ExperimentProgress(info.Experiment, max(shards, 1), merged); err != nil {
			fmt.Fprintf(stderr, "nashbench: merge: cannot tell which jobs are missing: %v\n", err)
		} else {
			m := p.Missing()
			missing = &m
		}
	}
	return report(merged, missing, *out, "rows.jsonl", stdout, stderr)
}

// checkMergeOut refuses an --out whose rows the merge would lose: one of
// the inputs (its shard rows files would stay beside a rows.jsonl that says
// the run is unsharded), a shard's directory, or a rows.jsonl holding a job
// that the merged rows lack or hold at an earlier attempt. A merge written
// there before (the Slurm merge job's, rerun after a resume) passes, since
// the inputs still hold every row it took from them.
func checkMergeOut(inputs []string, out string, merged []bench.Row) error {
	if outSt, err := os.Stat(out); err == nil {
		for _, in := range inputs {
			dir := in
			if st, err := os.Stat(in); err == nil && !st.IsDir() {
				dir = filepath.Dir(in)
			}
			// SameFile: a symlink or another spelling of an input is one too.
			if st, err := os.Stat(dir); err == nil && os.SameFile(st, outSt) {
				return fmt.Errorf("--out %s is the directory of input %s: write the merge into a new directory", out, in)
			}
		}
	}
	shardFiles, err := filepath.Glob(filepath.Join(out, "rows-*-of-*.jsonl"))
	if err != nil {
		return err
	}
	if len(shardFiles) > 0 {
		return fmt.Errorf("--out %s holds a shard's rows (%s): write the merge into a new directory", out, filepath.Base(shardFiles[0]))
	}
	old, err := bench.ReadRows(filepath.Join(out, "rows.jsonl"), false)
	if errors.Is(err, iofs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	attempt := make(map[string]int, len(merged))
	for i := range merged {
		attempt[merged[i].Key()] = merged[i].Attempt
	}
	var lost []bench.Row
	for _, r := range old {
		if a, ok := attempt[r.Key()]; !ok || a < r.Attempt {
			lost = append(lost, r)
		}
	}
	if len(lost) > 0 {
		return fmt.Errorf("--out %s holds %s that the inputs lack or hold only at an earlier attempt (the first: %s with %s, attempt %d), which the merge would drop: write it into a new directory",
			out, plural.Count(len(lost), "row", "rows"), lost[0].Instance, lost[0].Solver, lost[0].Attempt)
	}
	return nil
}

// mergeRunInfo reads the run.json of merge's inputs (run directories or
// rows files) and of --out if it has one, refuses inputs of different
// experiments, and returns the run.json of the merge (nil when no input
// has one), the shards the inputs split the experiment into (0 when they
// differ), and the inputs' history rows (earlier attempts of retried
// jobs), each once, in a fixed order.
func mergeRunInfo(inputs []string, out string) (*bench.RunInfo, int, []bench.Row, error) {
	var infos []*bench.RunInfo
	var sources, missing []string
	var history []bench.Row
	for _, p := range inputs {
		dir, histGlob := p, "history*.jsonl"
		if st, err := os.Stat(p); err != nil {
			return nil, 0, nil, err
		} else if !st.IsDir() {
			dir = filepath.Dir(p)
			histGlob = "history" + strings.TrimPrefix(filepath.Base(p), "rows")
		}
		info, err := bench.ReadRunInfo(dir)
		switch {
		case errors.Is(err, iofs.ErrNotExist):
			missing = append(missing, p)
		case err != nil:
			return nil, 0, nil, err
		default:
			infos, sources = append(infos, info), append(sources, p)
		}
		files, err := filepath.Glob(filepath.Join(dir, histGlob))
		if err != nil {
			return nil, 0, nil, err
		}
		for _, f := range files {
			rows, err := bench.ReadRows(f, false)
			if err != nil {
				return nil, 0, nil, err
			}
			history = append(history, rows...)
		}
	}
	history = uniqueAttempts(history)
	if len(infos) == 0 {
		return nil, 0, history, nil
	}
	if len(missing) > 0 {
		return nil, 0, nil, fmt.Errorf("%s has no %s but %s has: cannot tell whether they are one experiment", missing[0], bench.RunInfoName, sources[0])
	}
	if old, err := bench.ReadRunInfo(out); err == nil {
		if d := infos[0].Experiment.Diff(&old.Experiment); len(d) > 0 {
			return nil, 0, nil, fmt.Errorf("--out %s holds another experiment: its %s has %s %s, the inputs %s", out, bench.RunInfoName, d[0].Field, orNone(d[0].B), orNone(d[0].A))
		}
	} else if !errors.Is(err, iofs.ErrNotExist) {
		return nil, 0, nil, err
	}
	info, err := bench.MergeRunInfo(infos, sources)
	shards := infos[0].Shards
	for _, ri := range infos {
		if ri.Shards != shards {
			shards = 0
		}
	}
	return info, shards, history, err
}

// uniqueAttempts keeps one row per job and attempt, ordered by instance,
// solver and attempt.
func uniqueAttempts(rows []bench.Row) []bench.Row {
	seen := map[string]bool{}
	var out []bench.Row
	for _, r := range rows {
		k := r.Key() + "\x00" + strconv.Itoa(r.Attempt)
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b bench.Row) int {
		return cmp.Or(strings.Compare(a.Instance, b.Instance), strings.Compare(a.Solver, b.Solver), cmp.Compare(a.Attempt, b.Attempt))
	})
	return out
}

// parseBytes reads a size such as 512M, 4G or 1.5GiB (binary units: K, M,
// G and T are powers of 1024) or a plain number of bytes.
func parseBytes(s string) (int64, error) {
	t := strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(s)), "B"), "I")
	mult := 1.0
	if t != "" {
		switch t[len(t)-1] {
		case 'K':
			mult = 1 << 10
		case 'M':
			mult = 1 << 20
		case 'G':
			mult = 1 << 30
		case 'T':
			mult = 1 << 40
		}
		if mult > 1 {
			t = t[:len(t)-1]
		}
	}
	x, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(x) || x*mult < 1<<20 || x*mult > 1<<50 {
		return 0, fmt.Errorf("%q: want a size from 1M to 1P such as 512M or 4G", s)
	}
	return int64(x * mult), nil
}
