package bench_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
)

func TestSolveFiles(t *testing.T) {
	dir := t.TempDir()
	sat := filepath.Join(dir, "sat.cnf")
	require.NoError(t, os.WriteFile(sat, []byte("p cnf 1 1\n1 0\n"), 0o644))
	missing := filepath.Join(dir, "missing.cnf")
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name     string
		ctx      context.Context
		solver   string
		paths    []string
		emitErr  error
		code     int
		err      string
		statuses []record.Status
	}{
		{"solved", context.Background(), "enum", []string{sat}, nil, 0, "", []record.Status{record.Solved}},
		{"bad input goes on", context.Background(), "enum", []string{missing, sat}, nil, 2, "", []record.Status{record.BadInput, record.Solved}},
		{"unknown solver", context.Background(), "no-such-solver", []string{sat}, nil, 2, "solve: ", nil},
		{"interrupted", canceled, "enum", []string{sat}, nil, 130, "solve: interrupted", nil},
		{"emit fails", context.Background(), "enum", []string{sat, sat}, errors.New("closed"), 1, "closed", []record.Status{record.Solved}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []record.Status
			code, err := bench.SolveFiles(tc.ctx, tc.solver, tc.paths, reduction.Corrected, solvers.Options{Workers: 1}, bench.Limits{},
				func(rec record.Record) error {
					got = append(got, rec.Status)
					return tc.emitErr
				})
			assert.Equal(t, tc.code, code)
			if tc.err == "" {
				assert.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
			}
			assert.Equal(t, tc.statuses, got)
		})
	}
}
