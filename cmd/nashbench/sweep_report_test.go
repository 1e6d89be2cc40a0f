package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/record"
)

// A run whose outputs cannot be written still tells its disagreements and
// failed jobs before it exits 2: the rows are safe and say what went wrong.
func TestReportOutputsFail(t *testing.T) {
	row := func(inst, solver string, st record.Status, ans record.Answer, msg string) record.Row {
		return record.Row{Record: record.Record{Instance: inst, Kind: "cnf", Solver: solver, Status: st, Answer: ans,
			Check: record.CheckNone, Error: msg}, N: 4, M: 8, K: 3, Ratio: 2}
	}
	rows := []record.Row{
		row("a.cnf", "enum", record.Solved, record.SAT, ""),
		row("a.cnf", "gophersat", record.Solved, record.UNSAT, ""),
		row("b.cnf", "gophersat", record.Error, record.Unknown, "crashed"),
	}
	tests := []struct {
		name  string
		block bool // summary.txt is a directory, so that writing it fails
		code  int
	}{
		{"outputs written", false, 1},
		{"outputs fail", true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.block {
				require.NoError(t, os.MkdirAll(filepath.Join(dir, "summary.txt", "x"), 0o755))
			}
			var stdout, stderr bytes.Buffer
			err := report(rows, nil, dir, "rows.jsonl", &stdout, &stderr)
			var ee *exitError
			require.True(t, errors.As(err, &ee), "%v", err)
			assert.Equal(t, tt.code, ee.code)
			errs := stderr.String()
			dis := strings.Index(errs, "DISAGREEMENT: a.cnf: solvers disagree: enum=sat, gophersat=unsat\n")
			failed := strings.Index(errs, "FAILED: b.cnf with gophersat: crashed\n")
			assert.True(t, dis >= 0 && failed > dis, errs)
			assert.Contains(t, stdout.String(), "gophersat", "the summary")
			if tt.block {
				assert.Contains(t, ee.Error(), "summary.txt")
			}
		})
	}
}
