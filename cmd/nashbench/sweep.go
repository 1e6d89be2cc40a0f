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
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/results"
	"github.com/nashbench/nashbench/rundir"
	"github.com/nashbench/nashbench/slurm"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/external"
	"github.com/nashbench/nashbench/verify"
)

// The commands of run directories: sweep (here or on Slurm), merge and
// plot.

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

// The defaults of a game sweep (--game) that differ from a formula
// sweep's. defaultGameCount games of each size take about two minutes for
// the race family on a 2-core machine (99 to 111 s measured, most of it
// gophersat-pb timing out at 20 players; with 24 players as well it took 3
// minutes). The solvers are the paper's MIP and the PB encoding beside
// their pairwise form and the native search, so that the plots show what
// each gains (gophersat does not take games).
const (
	defaultGamePlayers = "8,12,16,20"
	defaultGameCount   = 4
	defaultGameSolvers = "enum,gophersat-pb,gophersat-pairwise,highs-compact,search"
)

// sweepFlags are sweep's flags as the command line gives them.
type sweepFlags struct {
	ns, ratios, players, game, corpus string
	count, k, jobs, shards            int
	seed                              uint64
	planted, force, resume, retry     bool
	certify, slurm, dryRun, quiet     bool
	solvers, mem, reduction, out      string
	shard, slurmOpts, solversFile     string
	timeout, checkLimit               time.Duration
	set                               map[string]bool // the flags given
}

