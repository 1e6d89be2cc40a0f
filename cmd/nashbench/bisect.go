package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/nashbench/nashbench/history"
)

func init() {
	register(command{
		name:    "bisect",
		summary: "find the first commit where a benchmark's counter changed, building commits in worktrees",
		run:     runBisect,
	})
}

func runBisect(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bisect", "--bench NAME --metric UNIT [--history DIR] [GOOD [BAD]]", stderr)
	bench := fs.String("bench", "", "the benchmark, as reported without its -GOMAXPROCS suffix (BenchmarkSolve/highs-compact/n=6)")
	metric := fs.String("metric", "", "the counter (columns/op, conflicts/op, ...)")
	dir := fs.String("history", "", "where to look for GOOD when it is not given: the oldest entry with the benchmark (default: results/history of the repository)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *bench == "" || *metric == "":
		fs.Usage()
		return fmt.Errorf("bisect: --bench and --metric are required")
	case len(pos) > 2:
		fs.Usage()
		return fmt.Errorf("bisect: want at most GOOD and BAD")
	}
	if !history.IsCounter(*metric) {
		fmt.Fprintf(stderr, "bisect: warning: %s is not a work counter; times differ at every commit, so bisect will find the first noisy one\n", *metric)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	repo, err := history.Git(ctx, ".", "rev-parse", "--show-toplevel")
	if err != nil {
		return fmt.Errorf("bisect: not in a git repository: %w", err)
	}
	b := history.Bisection{Repo: repo, Bench: *bench, Metric: *metric, Bad: "HEAD", Dir: *dir}
	if len(pos) >= 1 {
		b.Good = pos[0]
	}
	if len(pos) == 2 {
		b.Bad = pos[1]
	}
	if b.Dir == "" {
		b.Dir = repo + "/" + history.DefaultDir
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
