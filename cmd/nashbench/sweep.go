package main

import (
	"context"
	"errors"
	"flag"
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
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/results"
	"github.com/nashbench/nashbench/rundir"
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

// defaultGamePlayers is --players' default; the other defaults of a game
// sweep are bench's, which applies them.
const (
	defaultGamePlayers = "8,12,16,20"
	defaultGameCount   = bench.DefaultGameCount
)

func defaultGameSolvers() string { return bench.DefaultGameSolvers }

func init() {
	register(command{
		name:    "sweep",
		summary: "run solvers over generated instances or a corpus, verified, into a run directory",
		run:     runSweep,
	})
}

func runSweep(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sweep", "[--n 6,8,10] [--ratio 4.26] [--game FAMILY [--players 8,12,16]] [--count K] [--solvers a,b] [--solvers-file F] [--certify] [--timeout 30s] [--jobs N] [--mem 4G] [--check-limit 1s] [--seed S] [--out DIR] [--corpus DIR] [--resume [--retry-failed]] [--shard i/N | --slurm [--shards N] [--slurm-opts \"...\"] [--dry-run]]", stderr)
	ns := fs.String("n", defaultSweepNs, "comma-separated numbers of variables")
	ratios := fs.String("ratio", defaultSweepRatios, "comma-separated clause/variable ratios")
	count := fs.Int("count", 8, "instances per (n, ratio) point")
	k := fs.Int("k", 3, "literals per clause")
	seed := fs.Uint64("seed", 1, "seed; instance i of a point is drawn with PCG(seed, i)")
	planted := fs.Bool("planted", false, "generate satisfiable instances with a planted model")
	force := fs.Bool("force", false, "run a --ratio list with a value above 20 (which a decimal comma makes: --ratio 4,26 is the ratios 4 and 26)")
	corpus := fs.String("corpus", "", "run over the .cnf files below this directory instead of generating")
	gameFamily := fs.String("game", "", "run generated games of this family instead of formulas ("+strings.Join(instances.GameFamilies(), ", ")+"; default count "+strconv.Itoa(defaultGameCount)+" and solvers "+defaultGameSolvers()+")")
	players := fs.String("players", defaultGamePlayers, "with --game: comma-separated numbers of players")
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
	s, err := bench.NewSweep(bench.SweepFlags{Ns: *ns, Ratios: *ratios, Players: *players, Game: *gameFamily, Corpus: *corpus,
		Count: *count, K: *k, Seed: *seed, Planted: *planted, Force: *force, Solvers: *solverList, Timeout: *timeout,
		CheckLimit: *checkLimit, Jobs: *jobs, Mem: *mem, Reduction: *variant, Out: *out, Resume: *resume,
		RetryFailed: *retry, Shard: *shard, Certify: *certify, Slurm: *slurm, Given: set})
	if err != nil {
		return err
	}
	if *slurm {
		f := slurmFlags{opts: *slurmOpts, shards: *shards, jobs: *jobs, solversFile: solversFrom, dryRun: *dryRun, set: set}
		if set["check-limit"] {
			f.checkLimit = fs.Lookup("check-limit").Value.String()
		}
		return runSlurm(s, f, stdout, stderr)
	}
	if s.Resume {
		if err := s.Reconcile(set, false); err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
	}
	header := &headerWriter{w: stderr} // "writing to" once the run is under way
	if !*quiet {
		header.header = experimentLine(s) + fmt.Sprintf("sweep: writing to %s\n", s.Out)
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
			return &exitError{130, fmt.Errorf("sweep: interrupted after %s; continue with %s", plural.Count(len(rows), "row", "rows"), s.ResumeFlags())}
		}
		return fmt.Errorf("sweep: %w", err)
	}
	header.flush()
	return report(rows, nil, s.Out, filepath.Base(rundir.RowsFile(s.Out, s.Shard, s.Shards)), stdout, stderr)
}

// experimentLine says what the sweep runs, before any job.
func experimentLine(s *bench.Sweep) string { return "sweep: " + s.Describe() + "\n" }

// report prints and stores the summary of rows and fails on disagreements
// and failed jobs. missing, when not nil, is what the rows lack of their
// experiment (a merge of shards whose tasks did not all finish). An output
// that cannot be written exits 2, after the rows' disagreements and
// failures are told.
func report(rows []record.Row, missing *record.Missing, dir, rowsName string, stdout, stderr io.Writer) error {
	o := rundir.Finish(dir, rowsName, rows, missing)
	if o.Summary != nil {
		fmt.Fprint(stdout, o.Summary.Text)
		// The last line says where everything went.
		defer fmt.Fprintf(stderr, "nashbench: %s\n", o.Summary.Wrote(dir))
		if o.Summary.NoPlots != "" {
			fmt.Fprintf(stderr, "nashbench: no plots: %s\n", o.Summary.NoPlots)
		}
	}
	for _, d := range o.Disagreements {
		fmt.Fprintf(stderr, "DISAGREEMENT: %s: %s\n", d.Instance, d.Detail)
	}
	if o.Missing != nil {
		var sm strings.Builder
		results.SummarizeMissing(&sm, o.Missing)
		fmt.Fprintf(stderr, "MISSING: %s\n", strings.TrimPrefix(strings.TrimSpace(sm.String()), "missing: "))
	}
	for _, r := range o.Failed {
		fmt.Fprintf(stderr, "FAILED: %s with %s: %s\n", r.Instance, r.Solver, r.Error)
	}
	if code, err := o.Status(); code != 0 {
		return &exitError{code, err}
	}
	return nil
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
	m, err := rundir.Merge(pos, *out)
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	if m.Info == nil {
		fmt.Fprintf(stderr, "nashbench: merge: the inputs have no %s (an older nashbench wrote them): cannot check that they are one experiment\n", rundir.InfoFile)
	}
	return report(m.Rows, m.Missing, *out, filepath.Base(rundir.RowsFile(*out, 0, 1)), stdout, stderr)
}
