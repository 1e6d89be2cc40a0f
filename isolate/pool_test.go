package isolate_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/enum"
)

func init() {
	solvers.Register("isolate-test-refuse", func() solvers.Solver {
		return testSolver(func(context.Context) (*solvers.Result, error) {
			return nil, solvers.Refuse("not for me")
		})
	})
}

// A pooled worker serves solve after solve, failures included, and is
// replaced only when a solve overruns its deadline.
func TestPooled(t *testing.T) {
	p := reductionProblem(t, instances.Spec{N: 10, M: 43, K: 3, Seed: 1, Index: 1})
	want, err := enum.Solver{}.Solve(context.Background(), p, solvers.Options{Count: true})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	got, err := isolate.Pooled(ctx, "enum", p, solvers.Options{Count: true})
	require.NoError(t, err)
	assert.Equal(t, want.Answer, got.Answer)
	assert.Equal(t, want.Count, got.Count)
	first := isolate.LastPID()

	// Chatter on stdout, a refusal and an error leave the worker serving.
	r, err := isolate.Pooled(ctx, "isolate-test-chatty", p, solvers.Options{})
	require.NoError(t, err)
	assert.Equal(t, int64(7), r.Count)
	_, err = isolate.Pooled(ctx, "isolate-test-refuse", p, solvers.Options{})
	assert.True(t, solvers.IsRefused(err), "%v", err)
	assert.ErrorContains(t, err, "not for me")
	got, err = isolate.Pooled(ctx, "enum", p, solvers.Options{})
	require.NoError(t, err)
	assert.Equal(t, want.Answer, got.Answer)
	assert.Equal(t, first, isolate.LastPID(), "one worker served every solve")

	// An overrun kills the worker; the next solve gets a new one.
	short, cancelShort := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancelShort()
	start := time.Now()
	r, err = isolate.Pooled(short, "isolate-test-stubborn", p, solvers.Options{})
	require.NoError(t, err)
	assert.Equal(t, solvers.Unknown, r.Answer)
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.ErrorIs(t, syscall.Kill(first, 0), syscall.ESRCH, "the overrunning worker was killed")
	got, err = isolate.Pooled(ctx, "enum", p, solvers.Options{})
	require.NoError(t, err)
	assert.Equal(t, want.Answer, got.Answer)
	assert.NotEqual(t, first, isolate.LastPID())

	// A crash is an error carrying the worker's last words.
	_, err = isolate.Pooled(ctx, "isolate-test-crash", p, solvers.Options{})
	assert.ErrorContains(t, err, "the last words of a crashing solver")
}
