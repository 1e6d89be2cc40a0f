//go:build linux

package isolate_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/solvers"
)

func init() {
	// Touches 64 MiB and spins for 200 ms of CPU time, then is killed, as
	// by a machine's out-of-memory killer or kill -9: before writing
	// anything.
	solvers.Register("isolate-test-killed", func() solvers.Solver {
		return testSolver(func(context.Context) (*solvers.Result, error) {
			hog{}.Solve(context.Background(), nil, solvers.Options{List: 64})
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		})
	})
}

// The error of a worker that ran carries what it used: a kill, a solver's
// error or refusal, a memout (see testMemoryLimit).
func TestUsageOfErrors(t *testing.T) {
	_, err := isolate.Run(context.Background(), "isolate-test-killed", tiny(), solvers.Options{})
	require.Error(t, err)
	assert.ErrorContains(t, err, "signal: killed")
	assert.ErrorContains(t, err, "it wrote nothing to stderr", "no empty quote of its stderr")
	assert.NotContains(t, err.Error(), "its stderr ends: ")
	u := isolate.UsageOf(err)
	require.NotNil(t, u, "%v", err)
	assert.GreaterOrEqual(t, u.Wall, 100*time.Millisecond)
	assert.GreaterOrEqual(t, u.CPU, 200*time.Millisecond, "the busy loop's CPU time")
	assert.Greater(t, u.MaxRSS, int64(64<<20), "64 MiB touched")
	var ue *isolate.UsageError
	require.ErrorAs(t, err, &ue)
	assert.Same(t, u, ue.Usage())

	cpu := isolate.CPUs()[:1]
	_, err = isolate.Config{CPUSet: cpu}.Run(context.Background(), "test-badalloc", tiny(), solvers.Options{})
	require.ErrorContains(t, err, "std::bad_alloc")
	require.NotNil(t, isolate.UsageOf(err))
	assert.Positive(t, isolate.UsageOf(err).Wall)
	assert.Equal(t, cpu, isolate.UsageOf(err).CPUs, "the cores are recorded")

	_, err = isolate.Run(context.Background(), "isolate-test-refuse", tiny(), solvers.Options{})
	assert.True(t, solvers.IsRefused(err), "%v", err)
	assert.NotNil(t, isolate.UsageOf(err))

	// A job that never ran has none.
	_, err = isolate.Run(context.Background(), "no-such-solver", tiny(), solvers.Options{})
	require.Error(t, err)
	assert.Nil(t, isolate.UsageOf(err))
}

// cmdline is process pid's arguments as ps shows them.
func cmdline(t *testing.T, pid int) string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	require.NoError(t, err)
	return string(bytes.ReplaceAll(bytes.TrimRight(b, "\x00"), []byte{0}, []byte{' '}))
}

// Workers show in ps as "nashbench worker SOLVER" (with the flag a test
// binary needs).
func TestWorkerName(t *testing.T) {
	prev := isolate.LastPID()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := isolate.Run(ctx, "isolate-test-stubborn", tiny(), solvers.Options{})
		done <- err
	}()
	require.Eventually(t, func() bool { return isolate.LastPID() != prev }, 5*time.Second, time.Millisecond)
	pid := isolate.LastPID()
	var args string
	// Read once the child has exec'd (before, it is a copy of this process).
	require.Eventually(t, func() bool {
		args = cmdline(t, pid)
		return strings.HasPrefix(args, "nashbench worker")
	}, 5*time.Second, time.Millisecond, "worker %d shows as %q", pid, args)
	assert.Equal(t, "nashbench worker isolate-test-stubborn -test.run=^$", args)
	cancel()
	require.NoError(t, <-done)

	// A pooled worker serves one solver after another.
	short, cancelShort := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancelShort()
	_, err := isolate.Pooled(short, "isolate-test-stubborn", tiny(), solvers.Options{}) // kills its worker
	require.NoError(t, err)
	_, err = isolate.Pooled(context.Background(), "test-where", tiny(), solvers.Options{})
	require.NoError(t, err)
	assert.Equal(t, "nashbench worker pooled -test.run=^$", cmdline(t, isolate.LastPID()))
}
