package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/nashbench/nashbench/history"
	"github.com/nashbench/nashbench/internal/plural"
)

func init() {
	register(command{
		name:    "track",
		summary: "run the tracking suite on the working tree or on commits; add the results to the history",
		run:     runTrack,
	})
}

func runTrack(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("track", "[--quick] [--commits A..B] [--history DIR] [--machine NAME] [--solvers a,b] [--solvers-file F]", stderr)
	quick := fs.Bool("quick", false, "run the counter half alone (each benchmark once)")
	commits := fs.String("commits", "", "measure these commits, each in its own git worktree: A..B (the first-parent commits after A up to B, as git log reads it) or one commit")
	dir := fs.String("history", "", "the history directory (default: results/history of the repository)")
	machine := fs.String("machine", history.Machine(), "the machine's name in the entries")
	extra := fs.String("solvers", "", "external solvers to add to the suite (comma-separated)")
	solversFile := fs.String("solvers-file", "", "external solver definitions for --solvers (as NASHBENCH_SOLVERS_FILE)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		fs.Usage()
		return fmt.Errorf("track: unexpected argument %q", pos[0])
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	repo, err := history.Git(ctx, ".", "rev-parse", "--show-toplevel")
	if err != nil {
		return fmt.Errorf("track: not in a git repository: %w", err)
	}
	if *dir == "" {
		*dir = filepath.Join(repo, history.DefaultDir)
	}
	suite := history.Tracking
	if *extra != "" {
		suite.Extra = strings.Split(*extra, ",")
	}
	var env []string
	if *solversFile != "" {
		abs, err := filepath.Abs(*solversFile)
		if err != nil {
			return fmt.Errorf("track: --solvers-file: %w", err)
		}
		if _, err := os.Stat(abs); err != nil {
			return fmt.Errorf("track: --solvers-file: %w", err)
		}
		env = append(env, "NASHBENCH_SOLVERS_FILE="+abs)
	}
	t := history.Tracker{Repo: repo, Dir: *dir, Suite: suite, Quick: *quick, Machine: *machine, Env: env}
	start := time.Now()
	if *commits == "" {
		name, err := history.TrackTree(ctx, t)
		if err != nil {
			return &exitError{1, fmt.Errorf("track: %w", err)}
		}
		mode := map[bool]string{false: "full", true: "quick"}[*quick]
		fmt.Fprintf(stdout, "%s: %s suite %s in %s\n", filepath.Join(*dir, name), mode, suite.ID(), time.Since(start).Round(time.Second))
		return nil
	}
	tracked, failed, err := history.TrackCommits(ctx, t, *commits, stdout, stderr)
	if err != nil {
		if ctx.Err() != nil {
			return &exitError{1, fmt.Errorf("track: %w", err)}
		}
		return fmt.Errorf("track: %w", err)
	}
	fmt.Fprintf(stdout, "%s tracked in %s\n", plural.Count(tracked, "commit", "commits"), time.Since(start).Round(time.Second))
	if len(failed) > 0 {
		return &exitError{1, fmt.Errorf("track: %s did not build or failed the suite: %s", plural.Count(len(failed), "commit", "commits"), strings.Join(failed, " "))}
	}
	return nil
}
