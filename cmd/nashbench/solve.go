package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"time"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	_ "github.com/nashbench/nashbench/solvers/all"
	"github.com/nashbench/nashbench/solvers/enum"
	"github.com/nashbench/nashbench/solvers/external"
	"github.com/nashbench/nashbench/verify"
)

func init() {
	register(command{
		name:    "solve",
		summary: "decide (and count) non-trivial pure equilibria of formulas and games",
		run:     runSolve,
	})
}

func runSolve(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("solve", "--solver NAME [--count] [--certify] [--timeout 30s] [--check-limit 1s] [--reduction corrected|literal] [--workers W] [--part i/N] [--solvers-file F] [--json] FILES...", stderr)
	solver := fs.String("solver", "enum", "solver: "+strings.Join(solvers.Names(), ", "))
	count := fs.Bool("count", false, "count models (formula) or pure equilibria (game)")
	list := fs.Int("list", 0, "with --count, verify up to this many listed equilibria as well")
	timeout := durationVar(fs, "timeout", 30*time.Second, "time limit per input, a `duration` such as 30s (0: none)")
	checkLimit := durationVar(fs, "check-limit", verify.DefaultCheckLimit, "check negative answers and counts exhaustively when that is expected to take at most this `duration` (0: never)")
	variant := fs.String("reduction", "corrected", "reduction for DIMACS input: corrected or literal (as printed)")
	asJSON := fs.Bool("json", false, "one JSON object per input on standard output")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "goroutines a solver may use (enum; 1: one)")
	// A part splits one game's search; a shard (of a sweep) is a set of
	// instances. --shard is this flag's first name, kept for scripts.
	part := fs.String("part", "", "with enum, search only part i/N (1-based) of each game's profiles: its count is partial, the N parts' counts sum to the full one")
	fs.Var(aliasValue{fs.Lookup("part").Value}, "shard", "the same as --part (its first name)")
	maxPlayers := fs.Int("max-players", 0, fmt.Sprintf("most players an exhaustive solver enumerates (0: its default; at most %d)", enum.MostPlayers))
	certify := fs.Bool("certify", true, "certify every negative answer that the exhaustive check cannot cover: by the solver's own proof where it can prove (gophersat, cadical), else by deciding it again with a prover (gophersat, gophersat-pb on the game's CNF), and check the proof (false: exhaustive checks only)")
	solversFile := solversFileFlag(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		fs.Usage()
		return errors.New("solve: no input files")
	}
	v, err := reduction.ParseVariant(*variant)
	if err != nil {
		return fmt.Errorf("solve: %w", err)
	}
	if _, err := external.Load(*solversFile); err != nil {
		return fmt.Errorf("solve: %w", err)
	}
	s, err := solvers.New(*solver)
	if err != nil {
		return fmt.Errorf("solve: %w", err)
	}
	for _, w := range solvers.WarningsOf([]string{*solver}) {
		fmt.Fprintf(stderr, "nashbench: solve: warning: %s\n", w)
	}
	// Say at once what the flags cannot get from an external solver,
	// rather than leave the records to show it.
	if _, ok := s.(*external.Solver); ok {
		if *count {
			fmt.Fprintf(stderr, "nashbench: solve: %s is an external solver and does not count: --count gives no counts\n", *solver)
		}
	}
	switch {
	case *timeout < 0:
		return fmt.Errorf("solve: --timeout %v: must not be negative (0: no limit)", *timeout)
	case *checkLimit < 0:
		return fmt.Errorf("solve: --check-limit %v: must not be negative (0: never check)", *checkLimit)
	case *workers < 1:
		return fmt.Errorf("solve: --workers %d: want at least 1", *workers)
	case *list < 0:
		return fmt.Errorf("solve: --list %d: must not be negative", *list)
	case *maxPlayers < 0 || *maxPlayers > enum.MostPlayers:
		return fmt.Errorf("solve: --max-players %d: want 0 (the solver's default) to %d", *maxPlayers, enum.MostPlayers)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *checkLimit == 0 {
		*checkLimit = -1 // --check-limit 0: never
	}
	opt := solvers.Options{Count: *count, List: *list, Workers: *workers, MaxPlayers: *maxPlayers, Certify: *certify}
	if *part != "" {
		if opt.Shard.Index, opt.Shard.Count, err = bench.ParseShard("solve --part", *part); err != nil {
			return err
		}
	}
	enc := json.NewEncoder(stdout)
	code, err := bench.SolveFiles(ctx, *solver, pos, v, opt, bench.Limits{Timeout: *timeout, CheckLimit: *checkLimit}, func(rec record.Record) error {
		switch {
		case rec.Status == record.BadInput:
			fmt.Fprintf(stderr, "nashbench: %s\n", rec.Error)
		case rec.Error != "":
			fmt.Fprintf(stderr, "nashbench: %s: %s\n", rec.Instance, rec.Error)
		}
		if *asJSON { // one record per input, so that none goes missing
			return enc.Encode(rec)
		}
		if rec.Status != record.BadInput {
			fmt.Fprintln(stdout, rec.Summary())
		}
		return nil
	})
	if code != 0 {
		return &exitError{code, err}
	}
	return nil
}
