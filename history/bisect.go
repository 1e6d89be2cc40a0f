package history

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/nashbench/nashbench/results"
)

// Bisection says what to bisect: the first-parent commit between Good and
// Bad at which Bench's Metric changes.
type Bisection struct {
	Repo          string // the repository's top directory
	Bench, Metric string
	// Good is the commit to start from; "" takes the oldest clean entry of
	// the history in Dir that has the benchmark.
	Good, Bad string
	Dir       string
}

// An EndError says that the GOOD or BAD commit of a bisection could not
// be measured: there is nothing to bisect between.
type EndError struct{ Err error }

func (e *EndError) Error() string { return e.Err.Error() }
func (e *EndError) Unwrap() error { return e.Err }

// Bisect builds and measures commits, each in its own worktree, and
// writes a line per build and the verdict to w. It skips commits that fail
// to build or run.
func Bisect(ctx context.Context, b Bisection, w, warn io.Writer) error {
	if b.Good == "" {
		entries, _, err := Load(b.Dir)
		if err != nil {
			return fmt.Errorf("no GOOD commit given, and %w", err)
		}
		for _, e := range entries {
			if !e.Dirty && len(values(e.Bench, b.Bench, b.Metric)) > 0 {
				b.Good = e.Commit
				break
			}
		}
		if b.Good == "" {
			return fmt.Errorf("no GOOD commit given, and no entry of %s has %s %s", b.Dir, b.Bench, b.Metric)
		}
	}
	g, err := Describe(ctx, b.Repo, b.Good)
	if err != nil {
		return fmt.Errorf("GOOD: %w", err)
	}
	line, err := Range(ctx, b.Repo, g.Hash+".."+b.Bad)
	if err != nil {
		return err
	}
	commits := append([]Commit{g}, line...)
	tmp, err := os.MkdirTemp("", "nashbench-bisect-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	start := time.Now()
	builds := 0
	seen := map[string]float64{}
	measure := func(c Commit) (float64, error) {
		builds++
		t0 := time.Now()
		wt, remove, err := Worktree(ctx, b.Repo, tmp, c.Hash)
		if err != nil {
			return 0, err
		}
		defer remove()
		args, env := BenchCommand(b.Bench)
		out, err := GoTest(ctx, wt, args, env)
		if err != nil {
			return 0, err
		}
		run, err := results.Read(bytes.NewReader(out), c.Hash[:7])
		if err != nil {
			return 0, err
		}
		vs := values(run, b.Bench, b.Metric)
		if len(vs) == 0 {
			return 0, fmt.Errorf("%s does not report %s %s", c.Hash[:7], b.Bench, b.Metric)
		}
		v := slices.Min(vs)
		seen[c.Hash] = v
		fmt.Fprintf(w, "  %s %-10s %s (%s)\n", c.Hash[:7], fmtNum(v), c.Subject, time.Since(t0).Round(100*time.Millisecond))
		return v, nil
	}
	fmt.Fprintf(w, "bisecting %s %s over %d first-parent commits, %s to %s\n", b.Bench, b.Metric, len(commits), commits[0].Hash[:7], commits[len(commits)-1].Hash[:7])
	v0, err := measure(commits[0])
	if err != nil {
		return &EndError{fmt.Errorf("GOOD %s: %w", commits[0].Hash[:7], err)}
	}
	v1, err := measure(commits[len(commits)-1])
	if err != nil {
		return &EndError{fmt.Errorf("BAD %s: %w", commits[len(commits)-1].Hash[:7], err)}
	}
	if v0 == v1 {
		fmt.Fprintf(w, "%s %s is %s at both ends: nothing to bisect (%d builds, %s)\n", b.Bench, b.Metric, fmtNum(v0), builds, time.Since(start).Round(time.Second))
		return nil
	}
	// Invariant: commits[lo] has v0, commits[hi] does not. A commit that
	// fails to build or run leaves the range and the search goes on.
	lo, hi := 0, len(commits)-1
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		v, err := measure(commits[mid])
		if ctx.Err() != nil {
			return errors.New("interrupted")
		}
		if err != nil {
			s, _, _ := strings.Cut(err.Error(), "\n")
			fmt.Fprintf(warn, "bisect: skipping %s: %v\n", commits[mid].Hash[:7], s)
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
	fmt.Fprintf(w, "first commit where %s %s changed: %s %s (%s -> %s)\n", b.Bench, b.Metric, c.Hash[:7], c.Subject, fmtNum(seen[commits[lo].Hash]), fmtNum(seen[c.Hash]))
	fmt.Fprintf(w, "%d builds in %s\n", builds, time.Since(start).Round(time.Second))
	return nil
}

// values finds a benchmark's values in a run by its name with or without
// the package path.
func values(run *results.BenchFile, bench, unit string) []float64 {
	for _, name := range run.Benchmarks() {
		if name == bench || ShortName(name) == bench {
			return run.Values(name, unit)
		}
	}
	return nil
}

func fmtNum(v float64) string { return strings.TrimSuffix(fmt.Sprintf("%.6g", v), ".") }
