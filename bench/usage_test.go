package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/solvers"
)

// Failed jobs are measured like solved ones: a worker that ended in an
// error, a memout or a kill still has the usage the operating system
// measured of it (isolate.UsageError), and its row has wall_seconds,
// cpu_seconds, max_rss_bytes and cpus.
func TestUsageOfFailedJobs(t *testing.T) {
	pne, err := game.New(nil, [][]int64{{1, 0}, {0, 1}}, []int64{0, 0})
	require.NoError(t, err)
	used := &solvers.Usage{Wall: 1500 * time.Millisecond, CPU: 1200 * time.Millisecond, MaxRSS: 300 << 20, CPUs: []int{1}}
	// A worker killed at the deadline that the runner reports as an
	// error (the solver failed as it was being killed).
	killedAtDeadline := runnerOf(func(ctx context.Context, _ *solvers.Problem) (*solvers.Result, error) {
		<-ctx.Done()
		return nil, &isolate.UsageError{Err: errors.New("isolate: worker for x failed: signal: killed; it wrote nothing to stderr"), Used: used}
	})
	memout := runnerOf(func(context.Context, *solvers.Problem) (*solvers.Result, error) {
		return nil, &isolate.UsageError{Err: fmt.Errorf("isolate: worker for x ran out of memory: %w", isolate.ErrMemout), Used: used}
	})
	killed := runnerOf(func(context.Context, *solvers.Problem) (*solvers.Result, error) {
		return nil, &isolate.UsageError{Err: errors.New("isolate: worker for x failed: signal: killed; it wrote nothing to stderr"), Used: used}
	})
	refused := runnerOf(func(context.Context, *solvers.Problem) (*solvers.Result, error) {
		return nil, &isolate.UsageError{Err: solvers.Refuse("too large for me"), Used: used}
	})
	for _, tc := range []struct {
		name   string
		run    Executor
		lim    Limits
		status record.Status
	}{
		{"timeout", killedAtDeadline, Limits{Timeout: 20 * time.Millisecond}, record.Timeout},
		{"memout", memout, Limits{}, record.Memout},
		{"killed", killed, Limits{}, record.Error},
		{"refused", refused, Limits{}, record.Refused},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, err := Load(writeGame(t, pne), 0)
			require.NoError(t, err)
			rec, err := Solve(context.Background(), tc.run, "enum", in, solvers.Options{}, tc.lim)
			require.NoError(t, err)
			assert.Equal(t, tc.status, rec.Status, rec.Error)
			assert.Equal(t, 1.5, rec.WallSeconds)
			assert.Equal(t, 1.2, rec.CPUSeconds)
			assert.Equal(t, int64(300<<20), rec.MaxRSSBytes)
			assert.Equal(t, []int{1}, rec.CPUs)
		})
	}
}

// The same with real workers: a job under a memory limit that times out,
// and one whose solver refuses.
func TestUsageOfTimeoutAndRefusedRows(t *testing.T) {
	// At ratio 8, n=34 is unsatisfiable: enum would walk 2^34 profiles.
	f, _, err := instances.Spec{N: 34, M: 272, K: 3, Seed: 1}.Generate()
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, instances.WriteDIMACS(&buf, f))
	in, err := Load(writeCNF(t, buf.String()), 0)
	require.NoError(t, err)
	cpus := isolate.SlotCPUs(isolate.CPUs(), 1, 0)
	run := isolate.Config{CPUSet: cpus, Memory: 1 << 30}.Run
	rec, err := Solve(context.Background(), run, "enum", in, solvers.Options{}, Limits{Timeout: 300 * time.Millisecond})
	require.NoError(t, err)
	assert.Equal(t, record.Timeout, rec.Status, rec.Error)
	// From the worker's start, after the deadline was set.
	assert.Greater(t, rec.WallSeconds, 0.2, "the worker ran to its deadline")
	assert.Positive(t, rec.CPUSeconds)
	assert.Positive(t, rec.MaxRSSBytes)
	assert.Equal(t, cpus, rec.CPUs)

	// enum refuses more players than its limit: a failed worker, measured.
	rec, err = Solve(context.Background(), run, "enum", in, solvers.Options{MaxPlayers: 2}, Limits{Timeout: time.Minute})
	require.NoError(t, err)
	assert.Equal(t, record.Refused, rec.Status, rec.Error)
	assert.Contains(t, rec.Error, "more than the limit of 2")
	assert.Positive(t, rec.WallSeconds)
	assert.Positive(t, rec.CPUSeconds)
	assert.Positive(t, rec.MaxRSSBytes)
	assert.Equal(t, cpus, rec.CPUs)
}
