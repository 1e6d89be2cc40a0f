package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/nashbench/nashbench/history"
	"github.com/nashbench/nashbench/results"
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
	good, bad := "", "HEAD"
	if len(pos) >= 1 {
		good = pos[0]
	}
	if len(pos) == 2 {
		bad = pos[1]
	}
	if good == "" {
		if *dir == "" {
			*dir = repo + "/" + history.DefaultDir
		}
		entries, _, err := history.Load(*dir)
		if err != nil {
			return fmt.Errorf("bisect: no GOOD commit given, and %w", err)
		}
		for _, e := range entries {
			if !e.Dirty && len(values(e.Run, *bench, *metric)) > 0 {
				good = e.Commit
				break
			}
		}
		if good == "" {
			return fmt.Errorf("bisect: no GOOD commit given, and no entry of %s has %s %s", *dir, *bench, *metric)
		}
	}
	g, err := history.Describe(ctx, repo, good)
	if err != nil {
		return fmt.Errorf("bisect: GOOD: %w", err)
	}
	line, err := history.Range(ctx, repo, g.Hash+".."+bad)
	if err != nil {
		return fmt.Errorf("bisect: %w", err)
	}
	commits := append([]history.Commit{g}, line...)
	tmp, err := os.MkdirTemp("", "nashbench-bisect-")
	if err != nil {
		return fmt.Errorf("bisect: %w", err)
	}
	defer os.RemoveAll(tmp)

	start := time.Now()
	builds := 0
	seen := map[string]float64{}
	measure := func(c history.Commit) (float64, error) {
		builds++
		t0 := time.Now()
		wt, remove, err := history.Worktree(ctx, repo, tmp, c.Hash)
		if err != nil {
			return 0, err
		}
		defer remove()
		args, env := history.BenchCommand(*bench)
		out, err := history.GoTest(ctx, wt, args, env)
		if err != nil {
			return 0, err
		}
		run, err := results.Read(bytes.NewReader(out), c.Hash[:7])
		if err != nil {
			return 0, err
		}
		vs := values(run, *bench, *metric)
		if len(vs) == 0 {
			return 0, fmt.Errorf("%s does not report %s %s", c.Hash[:7], *bench, *metric)
		}
		v := slices.Min(vs)
		seen[c.Hash] = v
		fmt.Fprintf(stdout, "  %s %-10s %s (%s)\n", c.Hash[:7], fmtNum(v), c.Subject, time.Since(t0).Round(100*time.Millisecond))
		return v, nil
	}
	fmt.Fprintf(stdout, "bisecting %s %s over %d first-parent commits, %s to %s\n", *bench, *metric, len(commits), commits[0].Hash[:7], commits[len(commits)-1].Hash[:7])
	v0, err := measure(commits[0])
	if err != nil {
		return &exitError{1, fmt.Errorf("bisect: GOOD %s: %w", commits[0].Hash[:7], err)}
	}
	v1, err := measure(commits[len(commits)-1])
	if err != nil {
		return &exitError{1, fmt.Errorf("bisect: BAD %s: %w", commits[len(commits)-1].Hash[:7], err)}
	}
	if v0 == v1 {
		fmt.Fprintf(stdout, "%s %s is %s at both ends: nothing to bisect (%d builds, %s)\n", *bench, *metric, fmtNum(v0), builds, time.Since(start).Round(time.Second))
		return nil
	}
	// Invariant: commits[lo] has v0, commits[hi] does not. A commit that
	// fails to build or run leaves the range and the search goes on.
	lo, hi := 0, len(commits)-1
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		v, err := measure(commits[mid])
		if ctx.Err() != nil {
			return &exitError{1, fmt.Errorf("bisect: interrupted")}
		}
		if err != nil {
			fmt.Fprintf(stderr, "bisect: skipping %s: %v\n", commits[mid].Hash[:7], firstLine(err))
			commits = slices.Delete(commits, mid, mid+1)
			hi--
			continue
		}
		if v == v0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	c := commits[hi]
	fmt.Fprintf(stdout, "first commit where %s %s changed: %s %s (%s -> %s)\n", *bench, *metric, c.Hash[:7], c.Subject, fmtNum(seen[commits[lo].Hash]), fmtNum(seen[c.Hash]))
	fmt.Fprintf(stdout, "%d builds in %s\n", builds, time.Since(start).Round(time.Second))
	return nil
}

// values finds a benchmark's values in a run by its name with or without
// the package path.
func values(run *results.Run, bench, unit string) []float64 {
	for _, name := range run.Benchmarks() {
		if name == bench || history.ShortName(name) == bench {
			return run.Values(name, unit)
		}
	}
	return nil
}

func fmtNum(v float64) string { return strings.TrimSuffix(fmt.Sprintf("%.6g", v), ".") }

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
