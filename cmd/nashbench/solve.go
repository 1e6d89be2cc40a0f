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

	"github.com/nashbench/nashbench/analysis"
	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	_ "github.com/nashbench/nashbench/solvers/all"
	"github.com/nashbench/nashbench/solvers/enum"
	"github.com/nashbench/nashbench/solvers/external"
	"github.com/nashbench/nashbench/verify"
)

// The commands that run one solver in this process: solve, solvers and
// analyze.

func runSolve(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("solve", "--solver NAME [--count] [--certify] [--timeout 30s] [--check-limit 1s] [--reduction corrected|literal] [--workers W] [--part i/N] [--solvers-file F] [--json] FILES...", stderr)
	solver := fs.String("solver", "enum", "solver: "+strings.Join(solvers.Names(), ", "))
	count := fs.Bool("count", false, "count models (formula) or pure equilibria (game)")
	list := fs.Int("list", 0, "with --count, verify up to this many listed equilibria as well")
	var lim bench.Limits
	durationVar(fs, &lim.Timeout, "timeout", 30*time.Second, "time limit per input, a `duration` such as 30s (0: none)")
	durationVar(fs, &lim.CheckLimit, "check-limit", verify.DefaultCheckLimit, "check negative answers and counts exhaustively when that is expected to take at most this `duration` (0: never)")
	variant := fs.String("reduction", "corrected", "reduction for DIMACS input: corrected or literal (as printed)")
	asJSON := fs.Bool("json", false, "one JSON object per input on standard output")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "goroutines a solver may use (enum; 1: one)")
	// A part splits one game's search; a shard (of a sweep) is a set of
	// instances. --shard is this flag's first name, kept for scripts.
	part := fs.String("part", "", "with enum, search only part i/N (1-based) of each game's profiles: its count is partial, the N parts' counts sum to the full one")
	fs.StringVar(part, "shard", "", "the same as --part (its first name)")
	maxPlayers := fs.Int("max-players", 0, fmt.Sprintf("most players an exhaustive solver enumerates (0: its default; at most %d)", enum.MostPlayers))
	certify := fs.Bool("certify", true, "certify every negative answer that the exhaustive check cannot cover: by the solver's own proof where it can prove (gophersat, cadical), else by deciding it again with a prover (gophersat, gophersat-pb on the game's CNF), and check the proof (false: exhaustive checks only)")
	var solversFile string
	solversFileVar(fs, &solversFile)
	pos, err := parse(fs, args, 1, -1, "no input files")
	if err != nil {
		return err
	}
	v, err := reduction.ParseVariant(*variant)
	if err != nil {
		return fmt.Errorf("solve: %w", err)
	}
	if _, err := external.Load(solversFile); err != nil {
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
	if _, ok := s.(*external.Solver); ok && *count {
		fmt.Fprintf(stderr, "nashbench: solve: %s is an external solver and does not count: --count gives no counts\n", *solver)
	}
	switch {
	case *workers < 1:
		return fmt.Errorf("solve: --workers %d: want at least 1", *workers)
	case *list < 0:
		return fmt.Errorf("solve: --list %d: must not be negative", *list)
	case *maxPlayers < 0 || *maxPlayers > enum.MostPlayers:
		return fmt.Errorf("solve: --max-players %d: want 0 (the solver's default) to %d", *maxPlayers, enum.MostPlayers)
	case lim.CheckLimit == 0:
		lim.CheckLimit = -1 // --check-limit 0: never
	}
	opt := solvers.Options{Count: *count, List: *list, Workers: *workers, MaxPlayers: *maxPlayers, Certify: *certify}
	if *part != "" {
		if opt.Shard.Index, opt.Shard.Count, err = parseShard("solve --part", *part); err != nil {
			return err
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	// Each input gets a record, one that cannot be read included, printed
	// as soon as it is made.
	enc := json.NewEncoder(stdout)
	var failed, solverFailed, badInput bool
	for _, path := range pos {
		if ctx.Err() != nil {
			return &exitError{130, errors.New("solve: interrupted")}
		}
		rec, err := bench.SolveFile(ctx, bench.InProcess, *solver, path, v, opt, lim)
		if err != nil {
			return fmt.Errorf("solve: %w", err)
		} else if ctx.Err() != nil { // interrupted: this input's answer is not one
			return &exitError{130, fmt.Errorf("solve: interrupted during %s", path)}
		}
		switch {
		case rec.Status == record.BadInput:
			fmt.Fprintf(stderr, "nashbench: %s\n", rec.Error)
		case rec.Error != "":
			fmt.Fprintf(stderr, "nashbench: %s: %s\n", rec.Instance, rec.Error)
		}
		failed = failed || rec.Failed()
		badInput = badInput || rec.Status == record.BadInput || rec.Status == record.Refused
		solverFailed = solverFailed || rec.Status == record.Error && !rec.Failed()
		if *asJSON { // one record per input, so that none goes missing
			err = enc.Encode(rec)
		} else if rec.Status != record.BadInput {
			_, err = fmt.Fprintln(stdout, rec.Summary())
		}
		if err != nil {
			return &exitError{1, err}
		}
	}
	switch {
	case failed:
		return &exitError{1, errors.New("solve: an answer failed verification")}
	case solverFailed:
		return &exitError{3, errors.New("solve: a solver failed")}
	case badInput:
		return &exitError{2, nil} // the records say why
	}
	return nil
}

func runSolvers(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("solvers", "[--solvers-file F] [--json]", stderr)
	asJSON := fs.Bool("json", false, "one JSON object per solver")
	var solversFile string
	solversFileVar(fs, &solversFile)
	if _, err := parse(fs, args, 0, 0, ""); err != nil {
		return err
	}
	file, err := external.Load(solversFile)
	if err != nil {
		return fmt.Errorf("solvers: %w", err)
	}
	infos := solvers.List(context.Background())
	if *asJSON {
		enc := json.NewEncoder(stdout)
		for _, in := range infos {
			if err := enc.Encode(in); err != nil {
				return &exitError{1, err}
			}
		}
		return nil
	}
	if file != "" {
		fmt.Fprintf(stdout, "external definitions: shipped, and %s\n\n", file)
	}
	if err := solvers.WriteTable(stdout, infos); err != nil {
		return &exitError{1, err}
	}
	return nil
}

func runAnalyze(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("analyze", "[--json] [--list 1000] [--timeout 60s] GAME.json", stderr)
	asJSON := fs.Bool("json", false, "print one JSON object (fields documented in package analysis)")
	opt := analysis.Options{}
	fs.IntVar(&opt.List, "list", 1000, "most pure equilibria to list; prices need all of them")
	durationVar(fs, &opt.Timeout, "timeout", 60*time.Second, "time limit of the continuous MIP, a `duration` such as 60s (0: none)")
	pos, err := parse(fs, args, 1, 1, "give exactly one game file")
	if err != nil {
		return err
	}
	switch {
	case opt.List < 1:
		return fmt.Errorf("analyze: --list %d: want at least 1", opt.List)
	}
	g, err := game.ReadFile(pos[0])
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opt.Name = pos[0]
	an, err := analysis.Analyze(ctx, g, opt)
	switch {
	case errors.Is(err, analysis.ErrInterrupted) || err == nil && ctx.Err() != nil:
		return &exitError{130, errors.New("analyze: interrupted")}
	case solvers.IsRefused(err):
		return err // bad input: exit 2
	case err != nil:
		return &exitError{1, err}
	case *asJSON:
		if err := json.NewEncoder(stdout).Encode(an); err != nil {
			return &exitError{1, err}
		}
		return nil
	}
	an.WriteText(stdout)
	return nil
}