func runSweep(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sweep", "[--n 6,8,10] [--ratio 4.26] [--game FAMILY [--players 8,12,16]] [--count K] [--solvers a,b] [--solvers-file F] [--certify] [--timeout 30s] [--jobs N] [--mem 4G] [--check-limit 1s] [--seed S] [--out DIR] [--corpus DIR] [--resume [--retry-failed]] [--shard i/N | --slurm [--shards N] [--slurm-opts \"...\"] [--dry-run]]", stderr)
	var f sweepFlags
	fs.StringVar(&f.ns, "n", defaultSweepNs, "comma-separated numbers of variables")
	fs.StringVar(&f.ratios, "ratio", defaultSweepRatios, "comma-separated clause/variable ratios")
	fs.IntVar(&f.count, "count", 8, "instances per (n, ratio) point")
	fs.IntVar(&f.k, "k", 3, "literals per clause")
	fs.Uint64Var(&f.seed, "seed", 1, "seed; instance i of a point is drawn with PCG(seed, i)")
	fs.BoolVar(&f.planted, "planted", false, "generate satisfiable instances with a planted model")
	fs.BoolVar(&f.force, "force", false, "run a --ratio list with a value above 20 (which a decimal comma makes: --ratio 4,26 is the ratios 4 and 26)")
	fs.StringVar(&f.corpus, "corpus", "", "run over the .cnf files below this directory instead of generating")
	fs.StringVar(&f.game, "game", "", "run generated games of this family instead of formulas ("+strings.Join(instances.GameFamilies(), ", ")+"; default count "+strconv.Itoa(defaultGameCount)+" and solvers "+defaultGameSolvers+")")
	fs.StringVar(&f.players, "players", defaultGamePlayers, "with --game: comma-separated numbers of players")
	fs.StringVar(&f.solvers, "solvers", defaultSweepSolvers, "comma-separated solvers, of: "+strings.Join(solvers.Names(), ", "))
	durationVar(fs, &f.timeout, "timeout", 30*time.Second, "time limit per job, a `duration` such as 30s (0: none)")
	fs.IntVar(&f.jobs, "jobs", 0, "jobs run side by side, each bound to a core of its own (0: one per core)")
	fs.StringVar(&f.mem, "mem", "", "memory limit per job with the processes it starts, e.g. 512M or 4G (default: none); a job that hits it is a memout")
	durationVar(fs, &f.checkLimit, "check-limit", verify.DefaultCheckLimit, "check negative answers exhaustively when that is expected to take at most this `duration` (0: never)")
	fs.StringVar(&f.reduction, "reduction", "corrected", "reduction: corrected or literal (as printed)")
	fs.StringVar(&f.out, "out", "", "run directory (default: results/sweep-<UTC time>)")
	fs.BoolVar(&f.resume, "resume", false, "continue the run in --out with the parameters in its run.json, skipping the jobs it has rows for")
	fs.BoolVar(&f.retry, "retry-failed", false, "with --resume: run again the jobs whose rows say error, timeout or memout (the old rows go to history*.jsonl)")
	fs.StringVar(&f.shard, "shard", "1/1", "run shard i of N (1-based): the instances whose index is i-1 modulo N")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress reports")
	fs.BoolVar(&f.certify, "certify", true, "certify every negative answer that the exhaustive check cannot cover (by the solver's own proof, else by a prover's), and check the proofs (false: exhaustive checks only)")
	solversFileVar(fs, &f.solversFile)
	fs.BoolVar(&f.slurm, "slurm", false, "submit to Slurm: an sbatch array of one task per shard into --out (a shared directory), then a job that merges them into --out/merged; with --resume, resubmit the shards that lack rows")
	fs.IntVar(&f.shards, "shards", 0, fmt.Sprintf("with --slurm: the shards, one array task each (default: one per instance, at most %d)", slurm.DefaultShards))
	fs.StringVar(&f.slurmOpts, "slurm-opts", "", "with --slurm: more sbatch options for the tasks and the merge, such as \"--partition=long --time=4:00:00\" (default: those of the run's last submission)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "with --slurm: print the scripts and sbatch commands, submit nothing")
	if _, err := parse(fs, args, 0, 0, ""); err != nil {
		return err
	}
	solversFrom, err := external.Load(f.solversFile)
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	f.set = given(fs)
	s, err := newSweep(f)
	if err != nil {
		return err
	}
	if f.slurm { // submit the sweep, or with --resume the shards of its run that lack rows
		o := slurm.Options{SbatchOpts: f.slurmOpts, Shards: f.shards, Jobs: f.jobs, SolversFile: solversFrom, DryRun: f.dryRun, Given: f.set}
		if f.set["check-limit"] {
			o.CheckLimit = f.checkLimit.String()
		}
		if err := slurm.Submit(s, o, stdout); err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
		return nil
	}
	if s.Resume {
		if err := s.Reconcile(f.set, false); err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
	}
	if !f.quiet {
		s.Progress = stderr
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
			resume := "--resume --out " + s.Out
			if s.Shards > 1 {
				resume += fmt.Sprintf(" --shard %d/%d", s.Shard+1, s.Shards)
			}
			return &exitError{130, fmt.Errorf("sweep: interrupted after %s; continue with %s", plural.Count(len(rows), "row", "rows"), resume)}
		}
		return fmt.Errorf("sweep: %w", err)
	}
	return report(rows, nil, s.Out, filepath.Base(rundir.RowsFile(s.Out, s.Shard, s.Shards)), stdout, stderr)
}

// newSweep checks f and makes the sweep it describes, with a game sweep's
// defaults for the count and the solvers not given. Its errors name the
// flags ("sweep: --jobs -1: ...").
func newSweep(f sweepFlags) (*bench.Sweep, error) {
	set := f.set
	for _, fl := range []string{"shards", "slurm-opts", "dry-run"} {
		if set[fl] && !f.slurm {
			return nil, fmt.Errorf("sweep: --%s needs --slurm", fl)
		}
	}
	switch {
	case set["players"] && !set["game"]:
		return nil, fmt.Errorf("sweep: --players needs --game FAMILY (one of %s); formulas take --n and --ratio", strings.Join(instances.GameFamilies(), ", "))
	case set["game"] && f.game == "":
		return nil, fmt.Errorf("sweep: --game: give a family, one of %s", strings.Join(instances.GameFamilies(), ", "))
	}
	s := &bench.Sweep{Experiment: rundir.Experiment{Count: f.count, K: f.k, Seed: f.seed, Planted: f.planted, Corpus: f.corpus,
		Timeout: rundir.Duration(f.timeout), Certify: f.certify}, Out: f.out, Resume: f.resume, RetryFailed: f.retry, Jobs: f.jobs}
	switch {
	case f.checkLimit == 0:
		s.CheckLimit = -1 // --check-limit 0: never
	case set["check-limit"] && f.checkLimit != verify.DefaultCheckLimit: // 0 in run.json: the default
		s.CheckLimit = rundir.Duration(f.checkLimit)
	}
	var err error
	if set["game"] {
		for _, fl := range []string{"n", "ratio", "corpus", "k", "planted", "force", "reduction"} {
			if set[fl] {
				return nil, fmt.Errorf("sweep: --%s is for formulas: a --game sweep runs generated games (give --players)", fl)
			}
		}
		if !set["count"] {
			s.Count = defaultGameCount
		}
		if !set["solvers"] {
			f.solvers = defaultGameSolvers
		}
		s.Game, s.K = f.game, 0
		if s.Players, err = parseList(f.players, "--players", strconv.Atoi); err != nil {
			return nil, err
		}
	} else {
		if s.Sizes, err = parseList(f.ns, "--n", strconv.Atoi); err != nil {
			return nil, err
		}
		if s.Ratios, err = parseList(f.ratios, "--ratio", func(x string) (float64, error) { return strconv.ParseFloat(x, 64) }); err != nil {
			return nil, err
		}
	}
	for _, r := range s.Ratios {
		if r > 20 && !f.force && set["ratio"] {
			return nil, fmt.Errorf("sweep: --ratio %s: the ratio %v is above 20, where random 3-SAT is unsatisfiable by far; a decimal comma splits one ratio in two (4,26 is 4 and 26: write 4.26), and --force runs it as given", f.ratios, r)
		}
	}
	for _, name := range strings.Split(f.solvers, ",") {
		if name = strings.TrimSpace(name); name != "" {
			s.Solvers = append(s.Solvers, name)
		}
	}
	if s.Reduction, err = reduction.ParseVariant(f.reduction); err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	if s.Shard, s.Shards, err = parseShard("sweep --shard", f.shard); err != nil {
		return nil, err
	}
	if f.jobs < 0 {
		return nil, fmt.Errorf("sweep: --jobs %d: want 0 (one per core) or more", f.jobs)
	}
	if f.mem != "" {
		if s.Memory, err = parseMemory(f.mem); err != nil {
			return nil, fmt.Errorf("sweep: --mem: %w", err)
		}
	}
	switch {
	case s.RetryFailed && !s.Resume:
		return nil, errors.New("sweep: --retry-failed needs --resume (and the --out of the run)")
	case s.Out == "" && s.Resume:
		return nil, errors.New("sweep: --resume needs the --out of the run to continue")
	case s.Out == "":
		s.Out = rundir.NewDir(time.Now())
	}
	return s, nil
}

// report stores the summary of rows and tells it (rundir.Outcome.Write),
// failing on disagreements and failed jobs. missing, when not nil, is what
// the rows lack of their experiment (a merge of shards whose tasks did not
// all finish). An output that cannot be written exits 2, after the rows'
// disagreements and failures are told.
func report(rows []record.Row, missing *record.Missing, dir, rowsName string, stdout, stderr io.Writer) error {
	o := rundir.Finish(dir, rowsName, rows, missing)
	o.Write(stdout, stderr)
	if code, err := o.Status(); code != 0 {
		return &exitError{code, err}
	}
	return nil
}

func runMerge(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("merge", "--out DIR RUN_DIR_OR_ROWS_FILE...", stderr)
	out := fs.String("out", "", "run directory to write rows.jsonl and summary.txt into")
	pos, err := parse(fs, args, 1, -1, "want --out and at least one input")
	if err != nil {
		return err
	}
	if *out == "" {
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

func runPlot(args []string, stdout, stderr io.Writer) error {
	pos, err := parse(newFlagSet("plot", "RUN_DIR", stderr), args, 1, 1, "want one run directory")
	if err != nil {
		return err
	}
	rows, err := rundir.Read(pos[0])
	if err != nil {
		return err
	}
	files, err := results.Plot(rows, pos[0])
	if err != nil { // nothing to plot, or a plot not written: exit 2
		return fmt.Errorf("plot: %w", err)
	}
	for _, f := range files {
		fmt.Fprintln(stdout, f)
	}
	return nil
}
