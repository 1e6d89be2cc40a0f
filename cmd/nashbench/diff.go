package main

import (
	"fmt"
	"io"

	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/results"
	"github.com/nashbench/nashbench/rundir"
)

func init() {
	register(command{
		name:    "diff",
		summary: "compare two runs instance by instance: status changes, changed answers, speedups; exit 1 on a regression",
		run:     runDiff,
	})
}

func runDiff(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("diff", "[--skip-timed-out] RUN_A RUN_B", stderr)
	skip := fs.Bool("skip-timed-out", false, "leave out the instances a solver timed out on in RUN_A")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		fs.Usage()
		return fmt.Errorf("diff: want two runs (run directories or rows files), got %d", len(pos))
	}
	a, err := rundir.Read(pos[0])
	if err != nil {
		return fmt.Errorf("diff: %w", err)
	}
	b, err := rundir.Read(pos[1])
	if err != nil {
		return fmt.Errorf("diff: %w", err)
	}
	d := results.DiffRuns(a, b, results.DiffSettings{SkipTimedOut: *skip})
	if err := results.WriteDiff(stdout, d, pos[0], pos[1]); err != nil {
		return &exitError{2, err}
	}
	if d.Matched == 0 {
		return fmt.Errorf("diff: %s and %s have no job in common (inputs are matched by content and solver)", pos[0], pos[1])
	}
	if status, answers := d.Regressions(); status+answers > 0 {
		return &exitError{1, fmt.Errorf("diff: %s and %s from %s to %s",
			plural.Count(status, "status regression", "status regressions"), plural.Count(answers, "changed answer", "changed answers"), pos[0], pos[1])}
	}
	return nil
}
