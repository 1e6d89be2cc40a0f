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
	mode := "full"
	if *quick {
		mode = "quick"
	}
	start := time.Now()
	if *commits == "" {
		head, err := history.Describe(ctx, repo, "HEAD")
		if err != nil {
			return fmt.Errorf("track: %w", err)
		}
		// Changes to the history itself do not make the tree dirty.
		pathspec := []string{"status", "--porcelain", "--", "."}
		if rel, err := filepath.Rel(repo, *dir); err == nil && !strings.HasPrefix(rel, "..") {
			pathspec = append(pathspec, ":(exclude)"+filepath.ToSlash(rel))
		}
		status, err := history.Git(ctx, repo, pathspec...)
		if err != nil {
			return fmt.Errorf("track: %w", err)
		}
		name, err := trackOne(ctx, repo, *dir, head, status != "", suite, *quick, mode, *machine, env, stderr)
		if err != nil {
			return &exitError{1, fmt.Errorf("track: %w", err)}
		}
		fmt.Fprintf(stdout, "%s: %s suite %s in %s\n", filepath.Join(*dir, name), mode, suite.ID(), time.Since(start).Round(time.Second))
		return nil
	}
	cs, err := history.Range(ctx, repo, *commits)
	if err != nil {
		return fmt.Errorf("track: %w", err)
	}
	tmp, err := os.MkdirTemp("", "nashbench-track-")
	if err != nil {
		return fmt.Errorf("track: %w", err)
	}
	defer os.RemoveAll(tmp)
	var failed []string
	for i, c := range cs {
		t0 := time.Now()
		wt, remove, err := history.Worktree(ctx, repo, tmp, c.Hash)
		if err != nil {
			return fmt.Errorf("track: %w", err)
		}
		name, err := trackOne(ctx, wt, *dir, c, false, suite, *quick, mode, *machine, env, stderr)
		remove()
		if ctx.Err() != nil {
			return &exitError{1, fmt.Errorf("track: interrupted at %s; the entries written so far stay", c.Hash[:7])}
		}
		if err != nil {
			failed = append(failed, c.Hash[:7])
			fmt.Fprintf(stderr, "[%d/%d] %s %s: FAILED: %v\n", i+1, len(cs), c.Hash[:7], c.Subject, err)
			continue
		}
		fmt.Fprintf(stdout, "[%d/%d] %s %s: %s (%s)\n", i+1, len(cs), c.Hash[:7], c.Subject, name, time.Since(t0).Round(time.Second))
	}
	fmt.Fprintf(stdout, "%s tracked in %s\n", plural.Count(len(cs)-len(failed), "commit", "commits"), time.Since(start).Round(time.Second))
	if len(failed) > 0 {
		return &exitError{1, fmt.Errorf("track: %s did not build or failed the suite: %s", plural.Count(len(failed), "commit", "commits"), strings.Join(failed, " "))}
	}
	return nil
}

// trackOne runs the suite in the tree at dir, which holds commit c (with
// uncommitted changes when dirty), and writes its entry.
func trackOne(ctx context.Context, dir, hist string, c history.Commit, dirty bool, suite history.Suite, quick bool, mode, machine string, env []string, stderr io.Writer) (string, error) {
	goVersion, err := history.GoVersion(ctx, dir)
	if err != nil {
		return "", err
	}
	args, senv := suite.Command(quick)
	out, err := history.GoTest(ctx, dir, args, append(senv, env...))
	if err != nil {
		return "", err
	}
	h := history.Header{Commit: c.Hash, Subject: c.Subject, Date: c.Date, RunDate: time.Now(),
		Machine: machine, Dirty: dirty, Suite: suite.ID(), Mode: mode}
	return history.Write(hist, h, append([]byte("go: "+goVersion+"\n"), out...))
}
