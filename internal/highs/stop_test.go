package highs

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/internal/testtool"
)

// bigLP is a random sparse LP with rows rows of 8 nonzeros over rows/2
// columns: HiGHS takes it in (Highs_passMip) for a long time without
// calling any host function, so only giving up on the instance stops it.
func bigLP(rows int, seed uint64) *Model {
	r := rand.New(rand.NewPCG(seed, 3))
	n := rows / 2
	m := &Model{ColCosts: make([]float64, n), ColUpper: make([]float64, n),
		RowLower: make([]float64, rows), RowUpper: make([]float64, rows)}
	for j := range n {
		m.ColCosts[j] = float64(1 + r.IntN(9))
		m.ColUpper[j] = 10
	}
	for i := range rows {
		for range 8 {
			m.ConstMatrix = append(m.ConstMatrix, Nonzero{Row: i, Col: r.IntN(n), Val: float64(1 + r.IntN(20))})
		}
		m.RowLower[i], m.RowUpper[i] = 1, inf
	}
	return m
}

// waitLive waits until the number of open instances is at most want.
func waitLive(t *testing.T, want int64, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for live.Load() > want && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
	}
	require.LessOrEqual(t, live.Load(), want, "instances still open after %v", within)
}

// lockedLog records HiGHS's log lines and when the last one came.
type lockedLog struct {
	mu   sync.Mutex
	n    int
	last time.Time
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	l.last = time.Now()
	return len(p), nil
}

// A context that ends during a solve stops it promptly wherever HiGHS is:
// in branch and bound (clock reads), or taking in a large model (no host
// calls at all for seconds). Solve returns the context's error, the
// instance it gave up on is closed once the wasm unwinds, no log line is
// written after Solve returns, and the Solver goes on with a fresh instance.
func TestStopDuringSolve(t *testing.T) {
	// Past the test's own deadline or cancel (after), by the stop
	// allowance at most: typical stops take milliseconds; the allowance is
	// for a loaded machine.
	const allowance = testtool.StopAllowance
	tests := []struct {
		name   string
		model  func() *Model
		after  time.Duration
		cancel bool // cancel instead of a deadline
	}{
		{"branch-and-bound/deadline", func() *Model { return marketSplit(5, 3) }, 700 * time.Millisecond, false},
		{"branch-and-bound/cancel", func() *Model { return marketSplit(5, 4) }, 700 * time.Millisecond, true},
		{"taking-in-a-big-model/deadline", func() *Model { return bigLP(200_000, 1) }, 300 * time.Millisecond, false},
		{"taking-in-a-big-model/cancel", func() *Model { return bigLP(200_000, 2) }, 300 * time.Millisecond, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := live.Load()
			s := newSolver(t)
			m := tt.model()
			ctx, cancel := context.WithTimeout(context.Background(), tt.after)
			want := context.DeadlineExceeded
			if tt.cancel {
				ctx, cancel = context.WithCancel(context.Background())
				time.AfterFunc(tt.after, cancel)
				want = context.Canceled
			}
			defer cancel()
			var log lockedLog
			start := time.Now()
			sol, err := s.Solve(ctx, m, Options{TimeLimit: time.Minute, Log: &log})
			returned := time.Now()
			overrun := returned.Sub(start) - tt.after
			t.Logf("returned %v after the context ended", overrun)
			if err == nil && !tt.cancel {
				// HiGHS's time_limit, set from the deadline, came first.
				assert.Equal(t, TimeLimit, sol.Status)
			} else {
				require.ErrorIs(t, err, want, "solution %+v", sol)
			}
			assert.Less(t, overrun, allowance)

			// The wasm unwinds at its next host call; the instance given up
			// on is closed. When the solve ended by itself first (HiGHS's
			// time limit, or the Go side noticing the deadline before any
			// wasm ran, as on a loaded machine), the Solver keeps its
			// healthy instance instead.
			open := base
			if s.in != nil {
				open = base + 1
			}
			waitLive(t, open, 3*time.Minute)
			t.Logf("instance closed %v after Solve returned", time.Since(returned))
			log.mu.Lock()
			assert.False(t, log.last.After(returned), "log written after Solve returned")
			log.mu.Unlock()

			sol, err = s.Solve(context.Background(), knapsack(8, 1), Options{})
			require.NoError(t, err)
			assert.Equal(t, Optimal, sol.Status)
		})
	}
}

// Solvers that are closed, or dropped without Close, release their
// instances: memory stays flat over many New/Solve/Close cycles.
func TestManySolversNoLeak(t *testing.T) {
	for _, closeThem := range []bool{true, false} {
		name := map[bool]string{true: "closed", false: "dropped"}[closeThem]
		t.Run(name, func(t *testing.T) {
			base := live.Load()
			cycle := func(i int) {
				s, err := NewSolver(context.Background())
				require.NoError(t, err)
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				m, want := tinyMIP(i)
				sol, err := s.Solve(ctx, m, Options{})
				require.NoError(t, err)
				require.InDelta(t, want, sol.Objective, 1e-6)
				if closeThem {
					require.NoError(t, s.Close())
					require.Equal(t, base, live.Load())
				}
			}
			heap := func() uint64 {
				runtime.GC()
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				return ms.HeapInuse
			}
			for i := range 20 {
				cycle(i)
			}
			waitLive(t, base, 30*time.Second)
			before := heap()
			// -short runs a third: 100 leaked instances would still hold
			// over 100 MiB, and waitLive counts them.
			cycles := 300
			if testing.Short() {
				cycles = 100
			}
			for i := range cycles {
				cycle(i)
			}
			waitLive(t, base, 30*time.Second)
			after := heap()
			t.Logf("%d cycles: Go heap in use %d -> %d MiB, open instances %d", cycles, before>>20, after>>20, live.Load()-base)
			// One leaked instance costs over a MiB of linear memory.
			assert.Less(t, int64(after)-int64(before), int64(64<<20))
		})
	}
}
