package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/solvers"
)

// Deliberately wrong or failing solvers, to see that the CLI catches them.
type fakeSolver func(context.Context, *solvers.Problem) (*solvers.Result, error)

func (f fakeSolver) Solve(ctx context.Context, p *solvers.Problem, _ solvers.Options) (*solvers.Result, error) {
	return f(ctx, p)
}

func init() {
	solvers.Register("test-liar", func() solvers.Solver {
		return fakeSolver(func(context.Context, *solvers.Problem) (*solvers.Result, error) {
			return &solvers.Result{Answer: solvers.None}, nil
		})
	})
	solvers.Register("test-broken", func() solvers.Solver {
		return fakeSolver(func(context.Context, *solvers.Problem) (*solvers.Result, error) {
			return nil, errors.New("the solver crashed")
		})
	})
	solvers.Register("test-refuser", func() solvers.Solver {
		return fakeSolver(func(context.Context, *solvers.Problem) (*solvers.Result, error) {
			return nil, solvers.Refuse("this input is beyond my range")
		})
	})
	solvers.Register("test-slow", func() solvers.Solver {
		return fakeSolver(func(ctx context.Context, _ *solvers.Problem) (*solvers.Result, error) {
			<-ctx.Done()
			return &solvers.Result{Answer: solvers.Unknown}, nil
		})
	})
}

func TestSolveStatusesAndExitCodes(t *testing.T) {
	dir := t.TempDir()
	sat := writeFile(t, dir, "sat.cnf", "p cnf 3 2\n1 2 0\n-1 3 0\n")
	unsat := writeFile(t, dir, "unsat.cnf", "p cnf 2 4\n1 2 0\n-1 2 0\n1 -2 0\n-1 -2 0\n")
	pne := writeFile(t, dir, "pne.json", `{"D": [[1, 0], [0, 1]], "d": [0, 0]}`)
	bad := writeFile(t, dir, "bad.cnf", "p cnf 2 1\n1 3 0\n")
	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		status  []record.Status // per record
		check   []record.Check
		stderr  string
		summary string // in the text output
	}{
		{"checked no", []string{"--solver", "enum", unsat}, 0, []record.Status{"solved"}, []record.Check{"exhaustive"}, "", "verified (exhaustive search)"},
		{"liar on a formula", []string{"--solver", "test-liar", sat, unsat}, 1, []record.Status{"solved", "solved"}, []record.Check{"none", "exhaustive"}, "exhaustive search", "NOT VERIFIED"},
		{"liar on a game", []string{"--solver", "test-liar", pne}, 1, []record.Status{"solved"}, []record.Check{"none"}, "such as 11", "NOT VERIFIED"},
		{"liar unchecked", []string{"--solver", "test-liar", "--check-limit", "0", sat}, 0, []record.Status{"solved"}, []record.Check{"none"}, "", "unchecked"},
		{"solver error", []string{"--solver", "test-broken", sat}, 3, []record.Status{"error"}, []record.Check{"none"}, "the solver crashed", "SOLVER ERROR"},
		{"refused", []string{"--solver", "test-refuser", pne}, 2, []record.Status{"refused"}, []record.Check{"none"}, "beyond my range", "REFUSED"},
		{"timeout", []string{"--solver", "test-slow", "--timeout", "50ms", sat}, 0, []record.Status{"timeout"}, []record.Check{"none"}, "", "TIMEOUT after 0.05s"},
		{"bad input", []string{"--solver", "enum", bad, sat}, 2, []record.Status{"bad-input", "solved"}, []record.Check{"none", "witness"}, "bad.cnf:2", ""},
		{"verification beats solver error", []string{"--solver", "test-liar", sat}, 1, []record.Status{"solved"}, []record.Check{"none"}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCmd(append([]string{"solve", "--json"}, tc.args...)...)
			assert.Equal(t, tc.code, code, errs)
			assert.Contains(t, errs, tc.stderr)
			recs := records(t, out)
			require.Len(t, recs, len(tc.status))
			for i, r := range recs {
				assert.Equal(t, tc.status[i], r.Status, r.Instance)
				assert.Equal(t, tc.check[i], r.Check, r.Instance)
			}
			code, out, _ = runCmd(append([]string{"solve"}, tc.args...)...)
			assert.Equal(t, tc.code, code)
			assert.Contains(t, out, tc.summary)
			if tc.summary != "" {
				assert.Equal(t, len(tc.status), strings.Count(out, "\n"))
			}
		})
	}
}
