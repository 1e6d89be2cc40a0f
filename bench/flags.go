package bench

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/rundir"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/verify"
)

// The defaults of a game sweep (SweepFlags.Game), which differ from a
// formula sweep's. DefaultGameCount games of each size take about two
// minutes for the race family on a 2-core machine (99 to 111 s measured,
// most of it gophersat-pb timing out at 20 players; with 24 players as
// well it took 3 minutes). DefaultGameSolvers are the paper's MIP and the
// PB encoding beside their pairwise form and the native search, so that
// the plots show what each gains (gophersat does not take games).
const (
	DefaultGameCount   = 4
	DefaultGameSolvers = "enum,gophersat-pb,gophersat-pairwise,highs-compact,search"
)

// SweepFlags are the settings of nashbench sweep as its command line gives
// them: lists as comma-separated text, durations and sizes unchecked.
// Given names the flags set on the command line (by name, without
// dashes), since whether a flag was given, not only its value, decides
// defaults and conflicts.
type SweepFlags struct {
	Ns, Ratios, Players string // --n, --ratio, --players
	Game, Corpus        string
	Count, K            int
	Seed                uint64
	Planted, Force      bool
	Solvers             string // --solvers
	Timeout, CheckLimit time.Duration
	Jobs                int
	Mem                 string // --mem, "" for no limit
	Reduction           string
	Out                 string // "" for results/sweep-<UTC time>
	Resume, RetryFailed bool
	Shard               string // --shard i/N
	Certify, Slurm      bool
	Given               map[string]bool
}

// NewSweep checks f and makes the sweep it describes, with a game sweep's
// defaults where f.Given lacks count or solvers. Its errors are for the
// user of the command line: they name the flags ("sweep: --jobs -1: ...").
func NewSweep(f SweepFlags) (*Sweep, error) {
	set := f.Given
	if !f.Slurm {
		for _, fl := range []string{"shards", "slurm-opts", "dry-run"} {
			if set[fl] {
				return nil, fmt.Errorf("sweep: --%s needs --slurm", fl)
			}
		}
	}
	if f.Timeout < 0 {
		return nil, fmt.Errorf("sweep: --timeout %v: must not be negative (0: no limit)", f.Timeout)
	}
	if f.CheckLimit < 0 {
		return nil, fmt.Errorf("sweep: --check-limit %v: must not be negative (0: never check)", f.CheckLimit)
	}
	if f.CheckLimit == 0 {
		f.CheckLimit = -1 // --check-limit 0: never
	}
	if set["game"] {
		for _, fl := range []string{"n", "ratio", "corpus", "k", "planted", "force", "reduction"} {
			if set[fl] {
				return nil, fmt.Errorf("sweep: --%s is for formulas: a --game sweep runs generated games (give --players)", fl)
			}
		}
		if !set["count"] {
			f.Count = DefaultGameCount
		}
		if !set["solvers"] {
			f.Solvers = DefaultGameSolvers
		}
	} else if set["players"] {
		return nil, fmt.Errorf("sweep: --players needs --game FAMILY (one of %s); formulas take --n and --ratio", strings.Join(instances.GameFamilies(), ", "))
	}
	s := &Sweep{Experiment: rundir.Experiment{Count: f.Count, K: f.K, Seed: f.Seed, Planted: f.Planted, Corpus: f.Corpus,
		Timeout: rundir.Duration(f.Timeout), Certify: f.Certify}, Out: f.Out, Resume: f.Resume, RetryFailed: f.RetryFailed, Jobs: f.Jobs}
	if set["check-limit"] && f.CheckLimit != verify.DefaultCheckLimit { // 0 in run.json: the default
		s.CheckLimit = rundir.Duration(f.CheckLimit)
	}
	var err error
	if set["game"] {
		s.Game, s.K = f.Game, 0
		if s.Game == "" {
			return nil, fmt.Errorf("sweep: --game: give a family, one of %s", strings.Join(instances.GameFamilies(), ", "))
		}
		if s.Players, err = parseList(f.Players, "--players", strconv.Atoi); err != nil {
			return nil, err
		}
	} else {
		if s.Sizes, err = parseList(f.Ns, "--n", strconv.Atoi); err != nil {
			return nil, err
		}
		if s.Ratios, err = parseList(f.Ratios, "--ratio", func(x string) (float64, error) { return strconv.ParseFloat(x, 64) }); err != nil {
			return nil, err
		}
	}
	for _, r := range s.Ratios {
		if r > 20 && !f.Force && set["ratio"] {
			return nil, fmt.Errorf("sweep: --ratio %s: the ratio %v is above 20, where random 3-SAT is unsatisfiable by far; a decimal comma splits one ratio in two (4,26 is 4 and 26: write 4.26), and --force runs it as given", f.Ratios, r)
		}
	}
	for _, name := range strings.Split(f.Solvers, ",") {
		if name = strings.TrimSpace(name); name != "" {
			s.Solvers = append(s.Solvers, name)
		}
	}
	if s.Game != "" {
		// A solver of formulas would refuse every game: say so now.
		for _, name := range s.Solvers {
			sv, err := solvers.New(name)
			if err != nil {
				continue // Validate names it
			}
			if d, ok := sv.(solvers.Describer); ok && d.Describe(context.Background()).Input == "formula" {
				return nil, fmt.Errorf("sweep: --solvers: %s reads formulas, not games: a --game sweep takes game solvers (the default: %s)", name, DefaultGameSolvers)
			}
		}
	}
	if s.Reduction, err = reduction.ParseVariant(f.Reduction); err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	if s.Shard, s.Shards, err = ParseShard("sweep --shard", f.Shard); err != nil {
		return nil, err
	}
	if f.Jobs < 0 {
		return nil, fmt.Errorf("sweep: --jobs %d: want 0 (one per core) or more", f.Jobs)
	}
	if f.Mem != "" {
		if s.Memory, err = ParseMemory(f.Mem); err != nil {
			return nil, fmt.Errorf("sweep: --mem: %w", err)
		}
	}
	if s.RetryFailed && !s.Resume {
		return nil, errors.New("sweep: --retry-failed needs --resume (and the --out of the run)")
	}
	if s.Out == "" {
		if s.Resume {
			return nil, errors.New("sweep: --resume needs the --out of the run to continue")
		}
		s.Out = filepath.Join("results", "sweep-"+time.Now().UTC().Format("20060102-150405"))
	}
	return s, nil
}

// parseList parses a comma-separated list of numbers, the value of flag
// (such as --n), skipping empty items.
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

// ParseShard parses i/N (1-based), as sweep --shard and solve --part take
// it, into a 0-based i and N. flag names the flag in the error ("sweep
// --shard").
func ParseShard(flag, s string) (i, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || y < 1 || x < 1 || x > y {
		return 0, 0, fmt.Errorf("%s %q: want i/N with 1 <= i <= N", flag, s)
	}
	return x - 1, y, nil
}
