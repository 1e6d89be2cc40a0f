package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/solvers"
)

// runnerOf turns a function of the problem into an Executor.
func runnerOf(f func(ctx context.Context, p *solvers.Problem) (*solvers.Result, error)) Executor {
	return func(ctx context.Context, _ string, p *solvers.Problem, _ solvers.Options) (*solvers.Result, error) {
		return f(ctx, p)
	}
}

// claimNone is a deliberately wrong solver when an equilibrium exists.
var claimNone = runnerOf(func(context.Context, *solvers.Problem) (*solvers.Result, error) {
	return &solvers.Result{Answer: solvers.None}, nil
})

func writeGame(t *testing.T, g *game.Game) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, game.WriteJSON(&buf, g, ""))
	p := filepath.Join(t.TempDir(), "g.json")
	require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o644))
	return p
}

func TestSolveStatusAndCheck(t *testing.T) {
	// (1,1) is the only non-trivial equilibrium: each gains 1 by opening.
	pne, err := game.New(nil, [][]int64{{1, 0}, {0, 1}}, []int64{0, 0})
	require.NoError(t, err)
	// Opening costs each player 1: only all-closed is an equilibrium.
	nopne, err := game.New(nil, [][]int64{{-1, 0}, {0, -1}}, []int64{0, 0})
	require.NoError(t, err)
	const sat = "p cnf 3 2\n1 2 0\n-1 3 0\n"
	const unsat = "p cnf 1 2\n1 0\n-1 0\n"
	const allFalseOnly = "p cnf 2 2\n-1 0\n-2 0\n" // all-false is the one model
	const allFalseAndMore = "p cnf 2 1\n-1 -2 0\n"

	wait := runnerOf(func(ctx context.Context, _ *solvers.Problem) (*solvers.Result, error) {
		<-ctx.Done()
		return &solvers.Result{Answer: solvers.Unknown}, nil
	})
	waitErr := runnerOf(func(ctx context.Context, _ *solvers.Problem) (*solvers.Result, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	refuse := runnerOf(func(context.Context, *solvers.Problem) (*solvers.Result, error) {
		return nil, solvers.Refuse("too large for me")
	})
	broken := runnerOf(func(context.Context, *solvers.Problem) (*solvers.Result, error) {
		return nil, errors.New("segfault in the solver")
	})
	// Without a memory limit, running out of memory is a failure like
	// any other (isolate wraps ErrMemout only under Config.Memory).
	oom := runnerOf(func(context.Context, *solvers.Problem) (*solvers.Result, error) {
		return nil, errors.New("worker failed: fatal error: runtime: out of memory")
	})
	badAlloc := runnerOf(func(context.Context, *solvers.Problem) (*solvers.Result, error) {
		return nil, errors.New("cadical: signal: aborted; its stderr ends: terminate called after throwing an instance of 'std::bad_alloc'")
	})
	capped := runnerOf(func(context.Context, *solvers.Problem) (*solvers.Result, error) {
		return nil, fmt.Errorf("isolate: worker for x hit its limit: %w", isolate.ErrMemout)
	})
	wrongCount := func(c int64) Executor {
		return func(ctx context.Context, s string, p *solvers.Problem, o solvers.Options) (*solvers.Result, error) {
			r, err := InProcess(ctx, "enum", p, o)
			if err == nil {
				r.Count = c
			}
			return r, err
		}
	}
	// A solver that ignores Options.Count: its zero Result counted nothing.
	ignoresCount := func(ctx context.Context, s string, p *solvers.Problem, o solvers.Options) (*solvers.Result, error) {
		return InProcess(ctx, "enum", p, solvers.Options{})
	}
	gameFile := func(g *game.Game) func(*testing.T) string {
		return func(t *testing.T) string { return writeGame(t, g) }
	}
	cnf := func(body string) func(*testing.T) string {
		return func(t *testing.T) string { return writeCNF(t, body) }
	}
	for _, tc := range []struct {
		name     string
		file     func(*testing.T) string
		run      Executor
		opt      solvers.Options
		lim      Limits
		status   record.Status
		answer   record.Answer
		check    record.Check
		verified *bool // nil: null
		errLike  string
	}{
		{"witness", cnf(sat), InProcess, solvers.Options{}, Limits{CheckLimit: time.Second}, record.Solved, "sat", record.CheckWitness, ptr(true), ""},
		{"unsat checked", cnf(unsat), InProcess, solvers.Options{}, Limits{CheckLimit: time.Second}, record.Solved, "unsat", record.CheckExhaustive, ptr(true), ""},
		{"unsat unchecked", cnf(unsat), InProcess, solvers.Options{}, Limits{CheckLimit: -1}, record.Solved, "unsat", record.CheckNone, nil, ""},
		{"check by default", cnf(unsat), InProcess, solvers.Options{}, Limits{}, record.Solved, "unsat", record.CheckExhaustive, ptr(true), ""},
		{"wrong unsat refuted", cnf(sat), claimNone, solvers.Options{}, Limits{CheckLimit: time.Second}, record.Solved, "unsat", record.CheckNone, ptr(false), "exhaustive search"},
		{"wrong unsat unchecked", cnf(sat), claimNone, solvers.Options{}, Limits{CheckLimit: -1}, record.Solved, "unsat", record.CheckNone, nil, ""},
		{"no-pne checked", gameFile(nopne), InProcess, solvers.Options{}, Limits{CheckLimit: time.Second}, record.Solved, "no-pne", record.CheckExhaustive, ptr(true), ""},
		{"wrong no-pne refuted", gameFile(pne), claimNone, solvers.Options{}, Limits{CheckLimit: time.Second}, record.Solved, "no-pne", record.CheckNone, ptr(false), "found 1, such as 11"},
		{"all-false model", cnf(allFalseOnly), InProcess, solvers.Options{}, Limits{CheckLimit: time.Second}, record.Solved, "sat", record.CheckWitness, ptr(true), ""},
		{"all-false hides a wrong no", cnf(allFalseAndMore), claimNone, solvers.Options{}, Limits{CheckLimit: time.Second}, record.Solved, "sat", record.CheckNone, ptr(false), "exhaustive search"},
		{"count checked", cnf(sat), InProcess, solvers.Options{Count: true}, Limits{CheckLimit: time.Second}, record.Solved, "sat", record.CheckWitness, ptr(true), ""},
		{"wrong count", cnf(sat), wrongCount(1), solvers.Options{Count: true}, Limits{CheckLimit: time.Second}, record.Solved, "sat", record.CheckWitness, ptr(false), "counted 1"},
		{"count ignored", gameFile(pne), ignoresCount, solvers.Options{Count: true}, Limits{CheckLimit: time.Second}, record.Solved, "pne", record.CheckWitness, ptr(true), ""},
		{"timeout", cnf(sat), wait, solvers.Options{}, Limits{Timeout: 20 * time.Millisecond}, record.Timeout, "unknown", record.CheckNone, nil, ""},
		{"timeout as error", cnf(unsat), waitErr, solvers.Options{}, Limits{Timeout: 20 * time.Millisecond}, record.Timeout, "unknown", record.CheckNone, nil, ""},
		{"timeout, all-false model", cnf(allFalseOnly), wait, solvers.Options{}, Limits{Timeout: 20 * time.Millisecond}, record.Timeout, "sat", record.CheckWitness, ptr(true), ""},
		{"refused", gameFile(pne), refuse, solvers.Options{}, Limits{}, record.Refused, "unknown", record.CheckNone, nil, "too large for me"},
		{"error", gameFile(pne), broken, solvers.Options{}, Limits{}, record.Error, "unknown", record.CheckNone, nil, "segfault"},
		{"out of memory without a limit", gameFile(pne), oom, solvers.Options{}, Limits{}, record.Error, "unknown", record.CheckNone, nil, "runtime: out of memory"},
		{"bad_alloc without a limit", gameFile(pne), badAlloc, solvers.Options{}, Limits{}, record.Error, "unknown", record.CheckNone, nil, "std::bad_alloc"},
		{"memout at the cap", gameFile(pne), capped, solvers.Options{}, Limits{}, record.Memout, "unknown", record.CheckNone, nil, "hit its limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, err := Load(tc.file(t), 0)
			require.NoError(t, err)
			rec, err := Solve(context.Background(), tc.run, "enum", in, tc.opt, tc.lim)
			require.NoError(t, err)
			assert.Equal(t, tc.status, rec.Status)
			assert.Equal(t, tc.answer, rec.Answer)
			assert.Equal(t, tc.check, rec.Check)
			if tc.verified == nil {
				assert.Nil(t, rec.Verified, rec.Error)
			} else if assert.NotNil(t, rec.Verified) {
				assert.Equal(t, *tc.verified, *rec.Verified, rec.Error)
			}
			if tc.errLike == "" {
				assert.Empty(t, rec.Error)
			} else {
				assert.Contains(t, rec.Error, tc.errLike)
			}
			assert.NotEmpty(t, rec.Summary())
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestSummaryNamesStatus(t *testing.T) {
	for _, tc := range []struct {
		rec  record.Record
		want string
	}{
		{record.Record{Instance: "a", Solver: "enum", Answer: "unknown", Status: record.Timeout, Timeout: 2}, "a: unknown (enum, 0.000s) TIMEOUT after 2s"},
		{record.Record{Instance: "a", Solver: "enum", Answer: "unsat", Status: record.Solved, Check: record.CheckExhaustive, Verified: ptr(true)}, "a: unsat (enum, 0.000s) verified (exhaustive search)"},
		{record.Record{Instance: "a", Solver: "enum", Answer: "unsat", Status: record.Solved, Check: record.CheckNone}, "a: unsat (enum, 0.000s) unchecked"},
		{record.Record{Instance: "a", Solver: "x", Answer: "unknown", Status: record.Refused, Error: "too big"}, "a: unknown (x, 0.000s) REFUSED: too big"},
	} {
		assert.Equal(t, tc.want, tc.rec.Summary())
	}
}

func TestSolveCountCheck(t *testing.T) {
	in, err := Load(writeCNF(t, "p cnf 3 2\n1 2 0\n-1 3 0\n"), 0)
	require.NoError(t, err)
	for _, tc := range []struct {
		count bool
		lim   Limits
		want  record.Check
		text  string
	}{
		{true, Limits{}, record.CheckExhaustive, "(checked)"},
		{true, Limits{CheckLimit: -1}, record.CheckNone, "(unchecked)"},
		{false, Limits{}, "", ""},
	} {
		rec, err := Solve(context.Background(), InProcess, "enum", in, solvers.Options{Count: tc.count}, tc.lim)
		require.NoError(t, err)
		assert.Equal(t, tc.want, rec.CountCheck)
		assert.Contains(t, rec.Summary(), tc.text)
	}
}
