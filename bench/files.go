package bench

import (
	"context"
	"errors"
	"fmt"

	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
)

// SolveFiles loads and solves each of paths in turn with the named solver,
// in process, as Solve does, and hands each record to emit as soon as it
// is made, so that a long list shows its answers as they come. A file that
// cannot be loaded (variant v for a formula) becomes a record of status
// BadInput with the load error, so that no input goes without a record.
//
// It returns nashbench solve's exit status with its error: 1 when an
// answer failed verification (or emit failed), 3 when a solver failed, 2
// when an input was bad or refused (nil error: the records say it) or the
// solver is unknown, 130 when ctx ends, else 0.
func SolveFiles(ctx context.Context, solver string, paths []string, v reduction.Variant, opt solvers.Options, lim Limits, emit func(record.Record) error) (int, error) {
	badInput, failed, solverFailed := false, false, false
	for _, path := range paths {
		if ctx.Err() != nil {
			return 130, errors.New("solve: interrupted")
		}
		in, err := Load(path, v)
		if err != nil {
			badInput = true
			rec := record.Record{Instance: path, Kind: KindOf(path), Solver: solver, Answer: record.Unknown,
				Status: record.BadInput, Check: record.CheckNone, Error: err.Error()}
			if err := emit(rec); err != nil {
				return 1, err
			}
			continue
		}
		rec, err := Solve(ctx, InProcess, solver, in, opt, lim)
		if err != nil {
			return 2, fmt.Errorf("solve: %w", err)
		}
		if ctx.Err() != nil { // interrupted: this input's answer is not one
			return 130, fmt.Errorf("solve: interrupted during %s", path)
		}
		failed = failed || rec.Failed()
		badInput = badInput || rec.Status == record.Refused
		solverFailed = solverFailed || rec.Status == record.Error && !rec.Failed()
		if err := emit(rec); err != nil {
			return 1, err
		}
	}
	switch {
	case failed:
		return 1, errors.New("solve: an answer failed verification")
	case solverFailed:
		return 3, errors.New("solve: a solver failed")
	case badInput:
		return 2, nil
	}
	return 0, nil
}
